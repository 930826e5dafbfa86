package flow_test

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// cardIDs is a back office that vouches for card reads when the test
// says: each IdentifyCard is handed to the test (next) and waits for its
// own answer, however long, like a server that answers late.
type cardIDs struct {
	calls chan *cardCall
	done  chan struct{} // an IdentifyCard effect has run, its answer dispatched
}

type cardCall struct {
	who   kiosk.Identity
	reply chan cardAnswer
}

type cardAnswer struct {
	event string
	err   error
}

func newCardIDs() *cardIDs {
	return &cardIDs{calls: make(chan *cardCall, 8), done: make(chan struct{}, 8)}
}

func (c *cardIDs) IdentifyCard(_ context.Context, who kiosk.Identity) (string, error) {
	call := &cardCall{who: who, reply: make(chan cardAnswer, 1)}
	c.calls <- call
	a := <-call.reply
	return a.event, a.err
}

// next is the next card the session asked the back office about.
func (c *cardIDs) next(t *testing.T) *cardCall {
	t.Helper()
	select {
	case call := <-c.calls:
		return call
	case <-time.After(5 * time.Second):
		t.Fatal("the back office was never asked to vouch for the card")
		return nil
	}
}

// none checks that the back office was not asked.
func (c *cardIDs) none(t *testing.T, what string) {
	t.Helper()
	select {
	case call := <-c.calls:
		t.Errorf("%s: the back office was asked about %s", what, call.who.MaskedNumber())
	default:
	}
}

var (
	errBackOfficeDown = &kiosk.Error{Op: "test", Kind: kiosk.KindTransient, Message: kiosk.Msg("identify.card_unverified")}
	errReaderUnknown  = &kiosk.Error{Op: "test", Kind: kiosk.KindInvalid, Message: kiosk.Msg("identify.reader_unknown")}
)

func newCardHarness(t *testing.T) (*deptHarness, *cardIDs) {
	ids := newCardIDs()
	h := newDeptHarness(t, func(d *flow.Deps) {
		d.CardIdentifier = ids
		d.Driver = func(e flow.Effect) {
			go func() {
				e.Run() // its event, if any, is dispatched before Run returns
				if e.Kind == flow.EffectIdentifyCard {
					ids.done <- struct{}{}
				}
			}()
		}
	})
	return h, ids
}

// TestCardVouchedInBackground: the card screen never waits for the back
// office: the items come at once while it is asked; meanwhile the query
// and the document are greyed with 正在核对; once it vouches they are
// offered on the screen already up, and the query carries its event.
func TestCardVouchedInBackground(t *testing.T) {
	h, ids := newCardHarness(t)
	h.identify(t, kiosktest.Elder()) // reaches the items with no answer yet
	h.s.SelectItem(kiosktest.PensionItem.Code)
	checking := kiosk.Msg("identify.card_checking")
	if h.s.CanQuery() || h.s.View().Notice != checking {
		t.Fatalf("before the answer: can query %v, notice %q", h.s.CanQuery(), h.s.View().Notice.ID)
	}
	ids.next(t).reply <- cardAnswer{event: "ev-card-1"}
	h.until(t, "the query offered", func(flow.View) bool { return h.s.CanQuery() })
	if n := h.s.View().Notice; !n.IsZero() {
		t.Errorf("the screen still says %q", n.ID)
	}
	h.s.RunQuery()
	h.until(t, "the result shown", func(v flow.View) bool { return v.Phase == flow.PhaseShown })
	if who := h.dept.Who; len(who) != 1 || who[0].Verification != "ev-card-1" || who[0].Number != kiosktest.Elder().Number {
		t.Errorf("the department was asked for %+v", who)
	}
	ids.none(t, "after the answer")
}

