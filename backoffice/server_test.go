package backoffice

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
)

func TestBatchPerItemResults(t *testing.T) {
	f := newFixture(t, true)
	noConsent := item(3, terminalA)
	noConsent.Consent = false
	badID := item(4, terminalA)
	badID.Applicant.IDNo = badIDNo
	other := item(5, "SH-XH-0002")
	rec := f.do("POST", "/v1/submissions:batch", terminalA, batch(item(1, terminalA), item(2, terminalA), noConsent, badID, other), "Idempotency-Key", "k1")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	res := decode[api.BatchResponse](t, rec).Results
	wantOutcome := []api.Outcome{api.OutcomeAccepted, api.OutcomeAccepted, api.OutcomeRejected, api.OutcomeRejected, api.OutcomeRejected}
	for i, r := range res {
		if r.Outcome != wantOutcome[i] {
			t.Errorf("item %d: %+v", i, r)
		}
		if r.Outcome == api.OutcomeRejected && (r.Reason == "" || r.Retryable) {
			t.Errorf("item %d: rejection must say why and not be retryable: %+v", i, r)
		}
	}
	if !strings.Contains(res[2].Reason, "consent") || !strings.Contains(res[3].Reason, "check digit") || !strings.Contains(res[4].Reason, "another terminal") {
		t.Errorf("reasons: %q / %q / %q", res[2].Reason, res[3].Reason, res[4].Reason)
	}
	// Same key, same body: the stored answer.
	again := f.do("POST", "/v1/submissions:batch", terminalA, batch(item(1, terminalA), item(2, terminalA), noConsent, badID, other), "Idempotency-Key", "k1")
	if again.Body.String() != rec.Body.String() || again.Header().Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay differs: %s", again.Body)
	}
	// New key, items already stored: duplicates with the original numbers.
	dup := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalA, batch(item(2, terminalA), item(1, terminalA)), "Idempotency-Key", "k2")).Results
	if dup[0].Outcome != api.OutcomeDuplicate || dup[0].OfficialReceipt != res[1].OfficialReceipt || dup[1].OfficialReceipt != res[0].OfficialReceipt {
		t.Errorf("duplicates: %+v", dup)
	}
	// Same client ID, different content: refused, the original kept.
	changed := item(1, terminalA)
	changed.Affairs.AffairsName = "别的事项"
	cf := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalA, batch(changed), "Idempotency-Key", "k3")).Results
	if cf[0].Outcome != api.OutcomeRejected || cf[0].Retryable {
		t.Errorf("conflict: %+v", cf)
	}
	counts, _ := f.st.CountSubmissions(context.Background(), terminalA)
	if len(counts) != 2 {
		t.Errorf("stored %v", counts)
	}
	if strings.Contains(f.logs.String(), testIDNo) || strings.Contains(f.logs.String(), "张测试") {
		t.Errorf("personal data in the log:\n%s", f.logs)
	}
}

