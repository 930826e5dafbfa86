package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// shanghai is UTC+8 (no daylight saving), fixed so no tzdata is needed.
var shanghai = time.FixedZone("CST", 8*3600)

// officialReceipt formats the back office's receipt number (受理编号):
// "SQ", the acceptance date in Shanghai, and the store's sequence number.
func officialReceipt(received time.Time, seq int64) string {
	return fmt.Sprintf("SQ%s%09d", received.In(shanghai).Format("20060102"), seq)
}

// SaveSubmissions stores a batch in one transaction. An item whose
// (terminal, client ID) is already stored is not stored again: it gets its
// original receipt number and Duplicate, or Conflict when its payload hash
// differs.
func (s *DB) SaveSubmissions(ctx context.Context, subs []Submission, now time.Time) ([]Saved, error) {
	out := make([]Saved, len(subs))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i, sub := range subs {
			var seq int64
			err := tx.QueryRowContext(ctx, `INSERT INTO submissions
				(terminal, client_id, local_receipt, center, affairs_code, affairs_name, payload_hash, payload, state, created_at, received_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
				ON CONFLICT (terminal, client_id) DO NOTHING
				RETURNING seq`,
				sub.Terminal, sub.ClientID, sub.LocalReceipt, sub.Center, sub.AffairsCode, sub.AffairsName,
				sub.PayloadHash, sub.Payload, StateAccepted, micros(sub.CreatedAt), micros(now)).Scan(&seq)
			switch {
			case err == nil:
				official := officialReceipt(now, seq)
				if _, err := tx.ExecContext(ctx, `UPDATE submissions SET official_receipt = $1 WHERE seq = $2`, official, seq); err != nil {
					return err
				}
				out[i] = Saved{OfficialReceipt: official}
			case errors.Is(err, sql.ErrNoRows):
				var official, hash string
				if err := tx.QueryRowContext(ctx, `SELECT official_receipt, payload_hash FROM submissions
					WHERE terminal = $1 AND client_id = $2`, sub.Terminal, sub.ClientID).Scan(&official, &hash); err != nil {
					return err
				}
				out[i] = Saved{OfficialReceipt: official, Duplicate: hash == sub.PayloadHash, Conflict: hash != sub.PayloadHash}
			default:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SubmissionByReceipt finds a submission by its official receipt number,
// or else by its local one.
func (s *DB) SubmissionByReceipt(ctx context.Context, receipt string) (Submission, error) {
	const cols = `SELECT terminal, client_id, local_receipt, official_receipt, center, affairs_code, affairs_name,
		payload_hash, payload, state, created_at, received_at FROM submissions `
	sub, err := s.scanSubmission(s.db.QueryRowContext(ctx, cols+`WHERE official_receipt = $1`, receipt))
	if errors.Is(err, ErrNotFound) {
		sub, err = s.scanSubmission(s.db.QueryRowContext(ctx, cols+`WHERE local_receipt = $1 ORDER BY seq LIMIT 1`, receipt))
	}
	return sub, err
}

func (s *DB) scanSubmission(row *sql.Row) (Submission, error) {
	var sub Submission
	var created, received int64
	err := row.Scan(&sub.Terminal, &sub.ClientID, &sub.LocalReceipt, &sub.OfficialReceipt, &sub.Center,
		&sub.AffairsCode, &sub.AffairsName, &sub.PayloadHash, &sub.Payload, &sub.State, &created, &received)
	if err != nil {
		return Submission{}, notFound(err)
	}
	sub.CreatedAt, sub.ReceivedAt = fromMicros(created), fromMicros(received)
	return sub, nil
}

// CountSubmissions counts stored rows per client ID of a terminal.
func (s *DB) CountSubmissions(ctx context.Context, terminal string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT client_id, COUNT(*) FROM submissions WHERE terminal = $1 GROUP BY client_id`, terminal)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// IdempotentAnswer returns the stored answer for (terminal, key).
func (s *DB) IdempotentAnswer(ctx context.Context, terminal, key string) (IdempotentAnswer, error) {
	a := IdempotentAnswer{Terminal: terminal, Key: key}
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT request_hash, status, body, created_at FROM idempotency_keys
		WHERE terminal = $1 AND idem_key = $2`, terminal, key).Scan(&a.RequestHash, &a.Status, &a.Body, &created)
	if err != nil {
		return IdempotentAnswer{}, notFound(err)
	}
	a.CreatedAt = fromMicros(created)
	return a, nil
}

// SaveIdempotentAnswer stores an answer; the first one stored for a key wins.
func (s *DB) SaveIdempotentAnswer(ctx context.Context, a IdempotentAnswer) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO idempotency_keys (terminal, idem_key, request_hash, status, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (terminal, idem_key) DO NOTHING`,
		a.Terminal, a.Key, a.RequestHash, a.Status, a.Body, micros(a.CreatedAt))
	return err
}
