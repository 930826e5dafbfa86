package flow

import "github.com/tongban/tongban/kiosk"

// Hooks into the session for the model-based test.

// VisitData lists what the session still holds of a visit (empty when
// nothing personal is left).
func VisitData(s *Session) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var held []string
	add := func(on bool, what string) {
		if on {
			held = append(held, what)
		}
	}
	add(s.m.v.who.Present() || s.m.v.who.Name != "" || s.m.v.who.Number != "", "identity")
	add(len(s.m.v.answers) > 0, "answers")
	add(len(s.m.v.prefilled) > 0, "prefilled")
	add(len(s.m.v.signature) > 0, "signature")
	add(s.m.v.item != nil, "item")
	add(s.m.v.receipt != nil, "receipt")
	add(s.m.v.status != nil, "status")
	add(s.m.v.ticket != nil, "ticket")
	add(s.m.v.slots != nil || s.m.v.booked != nil || s.m.v.booking, "appointment")
	add(s.m.v.dept.result != nil || !s.m.v.dept.docTitle.IsZero(), "result")
	add(!s.m.v.queryWhy.IsZero() || !s.m.v.docWhy.IsZero(), "dept reasons")
	add(s.m.v.staffID != "" || s.m.v.staffReport != nil, "staff")
	add(s.m.v.consent || s.m.v.page != 0 || s.m.v.errs != nil, "form state")
	add(!s.m.v.reviewWhy.IsZero() || !s.m.v.eligibleWhy.IsZero() || !s.m.v.gateWhy.IsZero(), "reasons")
	add(s.visitCtx != nil || s.m.inVisit, "visit context")
	return held
}

// IdleArmed reports whether the session holds an idle timer.
func IdleArmed(s *Session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idle != nil
}

// Who returns the identity the session holds.
func Who(s *Session) kiosk.Identity {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m.v.who
}
