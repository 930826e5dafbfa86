package store

import (
	"context"
	"database/sql"
	"time"
)

// CreateEnrolmentToken stores a new token (by hash).
func (s *DB) CreateEnrolmentToken(ctx context.Context, t EnrolmentToken) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO enrolment_tokens (token_hash, terminal, center, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, t.Hash, t.Terminal, t.Center, micros(t.CreatedAt), micros(t.ExpiresAt))
	return err
}

// ConsumeEnrolmentToken marks the token used, once: of two concurrent
// consumers exactly one succeeds.
func (s *DB) ConsumeEnrolmentToken(ctx context.Context, hash string, now time.Time) (EnrolmentToken, error) {
	var t EnrolmentToken
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE enrolment_tokens SET used_at = $2
			WHERE token_hash = $1 AND used_at = 0 AND expires_at > $2`, hash, micros(now))
		if err != nil {
			return err
		}
		var created, expires, used int64
		err = tx.QueryRowContext(ctx, `SELECT terminal, center, created_at, expires_at, used_at
			FROM enrolment_tokens WHERE token_hash = $1`, hash).Scan(&t.Terminal, &t.Center, &created, &expires, &used)
		if err != nil {
			return notFound(err)
		}
		t.Hash, t.CreatedAt, t.ExpiresAt, t.UsedAt = hash, fromMicros(created), fromMicros(expires), fromMicros(used)
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		if used != 0 {
			return ErrTokenUsed
		}
		return ErrTokenExpired
	})
	if err != nil {
		return EnrolmentToken{}, err
	}
	return t, nil
}

// PutTerminal inserts or replaces a terminal's enrolment.
func (s *DB) PutTerminal(ctx context.Context, t Terminal) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO terminals (id, center, cert_serial, cert_not_after, enrolled_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET center = excluded.center, cert_serial = excluded.cert_serial,
			cert_not_after = excluded.cert_not_after, enrolled_at = excluded.enrolled_at, revoked_at = 0`,
		t.ID, t.Center, t.CertSerial, micros(t.CertNotAfter), micros(t.EnrolledAt))
	return err
}

// RenewTerminal records a renewed certificate's end for the terminal's
// current enrolment; it never undoes a revocation or a newer enrolment
// (ErrNotFound then).
func (s *DB) RenewTerminal(ctx context.Context, id, enrolment string, notAfter time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE terminals SET cert_not_after = $3
		WHERE id = $1 AND cert_serial = $2 AND revoked_at = 0`, id, enrolment, micros(notAfter))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrNotFound
	}
	return nil
}

// Terminal returns an enrolled terminal.
func (s *DB) Terminal(ctx context.Context, id string) (Terminal, error) {
	t := Terminal{ID: id}
	var notAfter, enrolled, revoked int64
	err := s.db.QueryRowContext(ctx, `SELECT center, cert_serial, cert_not_after, enrolled_at, revoked_at FROM terminals WHERE id = $1`, id).
		Scan(&t.Center, &t.CertSerial, &notAfter, &enrolled, &revoked)
	if err != nil {
		return Terminal{}, notFound(err)
	}
	t.CertNotAfter, t.EnrolledAt, t.RevokedAt = fromMicros(notAfter), fromMicros(enrolled), fromMicros(revoked)
	return t, nil
}

// RevokeTerminal marks a terminal revoked: its certificate is refused from
// now on, until it is enrolled again with a new token.
func (s *DB) RevokeTerminal(ctx context.Context, id string, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE terminals SET revoked_at = $2 WHERE id = $1`, id, micros(now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrNotFound
	}
	return nil
}

// FleetRow is a terminal with its latest heartbeat, if any.
type FleetRow struct {
	Terminal
	HeartbeatAt time.Time // zero: never
	Heartbeat   []byte    // its JSON body (api.Heartbeat)
}

// Fleet lists every enrolled terminal with its latest heartbeat, by ID.
func (s *DB) Fleet(ctx context.Context) ([]FleetRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.id, t.center, t.cert_serial, t.cert_not_after, t.enrolled_at, t.revoked_at,
		COALESCE(h.received_at, 0), h.body FROM terminals t LEFT JOIN heartbeats h ON h.terminal = t.id ORDER BY t.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FleetRow
	for rows.Next() {
		var r FleetRow
		var notAfter, enrolled, revoked, hb int64
		if err := rows.Scan(&r.ID, &r.Center, &r.CertSerial, &notAfter, &enrolled, &revoked, &hb, &r.Heartbeat); err != nil {
			return nil, err
		}
		r.CertNotAfter, r.EnrolledAt, r.RevokedAt, r.HeartbeatAt = fromMicros(notAfter), fromMicros(enrolled), fromMicros(revoked), fromMicros(hb)
		out = append(out, r)
	}
	return out, rows.Err()
}
