package flow

import (
	"strings"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/idnumber"
)

// The done screen tells the truth (issue 20, item 6): 已受理 only for a
// submission that is durable in the queue and whose data the back office
// can accept. An identity the back office would refuse is stopped here,
// before the resident fills and signs anything, in plain words that say
// what to do now; a refusal that arrives while the done screen is still up
// replaces 已受理 on it.

// identityWhy is why the visit's identity cannot carry an application (the
// zero Text when it can): a 随申码 that was not turned into a verified
// identity (a resident ID number and a name) by the back office, or any
// identity without a name.
func identityWhy(who kiosk.Identity) kiosk.Text {
	if !who.Present() {
		return kiosk.Text{}
	}
	named := strings.TrimSpace(who.Name) != "" || strings.TrimSpace(who.NameEN) != ""
	if who.Card == kiosk.CardSuishenma {
		if _, err := idnumber.ParseCitizen(who.Number); err != nil || !named {
			return kiosk.Msg("submit.suishenma_unverified")
		}
		return kiosk.Text{}
	}
	if !named {
		return kiosk.Msg("submit.identity_incomplete")
	}
	return kiosk.Text{}
}

// submissionRejected takes the back office's refusal of a submission of
// this terminal, named by its local receipt number: when it is the one on
// the done screen, the screen says so instead of 已受理.
func (m *machine) submissionRejected(localReceipt string) {
	if m.state != Done || m.v.receipt == nil || localReceipt == "" || m.v.receipt.LocalReceipt != localReceipt {
		return
	}
	m.v.rejected = true // the done screen says 未受理 and why, in its own words
	m.notice = kiosk.Text{}
	m.emit(logLine{warn: true, msg: "submission refused while its done screen was up", args: []any{"receipt", localReceipt}})
}

// SubmissionRejected tells the session that the back office refused the
// content of the submission with local receipt number localReceipt (it is
// quarantined for staff). The terminal calls it from the queue's
// quarantine; the done screen, while it still shows that receipt, stops
// saying 已受理.
func (s *Session) SubmissionRejected(localReceipt string) {
	s.dispatch(evRejected{localReceipt})
}
