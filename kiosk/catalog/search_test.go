package catalog

import (
	"testing"

	"github.com/tongban/tongban/kiosk"
)

func TestSearch(t *testing.T) {
	c := loadEmbedded(t)
	tests := []struct {
		query string
		top   kiosk.ItemCode // must be the first result
	}{
		// Chinese substrings and residents' words.
		{"老年综合津贴", "senior-allowance"},
		{"津贴", "senior-allowance"},
		{"敬老卡", "senior-card"},
		{"养老金", "pension-eligibility-check"},
		{"医保卡", "social-security-card"},
		{"居住证", "residence-permit"},
		{"低保", "dibao"},
		{"无犯罪", "no-criminal-record"},
		{"病历本", "outpatient-record-book"},
		// Pinyin: initials, full, partial, mixed, with spaces.
		{"ljt", "senior-allowance"},
		{"lnzhjt", "senior-allowance"},
		{"laonianzonghe", "senior-allowance"},
		{"laonian zonghe jintie", "senior-allowance"},
		{"jlk", "senior-card"},
		{"jinglaoka", "senior-card"},
		{"sbk", "social-security-card"},
		{"dibao", "dibao"},
		{"jzz", "residence-permit"},
		{"LJT", "senior-allowance"},
		// One character wrong, missing or extra.
		{"老年综合津帖", "senior-allowance"},
		{"老年综合贴", "senior-allowance"},
		{"laonianzonghejintei", "senior-allowance"},
		{"jinglaokaa", "senior-card"},
		// English.
		{"senior card", "senior-card"},
		{"dibao certificate", "dibao-certificate"},
		{"residence permit app", "residence-permit"},
		{"maternity", "maternity-benefit"},
		{"unemployment benefit", "unemployment-benefit"},
		{"unemployent benefit", "unemployment-benefit"},
	}
	for _, tc := range tests {
		hits := c.Search(tc.query, 5)
		if len(hits) == 0 {
			t.Errorf("Search(%q): no hits, want %s first", tc.query, tc.top)
			continue
		}
		// Old codes merged into another item are found as that item.
		if now, ok := c.Canonical(tc.top); ok {
			tc.top = now
		}
		if hits[0].Item.Code != tc.top {
			var got []kiosk.ItemCode
			for _, h := range hits {
				got = append(got, h.Item.Code)
			}
			t.Errorf("Search(%q) = %v, want %s first", tc.query, got, tc.top)
		}
	}
	for _, q := range []string{"", "   ", "zzzzqqq", "量子力学"} {
		if hits := c.Search(q, 5); len(hits) != 0 {
			t.Errorf("Search(%q) = %d hits, want none", q, len(hits))
		}
	}
}

func TestSearchLimit(t *testing.T) {
	c := loadEmbedded(t)
	if n := len(c.Search("l", 3)); n != 3 {
		t.Errorf("limit 3 gave %d hits", n)
	}
	if n := len(c.Search("l", 0)); n <= 3 {
		t.Errorf("no limit gave only %d hits", n)
	}
}
