package catalog

import (
	"testing"
	"testing/fstest"

	"github.com/tongban/tongban/kiosk"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// Budgets of DESIGN.md §7.
const (
	loadBudgetMS      = 20.0
	keystrokeBudgetMS = 1.0
)

// BenchmarkLoad loads and validates the whole embedded catalog.
func BenchmarkLoad(b *testing.B) {
	fsys := servicescatalog.FS()
	var n int
	cpu0 := processCPU()
	for b.Loop() {
		c, err := Load(fsys)
		if err != nil {
			b.Fatal(err)
		}
		n = c.Len()
	}
	ms := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
	b.ReportMetric(ms, "ms/load")
	cpu := float64((processCPU() - cpu0).Nanoseconds()) / float64(b.N) / 1e6
	b.ReportMetric(cpu, "cpu-ms/load")
	b.ReportMetric(ms/loadBudgetMS, "budget-ratio")
	b.ReportMetric(cpu/loadBudgetMS, "cpu-budget-ratio")
	b.ReportMetric(float64(n), "items")
}

// BenchmarkSearchKeystroke types queries one character at a time, as on the
// kiosk keyboard, and searches after every keystroke.
func BenchmarkSearchKeystroke(b *testing.B) {
	c := loadEmbedded(b)
	queries := []string{"laonianzonghejintie", "ljt", "jinglaoka", "senior card", "老年综合津贴", "社保卡补办", "juzhuzheng", "unemployent"}
	var prefixes []string
	for _, q := range queries {
		r := []rune(q)
		for i := 1; i <= len(r); i++ {
			prefixes = append(prefixes, string(r[:i]))
		}
	}
	n := 0
	cpu0 := processCPU()
	for b.Loop() {
		for _, p := range prefixes {
			c.Search(p, 12)
			n++
		}
	}
	ms := float64(b.Elapsed().Nanoseconds()) / float64(n) / 1e6
	cpu := float64((processCPU() - cpu0).Nanoseconds()) / float64(n) / 1e6
	b.ReportMetric(ms, "ms/keystroke")
	b.ReportMetric(cpu, "cpu-ms/keystroke")
	b.ReportMetric(ms/keystrokeBudgetMS, "budget-ratio")
	b.ReportMetric(cpu/keystrokeBudgetMS, "cpu-budget-ratio")
}

func BenchmarkEligible(b *testing.B) {
	c := loadEmbedded(b)
	id := resident("测试甲", "上海市徐汇区", date(1950, 1, 1), kiosk.SexFemale)
	today := date(2026, 7, 1)
	for b.Loop() {
		if _, err := c.Eligible("senior-allowance", id, nil, today); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzLoad feeds arbitrary bytes as one item file of an otherwise valid
// catalog: Load must return a catalog or a *LoadError, never panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(fixItemB))
	f.Add([]byte(fixItemA))
	f.Add([]byte(`{"code": "x", "form": [{"id": "a", "visible_if": "((("}]}`))
	f.Add([]byte(`{"rules": [{"when": "age >= param.dibao_standard * 2"}]}`))
	f.Add([]byte(`[1, 2, {"a": [[[[]]]]}]`))
	f.Add([]byte(`{"code": "item-b"`))
	f.Add([]byte("\xff\xfe"))
	f.Add([]byte(`{"code": "zz", "aliases": ["item-a", "zz", "item-b", "Old"], "related": ["zz"]}`))
	f.Add([]byte(`{"code": "zz", "figures": [{"param": "dibao_standard"}, {"param": ""}], "legal_basis": [{"effective": "x"}], "charge": {"free": false}}`))
	f.Add([]byte(`{"code": "zz", "materials": [{"name": {"zh": "居民身份证原件"}, "at_terminal": true, "from_licence_library": true}], "where": {"zh": "１２元"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := fixture()
		m["items/zz/fuzz.json"] = &fstest.MapFile{Data: data}
		c, err := Load(m)
		if err == nil && c == nil {
			t.Fatal("nil catalog without an error")
		}
		if err != nil {
			if _, ok := err.(*LoadError); !ok {
				t.Fatalf("error %T, want *LoadError", err)
			}
		}
	})
}