func TestBatchBadInput(t *testing.T) {
	f := newFixture(t, true)
	good, _ := json.Marshal(batch(item(1, terminalA)))
	var fifty []api.SubmissionItem
	for i := range api.MaxBatchItems + 1 {
		fifty = append(fifty, item(i, terminalA))
	}
	tooMany, _ := json.Marshal(batch(fifty...))
	tests := []struct {
		name, terminal, key string
		body                string
		status              int
		code                string
	}{
		{"no terminal", "", "k", string(good), 401, api.CodeUnauthenticated},
		{"no key", terminalA, "", string(good), 400, api.CodeMissingKey},
		{"not json", terminalA, "k", `{"items":[`, 400, api.CodeMalformed},
		{"wrong type", terminalA, "k", `{"items":"x"}`, 400, api.CodeMalformed},
		{"unknown field", terminalA, "k", `{"items":[],"admin":true}`, 400, api.CodeUnknownField},
		{"two values", terminalA, "k", string(good) + `{}`, 400, api.CodeMalformed},
		{"empty", terminalA, "k", `{"items":[]}`, 400, api.CodeMalformed},
		{"too many", terminalA, "k", string(tooMany), 413, api.CodeTooLarge},
		{"too big", terminalA, "k", `{"batch_id":"` + strings.Repeat("x", api.MaxBatchBytes) + `"}`, 413, api.CodeTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.do("POST", "/v1/submissions:batch", tc.terminal, tc.body, "Idempotency-Key", tc.key)
			if rec.Code != tc.status || problemCode(t, rec) != tc.code {
				t.Fatalf("got %d %s, want %d %s", rec.Code, rec.Body, tc.status, tc.code)
			}
		})
	}
	// An item with an unknown field is rejected alone.
	mixed := `{"batch_id":"m","items":[` + string(mustJSON(item(7, terminalA))) + `,{"client_id":"0190a5c4-0000-7000-8000-000000000008","extra":1}]}`
	res := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalA, mixed, "Idempotency-Key", "mixed")).Results
	if res[0].Outcome != api.OutcomeAccepted || res[1].Outcome != api.OutcomeRejected || !strings.Contains(res[1].Reason, "extra") || res[1].ClientID == "" {
		t.Fatalf("mixed: %+v", res)
	}
	// A key reused for another body.
	f.do("POST", "/v1/submissions:batch", terminalA, good, "Idempotency-Key", "reuse")
	rec := f.do("POST", "/v1/submissions:batch", terminalA, mustJSON(batch(item(2, terminalA))), "Idempotency-Key", "reuse")
	if rec.Code != 422 || problemCode(t, rec) != api.CodeKeyReused {
		t.Fatalf("reused key: %d %s", rec.Code, rec.Body)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestStatus(t *testing.T) {
	f := newFixture(t, true)
	res := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalA, batch(item(1, terminalA)), "Idempotency-Key", "k")).Results
	for _, receipt := range []string{res[0].OfficialReceipt, item(1, terminalA).LocalReceipt} {
		rec := f.do("GET", "/v1/receipts/"+receipt, terminalA, nil)
		st := decode[api.StatusResponse](t, rec)
		if rec.Code != 200 || st.OfficialReceipt != res[0].OfficialReceipt || st.State != "accepted" || st.ProgressZH != "已受理，等待审核。5个工作日内无其他通知即为受理成功。" || !strings.HasPrefix(st.ProgressEN, "Accepted and waiting") || st.AffairsName != "老年综合津贴申请" {
			t.Errorf("status of %s: %d %+v", receipt, rec.Code, st)
		}
		if strings.Contains(rec.Body.String(), testIDNo) {
			t.Errorf("status answer holds personal data")
		}
	}
	if rec := f.do("GET", "/v1/receipts/SQ2026", terminalA, nil); rec.Code != 404 || problemCode(t, rec) != api.CodeNotFound {
		t.Errorf("unknown: %d %s", rec.Code, rec.Body)
	}
}

func TestBundlesServed(t *testing.T) {
	f := newFixture(t, true)
	if rec := f.do("GET", "/v1/bundles/catalog", terminalA, nil); rec.Code != 404 {
		t.Fatalf("none published: %d", rec.Code)
	}
	for want := uint64(1); want <= 2; want++ {
		v, err := f.srv.PublishBundle(context.Background(), bundle.KindCatalog, []byte(`{"items":[]}`))
		if err != nil || v != want {
			t.Fatalf("publish: %d, %v", v, err)
		}
	}
	rec := f.do("GET", "/v1/bundles/catalog", terminalA, nil)
	env, err := bundle.NewVerifier(f.keys.Signer.PublicKey()).Verify(rec.Body.Bytes(), bundle.KindCatalog, 1)
	if rec.Code != 200 || err != nil || env.Version != 2 || rec.Header().Get("ETag") != `"v2"` {
		t.Fatalf("bundle: %d %v %+v", rec.Code, err, env)
	}
	if rec := f.do("GET", "/v1/bundles/catalog", terminalA, nil, "If-None-Match", `"v2"`); rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", rec.Code)
	}
	if rec := f.do("GET", "/v1/bundles/secrets", terminalA, nil); rec.Code != 404 {
		t.Errorf("unknown kind: %d", rec.Code)
	}
	hb := api.Heartbeat{Terminal: terminalA, Version: "0.1", SentAt: testNow.Add(-3 * time.Minute), QueueDepth: 3, Available: true,
		Devices: []api.DeviceStatus{{Kind: "printer", State: "online", Paper: "low"}}}
	rec = f.do("POST", "/v1/heartbeats", terminalA, hb)
	resp := decode[api.HeartbeatResponse](t, rec)
	if rec.Code != 200 || resp.CatalogVersion != 2 || !resp.ServerTime.Equal(testNow) {
		t.Fatalf("heartbeat: %d %+v", rec.Code, resp)
	}
	if rec := f.do("POST", "/v1/heartbeats", terminalA, api.Heartbeat{Terminal: "SH-XH-0002"}); rec.Code != 403 {
		t.Errorf("heartbeat for another terminal: %d", rec.Code)
	}
}

