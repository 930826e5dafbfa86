package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// shanghai is UTC+8 (no daylight saving), fixed so no tzdata is needed.
var shanghai = time.FixedZone("CST", 8*3600)

// officialReceipt is the back office's receipt number (受理编号) for a
// submission: "SQ", the date it was made (Shanghai), and nine digits
// derived from the terminal and the submission's client ID (attempt > 0
// when the number is taken). It is not a counter: a database restored
// from a backup that lacks its newest submissions would count again from
// an older sequence and hand out numbers that already belong to other
// submissions. A derived number cannot repeat that way, and a submission
// resent after such a restore gets the number it had.
func officialReceipt(sub Submission, attempt int) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d", sub.Terminal, sub.ClientID, attempt)
	n := binary.BigEndian.Uint64(h.Sum(nil)) % 1_000_000_000
	return fmt.Sprintf("SQ%s%09d", sub.CreatedAt.In(shanghai).Format("20060102"), n)
}

// freeOfficial finds sub's receipt number: the first derived one no other
// submission holds.
func freeOfficial(ctx context.Context, tx *sql.Tx, sub Submission, seq int64) (string, error) {
	for attempt := 0; ; attempt++ {
		official := officialReceipt(sub, attempt)
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT seq FROM submissions WHERE official_receipt = $1 AND seq <> $2 LIMIT 1`, official, seq).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) {
			return official, nil
		}
		if err != nil {
			return "", err
		}
	}
}

// Held counts the submissions stored for a terminal. The terminal compares
// it with what it saw acknowledged, to find out that the back office lost
// some (restored from an older backup) and send them again.
func (s *DB) Held(ctx context.Context, terminal string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM submissions WHERE terminal = $1`, terminal).Scan(&n)
	return n, err
}

