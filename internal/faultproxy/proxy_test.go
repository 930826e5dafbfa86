package faultproxy

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// backend counts the requests whose whole body reached it and answers
// with a body of 2 KB.
type backend struct{ whole atomic.Int64 }

func (b *backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil || int64(len(body)) != r.ContentLength {
		return
	}
	b.whole.Add(1)
	w.Write(bytes.Repeat([]byte("a"), 2048))
}

func start(t *testing.T, kind Kind, kill func() (string, error)) (*Proxy, *backend, *http.Client) {
	t.Helper()
	be := &backend{}
	srv := httptest.NewServer(be)
	t.Cleanup(srv.Close)
	p, err := Start(strings.TrimPrefix(srv.URL, "http://"), Config{Seed: 1, Mix: []Weight{{kind, 1}}, Kill: kill})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, be, &http.Client{Timeout: 600 * time.Millisecond, Transport: &http.Transport{}}
}

func post(c *http.Client, url string) (int, error) {
	resp, err := c.Post(url+"/x", "text/plain", bytes.NewReader(bytes.Repeat([]byte("b"), 4096)))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return len(b), err
}

// TestKinds: each kind does to a request what it says, on its own, three
// requests in a row on the same client.
func TestKinds(t *testing.T) {
	for _, tc := range []struct {
		kind      Kind
		answered  bool  // the client gets the whole answer
		committed int64 // requests the server saw whole, of 3
	}{
		{Pass, true, 3},
		{ResetRequest, false, 0},
		{ResetResponse, false, 3},
		{LostAnswer, false, 3},
		{Trickle, false, -1}, // the answer or the request trickles
		{Latency, true, 3},   // up to 400 ms, under the client's timeout
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			p, be, c := start(t, tc.kind, nil)
			for i := range 3 {
				n, err := post(c, p.URL())
				if got := err == nil && n == 2048; got != tc.answered {
					t.Fatalf("request %d: answered %v (%d bytes, %v), want %v", i, got, n, err, tc.answered)
				}
			}
			// The proxy's side of a connection the client gave up on
			// ends soon after.
			time.Sleep(50 * time.Millisecond)
			if got := be.whole.Load(); tc.committed >= 0 && got != tc.committed {
				t.Errorf("the server saw %d whole requests, want %d", got, tc.committed)
			}
			if want := map[bool]int{true: 0, false: 3}[tc.kind == Pass]; p.Faults() != want {
				t.Errorf("faults counted %d (%s), want %d", p.Faults(), p.Summary(), want)
			}
		})
	}
}

// TestKillSwitchesBackend: a kill calls Config.Kill, and the next request
// goes to the address it returned.
func TestKillSwitchesBackend(t *testing.T) {
	second := &backend{}
	srv2 := httptest.NewServer(second)
	defer srv2.Close()
	kills := 0
	p, first, c := start(t, Kill, func() (string, error) {
		kills++
		return strings.TrimPrefix(srv2.URL, "http://"), nil
	})
	if _, err := post(c, p.URL()); err == nil {
		t.Fatal("a request through a kill was answered")
	}
	p.Calm(true)
	if n, err := post(c, p.URL()); err != nil || n != 2048 {
		t.Fatalf("after the kill: %d bytes, %v", n, err)
	}
	if kills != 1 || second.whole.Load() != 1 || first.whole.Load() > 1 {
		t.Errorf("kills %d, first server %d, second %d", kills, first.whole.Load(), second.whole.Load())
	}
	if p.Counts()[Kill] != 1 || p.Faults() != 1 {
		t.Errorf("counts after calm: %s", p.Summary())
	}
}

// TestSameSeedSameFaults: the sequence of faults is the seed's.
func TestSameSeedSameFaults(t *testing.T) {
	mix := []Weight{{Pass, 1}, {Latency, 1}, {ResetRequest, 1}, {LostAnswer, 1}}
	seq := func(seed uint64) string {
		p, err := Start("127.0.0.1:1", Config{Seed: seed, Mix: mix})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		var b strings.Builder
		for range 40 {
			pl := p.draw()
			b.WriteString(string(pl.kind[0]))
		}
		return b.String()
	}
	if a, b := seq(7), seq(7); a != b || !strings.ContainsAny(a, "lrL") {
		t.Errorf("seed 7 gave %s then %s", a, b)
	}
	if a, b := seq(7), seq(8); a == b {
		t.Errorf("seeds 7 and 8 gave the same %s", a)
	}
}

// TestLimit: after Limit faults every request passes.
func TestLimit(t *testing.T) {
	p, err := Start("127.0.0.1:1", Config{Seed: 3, Mix: []Weight{{ResetRequest, 1}}, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for i := range 8 {
		want := ResetRequest
		if i >= 5 {
			want = Pass
		}
		if got := p.draw().kind; got != want {
			t.Fatalf("draw %d: %s, want %s", i, got, want)
		}
	}
	if p.Faults() != 5 {
		t.Errorf("%d faults counted, want 5", p.Faults())
	}
}

// TestSetMix: a new mix is drawn from at once; an empty one is refused.
func TestSetMix(t *testing.T) {
	p, err := Start("127.0.0.1:1", Config{Seed: 4, Mix: []Weight{{ResetRequest, 1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.SetMix([]Weight{{Kill, 1}}); err == nil {
		t.Error("a mix of only Kill without Config.Kill was taken")
	}
	if err := p.SetMix([]Weight{{Latency, 1}}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if k := p.draw().kind; k != Latency {
			t.Fatalf("drew %s after SetMix(latency)", k)
		}
	}
}