func TestAlarms(t *testing.T) {
	f := newFixture(t, true)
	rec := f.do("POST", "/v1/alarms", terminalA, api.Alarm{Terminal: terminalA, Kind: api.AlarmPaperOut, Device: "printer", RaisedAt: testNow})
	if rec.Code != 202 {
		t.Fatalf("alarm: %d %s", rec.Code, rec.Body)
	}
	alarms, _ := f.st.Alarms(context.Background(), terminalA, 5)
	if len(alarms) != 1 || alarms[0].Kind != "paper-out" {
		t.Fatalf("stored: %+v", alarms)
	}
	if !strings.Contains(f.logs.String(), "ALARM") {
		t.Errorf("alarm not logged for staff")
	}
	if rec := f.do("POST", "/v1/alarms", terminalA, api.Alarm{Terminal: terminalA, Kind: "coffee"}); rec.Code != 400 {
		t.Errorf("unknown kind: %d", rec.Code)
	}
	// What a device says reaches the console without control or
	// right-to-left characters.
	rec = f.do("POST", "/v1/alarms", terminalA, api.Alarm{Terminal: terminalA, Kind: api.AlarmDeviceFault, Device: "printer\u202E",
		Detail: "cutter\x1b[2J jammed\u2066", RaisedAt: testNow})
	if rec.Code != 202 {
		t.Fatalf("alarm: %d %s", rec.Code, rec.Body)
	}
	alarms, _ = f.st.Alarms(context.Background(), terminalA, 5)
	if len(alarms) != 2 || alarms[0].Device != "printer" || alarms[0].Detail != "cutter[2J jammed" {
		t.Errorf("stored: %+v", alarms)
	}
}