// TestCardUnverifiedThenNextVisit: the back office cannot be reached at
// the first card read, nor at the second: each visit goes on, the query
// and the document greyed with the reason while the application is still
// offered; at the third card read it answers, and the query works.
func TestCardUnverifiedThenNextVisit(t *testing.T) {
	h, ids := newCardHarness(t)
	unverified := kiosk.Msg("identify.card_unverified")
	for visit := 1; visit <= 2; visit++ {
		h.identify(t, kiosktest.Elder())
		ids.next(t).reply <- cardAnswer{err: errBackOfficeDown}
		h.s.SelectItem(kiosktest.PensionItem.Code)
		h.waitNotice(t, unverified)
		if h.s.CanQuery() {
			t.Fatalf("visit %d: the query offered without the back office's word", visit)
		}
		h.s.RunQuery()
		if st := h.s.View().State; st != flow.ItemDetail {
			t.Fatalf("visit %d: a greyed query ran: %v", visit, st)
		}
		h.s.Back()
		h.s.SelectItem(kiosktest.RegisterItem.Code)
		if h.s.CanIssue() || h.s.View().Notice != unverified {
			t.Errorf("visit %d: document: can %v, notice %q", visit, h.s.CanIssue(), h.s.View().Notice.ID)
		}
		h.s.Back()
		h.s.SelectItem(allowance.Code)
		if !h.s.CanApply() {
			t.Errorf("visit %d: the application is held up: %q", visit, h.s.View().Notice.ID)
		}
		h.s.End()
		h.wait(t, flow.Attract)
		h.s.CardPresence(false)
	}
	if h.dept.Calls != 0 {
		t.Errorf("%d calls to the departments without an identification", h.dept.Calls)
	}
	h.identify(t, kiosktest.Elder())
	ids.next(t).reply <- cardAnswer{event: "ev-card-3"}
	h.s.SelectItem(kiosktest.PensionItem.Code)
	h.until(t, "the query offered", func(flow.View) bool { return h.s.CanQuery() })
	h.s.RunQuery()
	h.until(t, "the result shown", func(v flow.View) bool { return v.Phase == flow.PhaseShown })
	if who := h.dept.Who; len(who) != 1 || who[0].Verification != "ev-card-3" {
		t.Errorf("the department was asked for %+v", who)
	}
}

// TestCardReaderUnknownGreyed: a reader the back office does not know
// greys the query with its own reason, and a late answer of an earlier
// visit never vouches for the next resident.
func TestCardReaderUnknownGreyed(t *testing.T) {
	h, ids := newCardHarness(t)
	h.identify(t, kiosktest.Elder())
	stale := ids.next(t)
	h.s.End() // the visit ends before the back office answers
	h.wait(t, flow.Attract)
	h.s.CardPresence(false)
	h.identify(t, kiosktest.Elder())
	current := ids.next(t)
	stale.reply <- cardAnswer{event: "ev-of-the-ended-visit"} // arrives late, in the next visit
	<-ids.done
	h.s.SelectItem(kiosktest.PensionItem.Code)
	if h.s.CanQuery() || h.s.View().Notice != kiosk.Msg("identify.card_checking") {
		t.Fatalf("an answer of the ended visit vouched for this one: can query %v, notice %q", h.s.CanQuery(), h.s.View().Notice.ID)
	}
	current.reply <- cardAnswer{err: errReaderUnknown}
	h.waitNotice(t, kiosk.Msg("identify.reader_unknown"))
	if h.s.CanQuery() {
		t.Error("the query offered with an unknown reader")
	}
}

// TestSuishenmaNotAskedAsCard: a verified 随申码 is not a card read: the
// back office is not asked again, and its query is offered at once.
func TestSuishenmaNotAskedAsCard(t *testing.T) {
	h, ids := newCardHarness(t)
	h.identify(t, verifiedSSM)
	h.s.SelectItem(kiosktest.PensionItem.Code)
	if !h.s.CanQuery() {
		t.Fatalf("a verified 随申码's query: %q", h.s.View().Notice.ID)
	}
	ids.none(t, "a verified 随申码")
}

// TestCardReaderUnknownStopsApplication: the back office would refuse
// the submission of a card read by a reader it does not know, so the
// session never says 已受理 for it: the refusal arrives while the resident
// is on the review, and 确认 is refused with the reason, before signing,
// then the item screen refuses the application too; nothing is queued.
// An outage, by contrast, holds up nothing (TestCardUnverifiedThenNextVisit).
func TestCardReaderUnknownStopsApplication(t *testing.T) {
	h, ids := newCardHarness(t)
	unknown := kiosk.Msg("identify.reader_unknown")
	h.identify(t, kiosktest.Elder())
	call := ids.next(t)
	h.s.SelectItem(allowance.Code)
	if !h.s.CanApply() {
		t.Fatalf("the application held up while the back office is asked: %q", h.s.View().Notice.ID)
	}
	h.s.Apply()
	h.wait(t, flow.FormPage)
	h.s.SetAnswer("phone", "13800138000")
	h.s.Next()
	h.wait(t, flow.Review)
	h.s.SetConsent(true)
	call.reply <- cardAnswer{err: errReaderUnknown}
	<-ids.done
	h.s.Confirm()
	if v := h.s.View(); v.State != flow.Review || v.Notice != unknown {
		t.Fatalf("确认 with an unknown reader: state %v, notice %q", v.State, v.Notice.ID)
	}
	h.s.Back()
	h.s.Back()
	h.s.Back()
	h.s.SelectItem(allowance.Code)
	if h.s.CanApply() || h.s.View().Notice != unknown {
		t.Errorf("the item screen after the refusal: can apply %v, notice %q", h.s.CanApply(), h.s.View().Notice.ID)
	}
	if n := len(h.queue.Submissions()); n != 0 {
		t.Errorf("%d submissions queued", n)
	}
}
