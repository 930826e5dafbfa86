package console

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
)

// partView is one part of a 一件事 bundle on the submission's page: its
// own number, state and form, and the moves staff may make on it alone.
type partView struct {
	store.Part
	Fields []field
	Next   []string
}

// partsOf lists a bundle submission's parts with the answers each takes
// (the display copy the terminal sent for it); none for one item.
func (c *Console) partsOf(q *req, sub store.Submission, item api.SubmissionItem) ([]partView, bool) {
	parts, err := c.st.Parts(q.r.Context(), sub.Terminal, sub.ClientID)
	if err != nil {
		c.storeFailed(q, err)
		return nil, false
	}
	out := make([]partView, len(parts))
	for i, p := range parts {
		out[i] = partView{Part: p, Next: store.NextStates(p.State)}
		for _, ip := range item.Parts {
			if ip.No != p.No {
				continue
			}
			for k, v := range ip.Display {
				out[i].Fields = append(out[i].Fields, field{k, v})
			}
			sort.Slice(out[i].Fields, func(a, b int) bool { return out[i].Fields[a].Label < out[i].Fields[b].Label })
		}
	}
	return out, true
}

// reasonOf is the reason, in both languages, staff give for moving a
// submission or a part to state to: a listed reason and a note for 退回,
// what to bring for 需补件; ok false when it is missing.
func reasonOf(q *req, to string) (zh, en string, ok bool) {
	f := q.r.PostFormValue
	note := strings.TrimSpace(clip(f("note"), 500))
	switch to {
	case store.StateReturned:
		reason := f("reason")
		if _, ok := words[reason]; !ok || !strings.HasPrefix(reason, "reason.") {
			return "", "", false
		}
		zh, en = word("zh", reason), word("en", reason)
		if note != "" {
			zh, en = zh+"："+note, en+": "+note
		}
	case store.StateNeedMore:
		if note == "" {
			return "", "", false
		}
		zh, en = "请带来："+note, "Please bring: "+note
	}
	return zh, en, true
}

// movePart moves one part of a bundle submission; the others stay where
// they are (a part returned does not return the bundle).
func (c *Console) movePart(q *req) {
	sub, ok := c.loadSubmission(q)
	if !ok {
		return
	}
	no, err := strconv.Atoi(q.r.PathValue("no"))
	if err != nil || no < 1 || no > api.MaxParts {
		c.fail(q, http.StatusNotFound, "err.notfound")
		return
	}
	to, from := q.r.PostFormValue("to"), q.r.PostFormValue("from")
	zh, en, ok := reasonOf(q, to)
	if !ok {
		c.fail(q, http.StatusBadRequest, "err.reason")
		return
	}
	err = c.st.SetPartState(q.r.Context(), sub.OfficialReceipt, no, from, to, zh, en, q.user.Username, c.now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.fail(q, http.StatusNotFound, "err.notfound")
		return
	case errors.Is(err, store.ErrBadTransition):
		c.fail(q, http.StatusConflict, "err.move")
		return
	case err != nil:
		c.storeFailed(q, err)
		return
	}
	receipt := store.PartReceipt(sub.OfficialReceipt, no)
	c.audit(q, "submission.part.move", receipt, from+" → "+to)
	back(q, Prefix+"submissions/"+url.PathEscape(sub.OfficialReceipt)+"#part-"+strconv.Itoa(no), "ok.moved")
}
