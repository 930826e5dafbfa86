package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// migrationPlaces adds the places where appointments are kept (a center's
// counters, a district's marriage registry, a disability assessment
// hospital), the place and item of each slot, and to each appointment the
// center that booked it, the partner's keyed hash and the form's answers
// (sealed at rest when the store seals). Slots before it are at their
// center's own counters, for any item; appointments before it were booked
// by their slot's center.
const migrationPlaces = `CREATE TABLE places (
		id         TEXT PRIMARY KEY,
		kind       TEXT NOT NULL,
		district   TEXT NOT NULL,
		center     TEXT NOT NULL DEFAULT '',
		name_zh    TEXT NOT NULL,
		name_en    TEXT NOT NULL,
		address_zh TEXT NOT NULL,
		address_en TEXT NOT NULL,
		hours      TEXT NOT NULL,
		closed     INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX places_district_kind ON places (district, kind);
	ALTER TABLE slots ADD COLUMN place TEXT NOT NULL DEFAULT '';
	ALTER TABLE slots ADD COLUMN item TEXT NOT NULL DEFAULT '';
	UPDATE slots SET place = center WHERE place = '';
	CREATE INDEX slots_place_start ON slots (place, start_at);
	ALTER TABLE appointments ADD COLUMN center TEXT NOT NULL DEFAULT '';
	ALTER TABLE appointments ADD COLUMN partner_hash TEXT NOT NULL DEFAULT '';
	ALTER TABLE appointments ADD COLUMN answers {{blob}};
	ALTER TABLE appointments ADD COLUMN answers_sealed INTEGER NOT NULL DEFAULT 0;
	UPDATE appointments SET center = (SELECT s.center FROM slots s WHERE s.id = appointments.slot_id) WHERE center = ''`

// Kinds of place an appointment is kept at (the catalog's book_at).
const (
	PlaceCenter             = "center"              // a center's own counters
	PlaceMarriageRegistry   = "marriage-registry"   // a district's 婚姻登记机关
	PlaceAssessmentHospital = "assessment-hospital" // a designated disability assessment hospital
)

// PlaceKinds lists the kinds of place, in the order the console shows them.
func PlaceKinds() []string {
	return []string{PlaceCenter, PlaceMarriageRegistry, PlaceAssessmentHospital}
}

// ValidPlaceKind reports whether k is a kind of place.
func ValidPlaceKind(k string) bool {
	for _, x := range PlaceKinds() {
		if x == k {
			return true
		}
	}
	return false
}

// Place is where appointments are kept: a center's counters (Center is
// that center) or a place of its district that serves every center of
// the district (Center empty).
type Place struct {
	ID       string
	Kind     string // PlaceCenter, PlaceMarriageRegistry, PlaceAssessmentHospital
	District string // e.g. XH
	Center   string // the center, for PlaceCenter
	NameZH   string
	NameEN   string
	AddrZH   string
	AddrEN   string
	Hours    string // opening hours as kiosk.ParseHours reads them
	Closed   bool   // closed for now: its slots are neither listed nor booked
}

// Errors of places.
var (
	ErrPlaceClosed = errors.New("store: the place is closed")
	ErrBadPlace    = errors.New("store: the place is not valid")
	// ErrPartnerNeeded: a marriage registry keeps appointments of two
	// parties; a booking there must name the other.
	ErrPartnerNeeded = errors.New("store: a booking at a marriage registry names the partner")
)

