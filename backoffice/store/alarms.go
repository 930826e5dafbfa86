package store

import (
	"context"
	"time"
)

// ListAlarms lists alarms newest first: of one state when state is not ""
// (open, acknowledged, resolved), at most limit.
func (s *DB) ListAlarms(ctx context.Context, state string, limit int) ([]Alarm, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, terminal, kind, device, detail, raised_at, received_at, state,
		acked_by, acked_at, resolved_by, resolved_at FROM alarms WHERE $1 = '' OR state = $1 ORDER BY id DESC LIMIT $2`, state, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Alarm
	for rows.Next() {
		var a Alarm
		var raised, received, acked, resolved int64
		if err := rows.Scan(&a.ID, &a.Terminal, &a.Kind, &a.Device, &a.Detail, &raised, &received, &a.State,
			&a.AckedBy, &acked, &a.ResolvedBy, &resolved); err != nil {
			return nil, err
		}
		a.RaisedAt, a.ReceivedAt, a.AckedAt, a.ResolvedAt = fromMicros(raised), fromMicros(received), fromMicros(acked), fromMicros(resolved)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AckAlarm marks an open alarm acknowledged by user; ResolveAlarm marks an
// open or acknowledged one resolved. Either fails with ErrBadTransition
// when the alarm is not in a state it can leave.
func (s *DB) AckAlarm(ctx context.Context, id int64, user string, now time.Time) error {
	return s.alarmMove(ctx, `UPDATE alarms SET state = 'acknowledged', acked_by = $2, acked_at = $3 WHERE id = $1 AND state = 'open'`, id, user, now)
}

// ResolveAlarm: see AckAlarm.
func (s *DB) ResolveAlarm(ctx context.Context, id int64, user string, now time.Time) error {
	return s.alarmMove(ctx, `UPDATE alarms SET state = 'resolved', resolved_by = $2, resolved_at = $3 WHERE id = $1 AND state IN ('open', 'acknowledged')`, id, user, now)
}

func (s *DB) alarmMove(ctx context.Context, q string, id int64, user string, now time.Time) error {
	res, err := s.db.ExecContext(ctx, q, id, user, micros(now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrBadTransition
	}
	return nil
}

// ResolveAlarmsOf resolves a terminal's alarms of a kind not yet resolved,
// by user; it returns how many.
func (s *DB) ResolveAlarmsOf(ctx context.Context, terminal, kind, user string, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE alarms SET state = 'resolved', resolved_by = $3, resolved_at = $4
		WHERE terminal = $1 AND kind = $2 AND state <> 'resolved'`, terminal, kind, user, micros(now))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// RaiseAlarmOnce stores an alarm unless the terminal already has one of the
// same kind not yet resolved. It reports whether it raised a new one.
func (s *DB) RaiseAlarmOnce(ctx context.Context, a Alarm) (bool, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO alarms (terminal, kind, device, detail, raised_at, received_at)
		SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS
		(SELECT 1 FROM alarms WHERE terminal = $1 AND kind = $2 AND state <> 'resolved')`,
		a.Terminal, a.Kind, a.Device, a.Detail, micros(a.RaisedAt), micros(a.ReceivedAt))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// CenterAppointments lists the appointments of a center whose slot starts
// in [from, to), earliest first.
func (s *DB) CenterAppointments(ctx context.Context, center string, from, to time.Time) ([]Appointment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.slot_id, a.item_code, a.state, a.created_at, a.visit,
			s.service, s.start_at, s.capacity, s.booked
		FROM appointments a JOIN slots s ON s.id = a.slot_id
		WHERE s.center = $1 AND s.start_at >= $2 AND s.start_at < $3 ORDER BY s.start_at, a.id`, center, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Appointment
	for rows.Next() {
		a := Appointment{Slot: Slot{Center: center}}
		var created, start int64
		if err := rows.Scan(&a.ID, &a.SlotID, &a.ItemCode, &a.State, &created, &a.Visit,
			&a.Slot.Service, &start, &a.Slot.Capacity, &a.Slot.Booked); err != nil {
			return nil, err
		}
		a.CreatedAt, a.Slot.ID, a.Slot.Start = fromMicros(created), a.SlotID, fromMicros(start)
		out = append(out, a)
	}
	return out, rows.Err()
}

// MarkVisit marks a booked appointment arrived or no-show.
func (s *DB) MarkVisit(ctx context.Context, id, visit string) error {
	if visit != VisitArrived && visit != VisitNoShow {
		return ErrBadTransition
	}
	res, err := s.db.ExecContext(ctx, `UPDATE appointments SET visit = $2 WHERE id = $1 AND state = 'booked'`, id, visit)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrBadTransition
	}
	return nil
}
