package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// AuditAnchor is one (sequence, head) of a terminal's audit chain as the
// terminal sent it with a heartbeat or a batch.
type AuditAnchor struct {
	Terminal   string
	Seq        uint64
	Head       string // hex
	ReceivedAt time.Time
	// Signature is the terminal's SM2 checkpoint signature of the head,
	// checked by the caller; nil: unsigned (a terminal with no SM2 key).
	Signature []byte
}

// AnchorVerdict says how a head compares with what was anchored before.
type AnchorVerdict struct {
	// Highest is the highest head anchored before this one (Seq 0: none).
	Highest AuditAnchor
	// Backwards: the sequence is below Highest's.
	Backwards bool
	// ForkedFrom is the head anchored before for the same sequence when it
	// differs from this one ("" : none).
	ForkedFrom string
}

// AnchorAudit keeps a's head unless the chain went backwards (a head below
// the highest is from a suspect branch and is not kept), and reports how
// it compares: a lower sequence than the highest kept (backwards), or a
// sequence kept before with another head (forked).
func (s *DB) AnchorAudit(ctx context.Context, a AuditAnchor) (AnchorVerdict, error) {
	var v AnchorVerdict
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		v = AnchorVerdict{}
		var seq, received int64
		err := tx.QueryRowContext(ctx, `SELECT seq, head, received_at FROM audit_anchors WHERE terminal = $1
			ORDER BY seq DESC LIMIT 1`, a.Terminal).Scan(&seq, &v.Highest.Head, &received)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			v.Highest.Terminal, v.Highest.Seq, v.Highest.ReceivedAt = a.Terminal, uint64(seq), fromMicros(received)
		}
		var head string
		err = tx.QueryRowContext(ctx, `SELECT head FROM audit_anchors WHERE terminal = $1 AND seq = $2`, a.Terminal, int64(a.Seq)).Scan(&head)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case head != a.Head:
			v.ForkedFrom = head
		}
		v.Backwards = v.Highest.Seq > 0 && a.Seq < v.Highest.Seq
		if v.Backwards || head != "" {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_anchors (terminal, seq, head, received_at, signature) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (terminal, seq) DO NOTHING`, a.Terminal, int64(a.Seq), a.Head, micros(a.ReceivedAt), a.Signature)
		return err
	})
	return v, err
}

// AuditAnchorOf returns the highest anchored head of a terminal, or
// ErrNotFound.
func (s *DB) AuditAnchorOf(ctx context.Context, terminal string) (AuditAnchor, error) {
	a := AuditAnchor{Terminal: terminal}
	var seq, received int64
	err := s.db.QueryRowContext(ctx, `SELECT seq, head, received_at, signature FROM audit_anchors WHERE terminal = $1
		ORDER BY seq DESC LIMIT 1`, terminal).Scan(&seq, &a.Head, &received, &a.Signature)
	if err != nil {
		return AuditAnchor{}, notFound(err)
	}
	a.Seq, a.ReceivedAt = uint64(seq), fromMicros(received)
	return a, nil
}

// LookupRecord is one e-licence lookup: which terminal asked, when, for
// which item, about whom (a keyed pseudonym, never the ID number), and
// how many licences it found.
type LookupRecord struct {
	At        time.Time
	Terminal  string
	ItemCode  string
	Pseudonym string
	Found     int
}

// RecordLookup appends a lookup to the log.
func (s *DB) RecordLookup(ctx context.Context, r LookupRecord) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO lookup_log (at, terminal, item_code, pseudonym, found) VALUES ($1, $2, $3, $4, $5)`,
		micros(r.At), r.Terminal, r.ItemCode, r.Pseudonym, r.Found)
	return err
}

// LookupsOf lists the lookups under a pseudonym, oldest first.
func (s *DB) LookupsOf(ctx context.Context, pseudonym string) ([]LookupRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, terminal, item_code, found FROM lookup_log WHERE pseudonym = $1 ORDER BY id`, pseudonym)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LookupRecord
	for rows.Next() {
		r := LookupRecord{Pseudonym: pseudonym}
		var at int64
		if err := rows.Scan(&at, &r.Terminal, &r.ItemCode, &r.Found); err != nil {
			return nil, err
		}
		r.At = fromMicros(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// UseNonce marks a token's nonce used until expires and reports whether
// it was fresh (false: used before and not yet expired). Nonces whose
// token has expired are pruned first: an expired token is refused by its
// own date, so its nonce need not be kept.
func (s *DB) UseNonce(ctx context.Context, nonce string, expires, now time.Time) (bool, error) {
	fresh := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM used_nonces WHERE expires_at <= $1`, micros(now)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO used_nonces (nonce, expires_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING`,
			nonce, micros(expires))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		fresh = n == 1
		return nil
	})
	return fresh, err
}
