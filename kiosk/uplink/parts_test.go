package uplink

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// TestWireParts: a bundle's submission goes on the wire with a part per
// item, each holding the answers of its own fields only (a field two
// parts share goes to both), its display copy made from those answers
// alone, and the same bytes each time it is sent.
func TestWireParts(t *testing.T) {
	sub := submission(1)
	sub.Item, sub.ItemName = "yjs-retirement", kiosk.Text{ZH: "退休一件事"}
	sub.Answers = kiosk.Answers{"name": "测试甲", "retire_kind": "statutory", "retire_date": "2027-03-01", "consent": "yes"}
	sub.Parts = []kiosk.Part{
		{Item: "retirement-application", Name: kiosk.Text{ZH: "职工退休申请"}, Fields: []string{"name", "retire_kind", "retire_date", "has_employer", "consent"}},
		{Item: "retiree-medical-benefit", Name: kiosk.Text{ZH: "职工医保退休人员待遇核定"}, Fields: []string{"name", "retire_date", "consent"}},
	}
	labels := map[string]string{"name": "姓名", "retire_kind": "退休方式", "retire_date": "计划退休日期", "consent": "同意"}
	display := func(s kiosk.Submission) map[string]string {
		out := map[string]string{}
		for k, v := range s.Answers {
			out[labels[k]] = v
		}
		return out
	}
	item := toWire(sub, display)
	if len(item.Parts) != 2 {
		t.Fatalf("parts on the wire: %+v", item.Parts)
	}
	p1, p2 := item.Parts[0], item.Parts[1]
	if p1.No != 1 || p1.AffairsCode != "retirement-application" || p2.No != 2 || p2.AffairsName != "职工医保退休人员待遇核定" {
		t.Errorf("parts named %+v / %+v", p1, p2)
	}
	if _, ok := p2.Display["退休方式"]; ok {
		t.Errorf("part 2 shows an answer of part 1 only: %v", p2.Display)
	}
	if p2.Display["计划退休日期"] != "2027-03-01" || p1.Display["计划退休日期"] != "2027-03-01" {
		t.Errorf("the shared date is not in both parts: %v / %v", p1.Display, p2.Display)
	}
	if !slices.Equal(p1.Fields, sub.Parts[0].Fields) {
		t.Errorf("part 1 fields %v", p1.Fields)
	}
	if len(item.Affairs.FormData.Fields) != 4 || !maps.Equal(item.Affairs.FormData.Fields, map[string]string(sub.Answers)) {
		t.Errorf("the whole form is not kept: %v", item.Affairs.FormData.Fields)
	}
	a, _ := json.Marshal(toWire(sub, display))
	b, _ := json.Marshal(toWire(sub, display))
	if string(a) != string(b) {
		t.Error("the same bundle encodes differently on a resend")
	}
	// A part's answers are a copy: changing one part's display does not
	// change the other's.
	item.Parts[0].Display["姓名"] = "x"
	if item.Parts[1].Display["姓名"] != "测试甲" {
		t.Error("the parts share one display map")
	}
	if one := toWire(submission(2), display); one.Parts != nil {
		t.Errorf("a submission of one item has parts: %+v", one.Parts)
	}
}
