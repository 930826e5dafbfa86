package backoffice

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
)

var (
	serviceCode = regexp.MustCompile(`^[A-Z]{1,2}$`)
	centerCode  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
	shanghai    = time.FixedZone("CST", 8*3600)
)

// ownCenter refuses a request about a center other than the calling
// terminal's own (from its enrolment record).
func ownCenter(r *http.Request, center string) *problem {
	if c := callerOf(r); c.center != "" && c.center != center {
		return newProblem(http.StatusForbidden, api.CodeWrongCenter, "this terminal serves another center; it may only use its own center's tickets and appointments", false)
	}
	return nil
}

// visible reports whether the calling terminal may see an appointment: one
// its own center booked (at its counters or at a place of its district).
func visible(r *http.Request, a store.Appointment) bool {
	c := callerOf(r)
	return c.center == "" || c.center == a.Center
}

func (s *Server) handleTicket(w http.ResponseWriter, r *http.Request, _ string) {
	center := r.PathValue("center")
	if !centerCode.MatchString(center) {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "the center code is not valid", false))
		return
	}
	if p := ownCenter(r, center); p != nil {
		writeProblem(w, p)
		return
	}
	var req api.TicketRequest
	if !readJSON(w, r, maxSmallBody, &req) {
		return
	}
	if !serviceCode.MatchString(req.Service) {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "service must be one or two capital letters, e.g. \"A\"", false))
		return
	}
	t, err := s.st.NextTicket(r.Context(), center, req.Service, s.now())
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	writeJSON(w, http.StatusCreated, api.Ticket{Center: center, Service: req.Service, Number: fmt.Sprintf("%s%03d", req.Service, t.Seq), Waiting: t.Waiting, IssuedAt: t.IssuedAt.UTC()})
}

// handleSlots lists the slots of a day at the places the terminal may
// book for an item: its center's counters, or (at=marriage-registry,
// assessment-hospital) the places of that kind in its center's district.
// A closed place lists none.
func (s *Server) handleSlots(w http.ResponseWriter, r *http.Request, _ string) {
	center := r.PathValue("center")
	if !centerCode.MatchString(center) {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "the center code is not valid", false))
		return
	}
	if p := ownCenter(r, center); p != nil {
		writeProblem(w, p)
		return
	}
	q := r.URL.Query()
	day, err := time.ParseInLocation("2006-01-02", q.Get("date"), shanghai)
	if err != nil {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "date must be given as YYYY-MM-DD", false))
		return
	}
	item, at := q.Get("item"), q.Get("at")
	if len(item) > maxShortString || (at != "" && !store.ValidPlaceKind(at)) {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "at must be center, marriage-registry or assessment-hospital, and item an item code", false))
		return
	}
	places, err := s.st.BookablePlaces(r.Context(), center, at)
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	resp := api.SlotsResponse{Slots: []api.Slot{}}
	for _, p := range places {
		if p.Closed {
			continue
		}
		slots, err := s.st.PlaceSlots(r.Context(), p.ID, item, day, day.AddDate(0, 0, 1))
		if err != nil {
			writeProblem(w, s.storeProblem(err))
			return
		}
		for _, sl := range slots {
			resp.Slots = append(resp.Slots, apiSlot(sl))
		}
		if p.NameZH != "" {
			resp.Places = append(resp.Places, apiPlace(p))
		}
	}
	sort.SliceStable(resp.Slots, func(i, j int) bool { return resp.Slots[i].Start.Before(resp.Slots[j].Start) })
	writeJSON(w, http.StatusOK, resp)
}

func apiSlot(sl store.Slot) api.Slot {
	return api.Slot{ID: sl.ID, Center: sl.Center, Service: sl.Service, Start: sl.Start, Capacity: sl.Capacity, Available: sl.Capacity - sl.Booked, Place: sl.Place, Item: sl.Item}
}

func apiPlace(p store.Place) api.Place {
	return api.Place{ID: p.ID, Kind: p.Kind, NameZH: p.NameZH, NameEN: p.NameEN, AddressZH: p.AddrZH, AddressEN: p.AddrEN, Hours: p.Hours}
}

// apiAppointment is the appointment with its place, when the place is
// named (a center without a place row: its counters, nil).
func (s *Server) apiAppointment(ctx context.Context, a store.Appointment) api.Appointment {
	out := api.Appointment{ID: a.ID, SlotID: a.SlotID, Center: a.Center, Service: a.Slot.Service, ItemCode: a.ItemCode, Start: a.Slot.Start, State: a.State, CreatedAt: a.CreatedAt}
	if p, err := s.st.Place(ctx, a.Slot.Place); err == nil && p.NameZH != "" {
		ap := apiPlace(p)
		out.Place = &ap
	}
	return out
}

