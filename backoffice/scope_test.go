package backoffice

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
)

// Two enrolled terminals at two centers: what one may do at the other's.
const terminalPD = "SH-PD-0001"

func enrolledFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, true)
	ctx := context.Background()
	for _, tm := range []store.Terminal{{ID: terminalA, Center: "XH01"}, {ID: terminalPD, Center: "PD01"}} {
		tm.EnrolledAt = testNow
		if err := f.st.PutTerminal(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []string{"XH01", "PD01"} {
		if err := f.srv.SeedDemo(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// TestCrossCenterRefused: a terminal takes tickets and reads, books and
// cancels slots and appointments of its own center only; its own still
// work, before and after the attempts.
func TestCrossCenterRefused(t *testing.T) {
	f := enrolledFixture(t)
	book := func(terminal, slot string) *httptest.ResponseRecorder {
		return f.do("POST", "/v1/appointments", terminal, api.BookRequest{SlotID: slot, ItemCode: "MZ01", HolderIDNo: testIDNo})
	}
	xhSlot, pdSlot := "XH01-20260702-09", "PD01-20260702-09"
	rec := book(terminalA, xhSlot)
	if rec.Code != 201 {
		t.Fatalf("own booking: %d %s", rec.Code, rec.Body)
	}
	own := decode[api.Appointment](t, rec)

	tests := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"ticket at another center", "POST", "/v1/centers/XH01/tickets", api.TicketRequest{Service: "A"}, 403, api.CodeWrongCenter},
		{"ticket at a center that does not exist", "POST", "/v1/centers/NOWHERE/tickets", api.TicketRequest{Service: "A"}, 403, api.CodeWrongCenter},
		{"slots of another center", "GET", "/v1/centers/XH01/slots?date=2026-07-02", nil, 403, api.CodeWrongCenter},
		{"book another center's slot", "POST", "/v1/appointments", api.BookRequest{SlotID: xhSlot, ItemCode: "MZ01", HolderIDNo: testIDNo}, 404, api.CodeNotFound},
		{"read another center's appointment", "GET", "/v1/appointments/" + own.ID, nil, 404, api.CodeNotFound},
		{"cancel another center's appointment", "DELETE", "/v1/appointments/" + own.ID, nil, 404, api.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.do(tt.method, tt.path, terminalPD, tt.body)
			if rec.Code != tt.status || problemCode(t, rec) != tt.code {
				t.Errorf("%s %s by %s: %d %s, want %d %s", tt.method, tt.path, terminalPD, rec.Code, rec.Body, tt.status, tt.code)
			}
		})
	}
	// Nothing changed at XH01: the appointment is still booked, the slot
	// holds one booking, no ticket was taken there.
	if rec := f.do("GET", "/v1/appointments/"+own.ID, terminalA, nil); rec.Code != 200 || decode[api.Appointment](t, rec).State != store.AppointmentBooked {
		t.Errorf("own appointment after the attempts: %d %s", rec.Code, rec.Body)
	}
	slots := decode[api.SlotsResponse](t, f.do("GET", "/v1/centers/XH01/slots?date=2026-07-02", terminalA, nil)).Slots
	if len(slots) == 0 || slots[0].Available != 3 {
		t.Errorf("XH01 slots after the attempts: %+v", slots)
	}
	if tk := decode[api.Ticket](t, f.do("POST", "/v1/centers/XH01/tickets", terminalA, api.TicketRequest{Service: "A"})); tk.Number != "A001" {
		t.Errorf("XH01's first ticket is %q: another terminal took one there", tk.Number)
	}
	// Its own center still works for the other terminal.
	if rec := book(terminalPD, pdSlot); rec.Code != 201 {
		t.Errorf("PD01 books its own slot: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do("POST", "/v1/centers/PD01/tickets", terminalPD, api.TicketRequest{Service: "A"}); rec.Code != 201 {
		t.Errorf("PD01 ticket: %d %s", rec.Code, rec.Body)
	}
}

// TestFilingScoped: a terminal files under its own center and its own
// local receipt numbers only. A squatter's item is refused, and the
// owner's submission under that number is the one its residents see.
func TestFilingScoped(t *testing.T) {
	f := enrolledFixture(t)
	mine := item(1, terminalA)
	if res := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalA, batch(mine), "Idempotency-Key", "a1")).Results; res[0].Outcome != api.OutcomeAccepted {
		t.Fatalf("own filing: %+v", res)
	}

	squat := item(2, terminalPD)
	squat.LocalReceipt = item(3, terminalA).LocalReceipt // the owner's next number
	squat.Affairs.AffairsName = "攻击者的文字"
	prefixOfAnother := item(4, terminalPD)
	prefixOfAnother.LocalReceipt = terminalPD + "-X-20260701-0001"
	otherCenter := item(5, terminalPD)
	otherCenter.Center = "XH01"
	res := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalPD, batch(squat, prefixOfAnother, otherCenter), "Idempotency-Key", "p1")).Results
	for i, r := range res {
		if r.Outcome != api.OutcomeRejected || r.Retryable || r.Reason == "" {
			t.Errorf("item %d: %+v, want a permanent refusal", i, r)
		}
	}
	// The owner then files under its next number: accepted, and that
	// number shows the owner's item, not the attacker's text.
	next := item(3, terminalA)
	if res := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalA, batch(next), "Idempotency-Key", "a2")).Results; res[0].Outcome != api.OutcomeAccepted {
		t.Fatalf("owner's next: %+v", res)
	}
	st := decode[api.StatusResponse](t, f.do("GET", "/v1/receipts/"+next.LocalReceipt, terminalA, nil))
	if st.AffairsName != next.Affairs.AffairsName {
		t.Errorf("the owner's number shows %q", st.AffairsName)
	}
	// The center stored is the enrolment record's.
	got, err := f.st.SubmissionByReceipt(context.Background(), next.LocalReceipt)
	if err != nil || got.Center != "XH01" {
		t.Errorf("stored center %q, %v", got.Center, err)
	}
	if counts, _ := f.st.CountSubmissions(context.Background(), terminalPD); len(counts) != 0 {
		t.Errorf("the squatter's items were stored: %v", counts)
	}
}