func TestCounterAndAppointments(t *testing.T) {
	f := newFixture(t, true)
	if err := f.srv.SeedDemo(context.Background(), "XH01"); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"A001", "A002"} {
		rec := f.do("POST", "/v1/centers/XH01/tickets", terminalA, api.TicketRequest{Service: "A"})
		tk := decode[api.Ticket](t, rec)
		if rec.Code != 201 || tk.Number != want || tk.Waiting != i {
			t.Errorf("ticket %d: %d %+v", i, rec.Code, tk)
		}
	}
	if rec := f.do("POST", "/v1/centers/XH01/tickets", terminalA, api.TicketRequest{Service: "a1"}); rec.Code != 400 {
		t.Errorf("bad service: %d", rec.Code)
	}
	rec := f.do("GET", "/v1/centers/XH01/slots?date=2026-07-02", terminalA, nil)
	slots := decode[api.SlotsResponse](t, rec).Slots
	if rec.Code != 200 || len(slots) != 7 || slots[0].Available != 4 {
		t.Fatalf("slots: %d %+v", rec.Code, slots)
	}
	if rec := f.do("GET", "/v1/centers/XH01/slots?date=tomorrow", terminalA, nil); rec.Code != 400 {
		t.Errorf("bad date: %d", rec.Code)
	}
	var last api.Appointment
	for range 4 {
		rec := f.do("POST", "/v1/appointments", terminalA, api.BookRequest{SlotID: slots[0].ID, ItemCode: "MZ01", HolderIDNo: testIDNo})
		if rec.Code != 201 {
			t.Fatalf("book: %d %s", rec.Code, rec.Body)
		}
		last = decode[api.Appointment](t, rec)
		if !validAppointmentNumber(last.ID) {
			t.Errorf("appointment number %q is not six symbols to read out", last.ID)
		}
	}
	if rec := f.do("POST", "/v1/appointments", terminalA, api.BookRequest{SlotID: slots[0].ID, ItemCode: "MZ01", HolderIDNo: testIDNo}); rec.Code != 409 || problemCode(t, rec) != api.CodeSlotFull {
		t.Errorf("full: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do("POST", "/v1/appointments", terminalA, api.BookRequest{SlotID: slots[1].ID, ItemCode: "MZ01", HolderIDNo: badIDNo}); rec.Code != 400 {
		t.Errorf("bad id number: %d", rec.Code)
	}
	if rec := f.do("GET", "/v1/appointments/"+last.ID, terminalA, nil); rec.Code != 200 || decode[api.Appointment](t, rec).State != "booked" {
		t.Errorf("get: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do("DELETE", "/v1/appointments/"+last.ID, terminalA, nil); rec.Code != 200 || decode[api.Appointment](t, rec).State != "cancelled" {
		t.Errorf("cancel: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do("DELETE", "/v1/appointments/"+last.ID, terminalA, nil); rec.Code != 409 {
		t.Errorf("cancel twice: %d", rec.Code)
	}
	if rec := f.do("GET", "/v1/appointments/nope", terminalA, nil); rec.Code != 404 {
		t.Errorf("unknown: %d", rec.Code)
	}
}

func TestLicenceLookup(t *testing.T) {
	f := newFixture(t, true)
	if err := f.srv.SeedDemo(context.Background(), "XH01"); err != nil {
		t.Fatal(err)
	}
	ev, _ := f.srv.issueEvent(terminalA, DemoHolderID, "suishenma", testNow)
	q := api.LicenceQuery{HolderType: HolderResident, HolderCode: DemoHolderID, ItemCode: "312000374000", ItemName: "残疾人交通补贴", Identification: ev}
	rec := f.do("POST", "/v1/licences:query", terminalA, q)
	ls := decode[api.LicencesResponse](t, rec).Licences
	if rec.Code != 200 || len(ls) != 2 {
		t.Fatalf("lookup: %d %s", rec.Code, rec.Body)
	}
	q.CatMain = "CJZ"
	if ls := decode[api.LicencesResponse](t, f.do("POST", "/v1/licences:query", terminalA, q)).Licences; len(ls) != 1 || ls[0].CatMain != "CJZ" {
		t.Errorf("by catalog code: %+v", ls)
	}
	q.ItemName = ""
	if rec := f.do("POST", "/v1/licences:query", terminalA, q); rec.Code != 400 {
		t.Errorf("no item name: %d", rec.Code)
	}
	if strings.Contains(f.logs.String(), DemoHolderID) {
		t.Errorf("holder in the log")
	}
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatalf("the OpenAPI document is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, o := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
			if _, ok := o["responses"]; !ok {
				t.Errorf("%s %s documents no responses", method, path)
			}
		}
	}
	f := newFixture(t, true)
	served := map[string]bool{}
	for _, r := range f.srv.Routes() {
		served[r] = true
		if !documented[r] {
			t.Errorf("served but not documented: %s", r)
		}
	}
	for r := range documented {
		if !served[r] {
			t.Errorf("documented but not served: %s", r)
		}
	}
	// Every $ref points at a schema that exists.
	var raw map[string]any
	json.Unmarshal(api.OpenAPIDocument(), &raw)
	schemas := raw["components"].(map[string]any)["schemas"].(map[string]any)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if _, ok := schemas[strings.TrimPrefix(ref, "#/components/schemas/")]; !ok {
					t.Errorf("dangling $ref %s", ref)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(raw)
	rec := f.do("GET", "/openapi.json", "", nil)
	if rec.Code != 200 || !json.Valid(rec.Body.Bytes()) {
		t.Errorf("served document: %d", rec.Code)
	}
}

// TestAuditUnwritableAlarmAccepted: the terminal's alarm for an event its
// audit trail could not record is stored, not refused as an unknown kind.
func TestAuditUnwritableAlarmAccepted(t *testing.T) {
	f := newFixture(t, true)
	rec := f.do("POST", "/v1/alarms", terminalA, api.Alarm{Terminal: terminalA, Kind: api.AlarmAuditUnwritable, Detail: "the audit trail could not record a staff.login event", RaisedAt: testNow})
	if rec.Code != 202 {
		t.Fatalf("audit-unwritable alarm: %d %s", rec.Code, rec.Body)
	}
	alarms, _ := f.st.Alarms(context.Background(), terminalA, 5)
	if len(alarms) != 1 || alarms[0].Kind != string(api.AlarmAuditUnwritable) {
		t.Errorf("stored: %+v", alarms)
	}
}
