package store

import (
	"context"
	"database/sql"
	"time"
)

// SaveHeartbeat keeps the latest heartbeat of a terminal, and its minute
// for the availability report.
func (s *DB) SaveHeartbeat(ctx context.Context, h Heartbeat) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO heartbeats (terminal, received_at, body) VALUES ($1, $2, $3)
		ON CONFLICT (terminal) DO UPDATE SET received_at = excluded.received_at, body = excluded.body`,
			h.Terminal, micros(h.ReceivedAt), h.Body); err != nil {
			return err
		}
		avail := 0
		if h.Available {
			avail = 1
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO heartbeat_minutes (terminal, minute, available) VALUES ($1, $2, $3)
		ON CONFLICT (terminal, minute) DO UPDATE SET available = excluded.available`,
			h.Terminal, h.ReceivedAt.Unix()/60, avail)
		return err
	})
}

// Availability counts, per terminal and day (Shanghai) in [from, to), the
// minutes with a heartbeat and those among them with every device usable.
func (s *DB) Availability(ctx context.Context, from, to time.Time) ([]Availability, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT terminal, minute, available FROM heartbeat_minutes
		WHERE minute >= $1 AND minute < $2 ORDER BY terminal, minute`, from.Unix()/60, to.Unix()/60)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Availability
	for rows.Next() {
		var terminal string
		var minute int64
		var avail int
		if err := rows.Scan(&terminal, &minute, &avail); err != nil {
			return nil, err
		}
		day := ShanghaiDay(time.Unix(minute*60, 0))
		if n := len(out); n == 0 || out[n-1].Terminal != terminal || out[n-1].Day != day {
			out = append(out, Availability{Terminal: terminal, Day: day})
		}
		out[len(out)-1].Reported++
		out[len(out)-1].Available += avail
	}
	return out, rows.Err()
}

// LatestHeartbeat returns the latest heartbeat of a terminal.
func (s *DB) LatestHeartbeat(ctx context.Context, terminal string) (Heartbeat, error) {
	h := Heartbeat{Terminal: terminal}
	var received int64
	err := s.db.QueryRowContext(ctx, `SELECT received_at, body FROM heartbeats WHERE terminal = $1`, terminal).Scan(&received, &h.Body)
	if err != nil {
		return Heartbeat{}, notFound(err)
	}
	h.ReceivedAt = fromMicros(received)
	return h, nil
}

// SaveAlarm stores an alarm and returns its ID.
func (s *DB) SaveAlarm(ctx context.Context, a Alarm) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO alarms (terminal, kind, device, detail, raised_at, received_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		a.Terminal, a.Kind, a.Device, a.Detail, micros(a.RaisedAt), micros(a.ReceivedAt)).Scan(&id)
	return id, err
}

// Alarms returns a terminal's latest alarms, newest first.
func (s *DB) Alarms(ctx context.Context, terminal string, limit int) ([]Alarm, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, device, detail, raised_at, received_at FROM alarms
		WHERE terminal = $1 ORDER BY id DESC LIMIT $2`, terminal, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Alarm
	for rows.Next() {
		a := Alarm{Terminal: terminal}
		var raised, received int64
		if err := rows.Scan(&a.ID, &a.Kind, &a.Device, &a.Detail, &raised, &received); err != nil {
			return nil, err
		}
		a.RaisedAt, a.ReceivedAt = fromMicros(raised), fromMicros(received)
		out = append(out, a)
	}
	return out, rows.Err()
}

// PutBundle stores a bundle whose version is above every stored one of its kind.
func (s *DB) PutBundle(ctx context.Context, b Bundle) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var have int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM bundles WHERE kind = $1`, b.Kind).Scan(&have); err != nil {
			return err
		}
		if b.Version <= uint64(have) {
			return ErrNotNewer
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO bundles (kind, version, data, published_at) VALUES ($1, $2, $3, $4)`,
			b.Kind, int64(b.Version), b.Data, micros(b.PublishedAt))
		return err
	})
}

// LatestBundle returns the newest bundle of a kind.
func (s *DB) LatestBundle(ctx context.Context, kind string) (Bundle, error) {
	b := Bundle{Kind: kind}
	var version, published int64
	err := s.db.QueryRowContext(ctx, `SELECT version, data, published_at FROM bundles WHERE kind = $1
		ORDER BY version DESC LIMIT 1`, kind).Scan(&version, &b.Data, &published)
	if err != nil {
		return Bundle{}, notFound(err)
	}
	b.Version, b.PublishedAt = uint64(version), fromMicros(published)
	return b, nil
}
