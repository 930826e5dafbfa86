package store

import (
	"context"
	"database/sql"
	"time"
)

// NextTicket issues the next counter number of a service at a center for
// the day (in Shanghai) and queues it for the counters. Waiting counts the
// tickets of that service still waiting before it.
func (s *DB) NextTicket(ctx context.Context, center, service string, now time.Time) (Ticket, error) {
	day := now.In(shanghai).Format("2006-01-02")
	var t Ticket
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var last int
		if err := tx.QueryRowContext(ctx, `INSERT INTO ticket_counters (center, service, day, last) VALUES ($1, $2, $3, 1)
		ON CONFLICT (center, service, day) DO UPDATE SET last = ticket_counters.last + 1
		RETURNING last`, center, service, day).Scan(&last); err != nil {
			return err
		}
		var waiting int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE center = $1 AND day = $2 AND service = $3 AND state = $4`,
			center, day, service, TicketWaiting).Scan(&waiting); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO tickets (center, service, day, seq, issued_at, state) VALUES ($1, $2, $3, $4, $5, $6)`,
			center, service, day, last, micros(now), TicketWaiting); err != nil {
			return err
		}
		t = Ticket{Center: center, Service: service, Seq: last, Waiting: waiting, IssuedAt: now, Day: day, State: TicketWaiting}
		return nil
	})
	return t, err
}

// PutSlot creates or replaces an appointment slot (its booked count is
// kept). A slot without a place is at its center's own counters; without
// an item it is kept for any item of that place.
func (s *DB) PutSlot(ctx context.Context, sl Slot) error {
	if sl.Place == "" {
		sl.Place = sl.Center
	}
	if sl.Place == "" || sl.Capacity < 0 {
		return ErrBadPlace
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO slots (id, center, service, start_at, capacity, place, item) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET center = excluded.center, service = excluded.service,
			start_at = excluded.start_at, capacity = excluded.capacity, place = excluded.place, item = excluded.item`,
		sl.ID, sl.Center, sl.Service, micros(sl.Start), sl.Capacity, sl.Place, sl.Item)
	return err
}

// Slots lists a center's slots starting in [from, to), earliest first.
func (s *DB) Slots(ctx context.Context, center string, from, to time.Time) ([]Slot, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, service, start_at, capacity, booked, place, item FROM slots
		WHERE center = $1 AND start_at >= $2 AND start_at < $3 ORDER BY start_at, id`, center, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Slot
	for rows.Next() {
		sl := Slot{Center: center}
		var start int64
		if err := rows.Scan(&sl.ID, &sl.Service, &start, &sl.Capacity, &sl.Booked, &sl.Place, &sl.Item); err != nil {
			return nil, err
		}
		sl.Start = fromMicros(start)
		out = append(out, sl)
	}
	return out, rows.Err()
}

func slotTx(ctx context.Context, tx *sql.Tx, id string) (Slot, error) {
	sl := Slot{ID: id}
	var start int64
	err := tx.QueryRowContext(ctx, `SELECT center, service, start_at, capacity, booked, place, item FROM slots WHERE id = $1`, id).
		Scan(&sl.Center, &sl.Service, &start, &sl.Capacity, &sl.Booked, &sl.Place, &sl.Item)
	if err != nil {
		return Slot{}, notFound(err)
	}
	sl.Start = fromMicros(start)
	return sl, nil
}

// Book takes one place of a slot, atomically: ErrSlotFull when none is
// left, ErrPlaceClosed when its place is closed. With a.Center set (the
// booking terminal's center; a.Slot.Center as before places), only a slot
// that center may book is booked: at its own counters, or at a place of
// another kind in its district; any other slot is ErrNotFound. A slot kept
// for another item is ErrNotFound too. a.Answers are sealed at rest when
// the store seals.
func (s *DB) Book(ctx context.Context, a Appointment) (Appointment, error) {
	if a.Center == "" {
		a.Center = a.Slot.Center
	}
	scope := a.Center
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		sl, err := slotTx(ctx, tx, a.SlotID)
		if err != nil {
			return err
		}
		if sl.Item != "" && sl.Item != a.ItemCode {
			return ErrNotFound
		}
		if err := mayBook(ctx, tx, scope, sl, a.PartnerHash); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity`, a.SlotID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrSlotFull
		}
		if a.Center == "" {
			a.Center = sl.Center
		}
		answers, sealed := a.Answers, 0
		if s.seal != nil && answers != nil {
			if answers, err = s.seal.sealValue(PurposeAppointment, a.Center, a.ID, a.Answers); err != nil {
				return err
			}
			sealed = 1
		}
		a.State = AppointmentBooked
		if _, err := tx.ExecContext(ctx, `INSERT INTO appointments (id, slot_id, item_code, holder_hash, state, created_at, center, partner_hash, answers, answers_sealed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, a.ID, a.SlotID, a.ItemCode, a.HolderHash, a.State, micros(a.CreatedAt),
			a.Center, a.PartnerHash, answers, sealed); err != nil {
			return err
		}
		a.Slot, err = slotTx(ctx, tx, a.SlotID)
		return err
	})
	if err != nil {
		return Appointment{}, err
	}
	return a, nil
}

