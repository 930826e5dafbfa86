package technician

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/provision"
)

// QueuedError refuses a reset while submissions have not reached the back
// office: a reset never discards one.
type QueuedError struct {
	Waiting     int // pending or being sent
	Quarantined int // refused by the back office, waiting for staff
	Stranded    int // in damaged queue files moved aside
}

// Total is every submission that keeps the terminal from being reset.
func (e QueuedError) Total() int { return e.Waiting + e.Quarantined + e.Stranded }

func (e QueuedError) Error() string {
	var what []string
	if e.Waiting > 0 {
		what = append(what, fmt.Sprintf("%d waiting to be sent: connect the terminal to the back office and wait until none wait", e.Waiting))
	}
	if e.Quarantined > 0 {
		what = append(what, fmt.Sprintf("%d set aside by the back office: have staff resolve them (staff menu, 重新发送) or the back office console", e.Quarantined))
	}
	if e.Stranded > 0 {
		what = append(what, fmt.Sprintf("%d in a damaged queue file: recover them with kioskctl queue salvage", e.Stranded))
	}
	return fmt.Sprintf("the terminal was not reset: %d submissions have not reached the back office (%s)", e.Total(), strings.Join(what, "; "))
}

// ErrConfirmation is a reset whose typed confirmation is not the phrase.
var ErrConfirmation = errors.New("the typed confirmation does not match: nothing was reset")

// Reset takes a terminal back to its first-boot set-up: its configuration
// and enrolled identity go, its audit trail stays (and records the reset).
type Reset struct {
	DataDir  string
	Terminal string     // the terminal's code, which the confirmation names
	Queue    QueueStats // required: no queue, no reset
	Audit    Auditor
	Actor    string // "technician" or "technician:<who>"
}

// Phrase is what the technician types to confirm.
func (r Reset) Phrase() string { return "RESET " + r.Terminal }

// Check says whether a reset is possible now (a QueuedError when not).
func (r Reset) Check() error {
	if r.Queue == nil {
		return errors.New("the queue cannot be read, so the terminal is not reset")
	}
	st, err := r.Queue.Stats()
	if err != nil {
		return fmt.Errorf("the queue cannot be read (%v), so the terminal is not reset", err)
	}
	if q := (QueuedError{Waiting: st.Pending + st.Sending, Quarantined: st.Quarantined, Stranded: st.Stranded}); q.Total() > 0 {
		return q
	}
	return nil
}

// Run resets the terminal when typed is the phrase and nothing is queued;
// every attempt is recorded.
func (r Reset) Run(typed string) error {
	err := r.run(typed)
	detail := "reset"
	var q QueuedError
	switch {
	case errors.As(err, &q):
		detail = fmt.Sprintf("reset refused: %d submissions not yet at the back office", q.Total())
	case err != nil:
		detail = "reset refused: " + err.Error()
	}
	if aerr := r.record(detail); aerr != nil && err == nil {
		return fmt.Errorf("the terminal was reset, but the audit trail could not record it: %w", aerr)
	}
	return err
}

func (r Reset) run(typed string) error {
	if strings.TrimSpace(typed) != r.Phrase() {
		return ErrConfirmation
	}
	if err := r.Check(); err != nil {
		return err
	}
	// The configuration first: without it the terminal opens the set-up,
	// even if a power cut stops the rest.
	for _, name := range []string{provision.ConfigName, "identity", "setup"} {
		if err := os.RemoveAll(filepath.Join(r.DataDir, name)); err != nil {
			return fmt.Errorf("the reset stopped at %s: %w", name, err)
		}
	}
	return nil
}

func (r Reset) record(detail string) error {
	if r.Audit == nil {
		return nil
	}
	return r.Audit.Append(audit.Event{Kind: audit.TechnicianAction, Actor: r.Actor, Detail: detail})
}
