package terminal

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
)

// TestBundleReachesTheBackOfficeInParts walks 新生儿出生一件事 on the whole
// terminal to the real back office on loopback: 测试甲's card is read, he
// fills the one combined form (the child's details asked once for three
// items), signs once, and gets one receipt listing the three parts with
// their numbers. The back office holds one submission with a part per
// item, each with the answers of its own fields; staff take in one part
// and return another, and the third, and the bundle, stay where they were.
func TestBundleReachesTheBackOfficeInParts(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators, the back office and the uplink")
	}
	const (
		bundle    kiosk.ItemCode = "yjs-newborn"
		child     string         = "310104202501010020" // synthetic, born 2025-01-01
		childName string         = "测试丙"
	)
	st := newSimTerminal(t, nil)
	s := st.session
	st.waitState(t, flow.Attract)
	s.Start()
	st.waitState(t, flow.Identify)
	st.sims.Reader.Place(sim.SampleResident())
	st.waitState(t, flow.Browse)
	s.SelectItem(bundle)
	v := st.waitState(t, flow.ItemDetail)
	if !s.CanApply() {
		t.Fatalf("cannot apply for %s: %q", bundle, v.Notice.ZH)
	}
	s.Apply()
	asked := map[string]int{}
	for range 20 {
		v := s.View()
		if v.State != flow.FormPage {
			break
		}
		for _, f := range v.Fields {
			asked[f.ID]++
		}
		fillFormWith(t, s, map[string]string{
			"child_name": childName, "child_id_number": child, "child_birth_cert": "Q310000001",
			"child_birth_date": "2025-01-01", "child_relation": "father",
			"bank_account": "6222020000001", "bank_account_confirm": "6222020000001",
		})
	}
	for id, n := range asked {
		if n != 1 {
			t.Errorf("field %s asked %d times", id, n)
		}
	}
	st.waitState(t, flow.Review)
	s.SetConsent(true)
	s.Confirm()
	st.waitState(t, flow.Sign)
	s.Signed(smallPNG(t))
	done := st.waitState(t, flow.Done)

	r := done.Receipt
	if r == nil || len(r.Parts) != 3 {
		t.Fatalf("receipt %+v: want three parts", r)
	}
	for i, p := range r.Parts {
		if (p.Number != kiosk.PartNumber(r.LocalReceipt, i+1) && p.Number != kiosk.PartNumber(r.Official, i+1)) || p.Name.ZH == "" {
			t.Errorf("receipt part %d: %+v", i+1, p)
		}
	}
	eventually(t, "receipt printed with its parts", func() (bool, string) {
		text := strings.Join(st.sims.Printer.Lines(), "\n")
		return strings.Contains(text, "分项办理") && strings.Contains(text, "育儿补贴申领") && strings.Contains(text, r.Parts[2].Number), text
	})
	eventually(t, "official receipt number", func() (bool, string) {
		r = st.session.View().Receipt
		if r == nil {
			return false, "no receipt"
		}
		return r.Official != "", r.LocalReceipt
	})

	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(st.cfg.DataDir, "backoffice", "backoffice.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := backoffice.SealStore(db, filepath.Join(st.cfg.DataDir, "backoffice", "keys")); err != nil {
		t.Fatal(err)
	}
	sub, err := db.SubmissionByReceipt(ctx, r.Official)
	if err != nil {
		t.Fatal(err)
	}
	var held api.SubmissionItem
	if err := json.Unmarshal(sub.Payload, &held); err != nil {
		t.Fatal(err)
	}
	wantParts := []string{"child-medical-enrolment", "child-social-security-card", "childcare-subsidy"}
	if sub.AffairsCode != string(bundle) || len(held.Parts) != len(wantParts) {
		t.Fatalf("back office holds %s with %d parts", sub.AffairsCode, len(held.Parts))
	}
	for i, p := range held.Parts {
		if p.AffairsCode != wantParts[i] || p.No != i+1 {
			t.Errorf("part %d: %s", i+1, p.AffairsCode)
		}
		// The child's name goes to every part; the bank card only to the
		// subsidy, the pick-up centre only to the card.
		if !containsStr(p.Fields, "child_name") || !mapHasValue(p.Display, childName) {
			t.Errorf("part %s lacks the child's name: %v %v", p.AffairsCode, p.Fields, p.Display)
		}
		if got := containsStr(p.Fields, "bank_account"); got != (p.AffairsCode == "childcare-subsidy") {
			t.Errorf("part %s takes the bank card: %v", p.AffairsCode, got)
		}
		if got := containsStr(p.Fields, "pickup_centre"); got != (p.AffairsCode == "child-social-security-card") {
			t.Errorf("part %s takes the pick-up centre: %v", p.AffairsCode, got)
		}
	}

	parts, err := db.Parts(ctx, sub.Terminal, sub.ClientID)
	if err != nil || len(parts) != 3 {
		t.Fatalf("stored parts %+v, %v", parts, err)
	}
	at := time.Now()
	if err := db.SetPartState(ctx, r.Official, 1, store.StateAccepted, store.StateTaken, "", "", "staff1", at); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPartState(ctx, r.Official, 3, store.StateAccepted, store.StateReturned, "不符合申请条件", "Not eligible", "staff1", at); err != nil {
		t.Fatal(err)
	}
	parts, _ = db.Parts(ctx, sub.Terminal, sub.ClientID)
	for i, want := range []string{store.StateTaken, store.StateAccepted, store.StateReturned} {
		if parts[i].State != want || parts[i].Receipt != store.PartReceipt(r.Official, i+1) {
			t.Errorf("part %d: %s %s, want %s", i+1, parts[i].State, parts[i].Receipt, want)
		}
	}
	if sub, _ := db.SubmissionByReceipt(ctx, r.Official); sub.State != store.StateInProgress {
		t.Errorf("the bundle is %s, want in-progress while part 2 waits", sub.State)
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func mapHasValue(m map[string]string, v string) bool {
	for _, x := range m {
		if x == v {
			return true
		}
	}
	return false
}
