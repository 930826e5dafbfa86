package console

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
)

// centerOf is the center a request works on: the user's own, or for an
// operator the one asked for.
func centerOf(q *req) string {
	if q.user.Role == store.RoleOperator {
		return strings.TrimSpace(q.r.FormValue("center"))
	}
	return q.user.Center
}

// states lists every state a filter may choose.
var states = []string{store.StateAccepted, store.StateTaken, store.StateInProgress, store.StateDone, store.StateReturned, store.StateNeedMore}

// returnReasons are the reasons a submission can be returned for.
var returnReasons = []string{"reason.material", "reason.eligible", "reason.info", "reason.dup", "reason.other"}

type subListData struct {
	Center string
	F      store.SubmissionFilter
	From   string
	To     string
	Rows   []store.Submission
	States []string
	Page   int
	More   bool
	Query  string
	keep   url.Values
}

// With is the list's address with the filters kept and key set to value:
// a click on an item's or a terminal's name in the list filters by it.
func (d subListData) With(key, value string) string {
	v := url.Values{}
	for k, vs := range d.keep {
		v[k] = vs
	}
	v.Set(key, value)
	return Prefix + "submissions?" + v.Encode()
}

const pageSize = 50

func (c *Console) submissions(q *req) {
	v := q.r.URL.Query()
	d := subListData{Center: centerOf(q), States: states, From: v.Get("from"), To: v.Get("to")}
	d.F = store.SubmissionFilter{Center: d.Center, Item: strings.TrimSpace(v.Get("item")), State: v.Get("state"),
		Terminal: strings.TrimSpace(v.Get("terminal")), Limit: pageSize + 1}
	if t, err := time.ParseInLocation("2006-01-02", d.From, shanghai); err == nil {
		d.F.From = t
	}
	if t, err := time.ParseInLocation("2006-01-02", d.To, shanghai); err == nil {
		d.F.To = t.AddDate(0, 0, 1)
	}
	d.Page, _ = strconv.Atoi(v.Get("page"))
	d.Page = max(d.Page, 0)
	d.F.Offset = d.Page * pageSize
	if d.Center != "" {
		rows, err := c.st.ListSubmissions(q.r.Context(), d.F)
		if err != nil {
			c.storeFailed(q, err)
			return
		}
		if len(rows) > pageSize {
			rows, d.More = rows[:pageSize], true
		}
		d.Rows = rows
	}
	keep := url.Values{}
	for _, k := range []string{"center", "item", "state", "terminal", "from", "to"} {
		if v.Get(k) != "" {
			keep.Set(k, v.Get(k))
		}
	}
	d.Query, d.keep = keep.Encode(), keep
	c.render(q, http.StatusOK, "submissions", "sub.title", d)
}

type field struct{ Label, Value string }

type subDetail struct {
	Sub       store.Submission
	Item      api.SubmissionItem
	Fields    []field
	Signature template.URL // data: URL of the PNG, made here from its bytes
	Next      []string
	Reasons   []string
	// Parts, for a 一件事 bundle, are worked one by one.
	Parts []partView
}

// mayOpen: the whole form is for staff (and the director) of the
// submission's own center only.
func mayOpen(u store.User, sub store.Submission) bool {
	return (u.Role == store.RoleStaff || u.Role == store.RoleDirector) && u.Center != "" && u.Center == sub.Center
}

func (c *Console) submission(q *req) {
	sub, ok := c.loadSubmission(q)
	if !ok {
		return
	}
	d := subDetail{Sub: sub, Next: store.NextStates(sub.State), Reasons: returnReasons}
	if err := json.Unmarshal(sub.Payload, &d.Item); err != nil {
		c.log.Error("payload does not decode", "err", err)
	}
	for k, v := range d.Item.Affairs.FormData.Display {
		d.Fields = append(d.Fields, field{k, v})
	}
	sort.Slice(d.Fields, func(i, j int) bool { return d.Fields[i].Label < d.Fields[j].Label })
	if d.Parts, ok = c.partsOf(q, sub, d.Item); !ok {
		return
	}
	if len(sub.Signature) > 0 {
		d.Item.Signature = sub.Signature // stored apart from the payload
	}
	if len(d.Item.Signature) > 0 {
		d.Signature = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(d.Item.Signature))
	}
	c.audit(q, "submission.view", sub.OfficialReceipt, "")
	c.render(q, http.StatusOK, "submission", "sub.title", d)
}

// loadSubmission finds the submission of the route and checks the user
// may open it: 404 when it does not exist, 403 for another center.
func (c *Console) loadSubmission(q *req) (store.Submission, bool) {
	sub, err := c.st.SubmissionByReceipt(q.r.Context(), q.r.PathValue("receipt"))
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.fail(q, http.StatusNotFound, "err.notfound")
		return sub, false
	case err != nil:
		c.storeFailed(q, err)
		return sub, false
	case !mayOpen(q.user, sub):
		c.audit(q, "submission.refused", sub.OfficialReceipt, "another center")
		c.fail(q, http.StatusForbidden, "err.forbidden")
		return sub, false
	}
	return sub, true
}

func (c *Console) move(q *req) {
	sub, ok := c.loadSubmission(q)
	if !ok {
		return
	}
	if parts, err := c.st.Parts(q.r.Context(), sub.Terminal, sub.ClientID); err != nil {
		c.storeFailed(q, err)
		return
	} else if len(parts) > 0 {
		// A bundle is worked part by part; its own state follows them.
		c.fail(q, http.StatusConflict, "err.move")
		return
	}
	to, from := q.r.PostFormValue("to"), q.r.PostFormValue("from")
	zh, en, ok := reasonOf(q, to)
	if !ok {
		c.fail(q, http.StatusBadRequest, "err.reason")
		return
	}
	err := c.st.SetSubmissionState(q.r.Context(), sub.OfficialReceipt, from, to, zh, en, q.user.Username, c.now())
	switch {
	case errors.Is(err, store.ErrBadTransition):
		c.fail(q, http.StatusConflict, "err.move")
		return
	case err != nil:
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "submission.move", sub.OfficialReceipt, from+" → "+to)
	back(q, Prefix+"submissions/"+url.PathEscape(sub.OfficialReceipt), "ok.moved")
}
