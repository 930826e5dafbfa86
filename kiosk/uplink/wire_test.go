package uplink

import (
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// TestWireSendsOnlyQueuedIdentity: the offline queue keeps only
// Identity.Sent() of the applicant (issue 19 item 3). The wire item made
// from that must equal the one made from the whole card read, or the
// queue would be dropping a field the back office needs. A field added to
// the applicant block without adding it to Identity.Sent fails here; the
// reader's SAM ID and a 代办 agent are sent, so they are queued too.
func TestWireSendsOnlyQueuedIdentity(t *testing.T) {
	now := time.Date(2026, 7, 1, 10, 0, 0, 0, kiosk.Shanghai)
	for i, card := range []kiosk.CardType{kiosk.CardResident, kiosk.CardForeignPR2023, kiosk.CardSuishenma} {
		full := kiosktest.Submission(i, "01900000-0000-7000-8000-00000000000"+string(rune('1'+i)), "T01-20260701-0001", "T01", now)
		full.Applicant.Card = card
		full.Applicant.NameEN = "CESHI"
		full.Applicant.ValidUntil = now.AddDate(10, 0, 0)
		full.Applicant.Verification = "ident-test-1"
		full.Applicant.ReaderSAM = "05.01-20240101-0000000042-0000000007"
		if i == 1 {
			agent := kiosktest.Submission(9, "", "", "T01", now).Applicant
			agent.ReaderSAM, agent.Verification = "05.01-20240101-0000000042-0000000009", "ident-test-2"
			full.Agent = &kiosk.Agent{Identity: agent, Relation: "child"}
		}
		queued := full.Sent()
		if queued.Applicant.Address != "" || (queued.Agent != nil && queued.Agent.Identity.Address != "") {
			t.Fatal("Sent kept an address")
		}
		a, b := toWire(full, nil), toWire(queued, nil)
		if !reflect.DeepEqual(a, b) {
			a.Signature, b.Signature = nil, nil // long, and the same
			t.Errorf("%s: the wire item from the queued identity differs from the card's:\n full   %+v agent %+v\n queued %+v agent %+v", card, a, a.Agent, b, b.Agent)
		}
	}
}
