package uplink

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/kiosk"
)

// TestIdentifyCardSequence: one terminal's card reads against the back
// office, one after another: a card from a reader it does not know, then
// a SAM ID that is no SAM ID, then no SAM ID at all, then a card the back
// office cannot vouch for (a residence permit; nothing is asked), then the
// back office down, then up again: only then does the allow-listed
// reader's card get an identification, which the 养老金 query takes and
// which the submission of the visit carries with its reader.
func TestIdentifyCardSequence(t *testing.T) {
	bo := startDeptBackOffice(t)
	target, _ := url.Parse(bo.URL)
	var down atomic.Bool
	var asked atomic.Int32
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/identifications" {
			asked.Add(1)
		}
		if down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	q := newFakeQueue()
	c := newClient(t, front.URL, q, kiosk.SystemClock{})
	ctx := context.Background()
	jia := kiosk.Identity{Card: kiosk.CardResident, Name: connector.DemoJia.Name, Number: connector.DemoJia.IDNo}
	with := func(sam string) kiosk.Identity { id := jia; id.ReaderSAM = sam; return id }
	permit := with(testSAM)
	permit.Card, permit.Number = kiosk.CardPermitHKMOTW, "820000198805120042"

	steps := []struct {
		name  string
		who   kiosk.Identity
		down  bool
		kind  kiosk.ErrorKind
		msg   string // "" : identified
		asked bool
	}{
		{"unknown reader", with("05.01-20240101-0000000042-0000000099"), false, kiosk.KindInvalid, "identify.reader_unknown", true},
		{"forged SAM ID", with("SAM-FAKE"), false, kiosk.KindInvalid, "identify.reader_unknown", true},
		{"no SAM ID", with(""), false, kiosk.KindInvalid, "identify.reader_unknown", false},
		{"residence permit", permit, false, kiosk.KindUnavailable, "identify.card_type_counter", false},
		{"back office down", with(testSAM), true, kiosk.KindTransient, "identify.card_unverified", true},
		{"still down", with(testSAM), true, kiosk.KindTransient, "identify.card_unverified", true},
		{"back office up", with(testSAM), false, 0, "", true},
	}
	var event string
	for _, s := range steps {
		down.Store(s.down)
		before := asked.Load()
		ev, err := c.IdentifyCard(ctx, s.who)
		if got := asked.Load() != before; got != s.asked {
			t.Errorf("%s: asked the back office %v, want %v", s.name, got, s.asked)
		}
		if s.msg != "" {
			wantKiosk(t, s.name, err, s.kind, s.msg)
			if ev != "" {
				t.Errorf("%s: an event %q with the error", s.name, ev)
			}
			continue
		}
		if err != nil || ev == "" {
			t.Fatalf("%s: %q, %v", s.name, ev, err)
		}
		event = ev
	}
	who := with(testSAM)
	who.Verification = event
	r, err := c.Query(ctx, "pension-received", who, kiosk.LangZH)
	if err != nil || len(r.Fields) == 0 {
		t.Fatalf("the pension query with the card's identification: %+v, %v", r, err)
	}
	// The submission carries the event and the reader; the back office,
	// which has an allow-list, accepts it, and refuses the same event
	// without the reader that vouched.
	sub := submission(1)
	sub.Applicant = who
	item := toWire(sub, nil)
	if item.Identification != event || item.ReaderSAM != testSAM {
		t.Fatalf("the wire item carries identification %q, reader %q", item.Identification, item.ReaderSAM)
	}
	readerless := submission(2)
	readerless.Applicant = who
	readerless.Applicant.ReaderSAM = ""
	c2 := newClient(t, bo.URL, newFakeQueue(sub, readerless), kiosk.SystemClock{})
	if st, err := c2.SyncOnce(ctx); err != nil || st.Acknowledged != 1 || st.Quarantined != 1 {
		t.Fatalf("the card resident's submissions, with and without the reader: %+v, %v; want 1 acknowledged, 1 quarantined", st, err)
	}
}

// TestAgentCardVouches: in 代办 the card read is the agent's, so the
// agent's reader SAM ID goes on the wire whether or not the background
// identification came back, and the back office, which has an allow-list,
// accepts the application; the typed applicant carries no reader of its
// own. Failed before the agent's reader was sent: the back office
// quarantined every 代办 from a card whose identification had not come
// back.
func TestAgentCardVouches(t *testing.T) {
	bo := startDeptBackOffice(t)
	agent := kiosk.Identity{Card: kiosk.CardResident, Name: connector.DemoJia.Name, Number: connector.DemoJia.IDNo, ReaderSAM: testSAM}
	child := kiosk.Identity{Card: kiosk.CardResident, Name: "测试丁", Number: "310104201501010026"}
	sub := submission(1)
	sub.Applicant = child
	sub.Agent = &kiosk.Agent{Identity: agent, Relation: "child"}
	item := toWire(sub, nil)
	if item.ReaderSAM != testSAM || item.Agent == nil || item.Agent.IDNo != agent.Number {
		t.Fatalf("代办 on the wire: reader %q, agent %+v", item.ReaderSAM, item.Agent)
	}
	c := newClient(t, bo.URL, newFakeQueue(sub), kiosk.SystemClock{})
	if st, err := c.SyncOnce(context.Background()); err != nil || st.Acknowledged != 1 || st.Quarantined != 0 {
		t.Fatalf("代办 read by an allow-listed reader: %+v, %v; want 1 acknowledged", st, err)
	}
}
