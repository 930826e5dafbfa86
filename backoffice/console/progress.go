package console

import (
	"errors"
	"net/http"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
)

// ProgressPrefix is where the receipt's QR code points
// (kiosk/scancode.ProgressLink: …/q/<local receipt number>?k=<progress
// key>): a resident's phone opens it without an account. The number
// without its key (api.ProgressKey) shows nothing.
const ProgressPrefix = "/q/"

// progressView is what the public progress page shows: the item, the
// receipt numbers, the state and the staff's reason, in both languages.
// Never the applicant's name, ID number or form.
type progressView struct {
	Local, Official string
	Item            string
	State           string
	ReasonZH        string
	ReasonEN        string
	Updated         time.Time
	// Parts, for a 一件事 bundle, say where each part is.
	Parts []store.Part
}

// progress answers a receipt's QR link. Lookups of numbers that do not
// exist count against the asking address as failed log-ins do, so the
// page cannot be used to walk through receipt numbers.
func (c *Console) progress(q *req) {
	addr, now := remoteAddr(q.r), c.now()
	if c.throttle.blocked(addr, now) {
		c.renderProgress(q, http.StatusTooManyRequests, nil)
		return
	}
	receipt := q.r.PathValue("receipt")
	if receipt == "" || len(receipt) > 64 {
		c.renderProgress(q, http.StatusNotFound, nil)
		return
	}
	sub, err := c.st.SubmissionByReceipt(q.r.Context(), receipt)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.throttle.fail(addr, now)
		c.renderProgress(q, http.StatusNotFound, nil)
		return
	case err != nil && !errors.Is(err, store.ErrSealed):
		c.log.Error("store failure", "pattern", q.r.Pattern, "err", err)
		c.renderProgress(q, http.StatusServiceUnavailable, nil)
		return
	}
	if !api.ProgressKeyMatches(sub.ClientID, q.r.URL.Query().Get(api.ProgressKeyParam)) {
		// The number without the key from the receipt's QR code: a guess
		// or a number seen over a shoulder. It shows nothing, and counts as
		// a failed try.
		c.throttle.fail(addr, now)
		c.renderProgress(q, http.StatusNotFound, nil)
		return
	}
	v := &progressView{Local: sub.LocalReceipt, Official: sub.OfficialReceipt, Item: sub.AffairsName,
		State: sub.State, ReasonZH: sub.ReasonZH, ReasonEN: sub.ReasonEN, Updated: sub.StateAt}
	if v.Updated.IsZero() {
		v.Updated = sub.ReceivedAt
	}
	if v.Parts, err = c.st.Parts(q.r.Context(), sub.Terminal, sub.ClientID); err != nil {
		c.log.Error("store failure", "pattern", q.r.Pattern, "err", err)
		c.renderProgress(q, http.StatusServiceUnavailable, nil)
		return
	}
	c.renderProgress(q, http.StatusOK, v)
}

func (c *Console) renderProgress(q *req, status int, v *progressView) {
	c.render(q, status, "progress", "progress.title", struct {
		View   *progressView
		Status int
	}{v, status})
}
