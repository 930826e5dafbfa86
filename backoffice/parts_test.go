package backoffice

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
)

// bundleItem is item n as a 身后一件事 of two parts.
func bundleItem(n int, terminal string) api.SubmissionItem {
	it := item(n, terminal)
	it.Affairs.AffairsCode, it.Affairs.AffairsName = "yjs-after-death", "身后一件事"
	it.Affairs.FormData = api.FormData{Fields: map[string]string{"deceased_name": "测试戊", "bank_account": "6222020000001"},
		Display: map[string]string{"逝者姓名": "测试戊", "本人银行卡号": "6222020000001"}}
	it.Parts = []api.Part{
		{No: 1, AffairsCode: "after-death-benefits-stop", AffairsName: "逝者民政待遇停发", Fields: []string{"deceased_name"}, Display: map[string]string{"逝者姓名": "测试戊"}},
		{No: 2, AffairsCode: "after-death-insurance-settlement", AffairsName: "逝者社会保险待遇结算", Fields: []string{"deceased_name", "bank_account"},
			Display: map[string]string{"逝者姓名": "测试戊", "本人银行卡号": "6222020000001"}},
	}
	return it
}

// TestBundlePartsSurviveResends: a bundle sent, a part returned by staff,
// then the same bundle sent again (a lost answer: with the same key, then
// with a new key, and with its labels changed by a newer catalog) is one
// submission whose parts keep their states; the status answer says where
// each part is.
func TestBundlePartsSurviveResends(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	send := func(key string, it api.SubmissionItem) api.ItemResult {
		t.Helper()
		rec := f.do("POST", "/v1/submissions:batch", terminalA, batch(it), "Idempotency-Key", key)
		res := decode[api.BatchResponse](t, rec).Results
		if rec.Code != 200 || len(res) != 1 {
			t.Fatalf("batch %s: %d %s", key, rec.Code, rec.Body.String())
		}
		return res[0]
	}
	first := send("k1", bundleItem(1, terminalA))
	if first.Outcome != api.OutcomeAccepted {
		t.Fatalf("first: %+v", first)
	}
	official := first.OfficialReceipt
	if err := f.st.SetPartState(ctx, official, 2, store.StateAccepted, store.StateReturned, "材料不全", "Documents incomplete", "staff1", testNow); err != nil {
		t.Fatal(err)
	}
	relabelled := bundleItem(1, terminalA)
	relabelled.Parts[1].Display = map[string]string{"逝者姓名（新）": "测试戊"}
	for i, resend := range []struct {
		key string
		it  api.SubmissionItem
	}{{"k1", bundleItem(1, terminalA)}, {"k2", bundleItem(1, terminalA)}, {"k3", relabelled}} {
		got := send(resend.key, resend.it)
		if got.OfficialReceipt != official || (i > 0 && got.Outcome != api.OutcomeDuplicate) {
			t.Fatalf("resend %d: %+v", i+1, got)
		}
	}
	if n, _ := f.st.CountSubmissions(ctx, terminalA); len(n) != 1 {
		t.Fatalf("%d submissions stored", len(n))
	}
	st := decode[api.StatusResponse](t, f.do("GET", "/v1/receipts/"+official, terminalA, nil))
	if len(st.Parts) != 2 {
		t.Fatalf("status parts: %+v", st.Parts)
	}
	if p := st.Parts[0]; p.State != store.StateAccepted || p.Receipt != official+"-1" || p.ProgressZH == "" {
		t.Errorf("part 1: %+v", p)
	}
	if p := st.Parts[1]; p.State != store.StateReturned || p.ReasonZH != "材料不全" || p.ReasonEN != "Documents incomplete" {
		t.Errorf("part 2 after resends: %+v", p)
	}
	if st.State != store.StateInProgress {
		t.Errorf("the bundle is %s, want in-progress (one part returned, one waiting)", st.State)
	}
}

// TestBadPartsRefused: parts out of order, repeated, alone or too many
// refuse the item alone, in plain words; the batch's other items are kept.
func TestBadPartsRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*api.SubmissionItem)
		want string
	}{
		{"one part", func(it *api.SubmissionItem) { it.Parts = it.Parts[:1] }, "at least two parts"},
		{"numbering", func(it *api.SubmissionItem) { it.Parts[1].No = 5 }, "numbered 1, 2"},
		{"twice", func(it *api.SubmissionItem) { it.Parts[1].AffairsCode = it.Parts[0].AffairsCode }, "a second time"},
		{"no name", func(it *api.SubmissionItem) { it.Parts[0].AffairsName = "" }, "needs its affairscode"},
		{"too many", func(it *api.SubmissionItem) {
			for i := 3; i <= api.MaxParts+1; i++ {
				it.Parts = append(it.Parts, api.Part{No: i, AffairsCode: fmt.Sprintf("x-%d", i), AffairsName: "x"})
			}
		}, "at most 8 parts"},
		{"long display", func(it *api.SubmissionItem) { it.Parts[0].Display["x"] = strings.Repeat("长", 2000) }, "too long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, true)
			bad := bundleItem(1, terminalA)
			tc.edit(&bad)
			rec := f.do("POST", "/v1/submissions:batch", terminalA, batch(bad, item(2, terminalA)), "Idempotency-Key", "k")
			res := decode[api.BatchResponse](t, rec).Results
			if len(res) != 2 || res[0].Outcome != api.OutcomeRejected || !strings.Contains(res[0].Reason, tc.want) || res[1].Outcome != api.OutcomeAccepted {
				t.Fatalf("results %+v, want the bundle refused (%q) and the other kept", res, tc.want)
			}
		})
	}
}
