package console

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/tongban/tongban/backoffice/store"
)

var (
	serviceCode = regexp.MustCompile(`^[A-Z]{1,2}$`)
	counterCode = regexp.MustCompile(`^[0-9A-Za-z]{1,8}$`)
)

type hourFigure struct {
	Hour          string
	Tickets       int
	Avg, Longest  string
	waited, calls float64
	longest       float64
}

type queueData struct {
	Center  string
	Counter string
	Service string
	Tickets []store.Ticket
	Current []store.Ticket
	Hours   []hourFigure
	Waiting int
}

// waitFigures are the tickets issued in each hour and how long those
// called waited from issue to first call, in minutes.
func waitFigures(ts []store.Ticket) []hourFigure {
	var out []hourFigure
	for _, t := range ts {
		h := t.IssuedAt.In(shanghai).Format("15:00")
		if len(out) == 0 || out[len(out)-1].Hour != h {
			out = append(out, hourFigure{Hour: h})
		}
		f := &out[len(out)-1]
		f.Tickets++
		if !t.CalledAt.IsZero() {
			w := t.CalledAt.Sub(t.IssuedAt).Minutes()
			f.waited += w
			f.calls++
			f.longest = max(f.longest, w)
		}
	}
	for i := range out {
		f := &out[i]
		f.Avg, f.Longest = "—", "—"
		if f.calls > 0 {
			f.Avg, f.Longest = fmt.Sprintf("%.1f", f.waited/f.calls), fmt.Sprintf("%.1f", f.longest)
		}
	}
	return out
}

func (c *Console) queue(q *req) {
	d := queueData{Center: centerOf(q), Counter: q.r.URL.Query().Get("counter"), Service: q.r.URL.Query().Get("service")}
	if !counterCode.MatchString(d.Counter) {
		d.Counter = "1"
	}
	if d.Center != "" {
		ts, err := c.st.Tickets(q.r.Context(), d.Center, store.ShanghaiDay(c.now()))
		if err != nil {
			c.storeFailed(q, err)
			return
		}
		d.Tickets = ts
		for _, t := range ts {
			if t.State == store.TicketCalled && t.Counter == d.Counter {
				d.Current = append(d.Current, t)
			}
			if t.State == store.TicketWaiting {
				d.Waiting++
			}
		}
		d.Hours = waitFigures(ts)
	}
	c.render(q, http.StatusOK, "queue", "queue.title", d)
}

func (c *Console) queueBack(q *req, counter, okKey string) {
	to := Prefix + "queue?counter=" + urlEscape(counter)
	if q.user.Role == store.RoleOperator {
		to += "&center=" + urlEscape(centerOf(q))
	}
	back(q, to, okKey)
}

func (c *Console) callNext(q *req) {
	center, counter, service := centerOf(q), q.r.PostFormValue("counter"), q.r.PostFormValue("service")
	if center == "" || !counterCode.MatchString(counter) || (service != "" && !serviceCode.MatchString(service)) {
		c.fail(q, http.StatusBadRequest, "err.input")
		return
	}
	t, err := c.st.CallNext(q.r.Context(), center, store.ShanghaiDay(c.now()), service, counter, c.now())
	switch {
	case errors.Is(err, store.ErrQueueEmpty):
		c.queueBack(q, counter, "err.empty")
		return
	case err != nil:
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "ticket.call", center+" "+t.Number(), "counter "+counter)
	c.queueBack(q, counter, "ok.called")
}

func (c *Console) ticketAction(q *req) {
	center, counter := centerOf(q), q.r.PostFormValue("counter")
	service, action := q.r.PathValue("service"), q.r.PathValue("action")
	seq, err := strconv.Atoi(q.r.PathValue("seq"))
	if center == "" || err != nil || !serviceCode.MatchString(service) || !counterCode.MatchString(counter) ||
		(action != "recall" && action != "skip" && action != "serve") {
		c.fail(q, http.StatusBadRequest, "err.input")
		return
	}
	t, err := c.st.SetTicket(q.r.Context(), center, store.ShanghaiDay(c.now()), service, seq, action, counter, c.now())
	switch {
	case errors.Is(err, store.ErrBadTransition), errors.Is(err, store.ErrNotFound):
		c.fail(q, http.StatusConflict, "err.ticket")
		return
	case err != nil:
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "ticket."+action, center+" "+t.Number(), "counter "+counter)
	c.queueBack(q, counter, "ok.ticket")
}

type hallData struct {
	Center string
	Latest *store.Ticket
	Called []store.Ticket
}

func (c *Console) hall(q *req) {
	d := hallData{Center: centerOf(q)}
	if d.Center != "" {
		called, err := c.st.Called(q.r.Context(), d.Center, store.ShanghaiDay(c.now()), 8)
		if err != nil {
			c.storeFailed(q, err)
			return
		}
		for i := range called {
			if called[i].State == store.TicketCalled && d.Latest == nil {
				d.Latest = &called[i]
				continue
			}
			d.Called = append(d.Called, called[i])
		}
	}
	c.render(q, http.StatusOK, "hall", "nav.hall", d)
}
