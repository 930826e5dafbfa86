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

// ConsumeEnrolmentToken marks the token used by key (the hash of the
// terminal's public key), once: of two concurrent consumers with different
// keys exactly one succeeds. The same key may come back for the same token
// (the terminal lost the answer to a power cut): it gets the token again,
// with the certificate recorded by CompleteEnrolment, even after the token's
// expiry, since the token was spent in time and only that key can use it.
func (s *DB) ConsumeEnrolmentToken(ctx context.Context, hash, key string, now time.Time) (EnrolmentToken, error) {
	var t EnrolmentToken
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE enrolment_tokens SET used_at = $2, used_key = $3
			WHERE token_hash = $1 AND used_at = 0 AND expires_at > $2`, hash, micros(now), key)
		if err != nil {
			return err
		}
		var created, expires, used int64
		err = tx.QueryRowContext(ctx, `SELECT terminal, center, created_at, expires_at, used_at, used_key, cert_der
			FROM enrolment_tokens WHERE token_hash = $1`, hash).Scan(&t.Terminal, &t.Center, &created, &expires, &used, &t.UsedKey, &t.Cert)
		if err != nil {
			return notFound(err)
		}
		t.Hash, t.CreatedAt, t.ExpiresAt, t.UsedAt = hash, fromMicros(created), fromMicros(expires), fromMicros(used)
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		switch {
		case used != 0 && key != "" && t.UsedKey == key:
			return nil
		case used != 0:
			return ErrTokenUsed
		}
		return ErrTokenExpired
	})
	if err != nil {
		return EnrolmentToken{}, err
	}
	return t, nil
}

// CompleteEnrolment records the certificate the token with hash got and
// puts the terminal's enrolment, in one transaction: a back office stopped
// between the two leaves neither. A token with a certificate already
// (a concurrent retry won) is ErrTokenUsed and changes nothing.
func (s *DB) CompleteEnrolment(ctx context.Context, hash string, t Terminal, certDER []byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE enrolment_tokens SET cert_der = $2
			WHERE token_hash = $1 AND used_at <> 0 AND cert_der IS NULL`, hash, certDER)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrTokenUsed
		}
		return putTerminal(ctx, tx, t)
	})
}

// PutTerminal inserts or replaces a terminal's enrolment.
func (s *DB) PutTerminal(ctx context.Context, t Terminal) error {
	return putTerminal(ctx, s.db, t)
}

func putTerminal(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, t Terminal) error {
	_, err := db.ExecContext(ctx, `INSERT INTO terminals (id, center, cert_serial, cert_not_after, enrolled_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET center = excluded.center, cert_serial = excluded.cert_serial,
			cert_not_after = excluded.cert_not_after, enrolled_at = excluded.enrolled_at, revoked_at = 0, cert_in_use = 0`,
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
	var notAfter, enrolled, revoked, inUse int64
	err := s.db.QueryRowContext(ctx, `SELECT center, cert_serial, cert_not_after, enrolled_at, revoked_at, cert_in_use FROM terminals WHERE id = $1`, id).
		Scan(&t.Center, &t.CertSerial, &notAfter, &enrolled, &revoked, &inUse)
	if err != nil {
		return Terminal{}, notFound(err)
	}
	t.CertNotAfter, t.EnrolledAt, t.RevokedAt, t.CertInUse = fromMicros(notAfter), fromMicros(enrolled), fromMicros(revoked), fromMicros(inUse)
	return t, nil
}

// CertificateInUse records notBefore as the start of the newest
// certificate of the terminal's current enrolment seen in use, unless a
// newer one was seen already or the enrolment has changed.
func (s *DB) CertificateInUse(ctx context.Context, id, enrolment string, notBefore time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE terminals SET cert_in_use = $3
		WHERE id = $1 AND cert_serial = $2 AND cert_in_use < $3`, id, enrolment, micros(notBefore))
	return err
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