// Bounds of a booking's answers and partner.
const (
	maxBookAnswers = 64
	maxPartnerName = 50 // characters
)

// bookProblem checks the answers and the partner of a booking.
func bookProblem(req api.BookRequest) string {
	if len(req.Answers) > maxBookAnswers {
		return fmt.Sprintf("answers has more than %d entries", maxBookAnswers)
	}
	for k, v := range req.Answers {
		if k == "" || len(k) > maxShortString || len(v) > maxFieldBytes || !utf8.ValidString(k) || !utf8.ValidString(v) {
			return "an answer is too long or not UTF-8"
		}
	}
	if p := req.Partner; p != nil {
		name := strings.TrimSpace(p.Name)
		switch {
		case name == "" || utf8.RuneCountInString(name) > maxPartnerName || !utf8.ValidString(name):
			return "partner.name must be the partner's name (at most 50 characters)"
		case !validResidentID(p.IDNo):
			return "partner.idno is not a valid resident ID number"
		case p.IDNo == req.HolderIDNo:
			return "the partner and the holder are the same person"
		}
	}
	return ""
}

func (s *Server) handleBook(w http.ResponseWriter, r *http.Request, _ string) {
	var req api.BookRequest
	if !readJSON(w, r, maxSmallBody, &req) {
		return
	}
	if req.SlotID == "" || req.ItemCode == "" || len(req.SlotID) > maxShortString || len(req.ItemCode) > maxShortString {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "slot_id and itemcode are required", false))
		return
	}
	if !validResidentID(req.HolderIDNo) {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "holder_idno is not a valid resident ID number", false))
		return
	}
	if msg := bookProblem(req); msg != "" {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, msg, false))
		return
	}
	a := store.Appointment{SlotID: req.SlotID, ItemCode: req.ItemCode,
		HolderHash: s.lookupHash("居民身份证", req.HolderIDNo), CreatedAt: s.now(), Center: callerOf(r).center}
	if req.Partner != nil {
		a.PartnerHash = s.lookupHash("居民身份证", req.Partner.IDNo)
	}
	if len(req.Answers) > 0 {
		var err error
		if a.Answers, err = json.Marshal(req.Answers); err != nil {
			writeProblem(w, s.storeProblem(err))
			return
		}
	}
	// Center limits the booking to the places the terminal's own center
	// may book: any other slot is not found.
	a, err := s.bookNumbered(r.Context(), rand.Reader, a)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeProblem(w, newProblem(http.StatusNotFound, api.CodeNotFound, "there is no such appointment slot", false))
	case errors.Is(err, store.ErrSlotFull):
		writeProblem(w, newProblem(http.StatusConflict, api.CodeSlotFull, "this slot is fully booked; choose another time", false))
	case errors.Is(err, store.ErrPlaceClosed):
		writeProblem(w, newProblem(http.StatusConflict, api.CodePlaceClosed, "this place is closed for now; choose another place or ask at the counter", false))
	case errors.Is(err, store.ErrPartnerNeeded):
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "a booking at a marriage registry must name the partner", false))
	case err != nil:
		writeProblem(w, s.storeProblem(err))
	default:
		writeJSON(w, http.StatusCreated, s.apiAppointment(r.Context(), a))
	}
}

func (s *Server) handleAppointment(w http.ResponseWriter, r *http.Request, _ string) {
	a, err := s.st.Appointment(r.Context(), r.PathValue("id"))
	if err == nil && !visible(r, a) {
		err = store.ErrNotFound // another center's: as if it did not exist
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeProblem(w, newProblem(http.StatusNotFound, api.CodeNotFound, "there is no such appointment", false))
	case err != nil:
		writeProblem(w, s.storeProblem(err))
	default:
		writeJSON(w, http.StatusOK, s.apiAppointment(r.Context(), a))
	}
}

func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request, _ string) {
	// An appointment never changes center, so reading it first is enough.
	a, err := s.st.Appointment(r.Context(), r.PathValue("id"))
	if err == nil && !visible(r, a) {
		err = store.ErrNotFound
	}
	if err == nil {
		a, err = s.st.CancelAppointment(r.Context(), r.PathValue("id"), s.now())
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeProblem(w, newProblem(http.StatusNotFound, api.CodeNotFound, "there is no such appointment", false))
	case errors.Is(err, store.ErrAlreadyCancelled):
		writeProblem(w, newProblem(http.StatusConflict, api.CodeAlreadyCancelled, "this appointment was already cancelled", false))
	case err != nil:
		writeProblem(w, s.storeProblem(err))
	default:
		writeJSON(w, http.StatusOK, s.apiAppointment(r.Context(), a))
	}
}
