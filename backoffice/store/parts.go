package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrationParts (9): the parts of a 一件事 bundle submission, one row
// each, worked on their own: a part returned leaves the others where
// they are. Keyed by the submission and the part's number, so a resend
// of the bundle stores nothing twice and moves no part back.
const migrationParts = `CREATE TABLE submission_parts (
		terminal     TEXT NOT NULL,
		client_id    TEXT NOT NULL,
		part_no      INTEGER NOT NULL,
		receipt      TEXT NOT NULL,
		affairs_code TEXT NOT NULL,
		affairs_name TEXT NOT NULL,
		state        TEXT NOT NULL,
		reason_zh    TEXT NOT NULL DEFAULT '',
		reason_en    TEXT NOT NULL DEFAULT '',
		state_at     BIGINT NOT NULL DEFAULT 0,
		state_by     TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (terminal, client_id, part_no)
	);
	CREATE INDEX submission_parts_receipt ON submission_parts (receipt)`

// Part is one part of a bundle submission (一件事): the underlying item
// it applies for and where it is. Its receipt number is the
// submission's official one, a dash and the part's number.
type Part struct {
	No          int // 1, 2, ... in the bundle's order
	Receipt     string
	AffairsCode string
	AffairsName string
	State       string
	ReasonZH    string
	ReasonEN    string
	StateAt     time.Time
	StateBy     string
}

// PartReceipt is the receipt number of part no of the submission with
// official receipt number official.
func PartReceipt(official string, no int) string { return fmt.Sprintf("%s-%d", official, no) }

// saveParts stores a new or resent submission's parts. A part already
// stored is left as it is: a resend neither duplicates it nor undoes what
// staff did with it.
func saveParts(ctx context.Context, tx *sql.Tx, sub Submission, official string) error {
	for _, p := range sub.Parts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO submission_parts
			(terminal, client_id, part_no, receipt, affairs_code, affairs_name, state)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (terminal, client_id, part_no) DO NOTHING`,
			sub.Terminal, sub.ClientID, p.No, PartReceipt(official, p.No), p.AffairsCode, p.AffairsName, StateAccepted); err != nil {
			return err
		}
	}
	return nil
}

// Parts returns a submission's parts in order; none for a submission of
// one item.
func (s *DB) Parts(ctx context.Context, terminal, clientID string) ([]Part, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT part_no, receipt, affairs_code, affairs_name, state, reason_zh, reason_en, state_at, state_by
		FROM submission_parts WHERE terminal = $1 AND client_id = $2 ORDER BY part_no`, terminal, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Part
	for rows.Next() {
		var p Part
		var at int64
		if err := rows.Scan(&p.No, &p.Receipt, &p.AffairsCode, &p.AffairsName, &p.State, &p.ReasonZH, &p.ReasonEN, &at, &p.StateBy); err != nil {
			return nil, err
		}
		p.StateAt = fromMicros(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetPartState moves part no of the submission with official receipt
// number receipt from state from to state to, as SetSubmissionState does
// for a whole submission; the other parts are not touched. The bundle's
// own state follows its parts (BundleState), so lists and filters show
// where it is as a whole.
func (s *DB) SetPartState(ctx context.Context, receipt string, no int, from, to, reasonZH, reasonEN, by string, at time.Time) error {
	if !CanMove(from, to) {
		return ErrBadTransition
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE submission_parts SET state = $1, reason_zh = $2, reason_en = $3, state_at = $4, state_by = $5
			WHERE receipt = $6 AND state = $7`, to, reasonZH, reasonEN, micros(at), by, PartReceipt(receipt, no), from)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			var state string
			if err := tx.QueryRowContext(ctx, `SELECT state FROM submission_parts WHERE receipt = $1`, PartReceipt(receipt, no)).Scan(&state); err != nil {
				return notFound(err)
			}
			return ErrBadTransition
		}
		var terminal, clientID string
		if err := tx.QueryRowContext(ctx, `SELECT terminal, client_id FROM submissions WHERE official_receipt = $1`, receipt).Scan(&terminal, &clientID); err != nil {
			return notFound(err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT state FROM submission_parts WHERE terminal = $1 AND client_id = $2`, terminal, clientID)
		if err != nil {
			return err
		}
		var states []string
		for rows.Next() {
			var st string
			if err := rows.Scan(&st); err != nil {
				rows.Close()
				return err
			}
			states = append(states, st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE submissions SET state = $1, state_at = $2, state_by = $3 WHERE official_receipt = $4`,
			BundleState(states), micros(at), by, receipt)
		return err
	})
}

// BundleState is a bundle's state from its parts': waiting while none has
// been touched (accepted), finished when every part is (done if any was
// done, else returned), in progress otherwise.
func BundleState(parts []string) string {
	waiting, final, done := true, true, false
	for _, st := range parts {
		waiting = waiting && st == StateAccepted
		final = final && (st == StateDone || st == StateReturned)
		done = done || st == StateDone
	}
	switch {
	case len(parts) == 0 || waiting:
		return StateAccepted
	case final && done:
		return StateDone
	case final:
		return StateReturned
	}
	return StateInProgress
}
