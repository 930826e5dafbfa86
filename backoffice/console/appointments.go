package console

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/kiosk"
)

// The appointments page lists and manages appointments by place: a
// center's counters, its district's marriage registry, an assessment
// hospital. Center staff see the places of their center's district and
// manage their own center's (its slots, closing it, marking visits); a
// city operator sees and manages every place.

type apptData struct {
	Center string // the operator's center filter, as before places
	Week   bool
	Places []store.Place // the places this user may see
	Place  store.Place   // the place shown
	Manage bool          // the user may add slots, close it and mark visits
	Rows   []store.Appointment
	Slots  []store.Slot
	Day    string // the add-slots form's default day
}

// visiblePlaces are the places a user may see: an operator every place,
// center staff the places of their center's district (their own
// counters only, when their center has no place kept).
func (c *Console) visiblePlaces(q *req) ([]store.Place, error) {
	if q.user.Role == store.RoleOperator {
		ps, err := c.st.Places(q.r.Context(), "")
		if err != nil {
			return nil, err
		}
		if center := centerOf(q); center != "" && !hasPlace(ps, center) {
			ps = append(ps, store.Place{ID: center, Kind: store.PlaceCenter, Center: center})
		}
		return ps, nil
	}
	own, err := c.st.BookablePlaces(q.r.Context(), q.user.Center, store.PlaceCenter)
	if err != nil || len(own) == 0 || own[0].District == "" {
		return own, err
	}
	return c.st.Places(q.r.Context(), own[0].District)
}

func hasPlace(ps []store.Place, id string) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

// mayManage reports whether the user may change place p: an operator any,
// center staff their own center's counters.
func mayManage(q *req, p store.Place) bool {
	return q.user.Role == store.RoleOperator || (p.Kind == store.PlaceCenter && p.Center == q.user.Center && p.Center != "")
}

// chosenPlace is the place named by the request (place=, or the user's
// center) among those visible; false when it is not one of them.
func (c *Console) chosenPlace(q *req, id string) (store.Place, []store.Place, bool, error) {
	ps, err := c.visiblePlaces(q)
	if err != nil {
		return store.Place{}, nil, false, err
	}
	if id == "" {
		id = centerOf(q)
	}
	for _, p := range ps {
		if p.ID == id {
			return p, ps, true, nil
		}
	}
	return store.Place{}, ps, id == "", nil
}

func (c *Console) appointments(q *req) {
	d := apptData{Center: centerOf(q), Week: q.r.URL.Query().Get("range") == "week"}
	p, ps, ok, err := c.chosenPlace(q, strings.TrimSpace(q.r.FormValue("place")))
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	if !ok {
		c.fail(q, http.StatusNotFound, "err.notfound")
		return
	}
	d.Places, d.Place, d.Manage = ps, p, p.ID != "" && mayManage(q, p)
	now := c.now().In(shanghai)
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, shanghai)
	d.Day = from.AddDate(0, 0, 1).Format("2006-01-02")
	if p.ID != "" {
		to := from.AddDate(0, 0, 1)
		if d.Week {
			to = from.AddDate(0, 0, 7)
		}
		if d.Rows, err = c.st.PlaceAppointments(q.r.Context(), p.ID, from, to); err == nil {
			d.Slots, err = c.st.PlaceSlots(q.r.Context(), p.ID, "", from, to)
		}
		if err != nil {
			c.storeFailed(q, err)
			return
		}
		if p.Closed {
			d.Slots = nil // a closed place lists none; say so instead
		}
	}
	c.render(q, http.StatusOK, "appointments", "appt.title", d)
}

// apptPage is the appointments page of place p, for the redirect after a
// change.
func apptPage(q *req, p store.Place) string {
	to := Prefix + "appointments?place=" + urlEscape(p.ID)
	if q.user.Role == store.RoleOperator && p.Center != "" {
		to += "&center=" + urlEscape(p.Center)
	}
	return to
}

func (c *Console) visit(q *req) {
	id, visit := q.r.PathValue("id"), q.r.PostFormValue("visit")
	a, err := c.st.Appointment(q.r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		c.fail(q, http.StatusNotFound, "err.notfound")
		return
	} else if err != nil {
		c.storeFailed(q, err)
		return
	}
	p, _, ok, err := c.chosenPlace(q, a.Slot.Place)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	if !ok || p.ID == "" || !mayManage(q, p) {
		c.fail(q, http.StatusNotFound, "err.notfound") // another center's: as if it did not exist
		return
	}
	if err := c.st.MarkVisit(q.r.Context(), id, visit); errors.Is(err, store.ErrBadTransition) {
		c.fail(q, http.StatusConflict, "err.input")
		return
	} else if err != nil {
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "appointment."+visit, id, "")
	back(q, apptPage(q, p), "ok.visit")
}

