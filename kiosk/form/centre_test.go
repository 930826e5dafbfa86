package form

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// TestCentreField is the table of a pick-up centre: a district and one of
// its streets, towns or functional areas name the centre; anything less
// says what is missing; a detail line is never asked nor kept.
func TestCentreField(t *testing.T) {
	field := kiosk.Field{ID: "pickup_centre", Type: kiosk.FieldAddress, Label: txt("到哪个中心取", "Center"), Required: true, Centre: true}
	cases := []struct {
		name    string
		in      Address
		problem string // the part refused, or "" when taken
		centre  string
	}{
		{"a street's centre", Address{District: "徐汇区", Street: "田林街道"}, "", "徐汇区田林街道社区事务受理服务中心"},
		{"by district code", Address{District: "310104", Street: "田林街道"}, "", "徐汇区田林街道社区事务受理服务中心"},
		{"a town's centre", Address{District: "闵行区", Street: "莘庄镇"}, "", "闵行区莘庄镇社区事务受理服务中心"},
		{"a functional area's own centre", Address{District: "闵行区", Street: "莘庄工业区"}, "", "闵行区莘庄工业区社区事务受理服务中心"},
		{"a detail line is dropped", Address{District: "徐汇区", Street: "田林街道", Detail: "测试路1号"}, "", "徐汇区田林街道社区事务受理服务中心"},
		{"district only", Address{District: "徐汇区"}, PartStreet, ""},
		{"a street of another district", Address{District: "徐汇区", Street: "莘庄镇"}, PartStreet, ""},
		{"no such district", Address{District: "测试区", Street: "田林街道"}, PartDistrict, ""},
	}
	for _, c := range cases {
		f := newForm(t, []kiosk.Field{field}, elder())
		must(t, f.SetAddress("pickup_centre", c.in))
		es := ErrorsOf(f.Validate())
		if c.problem != "" {
			if len(es) != 1 || es[0].Part != c.problem || !speaks(t, es[0].Message) {
				t.Errorf("%s: problems %v, want one about %s", c.name, es, c.problem)
			}
			continue
		}
		a, err := f.Answers()
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got addressAnswer
		if err := json.Unmarshal([]byte(a["pickup_centre"]), &got); err != nil || got.Centre != c.centre || got.Detail != "" || got.DistrictCode == "" {
			t.Errorf("%s: answer %s (%v), want centre %s and no detail", c.name, a["pickup_centre"], err, c.centre)
		}
		if d := f.Display(kiosk.LangZH, catalogWords(t))[0].Value; d != c.centre {
			t.Errorf("%s: review shows %q", c.name, d)
		}
	}
	f := newForm(t, []kiosk.Field{field}, elder())
	if es := ErrorsOf(f.Validate()); len(es) != 1 || !strings.Contains(said(t, es[0].Message).ZH, "区") {
		t.Errorf("an unanswered centre: %v", es)
	}
}

func TestCentreSpec(t *testing.T) {
	for _, fl := range []kiosk.Field{
		{ID: "c", Type: kiosk.FieldChoice, Label: txt("中心", "Center"), Centre: true, Options: []kiosk.Option{{Value: "a", Label: txt("甲", "A")}}},
		{ID: "c", Type: kiosk.FieldAddress, Label: txt("中心", "Center"), Centre: true, Prefill: kiosk.PrefillAddress},
	} {
		if err := Check([]kiosk.Field{fl}); err == nil || !strings.Contains(err.Error(), "centre on") {
			t.Errorf("%s centre field (prefill %q) taken: %v", fl.Type, fl.Prefill, err)
		}
	}
	if err := Check([]kiosk.Field{{ID: "c", Type: kiosk.FieldAddress, Label: txt("中心", "Center"), Centre: true}}); err != nil {
		t.Error(err)
	}
}
