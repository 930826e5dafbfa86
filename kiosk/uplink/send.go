package uplink

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
)

// RefusedError is the back office refusing a submission's content for
// good: it is quarantined in the queue for staff, and will not be sent
// again by itself.
type RefusedError struct {
	Status int    // the HTTP status, 0 when the refusal came per item
	Reason string // the back office's words, for staff; no personal data
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the back office refused the submission: %s", e.Reason)
}

// ErrNoAnswerYet is Send's error when the back office took the request but
// asked for the item to be sent again later: it stays pending.
var ErrNoAnswerYet = errors.New("uplink: the back office will answer later")

// Send uploads the one submission s, already stored in the queue, and
// applies the answer there: this submission, not the oldest pending ones,
// so a resident's receipt can carry its own official number. It returns
// the official receipt number; a *RefusedError when the back office
// refused the content (s is quarantined); any other error when it did not
// answer in time or could not serve (s stays pending, and Run's drain is
// woken to send it with the others).
//
// It may race Run's drain sending the same submission: the back office's
// unique key on (terminal, client ID) returns the same official number to
// both, and the queue takes a repeated acknowledgement as a no-op.
func (c *Client) Send(ctx context.Context, s kiosk.Submission) (string, error) {
	subs := []kiosk.Submission{s}
	key := batchKey(c.cfg.Terminal, subs)
	req := api.BatchRequest{BatchID: key, Items: []api.SubmissionItem{toWire(s, c.cfg.Display)}}
	if err := c.seal(req.Items); err != nil {
		return "", err // s stays pending: the drain tries again
	}
	var resp api.BatchResponse
	_, _, err := c.do(ctx, http.MethodPost, "/v1/submissions:batch", req, &resp, api.IdempotencyKeyHeader, key)
	var se *StatusError
	switch {
	case err == nil:
	case itemCaused(err) && errors.As(err, &se):
		refused := &RefusedError{Status: se.Status, Reason: fmt.Sprintf("%d %s %s", se.Status, se.Problem.Code, se.Problem.Message)}
		if qerr := c.q.Quarantine(s.ID, kiosk.ReasonRefused+refused.Reason); qerr != nil {
			return "", fmt.Errorf("%w: quarantine: %v (after %v)", ErrQueue, qerr, refused)
		}
		return "", refused
	default:
		c.Notify()
		return "", err
	}
	for _, r := range resp.Results {
		if r.ClientID != s.ID {
			continue
		}
		switch {
		case (r.Outcome == api.OutcomeAccepted || r.Outcome == api.OutcomeDuplicate) && r.OfficialReceipt != "":
			if err := c.q.Acknowledge(s.ID, r.OfficialReceipt); err != nil {
				return "", fmt.Errorf("%w: acknowledge: %v", ErrQueue, err)
			}
			c.mu.Lock()
			c.lastSync = c.clock.Now()
			c.mu.Unlock()
			return r.OfficialReceipt, nil
		case r.Outcome == api.OutcomeRejected && !r.Retryable:
			if err := c.q.Quarantine(s.ID, kiosk.ReasonRefused+r.Reason); err != nil {
				return "", fmt.Errorf("%w: quarantine: %v", ErrQueue, err)
			}
			c.log.Warn("submission quarantined", "local_receipt", s.LocalReceipt, "reason", r.Reason)
			return "", &RefusedError{Reason: r.Reason}
		}
	}
	c.Notify()
	return "", ErrNoAnswerYet
}