func appointmentTx(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string) (Appointment, error) {
	a := Appointment{ID: id}
	var created, start int64
	err := q.QueryRowContext(ctx, `SELECT a.slot_id, a.item_code, a.holder_hash, a.state, a.created_at, a.visit, a.center, a.partner_hash,
			s.center, s.service, s.start_at, s.capacity, s.booked, s.place, s.item
		FROM appointments a JOIN slots s ON s.id = a.slot_id WHERE a.id = $1`, id).
		Scan(&a.SlotID, &a.ItemCode, &a.HolderHash, &a.State, &created, &a.Visit, &a.Center, &a.PartnerHash,
			&a.Slot.Center, &a.Slot.Service, &start, &a.Slot.Capacity, &a.Slot.Booked, &a.Slot.Place, &a.Slot.Item)
	if err != nil {
		return Appointment{}, notFound(err)
	}
	a.CreatedAt, a.Slot.ID, a.Slot.Start = fromMicros(created), a.SlotID, fromMicros(start)
	return a, nil
}

// Appointment returns an appointment with its slot (without its answers:
// AppointmentAnswers).
func (s *DB) Appointment(ctx context.Context, id string) (Appointment, error) {
	return appointmentTx(ctx, s.db, id)
}

// AppointmentAnswers returns the form's answers sent with a booking, as
// given (nil: none); ErrSealed when they are sealed and this store cannot
// open them.
func (s *DB) AppointmentAnswers(ctx context.Context, id string) ([]byte, error) {
	var data []byte
	var sealed int
	var center string
	if err := s.db.QueryRowContext(ctx, `SELECT answers, answers_sealed, center FROM appointments WHERE id = $1`, id).
		Scan(&data, &sealed, &center); err != nil {
		return nil, notFound(err)
	}
	if sealed == 1 {
		return s.seal.openValue(PurposeAppointment, center, id, data)
	}
	return data, nil
}

// CancelAppointment cancels a booked appointment and frees its place.
func (s *DB) CancelAppointment(ctx context.Context, id string, now time.Time) (Appointment, error) {
	var a Appointment
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE appointments SET state = $2 WHERE id = $1 AND state = $3`,
			id, AppointmentCancelled, AppointmentBooked)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if _, err := appointmentTx(ctx, tx, id); err != nil {
				return err
			}
			return ErrAlreadyCancelled
		}
		if _, err := tx.ExecContext(ctx, `UPDATE slots SET booked = booked - 1
			WHERE id = (SELECT slot_id FROM appointments WHERE id = $1)`, id); err != nil {
			return err
		}
		a, err = appointmentTx(ctx, tx, id)
		return err
	})
	return a, err
}

// PutLicence adds or replaces an e-licence.
func (s *DB) PutLicence(ctx context.Context, l Licence) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO licences (cert_uuid, holder_type, holder_hash, cat_main, name, issuer, valid_start, valid_end)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (cert_uuid) DO UPDATE SET holder_type = excluded.holder_type, holder_hash = excluded.holder_hash,
			cat_main = excluded.cat_main, name = excluded.name, issuer = excluded.issuer,
			valid_start = excluded.valid_start, valid_end = excluded.valid_end`,
		l.CertUUID, l.HolderType, l.HolderHash, l.CatMain, l.Name, l.Issuer, l.ValidStart, l.ValidEnd)
	return err
}

// Licences lists a holder's e-licences by holder type and keyed hash.
func (s *DB) Licences(ctx context.Context, holderType, holderHash string) ([]Licence, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT cert_uuid, cat_main, name, issuer, valid_start, valid_end FROM licences
		WHERE holder_type = $1 AND holder_hash = $2 ORDER BY cat_main, cert_uuid`, holderType, holderHash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Licence
	for rows.Next() {
		l := Licence{HolderType: holderType, HolderHash: holderHash}
		if err := rows.Scan(&l.CertUUID, &l.CatMain, &l.Name, &l.Issuer, &l.ValidStart, &l.ValidEnd); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