// PutPlace creates or replaces a place (its closed mark included).
func (s *DB) PutPlace(ctx context.Context, p Place) error {
	if p.ID == "" || !ValidPlaceKind(p.Kind) || p.District == "" || (p.Kind == PlaceCenter) != (p.Center != "") {
		return ErrBadPlace
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO places (id, kind, district, center, name_zh, name_en, address_zh, address_en, hours, closed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, district = excluded.district, center = excluded.center,
			name_zh = excluded.name_zh, name_en = excluded.name_en, address_zh = excluded.address_zh,
			address_en = excluded.address_en, hours = excluded.hours, closed = excluded.closed`,
		p.ID, p.Kind, p.District, p.Center, p.NameZH, p.NameEN, p.AddrZH, p.AddrEN, p.Hours, boolInt(p.Closed))
	return err
}

// SetPlaceClosed closes a place (its slots are no longer listed or
// booked; appointments already booked stay) or opens it again.
func (s *DB) SetPlaceClosed(ctx context.Context, id string, closed bool) error {
	res, err := s.db.ExecContext(ctx, `UPDATE places SET closed = $2 WHERE id = $1`, id, boolInt(closed))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrNotFound
	}
	return nil
}

const placeColumns = `id, kind, district, center, name_zh, name_en, address_zh, address_en, hours, closed`

func scanPlace(sc interface{ Scan(...any) error }) (Place, error) {
	var p Place
	var closed int
	err := sc.Scan(&p.ID, &p.Kind, &p.District, &p.Center, &p.NameZH, &p.NameEN, &p.AddrZH, &p.AddrEN, &p.Hours, &closed)
	p.Closed = closed != 0
	return p, err
}

// Place returns a place.
func (s *DB) Place(ctx context.Context, id string) (Place, error) {
	p, err := scanPlace(s.db.QueryRowContext(ctx, `SELECT `+placeColumns+` FROM places WHERE id = $1`, id))
	return p, notFound(err)
}

// Places lists the places of a district ("" : every district), by kind
// then ID.
func (s *DB) Places(ctx context.Context, district string) ([]Place, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+placeColumns+` FROM places
		WHERE $1 = '' OR district = $1 ORDER BY district, kind, id`, district)
	return scanPlaces(rows, err)
}

// scanPlaces reads every place a query found (err: the query's own).
func scanPlaces(rows *sql.Rows, err error) ([]Place, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Place
	for rows.Next() {
		p, err := scanPlace(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// BookablePlaces lists the places of kind where a terminal of center may
// book: for PlaceCenter its own center's counters, for another kind the
// places of that kind in its center's district. A center without a place
// of its own has its counters only, as before places were kept.
func (s *DB) BookablePlaces(ctx context.Context, center, kind string) ([]Place, error) {
	return bookablePlaces(ctx, s.db, center, kind)
}

type queryer interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func bookablePlaces(ctx context.Context, q queryer, center, kind string) ([]Place, error) {
	if kind == "" {
		kind = PlaceCenter
	}
	if !ValidPlaceKind(kind) {
		return nil, ErrBadPlace
	}
	var rows *sql.Rows
	var err error
	if kind == PlaceCenter {
		rows, err = q.QueryContext(ctx, `SELECT `+placeColumns+` FROM places WHERE kind = $1 AND center = $2 ORDER BY id`, kind, center)
	} else {
		rows, err = q.QueryContext(ctx, `SELECT `+placeColumns+` FROM places WHERE kind = $1 AND district IN
			(SELECT district FROM places WHERE kind = $2 AND center = $3) ORDER BY id`, kind, PlaceCenter, center)
	}
	out, err := scanPlaces(rows, err)
	if err != nil {
		return nil, err
	}
	if kind == PlaceCenter && len(out) == 0 {
		// A center without a place row: its counters, unnamed.
		out = append(out, Place{ID: center, Kind: PlaceCenter, Center: center})
	}
	return out, nil
}

// PlaceSlots lists the slots of a place for an item (slots kept for any
// item included) starting in [from, to), earliest first. A closed place
// lists none.
func (s *DB) PlaceSlots(ctx context.Context, place, item string, from, to time.Time) ([]Slot, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, s.center, s.service, s.start_at, s.capacity, s.booked, s.place, s.item FROM slots s
		WHERE s.place = $1 AND (s.item = '' OR s.item = $2 OR $2 = '') AND s.start_at >= $3 AND s.start_at < $4
			AND NOT EXISTS (SELECT 1 FROM places p WHERE p.id = s.place AND p.closed <> 0)
		ORDER BY s.start_at, s.id`, place, item, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Slot
	for rows.Next() {
		var sl Slot
		var start int64
		if err := rows.Scan(&sl.ID, &sl.Center, &sl.Service, &start, &sl.Capacity, &sl.Booked, &sl.Place, &sl.Item); err != nil {
			return nil, err
		}
		sl.Start = fromMicros(start)
		out = append(out, sl)
	}
	return out, rows.Err()
}

// mayBook says why a terminal of center may not book slot sl (nil: it
// may): ErrNotFound when the place is not one it may book at (as if the
// slot did not exist), ErrPlaceClosed when the place is closed,
// ErrPartnerNeeded at a marriage registry without the partner's hash.
func mayBook(ctx context.Context, tx *sql.Tx, center string, sl Slot, partner string) error {
	p, err := scanPlace(tx.QueryRowContext(ctx, `SELECT `+placeColumns+` FROM places WHERE id = $1`, sl.Place))
	if errors.Is(err, sql.ErrNoRows) {
		// A slot at a place without a row: the counters of its center.
		if center != "" && sl.Center != center {
			return ErrNotFound
		}
		return nil
	}
	if err != nil {
		return err
	}
	if center != "" {
		allowed, err := bookablePlaces(ctx, tx, center, p.Kind)
		if err != nil {
			return err
		}
		ok := false
		for _, a := range allowed {
			ok = ok || a.ID == p.ID
		}
		if !ok {
			return ErrNotFound
		}
	}
	if p.Closed {
		return ErrPlaceClosed
	}
	if p.Kind == PlaceMarriageRegistry && partner == "" {
		return ErrPartnerNeeded
	}
	return nil
}

// PlaceAppointments lists the appointments at a place whose slot starts in
// [from, to), earliest first (without their answers).
func (s *DB) PlaceAppointments(ctx context.Context, place string, from, to time.Time) ([]Appointment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.slot_id, a.item_code, a.state, a.created_at, a.visit, a.center,
			s.center, s.service, s.start_at, s.capacity, s.booked, s.place, s.item
		FROM appointments a JOIN slots s ON s.id = a.slot_id
		WHERE s.place = $1 AND s.start_at >= $2 AND s.start_at < $3 ORDER BY s.start_at, a.id`, place, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Appointment
	for rows.Next() {
		var a Appointment
		var created, start int64
		if err := rows.Scan(&a.ID, &a.SlotID, &a.ItemCode, &a.State, &created, &a.Visit, &a.Center,
			&a.Slot.Center, &a.Slot.Service, &start, &a.Slot.Capacity, &a.Slot.Booked, &a.Slot.Place, &a.Slot.Item); err != nil {
			return nil, err
		}
		a.CreatedAt, a.Slot.ID, a.Slot.Start = fromMicros(created), a.SlotID, fromMicros(start)
		out = append(out, a)
	}
	return out, rows.Err()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
