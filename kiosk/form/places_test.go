package form

import (
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

func TestEmbeddedDistricts(t *testing.T) {
	p := mustPlaces(t)
	ds := p.Districts()
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.Name.ZH
		if d.Name.EN == "" || len(d.Code) != 6 || !strings.HasPrefix(d.Code, "3101") {
			t.Errorf("%s: code %q, English %q", d.Name.ZH, d.Code, d.Name.EN)
		}
	}
	want := "黄浦区 徐汇区 长宁区 静安区 普陀区 虹口区 杨浦区 闵行区 宝山区 嘉定区 浦东新区 金山区 松江区 青浦区 奉贤区 崇明区"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("districts:\n got %s\nwant %s", got, want)
	}
	var streets, towns, xiang, areas int
	for _, d := range ds {
		for _, s := range d.Towns {
			switch {
			case strings.HasSuffix(s, "街道"):
				streets++
			case strings.HasSuffix(s, "镇"):
				towns++
			case strings.HasSuffix(s, "乡"):
				xiang++
			default:
				areas++
			}
		}
	}
	// The 2024 division list: 107 街道, 106 镇, 2 乡; plus the four areas
	// that run their own centers (莘庄工业区 among them: residents there are
	// served by its center, not 莘庄镇's).
	if streets != 107 || towns != 106 || xiang != 2 || areas != 4 {
		t.Errorf("counts: %d 街道, %d 镇, %d 乡, %d areas", streets, towns, xiang, areas)
	}
	if p.AsOf == "" || p.Source == "" {
		t.Error("the dictionary must say where it comes from and when")
	}
}

func TestPlacesLookups(t *testing.T) {
	p := mustPlaces(t)
	if got := p.Streets("310101"); len(got) != 10 || got[0] != "南京东路街道" {
		t.Errorf("Streets(310101) = %v", got)
	}
	if p.Streets("朝阳区") != nil {
		t.Error("朝阳区 is not in Shanghai")
	}
	if !p.hasTown("崇明区", "长兴镇") || p.hasTown("崇明区", "张江镇") {
		t.Error("hasTown")
	}
	p.Streets("黄浦区")[0] = "changed" // callers get copies
	if p.Streets("黄浦区")[0] != "南京东路街道" {
		t.Error("Streets shares the dictionary")
	}
	for addr, want := range map[string]string{
		"上海市徐汇区测试路1号":       "徐汇区",
		"上海市浦东新区测试路1号":      "浦东新区",
		"上海市闵行区虹桥镇测试路1号":    "闵行区", // 虹桥 is also a street of 长宁区
		"北京市朝阳区测试路1号":       "",
		"上海市长宁区测试路1号（原静安区）": "长宁区", // the first district named wins
	} {
		if got := p.districtIn(addr); got != want {
			t.Errorf("districtIn(%s) = %q, want %q", addr, got, want)
		}
	}
}

func TestParsePlacesRefusesBadDictionaries(t *testing.T) {
	for name, data := range map[string]string{
		"not JSON":          `{`,
		"unknown field":     `{"districts":[],"extra":1}`,
		"empty":             `{"districts":[]}`,
		"no towns":          `{"districts":[{"code":"310101","name":{"zh":"黄浦区"},"towns":[]}]}`,
		"repeated town":     `{"districts":[{"code":"310101","name":{"zh":"黄浦区"},"towns":["外滩街道","外滩街道"]}]}`,
		"repeated district": `{"districts":[{"code":"1","name":{"zh":"甲"},"towns":["a"]},{"code":"2","name":{"zh":"甲"},"towns":["b"]}]}`,
	} {
		if _, err := ParsePlaces([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestInDistrictOrder(t *testing.T) {
	p, err := LoadPlaces()
	if err != nil {
		t.Fatal(err)
	}
	opt := func(zh string) kiosk.Option { return kiosk.Option{Value: zh, Label: kiosk.Text{ZH: zh}} }
	labels := func(os []kiosk.Option) (out []string) {
		for _, o := range os {
			out = append(out, o.Label.ZH)
		}
		return out
	}
	for _, tc := range []struct {
		in, want []string
	}{
		{[]string{"奉贤区", "松江区", "金山区", "黄浦区"}, []string{"黄浦区", "金山区", "松江区", "奉贤区"}},
		{[]string{"奉贤区", "其他"}, []string{"奉贤区", "其他"}}, // not a list of districts: as written
		{[]string{"是", "否"}, []string{"是", "否"}},
		{[]string{"崇明区"}, []string{"崇明区"}},
	} {
		var in []kiosk.Option
		for _, s := range tc.in {
			in = append(in, opt(s))
		}
		got := labels(p.InDistrictOrder(in))
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("InDistrictOrder(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if strings.Join(labels(in), ",") != strings.Join(tc.in, ",") {
			t.Errorf("InDistrictOrder changed its argument: %q", labels(in))
		}
	}
	var nilPlaces *Places
	if got := nilPlaces.InDistrictOrder([]kiosk.Option{opt("奉贤区"), opt("黄浦区")}); got[0].Label.ZH != "奉贤区" {
		t.Error("no dictionary: the options must come back as written")
	}
}
