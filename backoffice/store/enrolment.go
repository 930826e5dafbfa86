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
			cert_not_after = excluded.cert_not_after, enrolled_at = excluded.enrolled_at`,
		t.ID, t.Center, t.CertSerial, micros(t.CertNotAfter), micros(t.EnrolledAt))
	return err
}

// Terminal returns an enrolled terminal.
func (s *DB) Terminal(ctx context.Context, id string) (Terminal, error) {
	t := Terminal{ID: id}
	var notAfter, enrolled int64
	err := s.db.QueryRowContext(ctx, `SELECT center, cert_serial, cert_not_after, enrolled_at FROM terminals WHERE id = $1`, id).
		Scan(&t.Center, &t.CertSerial, &notAfter, &enrolled)
	if err != nil {
		return Terminal{}, notFound(err)
	}
	t.CertNotAfter, t.EnrolledAt = fromMicros(notAfter), fromMicros(enrolled)
	return t, nil
}
