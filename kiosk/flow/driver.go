package flow

import (
	"context"
	"time"
)

// EffectKind names a piece of work the session hands to its driver.
type EffectKind int

// The session's effects: everything it asks of devices and the back office.
const (
	EffectReadCard     EffectKind = iota // wait for an ID card and read it
	EffectSubmit                         // accept a submission, then print its receipt
	EffectQuery                          // ask for a submission's progress
	EffectTicket                         // take a counter queue number and print it
	EffectSlots                          // list free appointment times
	EffectBook                           // book an appointment and print its slip
	EffectStaffReport                    // gather the staff menu's figures
	EffectStaffAction                    // a staff menu action (reprint, self-test, retry, exit)
	EffectIdentify                       // have the back office verify a scanned 随申码
	EffectDepartment                     // ask a department's service for the item's query
	EffectDocument                       // have the back office issue a document and send it to the A4 printer
	EffectA4                             // follow an A4 job until it has printed
	EffectPrintResult                    // print a query result on the receipt printer
	EffectIdentifyCard                   // have the back office vouch for the card just read
)

var effectNames = [...]string{"read-card", "submit", "query", "ticket", "slots", "book", "staff-report", "staff-action", "identify", "department", "document", "a4", "print-result", "identify-card"}

func (k EffectKind) String() string {
	if int(k) < len(effectNames) {
		return effectNames[k]
	}
	return "unknown"
}

// Effect is one piece of work of one visit. Run does the work under Ctx
// and reports the result back to the session as an event tagged with the
// visit and the screen it was started from; a result that comes back after
// the visit ended or the screen changed is dropped. Ctx ends when the visit
// ends, when the work is superseded (a new card read), or at the kind's
// deadline (see Deadlines).
type Effect struct {
	Kind  EffectKind
	Visit uint64
	Ctx   context.Context
	Run   func()
}

// Driver runs the session's effects. It is called with the session's lock
// held, so it must not run the effect on the caller's goroutine; the
// default starts a goroutine for each.
type Driver func(Effect)

func goDriver(e Effect) { go e.Run() }

// Deadlines bounds each kind of effect; zero means until the visit ends or
// the work is superseded (waiting for a card).
var Deadlines = map[EffectKind]time.Duration{
	EffectSubmit:       90 * time.Second,
	EffectQuery:        5 * time.Second,
	EffectTicket:       10 * time.Second,
	EffectSlots:        10 * time.Second,
	EffectBook:         10 * time.Second,
	EffectStaffReport:  5 * time.Second,
	EffectStaffAction:  30 * time.Second,
	EffectIdentify:     10 * time.Second,
	EffectDepartment:   15 * time.Second,
	EffectDocument:     30 * time.Second,
	EffectA4:           3 * time.Minute,
	EffectPrintResult:  30 * time.Second,
	EffectIdentifyCard: 10 * time.Second,
}

// tag names the visit and the screen a result belongs to.
type tag struct{ visit, gen uint64 }