// SaveSubmissions stores a batch in one transaction. An item whose
// (terminal, client ID) is already stored is not stored again: it gets its
// original receipt number and Duplicate, or Conflict when its payload hash
// differs.
func (s *DB) SaveSubmissions(ctx context.Context, subs []Submission, now time.Time) ([]Saved, error) {
	out := make([]Saved, len(subs))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i, sub := range subs {
			payload, signature, sealed := sub.Payload, sub.Signature, 0
			if s.seal != nil {
				var err error
				if payload, err = s.seal.sealValue(PurposePayload, sub.Terminal, sub.ClientID, sub.Payload); err != nil {
					return err
				}
				if len(sub.Signature) > 0 {
					if signature, err = s.seal.sealValue(PurposeSignature, sub.Terminal, sub.ClientID, sub.Signature); err != nil {
						return err
					}
				}
				sealed = 1
			}
			if len(signature) == 0 {
				signature = nil
			}
			var seq int64
			err := tx.QueryRowContext(ctx, `INSERT INTO submissions
				(terminal, client_id, local_receipt, center, affairs_code, affairs_name, payload_hash, payload, state, created_at, received_at,
				 name_masked, idno_masked, sealed, signature)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
				ON CONFLICT (terminal, client_id) DO NOTHING
				RETURNING seq`,
				sub.Terminal, sub.ClientID, sub.LocalReceipt, sub.Center, sub.AffairsCode, sub.AffairsName,
				sub.PayloadHash, payload, StateAccepted, micros(sub.CreatedAt), micros(now),
				sub.NameMasked, sub.IDMasked, sealed, signature).Scan(&seq)
			switch {
			case err == nil:
				official, err := freeOfficial(ctx, tx, sub, seq)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE submissions SET official_receipt = $1 WHERE seq = $2`, official, seq); err != nil {
					return err
				}
				if err := saveParts(ctx, tx, sub, official); err != nil {
					return err
				}
				out[i] = Saved{OfficialReceipt: official}
			case errors.Is(err, sql.ErrNoRows):
				var official, hash string
				if err := tx.QueryRowContext(ctx, `SELECT official_receipt, payload_hash FROM submissions
					WHERE terminal = $1 AND client_id = $2`, sub.Terminal, sub.ClientID).Scan(&official, &hash); err != nil {
					return err
				}
				same := hash == sub.PayloadHash || (sub.EarlierHash != "" && hash == sub.EarlierHash)
				if same {
					if err := saveParts(ctx, tx, sub, official); err != nil {
						return err
					}
				}
				out[i] = Saved{OfficialReceipt: official, Duplicate: same, Conflict: !same}
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
	sub, err := s.scanSubmission(s.db.QueryRowContext(ctx, submissionCols+`WHERE official_receipt = $1`, receipt))
	if errors.Is(err, ErrNotFound) {
		sub, err = s.scanSubmission(s.db.QueryRowContext(ctx, submissionCols+`WHERE local_receipt = $1 ORDER BY seq LIMIT 1`, receipt))
	}
	return sub, err
}

const submissionCols = `SELECT terminal, client_id, local_receipt, official_receipt, center, affairs_code, affairs_name,
		payload_hash, payload, state, created_at, received_at, name_masked, idno_masked, reason_zh, reason_en,
		state_at, state_by, sealed, signature FROM submissions `

func (s *DB) scanSubmission(row interface{ Scan(...any) error }) (Submission, error) {
	var sub Submission
	var created, received, stateAt int64
	var sealed int
	err := row.Scan(&sub.Terminal, &sub.ClientID, &sub.LocalReceipt, &sub.OfficialReceipt, &sub.Center,
		&sub.AffairsCode, &sub.AffairsName, &sub.PayloadHash, &sub.Payload, &sub.State, &created, &received,
		&sub.NameMasked, &sub.IDMasked, &sub.ReasonZH, &sub.ReasonEN, &stateAt, &sub.StateBy, &sealed, &sub.Signature)
	if err != nil {
		return Submission{}, notFound(err)
	}
	if sealed == 1 {
		if sub.Payload, err = s.seal.openValue(PurposePayload, sub.Terminal, sub.ClientID, sub.Payload); err != nil {
			return Submission{}, err
		}
		if len(sub.Signature) > 0 {
			if sub.Signature, err = s.seal.openValue(PurposeSignature, sub.Terminal, sub.ClientID, sub.Signature); err != nil {
				return Submission{}, err
			}
		}
	}
	sub.CreatedAt, sub.ReceivedAt, sub.StateAt = fromMicros(created), fromMicros(received), fromMicros(stateAt)
	return sub, nil
}

// SubmissionFilter narrows a list of submissions. Center is required; the
// others are optional (zero: any).
type SubmissionFilter struct {
	Center   string
	Item     string // affairs code
	State    string
	Terminal string
	From, To time.Time // received in [From, To)
	Limit    int       // default 50, at most 500
	Offset   int
}

// ListSubmissions lists a center's submissions, newest first, without their
// payloads: only the masked name and ID number are filled.
func (s *DB) ListSubmissions(ctx context.Context, f SubmissionFilter) ([]Submission, error) {
	q := `SELECT terminal, client_id, local_receipt, official_receipt, center, affairs_code, affairs_name,
		state, created_at, received_at, name_masked, idno_masked, reason_zh, reason_en, state_at, state_by
		FROM submissions WHERE center = $1`
	args := []any{f.Center}
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND %s $%d", cond, len(args))
	}
	if f.Item != "" {
		// A 一件事 bundle with a part for the item is listed too: the
		// part's staff find it by their own item.
		args = append(args, f.Item)
		q += fmt.Sprintf(` AND (affairs_code = $%d OR EXISTS (SELECT 1 FROM submission_parts p
			WHERE p.terminal = submissions.terminal AND p.client_id = submissions.client_id AND p.affairs_code = $%d))`, len(args), len(args))
	}
	if f.State != "" {
		add("state =", f.State)
	}
	if f.Terminal != "" {
		add("terminal =", f.Terminal)
	}
	if !f.From.IsZero() {
		add("received_at >=", micros(f.From))
	}
	if !f.To.IsZero() {
		add("received_at <", micros(f.To))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	q += fmt.Sprintf(" ORDER BY received_at DESC, seq DESC LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Submission
	for rows.Next() {
		var sub Submission
		var created, received, stateAt int64
		if err := rows.Scan(&sub.Terminal, &sub.ClientID, &sub.LocalReceipt, &sub.OfficialReceipt, &sub.Center,
			&sub.AffairsCode, &sub.AffairsName, &sub.State, &created, &received, &sub.NameMasked, &sub.IDMasked,
			&sub.ReasonZH, &sub.ReasonEN, &stateAt, &sub.StateBy); err != nil {
			return nil, err
		}
		sub.CreatedAt, sub.ReceivedAt, sub.StateAt = fromMicros(created), fromMicros(received), fromMicros(stateAt)
		out = append(out, sub)
	}
	return out, rows.Err()
}

// ErrBadTransition is returned when a submission cannot move to the state
// asked for from the one it is in (someone else moved it first, or the
// move is not allowed).
var ErrBadTransition = errors.New("store: the submission cannot move to that state from the one it is in")

// SetSubmissionState moves the submission with this official receipt
// number from state from to state to, with the reason in both languages.
// It fails with ErrBadTransition if the submission is no longer in from or
// the move is not allowed.
func (s *DB) SetSubmissionState(ctx context.Context, receipt, from, to, reasonZH, reasonEN, by string, at time.Time) error {
	if !CanMove(from, to) {
		return ErrBadTransition
	}
	res, err := s.db.ExecContext(ctx, `UPDATE submissions SET state = $1, reason_zh = $2, reason_en = $3, state_at = $4, state_by = $5
		WHERE official_receipt = $6 AND state = $7`, to, reasonZH, reasonEN, micros(at), by, receipt, from)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		if _, err := s.SubmissionByReceipt(ctx, receipt); err != nil {
			return err
		}
		return ErrBadTransition
	}
	return nil
}

// Count is one row of a report: a key (day, item, terminal, hour) and a count.
type Count struct {
	Key string
	N   int
}

// SubmissionCounts counts a center's submissions received in [from, to)
// by "day" (Shanghai), "item" or "terminal".
func (s *DB) SubmissionCounts(ctx context.Context, center, by string, from, to time.Time) ([]Count, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT affairs_name, terminal, received_at FROM submissions
		WHERE center = $1 AND received_at >= $2 AND received_at < $3`, center, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var item, terminal string
		var received int64
		if err := rows.Scan(&item, &terminal, &received); err != nil {
			return nil, err
		}
		switch by {
		case "item":
			counts[item]++
		case "terminal":
			counts[terminal]++
		default:
			counts[fromMicros(received).In(shanghai).Format("2006-01-02")]++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return sortedCounts(counts), nil
}

func sortedCounts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	slices.SortFunc(out, func(a, b Count) int { return strings.Compare(a.Key, b.Key) })
	return out
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
