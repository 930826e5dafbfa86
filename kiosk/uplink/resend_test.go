package uplink

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// reencodingProxy forwards to the back office. The first batch it loses
// the answer of after the back office committed; every later request body
// it re-encodes: indented, keys in another order, non-ASCII escaped.
type reencodingProxy struct {
	backend string
	mu      sync.Mutex
	batches int
}

func (p *reencodingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	p.batches++
	first := p.batches == 1
	p.mu.Unlock()
	if !first && len(body) > 0 {
		body = reencode(body)
	}
	req, _ := http.NewRequestWithContext(r.Context(), r.Method, p.backend+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if first {
		hijackClose(w, true) // committed, answer lost
		return
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(answer)
}

// reencode writes the same JSON value differently.
func reencode(body []byte) []byte {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return body
	}
	var buf bytes.Buffer
	writeJSON(&buf, v, "")
	return buf.Bytes()
}

func writeJSON(w *bytes.Buffer, v any, indent string) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		// Reverse order: still the same object.
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
		}
		w.WriteString("{\n")
		for i, k := range keys {
			if i > 0 {
				w.WriteString(",\n")
			}
			w.WriteString(indent + "  ")
			writeJSON(w, k, indent+"  ")
			w.WriteString(" : ")
			writeJSON(w, x[k], indent+"  ")
		}
		w.WriteString("\n" + indent + "}")
	case []any:
		w.WriteString("[ ")
		for i, e := range x {
			if i > 0 {
				w.WriteString(" , ")
			}
			writeJSON(w, e, indent)
		}
		w.WriteString(" ]")
	case string:
		w.WriteByte('"')
		for _, r := range x {
			switch {
			case r == '"' || r == '\\':
				w.WriteString(`\` + string(r))
			case r < 0x20 || r > 0x7e:
				fmt.Fprintf(w, `\u%04x`, r)
			default:
				w.WriteRune(r)
			}
		}
		w.WriteByte('"')
	default:
		b, _ := json.Marshal(x)
		w.Write(b)
	}
}

// TestResendAfterLostAnswerWithChangedEncoding: the answer to a batch is
// lost after the back office stored it; the terminal resends the same
// submissions, encoded differently. Every one must be recognised as the
// one already stored and answered with its original official number; none
// may be quarantined or stored twice. (Before, 10 of 10 were quarantined as
// conflicts and their official numbers never learned.)
func TestResendAfterLostAnswerWithChangedEncoding(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(c *Client, q *fakeQueue)
	}{
		{"json spacing, key order and escapes", func(*Client, *fakeQueue) {}},
		{"time written in Shanghai time, display labels from a newer catalog", func(c *Client, q *fakeQueue) {
			q.mu.Lock()
			for i := range q.pending {
				q.pending[i].CreatedAt = q.pending[i].CreatedAt.In(shanghai)
			}
			q.mu.Unlock()
			c.cfg.Display = func(s kiosk.Submission) map[string]string {
				out := map[string]string{}
				for k, v := range s.Answers {
					out["新标签 "+k] = strings.ToUpper(v)
				}
				return out
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bo := startBackOffice(t)
			proxy := &reencodingProxy{backend: bo.URL}
			ps := httptest.NewServer(proxy)
			defer ps.Close()
			ps.Config.ErrorLog = nil
			subs := submissions(10)
			q := newFakeQueue(subs...)
			c := newClient(t, ps.URL, q, &fakeClock{now: t0}, func(cfg *Config) { cfg.BatchSize = 10 })

			st, err := c.SyncOnce(context.Background())
			if err == nil || st.Released != 10 {
				t.Fatalf("first batch: want the answer lost and 10 released, got %+v, %v", st, err)
			}
			tc.change(c, q)
			st, err = c.Drain(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			q.checkDrained(t)
			if len(q.quarantined) != 0 {
				t.Fatalf("%d of 10 quarantined: %v", len(q.quarantined), q.quarantined)
			}
			counts, err := bo.Store.CountSubmissions(context.Background(), testTerminal)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range subs {
				if counts[s.ID] != 1 {
					t.Errorf("%s stored %d times", s.ID, counts[s.ID])
				}
				got, err := bo.Store.SubmissionByReceipt(context.Background(), s.LocalReceipt)
				if err != nil || got.OfficialReceipt == "" || got.OfficialReceipt != q.acked[s.ID] {
					t.Errorf("%s: the terminal learned %q, the back office gave %q (%v)", s.ID, q.acked[s.ID], got.OfficialReceipt, err)
				}
			}
		})
	}
}
