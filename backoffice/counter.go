package backoffice

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

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
// of its own center's.
func visible(r *http.Request, a store.Appointment) bool {
	c := callerOf(r)
	return c.center == "" || c.center == a.Slot.Center
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
	day, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("date"), shanghai)
	if err != nil {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "date must be given as YYYY-MM-DD", false))
		return
	}
	slots, err := s.st.Slots(r.Context(), center, day, day.AddDate(0, 0, 1))
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	resp := api.SlotsResponse{Slots: []api.Slot{}}
	for _, sl := range slots {
		resp.Slots = append(resp.Slots, apiSlot(sl))
	}
	writeJSON(w, http.StatusOK, resp)
}

func apiSlot(sl store.Slot) api.Slot {
	return api.Slot{ID: sl.ID, Center: sl.Center, Service: sl.Service, Start: sl.Start, Capacity: sl.Capacity, Available: sl.Capacity - sl.Booked}
}

func apiAppointment(a store.Appointment) api.Appointment {
	return api.Appointment{ID: a.ID, SlotID: a.SlotID, Center: a.Slot.Center, Service: a.Slot.Service, ItemCode: a.ItemCode, Start: a.Slot.Start, State: a.State, CreatedAt: a.CreatedAt}
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
	// Slot.Center limits the booking to the terminal's own center: a slot
	// of another center is not found.
	a, err := s.bookNumbered(r.Context(), rand.Reader, store.Appointment{SlotID: req.SlotID, ItemCode: req.ItemCode,
		HolderHash: s.lookupHash("居民身份证", req.HolderIDNo), CreatedAt: s.now(), Slot: store.Slot{Center: callerOf(r).center}})
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeProblem(w, newProblem(http.StatusNotFound, api.CodeNotFound, "there is no such appointment slot", false))
	case errors.Is(err, store.ErrSlotFull):
		writeProblem(w, newProblem(http.StatusConflict, api.CodeSlotFull, "this slot is fully booked; choose another time", false))
	case err != nil:
		writeProblem(w, s.storeProblem(err))
	default:
		writeJSON(w, http.StatusCreated, apiAppointment(a))
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
		writeJSON(w, http.StatusOK, apiAppointment(a))
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
		writeJSON(w, http.StatusOK, apiAppointment(a))
	}
}
