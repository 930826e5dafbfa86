package catalog

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// basisParams are the fixture's parameter tables for figures: one sourced
// and dated, one with an inferred date, one yearly figure from 2019, and
// one whose newest step is not known.
const basisParams = `{
  "tables": [
    {"name": "dibao_standard", "label": {"zh": "低保标准"}, "unit": "CNY/person/month",
     "values": [{"from": "2020-04-01", "value": 1240}, {"from": "2025-07-01", "value": 1650}]},
    {"name": "senior_allowance", "label": {"zh": "老年综合津贴"}, "unit": "CNY/month", "key": "age",
     "values": [{"from": "2016-04-01", "sources": ["W"], "tiers": [{"min": 65, "value": 75}, {"min": 70, "value": 150}]}]},
    {"name": "guessed", "label": {"zh": "推测"}, "unit": "CNY", "values": [{"from": "2020-01-01", "value": 4600, "sources": ["W"], "inferred": ["from"]}]},
    {"name": "old_subsidy", "label": {"zh": "补贴"}, "unit": "CNY/month", "adjusted": "yearly", "values": [{"from": "2019-01-01", "value": 875, "sources": ["W"]}]},
    {"name": "gap", "label": {"zh": "标准"}, "unit": "CNY/month", "values": [{"from": "2019-01-01", "value": 875, "sources": ["W"]}, {"from": "2025-01-01", "unknown": true}]}
  ]
}
`

// TestFiguresShownWithDateAndSource: a figure is shown only from a value
// with a source and a known effective date, current for a yearly figure,
// and catalog check refuses an item that would show one otherwise, or
// writes an amount into its text.
func TestFiguresShownWithDateAndSource(t *testing.T) {
	const at = `"after_done": {"zh": "领卡"},`
	tests := []struct {
		name, insert, want string // want: part of the problem; empty: loads
	}{
		{"sourced and dated", `"figures": [{"param": "senior_allowance", "label": {"zh": "津贴标准"}}],`, ""},
		{"no source", `"figures": [{"param": "dibao_standard", "label": {"zh": "低保标准"}}],`, "cites no source"},
		{"date inferred", `"figures": [{"param": "guessed", "label": {"zh": "补贴"}}],`, "effective date 2020-01-01 is inferred"},
		{"a 2019 yearly amount", `"figures": [{"param": "old_subsidy", "label": {"zh": "补贴"}}],`, "newest value is from 2019-01-01"},
		{"a step not known", `"figures": [{"param": "gap", "label": {"zh": "标准"}}],`, "not known"},
		{"no such table", `"figures": [{"param": "nothing", "label": {"zh": "标准"}}],`, "no parameter table"},
		{"amount in the text", `"where": {"zh": "每月875元，到窗口领取"},`, "875元"},
		{"amount in English", `"where": {"zh": "窗口", "en": "1,240 yuan a month"},`, "1,240 yuan"},
		{"a year is not money", `"where": {"zh": "2025年5月10日起全国通办"},`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := edit("items/mz/item-a.json", at, at+"\n  "+tt.insert)
			fs["parameters.json"].Data = []byte(basisParams)
			c, err := Load(fs)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if strings.Contains(tt.insert, "figures") {
					it, _ := c.Item("item-a")
					got := c.Figures(it, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
					if len(got) != 1 || len(got[0].Tiers) != 2 || got[0].Tiers[1].Value != 150 ||
						got[0].From.Format(time.DateOnly) != "2016-04-01" || got[0].Source != "test source" {
						t.Errorf("figures = %+v", got)
					}
				}
				return
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("loaded, want a problem about %q (err %v)", tt.want, err)
			}
			for _, p := range le.Problems {
				if strings.Contains(p.Msg, tt.want) {
					return
				}
			}
			t.Fatalf("want a problem about %q, got %v", tt.want, le.Problems)
		})
	}
}

// TestFiguresLeftOutAtRuntime: on a day the value is stale or not known,
// the screen gets no figure even though the catalog loaded.
func TestFiguresLeftOutAtRuntime(t *testing.T) {
	fs := edit("items/mz/item-a.json", `"after_done": {"zh": "领卡"},`,
		`"after_done": {"zh": "领卡"}, "figures": [{"param": "senior_allowance", "label": {"zh": "津贴"}}],`)
	fs["parameters.json"].Data = []byte(basisParams)
	c, err := Load(fs)
	if err != nil {
		t.Fatal(err)
	}
	it, _ := c.Item("item-a")
	if got := c.Figures(it, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)); len(got) != 0 {
		t.Errorf("before the first value: figures = %+v, want none", got)
	}
	it.Figures[0].Param = "old_subsidy"
	if got := c.Figures(it, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)); len(got) != 1 || got[0].Value != 875 {
		t.Errorf("a yearly value in its year: figures = %+v, want 875", got)
	}
	if got := c.Figures(it, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); len(got) != 0 {
		t.Errorf("a yearly value seven years on: figures = %+v, want none", got)
	}
}

// TestLegalBasisAndCharge: a legal basis is named, dated and sourced; a
// free item lists no fees, a charged one does; a statutory limit has its
// basis unless marked inferred.
func TestLegalBasisAndCharge(t *testing.T) {
	const at = `"after_done": {"zh": "领卡"},`
	tests := []struct {
		name, insert, want string
	}{
		{"complete", `"legal_basis": [{"name": "《测试条例》", "article": "第五条", "effective": "2025-05-10", "url": "https://example.org/x"}], "charge": {"free": true, "basis": "《测试条例》第三条"}, "legal_limit": {"days": 20, "basis": "《测试条例》第十条"},`, ""},
		{"by source key", `"legal_basis": [{"name": "《测试条例》", "effective": "2025-05-10", "source": "W"}],`, ""},
		{"no date", `"legal_basis": [{"name": "《测试条例》", "effective": "2025", "url": "https://example.org/x"}],`, "not YYYY-MM-DD"},
		{"nowhere read", `"legal_basis": [{"name": "《测试条例》", "effective": "2025-05-10"}],`, "where its text was read"},
		{"unknown source", `"legal_basis": [{"name": "《测试条例》", "effective": "2025-05-10", "source": "ZZ"}],`, "unknown source"},
		{"free with fees", `"charge": {"free": true, "basis": "x"}, "fees": [{"name": {"zh": "工本费"}, "standard": {"zh": "10"}, "basis": "y"}],`, "declared free but lists fees"},
		{"charged without fees", `"charge": {"free": false, "basis": "x"},`, "list its fees"},
		{"free without basis", `"charge": {"free": true},`, "on what basis"},
		{"free, basis inferred", `"charge": {"free": true}, "inferred": ["charge"],`, ""},
		{"limit without basis", `"legal_limit": {"days": 20},`, "statutory time limit needs its basis"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := edit("items/mz/item-a.json", at, at+"\n  "+tt.insert)
			if strings.Contains(tt.insert, `"inferred"`) {
				s := strings.Replace(string(fs["items/mz/item-a.json"].Data), `"inferred": ["promise"]`, `"sources2": 0`, 1)
				s = strings.Replace(s, `, "inferred": ["charge"],`, `,`, 1)
				s = strings.Replace(s, `"sources2": 0`, `"inferred": ["promise", "charge"]`, 1)
				fs["items/mz/item-a.json"].Data = []byte(s)
			}
			_, err := Load(fs)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				var le *LoadError
				if errors.As(err, &le) {
					for _, p := range le.Problems {
						if strings.Contains(p.Msg, tt.want) {
							return
						}
					}
				}
				t.Fatalf("want a problem about %q, got %v", tt.want, err)
			}
		})
	}
}
