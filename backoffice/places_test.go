package backoffice

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/tongban/tongban/backoffice/api"
)

// testPartnerIDNo is a synthetic ID number (valid check digit) of the
// other party of a marriage registration.
const testPartnerIDNo = "310104199203041529"

// TestAppointmentsAtPlaces: a terminal lists and books the slots of its
// district's marriage registry for the marriage item, with the partner;
// the booking names the place; the other district's terminal neither
// lists, books, reads nor cancels them; a closed registry books none.
func TestAppointmentsAtPlaces(t *testing.T) {
	f := enrolledFixture(t)
	ctx := context.Background()
	const path = "/v1/centers/XH01/slots?date=2026-07-02&item=marriage-appointment&at=marriage-registry"
	resp := decode[api.SlotsResponse](t, f.do("GET", path, terminalA, nil))
	if len(resp.Slots) != 6 || len(resp.Places) != 1 || resp.Places[0].ID != "XH-MR" || resp.Places[0].AddressZH == "" || resp.Slots[0].Place != "XH-MR" {
		t.Fatalf("registry slots: %+v", resp)
	}
	for _, sl := range resp.Slots {
		if sl.Place != "XH-MR" || sl.Item != "marriage-appointment" {
			t.Errorf("a slot of another place or item listed: %+v", sl)
		}
	}
	if got := decode[api.SlotsResponse](t, f.do("GET", "/v1/centers/XH01/slots?date=2026-07-02&item=disability-assessment-booking&at=marriage-registry", terminalA, nil)); len(got.Slots) != 0 {
		t.Errorf("registry slots for another item: %+v", got.Slots)
	}
	if rec := f.do("GET", "/v1/centers/XH01/slots?date=2026-07-02&at=moon", terminalA, nil); rec.Code != 400 {
		t.Errorf("an unknown kind of place: %d", rec.Code)
	}
	slot := resp.Slots[0].ID
	book := func(terminal string, req api.BookRequest) (int, string, api.Appointment) {
		rec := f.do("POST", "/v1/appointments", terminal, req)
		var a api.Appointment
		json.Unmarshal(rec.Body.Bytes(), &a)
		code := ""
		if rec.Code >= 400 {
			code = problemCode(t, rec)
		}
		return rec.Code, code, a
	}
	partner := &api.Party{Name: "测试乙", IDNo: testPartnerIDNo}
	answers := map[string]string{"reg_type": "marry", "partner_name": "测试乙", "partner_id": testPartnerIDNo}
	for _, c := range []struct {
		name     string
		terminal string
		req      api.BookRequest
		status   int
		code     string
	}{
		{"without the partner", terminalA, api.BookRequest{SlotID: slot, ItemCode: "marriage-appointment", HolderIDNo: testIDNo}, 400, api.CodeMalformed},
		{"a partner with a bad check digit", terminalA, api.BookRequest{SlotID: slot, ItemCode: "marriage-appointment", HolderIDNo: testIDNo, Partner: &api.Party{Name: "测试乙", IDNo: badIDNo}}, 400, api.CodeMalformed},
		{"the holder as the partner", terminalA, api.BookRequest{SlotID: slot, ItemCode: "marriage-appointment", HolderIDNo: testIDNo, Partner: &api.Party{Name: "测试乙", IDNo: testIDNo}}, 400, api.CodeMalformed},
		{"a partner without a name", terminalA, api.BookRequest{SlotID: slot, ItemCode: "marriage-appointment", HolderIDNo: testIDNo, Partner: &api.Party{Name: " ", IDNo: testPartnerIDNo}}, 400, api.CodeMalformed},
		{"another item", terminalA, api.BookRequest{SlotID: slot, ItemCode: "senior-card", HolderIDNo: testIDNo, Partner: partner}, 404, api.CodeNotFound},
		{"another district's terminal", terminalPD, api.BookRequest{SlotID: slot, ItemCode: "marriage-appointment", HolderIDNo: testIDNo, Partner: partner}, 404, api.CodeNotFound},
	} {
		if status, code, _ := book(c.terminal, c.req); status != c.status || code != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, status, code, c.status, c.code)
		}
	}
	status, _, a := book(terminalA, api.BookRequest{SlotID: slot, ItemCode: "marriage-appointment", HolderIDNo: testIDNo, Partner: partner, Answers: answers})
	if status != 201 || a.Place == nil || a.Place.ID != "XH-MR" || a.Place.NameZH != "徐汇区婚姻登记处" || a.Center != "XH01" {
		t.Fatalf("book the registry: %d %+v", status, a)
	}
	stored, err := f.st.Appointment(ctx, a.ID)
	if err != nil || stored.PartnerHash != f.srv.lookupHash("居民身份证", testPartnerIDNo) {
		t.Errorf("the partner is not kept as a keyed hash: %+v %v", stored, err)
	}
	if raw, err := f.st.AppointmentAnswers(ctx, a.ID); err != nil || !json.Valid(raw) {
		t.Errorf("answers: %q %v", raw, err)
	}
	if rec := f.do("GET", "/v1/appointments/"+a.ID, terminalA, nil); rec.Code != 200 || decode[api.Appointment](t, rec).Place == nil {
		t.Errorf("read it back: %d %s", rec.Code, rec.Body)
	}
	for _, m := range []string{"GET", "DELETE"} {
		if rec := f.do(m, "/v1/appointments/"+a.ID, terminalPD, nil); rec.Code != 404 {
			t.Errorf("%s by the other district: %d", m, rec.Code)
		}
	}
	// A closed registry lists no slot and books none.
	if err := f.st.SetPlaceClosed(ctx, "XH-MR", true); err != nil {
		t.Fatal(err)
	}
	if got := decode[api.SlotsResponse](t, f.do("GET", path, terminalA, nil)); len(got.Slots) != 0 || len(got.Places) != 0 {
		t.Errorf("a closed registry lists %+v", got)
	}
	if status, code, _ := book(terminalA, api.BookRequest{SlotID: resp.Slots[1].ID, ItemCode: "marriage-appointment", HolderIDNo: testIDNo, Partner: partner}); status != 409 || code != api.CodePlaceClosed {
		t.Errorf("book at a closed registry: %d %s", status, code)
	}
	// The assessment hospital of the district, for its item.
	hosp := decode[api.SlotsResponse](t, f.do("GET", "/v1/centers/PD01/slots?date=2026-07-02&item=disability-assessment-booking&at=assessment-hospital", terminalPD, nil))
	if len(hosp.Slots) != 3 || hosp.Places[0].ID != "PD-AH" {
		t.Fatalf("hospital slots: %+v", hosp)
	}
	if status, _, a := book(terminalPD, api.BookRequest{SlotID: hosp.Slots[0].ID, ItemCode: "disability-assessment-booking", HolderIDNo: testIDNo}); status != 201 || a.Place == nil || a.Place.Kind != api.PlaceAssessmentHospital {
		t.Errorf("book the hospital: %d %+v", status, a)
	}
}
