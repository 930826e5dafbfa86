package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ErrQueueEmpty is returned by CallNext when no ticket is waiting.
var ErrQueueEmpty = errors.New("store: no ticket is waiting")

const ticketCols = `SELECT center, service, day, seq, issued_at, state, counter, called_at, calls, done_at FROM tickets `

func scanTicket(row interface{ Scan(...any) error }) (Ticket, error) {
	var t Ticket
	var issued, called, done int64
	if err := row.Scan(&t.Center, &t.Service, &t.Day, &t.Seq, &issued, &t.State, &t.Counter, &called, &t.Calls, &done); err != nil {
		return Ticket{}, notFound(err)
	}
	t.IssuedAt, t.CalledAt, t.DoneAt = fromMicros(issued), fromMicros(called), fromMicros(done)
	return t, nil
}

// Tickets lists a center's tickets of a day (YYYY-MM-DD), in issue order.
func (s *DB) Tickets(ctx context.Context, center, day string) ([]Ticket, error) {
	rows, err := s.db.QueryContext(ctx, ticketCols+`WHERE center = $1 AND day = $2 ORDER BY issued_at, service, seq`, center, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CallNext calls the longest-waiting ticket of the center's day (of service,
// when not "") to counter. Of two counters calling at once, each gets a
// different ticket.
func (s *DB) CallNext(ctx context.Context, center, day, service, counter string, now time.Time) (Ticket, error) {
	var t Ticket
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for range 5 {
			next, err := scanTicket(tx.QueryRowContext(ctx, ticketCols+`WHERE center = $1 AND day = $2 AND state = $3
				AND ($4 = '' OR service = $4) ORDER BY issued_at, seq LIMIT 1`, center, day, TicketWaiting, service))
			if errors.Is(err, ErrNotFound) {
				return ErrQueueEmpty
			}
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE tickets SET state = $1, counter = $2, called_at = $3, calls = calls + 1
				WHERE center = $4 AND day = $5 AND service = $6 AND seq = $7 AND state = $8`,
				TicketCalled, counter, micros(now), center, day, next.Service, next.Seq, TicketWaiting)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				next.State, next.Counter, next.CalledAt, next.Calls = TicketCalled, counter, now, next.Calls+1
				t = next
				return nil
			}
		}
		return ErrQueueEmpty
	})
	return t, err
}

// SetTicket moves a ticket: "recall" calls it again (to counter), "skip"
// and "serve" end it. A ticket that was not called cannot be served.
func (s *DB) SetTicket(ctx context.Context, center, day, service string, seq int, action, counter string, now time.Time) (Ticket, error) {
	key := []any{center, day, service, seq}
	var q string
	var args []any
	switch action {
	case "recall":
		q, args = `UPDATE tickets SET state = $5, counter = $6, called_at = $7, calls = calls + 1
			WHERE center = $1 AND day = $2 AND service = $3 AND seq = $4 AND state IN ('called', 'skipped')`,
			append(key, TicketCalled, counter, micros(now))
	case "skip":
		q, args = `UPDATE tickets SET state = $5, done_at = $6 WHERE center = $1 AND day = $2 AND service = $3 AND seq = $4
			AND state IN ('called', 'waiting')`, append(key, TicketSkipped, micros(now))
	case "serve":
		q, args = `UPDATE tickets SET state = $5, done_at = $6 WHERE center = $1 AND day = $2 AND service = $3 AND seq = $4
			AND state = 'called'`, append(key, TicketServed, micros(now))
	default:
		return Ticket{}, ErrBadTransition
	}
	res, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return Ticket{}, err
	}
	t, err := scanTicket(s.db.QueryRowContext(ctx, ticketCols+`WHERE center = $1 AND day = $2 AND service = $3 AND seq = $4`, center, day, service, seq))
	if err != nil {
		return Ticket{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return t, ErrBadTransition
	}
	return t, nil
}

// Called lists the center's day's tickets called so far, latest call first
// (the hall display), at most limit.
func (s *DB) Called(ctx context.Context, center, day string, limit int) ([]Ticket, error) {
	rows, err := s.db.QueryContext(ctx, ticketCols+`WHERE center = $1 AND day = $2 AND called_at > 0
		ORDER BY called_at DESC LIMIT $3`, center, day, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ShanghaiDay is the date in Shanghai of t, as the ticket tables key it.
func ShanghaiDay(t time.Time) string { return t.In(shanghai).Format("2006-01-02") }
