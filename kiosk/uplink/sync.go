package uplink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
)

// ErrQueue wraps a failure of the local queue itself (not the network).
var ErrQueue = errors.New("uplink: the local queue failed")

// SyncStats counts what one upload did.
type SyncStats struct {
	Sent, Acknowledged, Duplicates, Quarantined, Released int
}

func (s *SyncStats) add(o SyncStats) {
	s.Sent += o.Sent
	s.Acknowledged += o.Acknowledged
	s.Duplicates += o.Duplicates
	s.Quarantined += o.Quarantined
	s.Released += o.Released
}

// batchKey is the Idempotency-Key of a batch: derived from the terminal and
// the client IDs, so the same set resent gets the stored answer and any
// other set gets a key of its own.
func batchKey(terminal string, subs []kiosk.Submission) string {
	h := sha256.New()
	h.Write([]byte(terminal))
	for _, s := range subs {
		h.Write([]byte{0})
		h.Write([]byte(s.ID))
	}
	return "b-" + hex.EncodeToString(h.Sum(nil))[:40]
}

// itemCaused reports whether the server refused a batch for what is in it
// (400 malformed, 413 too large, 422 key reused), as opposed to who sent it
// or where (401, 403, 404: a person must fix the set-up; the items wait).
func itemCaused(err error) bool {
	var se *StatusError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Status {
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

// SyncOnce uploads one batch from the queue and applies the answer. It
// returns Sent == 0 when the queue had nothing to send. On a transient
// failure the batch is released to the queue and the error returned
// (Transient reports true).
func (c *Client) SyncOnce(ctx context.Context) (SyncStats, error) {
	c.mu.Lock()
	size := c.batchSize
	if c.isolate > 0 {
		size = 1
		c.isolate--
	}
	c.mu.Unlock()
	subs, err := c.q.NextBatch(size)
	if err != nil {
		return SyncStats{}, fmt.Errorf("%w: %v", ErrQueue, err)
	}
	if len(subs) == 0 {
		return SyncStats{}, nil
	}
	ids := make([]string, len(subs))
	req := api.BatchRequest{Items: make([]api.SubmissionItem, len(subs))}
	for i, s := range subs {
		ids[i] = s.ID
		req.Items[i] = toWire(s, c.cfg.Display)
	}
	key := batchKey(c.cfg.Terminal, subs)
	req.BatchID = key
	stats := SyncStats{Sent: len(subs)}
	release := func(cause error) (SyncStats, error) {
		if err := c.q.Release(ids); err != nil {
			return stats, fmt.Errorf("%w: release: %v (after %v)", ErrQueue, err, cause)
		}
		stats.Released = len(ids)
		return stats, cause
	}

	var resp api.BatchResponse
	_, _, err = c.do(ctx, http.MethodPost, "/v1/submissions:batch", req, &resp, api.IdempotencyKeyHeader, key)
	var se *StatusError
	switch {
	case err == nil:
	case errors.As(err, &se) && se.Status == http.StatusRequestEntityTooLarge && len(subs) > 1:
		c.mu.Lock()
		c.batchSize = max(1, len(subs)/2)
		c.mu.Unlock()
		c.log.Warn("batch too large; halving", "items", len(subs))
		return release(err)
	case itemCaused(err):
		// The server refused the batch as a whole. Send its items one by
		// one to find the one it cannot take, then quarantine only that one.
		if len(subs) > 1 {
			c.mu.Lock()
			c.isolate = len(subs)
			c.mu.Unlock()
			c.log.Warn("batch refused; sending its items one by one", "items", len(subs), "status", se.Status, "code", se.Problem.Code)
			return release(err)
		}
		if qerr := c.q.Quarantine(subs[0].ID, fmt.Sprintf("refused by the back office: %d %s %s", se.Status, se.Problem.Code, se.Problem.Message)); qerr != nil {
			return stats, fmt.Errorf("%w: quarantine: %v", ErrQueue, qerr)
		}
		stats.Quarantined = 1
		return stats, nil
	default:
		// Network, 5xx, 429, 401/403/404 (the set-up needs a person; keep
		// retrying), or an answer that was cut: the server may or may not
		// have committed. Either way the items go back and are sent again.
		return release(err)
	}

	byID := make(map[string]api.ItemResult, len(resp.Results))
	for _, r := range resp.Results {
		byID[r.ClientID] = r
	}
	var again []string
	for _, s := range subs {
		r, ok := byID[s.ID]
		switch {
		case !ok:
			again = append(again, s.ID)
		case r.Outcome == api.OutcomeAccepted || r.Outcome == api.OutcomeDuplicate:
			if err := c.q.Acknowledge(s.ID, r.OfficialReceipt); err != nil {
				return stats, fmt.Errorf("%w: acknowledge: %v", ErrQueue, err)
			}
			stats.Acknowledged++
			if r.Outcome == api.OutcomeDuplicate {
				stats.Duplicates++
			}
		case r.Outcome == api.OutcomeRejected && !r.Retryable:
			if err := c.q.Quarantine(s.ID, r.Reason); err != nil {
				return stats, fmt.Errorf("%w: quarantine: %v", ErrQueue, err)
			}
			stats.Quarantined++
			c.log.Warn("submission quarantined", "local_receipt", s.LocalReceipt, "reason", r.Reason)
		default:
			again = append(again, s.ID)
		}
	}
	if len(again) > 0 {
		if err := c.q.Release(again); err != nil {
			return stats, fmt.Errorf("%w: release: %v", ErrQueue, err)
		}
		stats.Released = len(again)
	}
	c.mu.Lock()
	c.lastSync = c.clock.Now()
	c.mu.Unlock()
	return stats, nil
}

// Drain uploads until the queue has nothing left to send, retrying
// transient failures forever with full-jitter backoff. It returns when the
// queue is empty (nil), when ctx ends, or when the local queue fails
// (ErrQueue).
func (c *Client) Drain(ctx context.Context) (SyncStats, error) {
	var total SyncStats
	attempt := 0
	for {
		st, err := c.SyncOnce(ctx)
		total.add(st)
		switch {
		case errors.Is(err, ErrQueue):
			return total, err
		case err != nil && ctx.Err() != nil:
			return total, ctx.Err()
		case err != nil:
			var se *StatusError
			errors.As(err, &se)
			if itemCaused(err) {
				continue // isolating or halving: resend at once
			}
			attempt++
			d := c.backoff.Delay(attempt)
			if se != nil && se.RetryAfter > d {
				d = min(se.RetryAfter, c.backoff.Cap)
			}
			c.log.Info("upload failed; retrying", "attempt", attempt, "wait", d, "err", err)
			if err := c.sleep(ctx, d); err != nil {
				return total, err
			}
		case st.Sent == 0:
			return total, nil
		default:
			attempt = 0
		}
	}
}
