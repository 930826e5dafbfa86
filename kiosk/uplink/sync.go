package uplink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
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

// errSplit marks a batch that was too much for the link or the server at
// its size (413, or no answer within the client's timeout): the next batch
// is half as large and is sent at once.
var errSplit = errors.New("uplink: batch split")

// growAfter is how many whole batches in a row at a reduced size let the
// size double again towards the configured one, so a link that was slow
// for a while does not keep batches small for good, and a link that stays
// slow does not time out every other batch.
const growAfter = 8

// timedOut reports whether err is the client giving up waiting for the
// back office (its own timeout, not ctx), or a proxy saying it did (408,
// 504): the batch may simply be too large for a slow link.
func timedOut(ctx context.Context, err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status == http.StatusRequestTimeout || se.Status == http.StatusGatewayTimeout
	}
	if ctx.Err() != nil {
		return false
	}
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// halve makes the next batch half the size of one of n items.
func (c *Client) halve(n int) {
	c.mu.Lock()
	c.batchSize = max(1, n/2)
	c.fitted = 0
	c.mu.Unlock()
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
	// Read before the batch is taken: none of its items is counted here,
	// even one a visit's Send acknowledges meanwhile.
	mark := c.markSettled()
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
	req.Audit = c.auditHead()
	stats := SyncStats{Sent: len(subs)}
	release := func(cause error) (SyncStats, error) {
		if err := c.q.Release(ids); err != nil {
			return stats, fmt.Errorf("%w: release: %v (after %v)", ErrQueue, err, cause)
		}
		stats.Released = len(ids)
		return stats, cause
	}
	if err := c.seal(req.Items); err != nil {
		return release(err)
	}

	var resp api.BatchResponse
	_, _, err = c.do(ctx, http.MethodPost, "/v1/submissions:batch", req, &resp, api.IdempotencyKeyHeader, key)
	var se *StatusError
	switch {
	case err == nil:
	case errors.As(err, &se) && se.Status == http.StatusRequestEntityTooLarge && len(subs) > 1:
		c.halve(len(subs))
		c.log.Warn("batch too large; halving", "items", len(subs))
		return release(err)
	case timedOut(ctx, err) && len(subs) > 1:
		// On a slow link a batch that takes longer than the timeout would
		// time out again at the same size for ever. Whatever the server
		// committed meanwhile is answered as a duplicate on the resend.
		c.halve(len(subs))
		c.log.Warn("batch timed out; halving", "items", len(subs), "err", err)
		return release(fmt.Errorf("%w: %w", errSplit, err))
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
		if qerr := c.q.Quarantine(subs[0].ID, fmt.Sprintf("%s%d %s %s", kiosk.ReasonRefused, se.Status, se.Problem.Code, se.Problem.Message)); qerr != nil {
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
			if err := c.q.Quarantine(s.ID, kiosk.ReasonRefused+r.Reason); err != nil {
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
	if resp.Held != nil {
		// The back office counted after storing this batch: what it
		// acknowledged now is held too.
		mark.n += stats.Acknowledged
		if err := c.checkHeld(mark, *resp.Held); err != nil {
			return stats, err
		}
	}
	c.mu.Lock()
	c.lastSync = c.clock.Now()
	if len(subs) == c.batchSize && c.batchSize < c.fullSize {
		if c.fitted++; c.fitted >= growAfter {
			c.batchSize, c.fitted = min(c.fullSize, 2*c.batchSize), 0
		}
	}
	c.mu.Unlock()
	return stats, nil
}

// LossAware is a queue that can tell how many of its submissions the back
// office acknowledged and send them all again (kiosk/outbox). The uplink
// uses it when the queue given to it has it.
type LossAware interface {
	Settled() (int, error)
	ResendAcknowledged() (resent, purged int, err error)
}

// settledMark is what the queue counted as acknowledged before a request
// went out (for a batch, before its items were taken, plus those its
// answer acknowledged), and how many resends this client had made by then.
type settledMark struct {
	n      int
	resend uint64
	err    error
	ok     bool // the queue is LossAware
}

// markSettled reads the queue's acknowledged count before a request whose
// answer carries the back office's held count.
func (c *Client) markSettled() settledMark {
	la, ok := c.q.(LossAware)
	if !ok {
		return settledMark{}
	}
	c.mu.Lock()
	m := settledMark{resend: c.resends, ok: true}
	c.mu.Unlock()
	m.n, m.err = la.Settled()
	return m
}

// checkHeld compares what the back office says it holds for this terminal
// with what the queue counted as acknowledged before the request was sent
// (mark, with a batch's own acknowledgements). Fewer held means it lost some (a database restored from an older
// backup): everything the queue still has is sent again; the back office
// answers duplicates for what it kept.
//
// The comparison is made at every answer, not only when the count goes
// down: submissions new since a restore can hide a small loss in a count
// that still went up. Every submission counted in mark was committed at
// the back office before the request was sent, so held, counted while the
// request was under way, includes them all unless some were lost; answers
// coming back in any order, and acknowledgements made meanwhile (a visit's
// Send, another batch), cannot make it look short. The answer itself is
// the proof: no second request is needed to confirm it (one that could be
// refused, 429 or a timeout, leaving a real loss unbelieved until the
// next answer, or for good when that one is the last).
// A shortfall that cannot be made good (submissions purged here before the
// loss) is remembered, so it does not resend everything at every answer; a
// larger one is a new loss.
func (c *Client) checkHeld(mark settledMark, held int64) error {
	if !mark.ok {
		return nil
	}
	if mark.err != nil {
		return fmt.Errorf("%w: %v", ErrQueue, mark.err)
	}
	la := c.q.(LossAware)
	c.checking.Lock()
	defer c.checking.Unlock()
	settled := mark.n
	c.mu.Lock()
	known, since := c.shortfall, c.resends != mark.resend
	c.mu.Unlock()
	if since {
		// A resend after mark was read put back to pending all that mark
		// counted and was still acknowledged: this loss is being made good.
		return nil
	}
	if int64(settled)-held <= known {
		return nil
	}
	resent, purged, err := la.ResendAcknowledged()
	if err != nil {
		return fmt.Errorf("%w: resend: %v", ErrQueue, err)
	}
	// Once the resent ones are acknowledged again, what remains short is
	// at most what was purged here: remember that much.
	c.mu.Lock()
	c.shortfall = min(int64(settled)-held, int64(purged))
	c.resends++
	c.mu.Unlock()
	c.log.Error("the back office holds fewer of this terminal's submissions than it acknowledged (restored from a backup?); sending again what the queue still has",
		"held", held, "acknowledged", settled, "resent", resent, "already_purged", purged)
	detail := fmt.Sprintf("the back office holds %d of this terminal's submissions but acknowledged %d: %d sent again", held, settled, resent)
	if lost := settled - int(held) - resent; lost > 0 && purged > 0 {
		detail += fmt.Sprintf("; up to %d were purged here already and cannot be resent", min(lost, purged))
	}
	c.Alarm(api.AlarmQueueDamaged, "backoffice", detail)
	if resent > 0 {
		c.Notify() // what was put back to pending goes out now
	}
	return nil
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
			if itemCaused(err) || errors.Is(err, errSplit) {
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