// TestProgressQueryNeedsKey: another terminal asking by receipt number
// (sequential, so guessable) learns nothing; with the key from the
// receipt's QR code it gets the progress; the filing terminal always.
func TestProgressQueryNeedsKey(t *testing.T) {
	f := enrolledFixture(t)
	it := item(1, terminalA)
	res := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalA, batch(it), "Idempotency-Key", "a1")).Results
	key := api.ProgressKey(it.ClientID)
	tests := []struct {
		name, terminal, path string
		status               int
	}{
		{"filer, local number", terminalA, "/v1/receipts/" + it.LocalReceipt, 200},
		{"filer, official number", terminalA, "/v1/receipts/" + res[0].OfficialReceipt, 200},
		{"other, local number", terminalPD, "/v1/receipts/" + it.LocalReceipt, 404},
		{"other, official number", terminalPD, "/v1/receipts/" + res[0].OfficialReceipt, 404},
		{"other, wrong key", terminalPD, "/v1/receipts/" + it.LocalReceipt + "?k=" + api.ProgressKey(item(2, terminalA).ClientID), 404},
		{"other, empty key", terminalPD, "/v1/receipts/" + it.LocalReceipt + "?k=", 404},
		{"other, with the key", terminalPD, "/v1/receipts/" + it.LocalReceipt + "?k=" + key, 200},
		{"other, key in capitals", terminalPD, "/v1/receipts/" + res[0].OfficialReceipt + "?k=" + strings.ToUpper(key), 200},
	}
	for _, tt := range tests {
		rec := f.do("GET", tt.path, tt.terminal, nil)
		if rec.Code != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, rec.Code, rec.Body, tt.status)
		}
		if rec.Code == http.StatusNotFound && strings.Contains(rec.Body.String(), it.Affairs.AffairsName) {
			t.Errorf("%s: a refusal names the item", tt.name)
		}
	}
}

func TestProgressKey(t *testing.T) {
	for _, tt := range []struct{ id, want string }{
		{"0190a5c4-1b2c-7d3e-8f3a-0C1D2E4B5A69", "8f3a0c1d2e4b5a69"},
		{"", ""},
		{"0190a5c4-1b2c-7d3e-8f3a-0c1d2e4b5a6", ""},
		{"0190a5c41b2c7d3e8f3a0c1d2e4b5a69xxxx", ""},
	} {
		if got := api.ProgressKey(tt.id); got != tt.want {
			t.Errorf("ProgressKey(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
	if api.ProgressKeyMatches("", "") {
		t.Error("an empty key matches an empty client ID")
	}
}

// TestControlCharactersStoredClean: an item whose name, address and form
// carry right-to-left overrides and control characters (a terminal that
// did not clean them) is stored without them; sent again unchanged it is
// a duplicate, not a conflict.
func TestControlCharactersStoredClean(t *testing.T) {
	f := newFixture(t, true)
	it := item(1, terminalA)
	it.Applicant.FullName = "张\u202E测试"
	it.Applicant.JZNeighborhood = "测试路\u2066100弄\u2069\x1b1号"
	it.Affairs.FormData.Display = map[string]string{"发放\u200F银行": "工商\x00银行"}
	res := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalA, batch(it), "Idempotency-Key", "c1")).Results
	if res[0].Outcome != api.OutcomeAccepted {
		t.Fatalf("%+v", res)
	}
	sub, err := f.st.SubmissionByReceipt(context.Background(), it.LocalReceipt)
	if err != nil {
		t.Fatal(err)
	}
	stored := strings.ToLower(string(sub.Payload))
	for _, c := range []string{"\u202e", "\\u202e", "\u2066", "\u2069", "\\u001b", "\\u0000", "\u200f"} {
		if strings.Contains(stored, c) {
			t.Errorf("the stored payload holds %q: %s", c, sub.Payload)
		}
	}
	if !strings.Contains(string(sub.Payload), "张测试") || !strings.Contains(string(sub.Payload), "测试路100弄1号") || sub.NameMasked != MaskName("张测试") {
		t.Errorf("stored %s, masked %q", sub.Payload, sub.NameMasked)
	}
	again := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalA, batch(it), "Idempotency-Key", "c2")).Results
	if again[0].Outcome != api.OutcomeDuplicate || again[0].OfficialReceipt != res[0].OfficialReceipt {
		t.Errorf("resend: %+v", again)
	}
}
