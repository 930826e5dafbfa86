package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
)

// submitBundle uploads a 新生儿出生一件事 of three parts and returns its
// official receipt number.
func (tm *terminal) submitBundle(t testing.TB, e *env) string {
	t.Helper()
	tm.n++
	it := api.SubmissionItem{
		ClientID:     fmt.Sprintf("0190a5c4-0000-7000-9000-%012d", tm.n),
		LocalReceipt: localReceipt(tm.id, tm.n), Terminal: tm.id, Center: tm.center,
		CreatedAt: e.clk.Now().Add(-time.Minute), Lang: "zh", Consent: true,
		Applicant: api.Applicant{IDType: "1", IDNo: testIDNo, FullName: testName, Sex: "2"},
		Affairs: api.Affairs{Platform: "4", AffairsCode: "yjs-newborn", AffairsName: "新生儿出生一件事",
			FormData: api.FormData{Fields: map[string]string{"child_name": "测试丙", "bank_account": "6222000000000000"},
				Display: map[string]string{"孩子姓名": "测试丙", "本人银行卡号": "6222000000000000"}}},
		Parts: []api.Part{
			{No: 1, AffairsCode: "child-medical-enrolment", AffairsName: "未成年子女（含新生儿）参加居民医保登记", Fields: []string{"child_name"}, Display: map[string]string{"孩子姓名": "测试丙"}},
			{No: 2, AffairsCode: "child-social-security-card", AffairsName: "新生儿社会保障卡申领", Fields: []string{"child_name"}, Display: map[string]string{"孩子姓名": "测试丙"}},
			{No: 3, AffairsCode: "childcare-subsidy", AffairsName: "育儿补贴申领", Fields: []string{"child_name", "bank_account"}, Display: map[string]string{"孩子姓名": "测试丙", "本人银行卡号": "6222000000000000"}},
		},
		Signature: tinyPNG,
	}
	if tm.ids == nil {
		tm.ids = map[string]string{}
	}
	tm.ids[it.LocalReceipt] = it.ClientID
	body, _ := json.Marshal(api.BatchRequest{BatchID: "b", Items: []api.SubmissionItem{it}})
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/v1/submissions:batch", bytes.NewReader(body))
	req.Header.Set(api.IdempotencyKeyHeader, it.ClientID)
	req.Header.Set("Content-Type", "application/json")
	resp, err := tm.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var br api.BatchResponse
	if err := json.NewDecoder(resp.Body).Decode(&br); err != nil || len(br.Results) != 1 || br.Results[0].OfficialReceipt == "" {
		t.Fatalf("upload: %d %+v %v", resp.StatusCode, br, err)
	}
	return br.Results[0].OfficialReceipt
}

// TestBundlePartsInTheConsole: staff see a bundle's parts, each with its
// own number, answers and buttons; taking one in and returning another
// moves only those, and the resident's progress page shows each part's
// state in both languages.
func TestBundlePartsInTheConsole(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		official := xh.submitBundle(t, e)
		page := "/console/submissions/" + official
		staff := e.browser().login("staff1", password)
		staff.get(page).must(200, "分项办理", official+"-1", official+"-2", official+"-3", "育儿补贴申领", "本人银行卡号")
		if n := strings.Count(staff.body, `class="card part"`); n != 3 {
			t.Fatalf("%d parts shown, want 3", n)
		}
		part := func(no int) string { return fmt.Sprintf("%s/parts/%d/move", page, no) }
		staff.post(part(1), url.Values{"from": {"accepted"}, "to": {"taken"}}).must(200)
		staff.post(part(3), url.Values{"from": {"accepted"}, "to": {"returned"}, "reason": {"reason.eligible"}, "note": {"孩子已满三周岁"}}).must(200)
		// Pressing again on a stale page is refused, not applied twice.
		staff.post(part(3), url.Values{"from": {"accepted"}, "to": {"returned"}, "reason": {"reason.eligible"}}).must(http.StatusConflict)
		staff.post(part(9), url.Values{"from": {"accepted"}, "to": {"taken"}}).must(http.StatusNotFound)
		staff.post(part(2), url.Values{"from": {"accepted"}, "to": {"returned"}}).must(http.StatusBadRequest)

		staff.get(page)
		for no, want := range map[int]string{1: "已受理", 2: "待受理", 3: "已退回"} {
			got := regexpFind(fmt.Sprintf(`id="part-%d-state">[^<]*`, no), staff.body)
			if !strings.HasSuffix(got, want) {
				t.Errorf("part %d shows %q, want %s", no, got, want)
			}
		}
		// The bundle as a whole is in progress, and is not moved on its own.
		if !strings.Contains(staff.body, `id="state">办理中`) || strings.Contains(staff.body, `id="do-returned"`) {
			t.Error("the bundle's own state does not follow its parts, or offers its own moves")
		}
		staff.post(page+"/move", url.Values{"from": {"in-progress"}, "to": {"returned"}, "reason": {"reason.eligible"}}).must(http.StatusConflict)
		staff.get(page)
		if got := regexpFind(`id="part-2-state">[^<]*`, staff.body); !strings.HasSuffix(got, "待受理") {
			t.Errorf("a refused whole-bundle return moved part 2: %q", got)
		}

		phone := e.browser()
		phone.get(xh.progressPath(t, localReceipt(terminalXH, 1))).must(200, "新生儿出生一件事",
			official+"-1", "已受理", "Taken in", official+"-3", "已退回", "Returned", "不符合申请条件：孩子已满三周岁")
		if strings.Contains(phone.body, "6222000000000000") || strings.Contains(phone.body, "测试丙") {
			t.Fatal("the public page shows a part's answers")
		}
	})
}
