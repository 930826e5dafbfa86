package catalog

import (
	"slices"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// TestCurrentRules pins the stale rules issue 17 names, as updated:
// marriage registration without either 户口簿 and nationwide under decree
// 804 (in force 2025-05-10); 家庭共济 with all 近亲属; 失业登记 not limited
// to 本市户籍; 生育保险 and 医疗救助 under 市医疗保障局; no 2019 amount.
func TestCurrentRules(t *testing.T) {
	c := loadEmbedded(t)
	item := func(code kiosk.ItemCode) kiosk.Item {
		it, ok := c.Item(code)
		if !ok {
			t.Fatalf("no item %s", code)
		}
		return it
	}
	m := item("marriage-appointment")
	for _, mat := range m.Materials {
		if strings.Contains(mat.Name.ZH, "户口簿") {
			t.Errorf("marriage registration still asks for %s", mat.Name.ZH)
		}
	}
	if strings.Contains(m.AfterDone.ZH, "户口簿原件") || !strings.Contains(m.WhoCanApply.ZH, "全国通办") {
		t.Errorf("marriage texts: %q / %q", m.AfterDone.ZH, m.WhoCanApply.ZH)
	}
	if !slices.ContainsFunc(m.LegalBasis, func(b kiosk.LegalBasis) bool {
		return strings.Contains(b.Name, "804") && b.Effective == "2025-05-10"
	}) || m.Charge == nil || !m.Charge.Free {
		t.Errorf("marriage basis %+v, charge %+v: want decree 804 from 2025-05-10, free", m.LegalBasis, m.Charge)
	}
	share := item("family-account-sharing")
	if !strings.Contains(share.Summary.ZH, "近亲属") || !strings.Contains(share.Summary.ZH, "兄弟姐妹") {
		t.Errorf("家庭共济 summary %q: want 近亲属", share.Summary.ZH)
	}
	u := item("unemployment-registration")
	if strings.Contains(u.WhoCanApply.ZH, "本市户籍人员") || slices.ContainsFunc(u.Rules, func(r kiosk.Rule) bool { return strings.Contains(r.When, "hukou") }) {
		t.Errorf("失业登记 still limited to 本市户籍: %q %v", u.WhoCanApply.ZH, u.Rules)
	}
	for _, code := range []kiosk.ItemCode{"maternity-benefit", "medical-assistance"} {
		if d := item(code).Department; d != "YB" {
			t.Errorf("%s under %s, want YB (市医疗保障局)", code, d)
		}
	}
	for _, it := range c.Items() {
		for _, x := range residentTexts(&it) {
			if strings.Contains(x.t.ZH, "2019年标准") || strings.Contains(x.t.EN, "2019 rate") {
				t.Errorf("%s %s shows a 2019 amount: %q", it.Code, x.field, x.t.ZH)
			}
		}
	}
	// The 低保 table has the minors' standard and no step carried over.
	if _, err := c.Param("dibao_minor_standard", date(2021, 7, 1)); err != nil {
		t.Error(err)
	}
}