var (
	slotItem  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	slotTimes = regexp.MustCompile(`^\d{2}:\d{2}$`)
)

// Bounds of the add-slots form.
const (
	maxSlotCapacity = 500
	maxSlotTimes    = 24
)

// addSlots keeps slots at a place for one day: the times given, each with
// the capacity, for one item or any. A slot already kept at the same
// time keeps its bookings and takes the new capacity, never below them.
func (c *Console) addSlots(q *req) {
	p, _, ok, err := c.chosenPlace(q, strings.TrimSpace(q.r.PostFormValue("place")))
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	if !ok || p.ID == "" || !mayManage(q, p) {
		c.fail(q, http.StatusNotFound, "err.notfound")
		return
	}
	to := apptPage(q, p) + "&range=week"
	day, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(q.r.PostFormValue("day")), shanghai)
	capacity, cerr := strconv.Atoi(strings.TrimSpace(q.r.PostFormValue("capacity")))
	item := strings.TrimSpace(q.r.PostFormValue("item"))
	times := strings.FieldsFunc(q.r.PostFormValue("times"), func(r rune) bool { return r == ',' || r == ' ' || r == '，' })
	switch {
	case err != nil || day.Before(time.Date(c.now().In(shanghai).Year(), c.now().In(shanghai).Month(), c.now().In(shanghai).Day(), 0, 0, 0, 0, shanghai)):
		back(q, to, "err.slotday")
		return
	case cerr != nil || capacity < 1 || capacity > maxSlotCapacity:
		back(q, to, "err.slotcapacity")
		return
	case item != "" && !slotItem.MatchString(item):
		back(q, to, "err.slotitem")
		return
	case len(times) == 0 || len(times) > maxSlotTimes:
		back(q, to, "err.slottimes")
		return
	}
	hours, herr := kiosk.ParseHours(p.Hours)
	var slots []store.Slot
	for _, t := range times {
		at, err := time.ParseInLocation("2006-01-02 15:04", day.Format("2006-01-02")+" "+t, shanghai)
		if !slotTimes.MatchString(t) || err != nil {
			back(q, to, "err.slottimes")
			return
		}
		if herr == nil && p.Hours != "" && !hours.Open(at) {
			back(q, to, "err.slothours") // outside the place's opening hours
			return
		}
		id := p.ID + "-" + at.Format("20060102-1504")
		if item != "" {
			id += "-" + item
		}
		slots = append(slots, store.Slot{ID: id, Center: p.Center, Place: p.ID, Item: item, Start: at.UTC(), Capacity: capacity, Service: "appointment"})
	}
	for _, sl := range slots {
		if err := c.st.PutSlot(q.r.Context(), sl); err != nil {
			// The one refusal a form can cause: fewer places than booked.
			c.log.Warn("slot not kept", "slot", sl.ID, "err", err)
			back(q, to, "err.slotbooked")
			return
		}
	}
	c.audit(q, "slots.put", p.ID, day.Format("2006-01-02")+" "+strings.Join(times, ",")+" ×"+strconv.Itoa(capacity)+" "+item)
	back(q, to, "ok.slots")
}

// closePlace closes a place for now (its slots are no longer listed or
// booked; what is booked stays) or opens it again.
func (c *Console) closePlace(q *req) {
	p, _, ok, err := c.chosenPlace(q, q.r.PathValue("id"))
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	if !ok || p.ID == "" || !mayManage(q, p) || p.Kind == store.PlaceCenter && p.NameZH == "" {
		c.fail(q, http.StatusNotFound, "err.notfound")
		return
	}
	closed := q.r.PostFormValue("closed") == "1"
	if err := c.st.SetPlaceClosed(q.r.Context(), p.ID, closed); err != nil {
		c.storeFailed(q, err)
		return
	}
	action := "place.opened"
	if closed {
		action = "place.closed"
	}
	c.audit(q, action, p.ID, "")
	back(q, apptPage(q, p), "ok.place")
}
