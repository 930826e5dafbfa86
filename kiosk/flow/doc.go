// Package flow holds the resident session: a state machine whose
// transitions are one function, machine.step, of (machine, event) →
// (machine, effects). Transitions touch no clock, device, goroutine or
// lock; they are table-tested as such (machine_test.go).
//
// Everything personal of a visit lives in one value (visitData) and is
// wiped in one place (machine.end). Each state's timer comes from one
// table (timeouts in timing.go). The Session runs the effects: timers on
// the injected clock, audit records, log lines, and the work the session
// asks of devices and the back office (card reads, submissions, prints,
// queries, tickets, appointment slots and bookings, staff actions), handed
// to one Driver as Effects under a context of the visit that ending the
// visit cancels, with a deadline per kind (Deadlines). Work reports back
// as events tagged with its visit and screen (or card read), and stale
// results are dropped. The Session's methods are the public event API the
// screens use. The package imports no UI, storage or network package.
//
// Items whose action is query or print reach the departments' services
// through Deps.Departments (departments.go): the Result state shows a
// query's answer, masked in the view, the Document state follows a
// document from the back office to the A4 printer (Deps.A4). Both are
// greyed on the item screen unless the center connected them
// (Deps.Connected); the answer is wiped with the visit or when the card
// is lifted, and a PDF never reaches the machine.
package flow
