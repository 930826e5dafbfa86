package console

import (
	"context"
	"time"

	"github.com/tongban/tongban/backoffice/store"
)

// Store is what the console needs from the back office's database;
// *store.DB has it all.
type Store interface {
	CreateUser(ctx context.Context, u store.User) error
	User(ctx context.Context, username string) (store.User, error)
	Users(ctx context.Context, center string) ([]store.User, error)
	LoginFailed(ctx context.Context, username string, limit int, lockFor time.Duration, now time.Time) (int, time.Time, error)
	LoginSucceeded(ctx context.Context, username string) error
	SetLock(ctx context.Context, username string, until time.Time) error
	EndSessionsOf(ctx context.Context, username string, now time.Time) error
	CreateSession(ctx context.Context, s store.Session) error
	Session(ctx context.Context, tokenHash string) (store.Session, error)
	TouchSession(ctx context.Context, tokenHash string, now time.Time) error
	EndSession(ctx context.Context, tokenHash string, now time.Time) error
	AppendAudit(ctx context.Context, e store.AuditEntry) error
	AuditLog(ctx context.Context, before int64, limit int) ([]store.AuditEntry, error)

	ListSubmissions(ctx context.Context, f store.SubmissionFilter) ([]store.Submission, error)
	SubmissionByReceipt(ctx context.Context, receipt string) (store.Submission, error)
	SetSubmissionState(ctx context.Context, receipt, from, to, reasonZH, reasonEN, by string, at time.Time) error
	Parts(ctx context.Context, terminal, clientID string) ([]store.Part, error)
	SetPartState(ctx context.Context, receipt string, no int, from, to, reasonZH, reasonEN, by string, at time.Time) error
	SubmissionCounts(ctx context.Context, center, by string, from, to time.Time) ([]store.Count, error)

	Tickets(ctx context.Context, center, day string) ([]store.Ticket, error)
	CallNext(ctx context.Context, center, day, service, counter string, now time.Time) (store.Ticket, error)
	SetTicket(ctx context.Context, center, day, service string, seq int, action, counter string, now time.Time) (store.Ticket, error)
	Called(ctx context.Context, center, day string, limit int) ([]store.Ticket, error)

	Fleet(ctx context.Context) ([]store.FleetRow, error)
	Terminal(ctx context.Context, id string) (store.Terminal, error)
	RevokeTerminal(ctx context.Context, id string, now time.Time) error
	ListAlarms(ctx context.Context, state string, limit int) ([]store.Alarm, error)
	AckAlarm(ctx context.Context, id int64, user string, now time.Time) error
	ResolveAlarm(ctx context.Context, id int64, user string, now time.Time) error
	RaiseAlarmOnce(ctx context.Context, a store.Alarm) (bool, error)
	ResolveAlarmsOf(ctx context.Context, terminal, kind, user string, now time.Time) (int, error)

	LatestBundle(ctx context.Context, kind string) (store.Bundle, error)

	CenterAppointments(ctx context.Context, center string, from, to time.Time) ([]store.Appointment, error)
	MarkVisit(ctx context.Context, id, visit string) error
	// Places and their slots and appointments (appointments.go).
	Places(ctx context.Context, district string) ([]store.Place, error)
	BookablePlaces(ctx context.Context, center, kind string) ([]store.Place, error)
	PlaceAppointments(ctx context.Context, place string, from, to time.Time) ([]store.Appointment, error)
	PlaceSlots(ctx context.Context, place, item string, from, to time.Time) ([]store.Slot, error)
	PutSlot(ctx context.Context, s store.Slot) error
	SetPlaceClosed(ctx context.Context, id string, closed bool) error
	Appointment(ctx context.Context, id string) (store.Appointment, error)
	Availability(ctx context.Context, from, to time.Time) ([]store.Availability, error)
}

var _ Store = (*store.DB)(nil)
