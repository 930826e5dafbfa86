package catalog

import (
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// TestAliases: an item merged into another keeps its old code as an
// alias. Item, File, Canonical and Eligible find the item by it (a stored
// submission or an appointment naming the old code), other items may
// still point at it, and an alias that is still an item's code, or two
// items claiming one alias, are refused.
func TestAliases(t *testing.T) {
	const at = `"code": "item-a",`
	c, err := Load(edit("items/mz/item-a.json", at, at+` "aliases": ["old-a", "older-a"],`))
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []kiosk.ItemCode{"item-a", "old-a", "older-a"} {
		it, ok := c.Item(code)
		if !ok || it.Code != "item-a" {
			t.Errorf("Item(%s) = %s, %v; want item-a", code, it.Code, ok)
		}
		if now, ok := c.Canonical(code); !ok || now != "item-a" {
			t.Errorf("Canonical(%s) = %s, %v", code, now, ok)
		}
		if f := c.File(code); f != "items/mz/item-a.json" {
			t.Errorf("File(%s) = %q", code, f)
		}
	}
	if _, ok := c.Item("nothing"); ok {
		t.Error("an unknown code was found")
	}
	who := kiosk.Identity{Card: kiosk.CardResident, Name: "测试甲", Number: "310104194001010018", Address: "上海市黄浦区测试路1号"}
	if _, err := c.Eligible("old-a", who, nil, date(2026, 6, 1)); err != nil {
		t.Errorf("Eligible by the old code: %v", err)
	}
	if got := c.Aliases(); got["old-a"] != "item-a" || len(got) != 2 {
		t.Errorf("Aliases() = %v", got)
	}

	// item-b points at item-a by its old code.
	fs := edit("items/mz/item-a.json", at, at+` "aliases": ["old-a"],`)
	fs["items/rs/item-b.json"].Data = []byte(strings.Replace(string(fs["items/rs/item-b.json"].Data), `"code": "item-b",`, `"code": "item-b", "related": ["old-a"],`, 1))
	if _, err := Load(fs); err != nil {
		t.Errorf("a related old code: %v", err)
	}

	for name, fs := range map[string]map[string]string{
		"still an item": {"items/mz/item-a.json": `"aliases": ["item-b"],`},
		"its own code":  {"items/mz/item-a.json": `"aliases": ["item-a"],`},
		"claimed twice": {"items/mz/item-a.json": `"aliases": ["old-x"],`, "items/rs/item-b.json": `"aliases": ["old-x"],`},
		"badly formed":  {"items/mz/item-a.json": `"aliases": ["Old A"],`},
	} {
		m := fixture()
		for file, ins := range fs {
			code := `"code": "item-a",`
			if strings.Contains(file, "item-b") {
				code = `"code": "item-b",`
			}
			m[file].Data = []byte(strings.Replace(string(m[file].Data), code, code+" "+ins, 1))
		}
		if _, err := Load(m); err == nil || !strings.Contains(err.Error(), "alias") {
			t.Errorf("%s: err = %v, want a problem with the alias", name, err)
		}
	}
}

// TestMergedItems: one item per application in the real catalog. 敬老卡
// is applied for with 老年综合津贴; the care-needs assessment and the two
// 长护险 items are one application. Their old codes and words still find
// the merged items.
func TestMergedItems(t *testing.T) {
	c := loadEmbedded(t)
	for old, now := range map[kiosk.ItemCode]kiosk.ItemCode{
		"senior-card":   "senior-allowance",
		"ltc-insurance": "care-needs-assessment",
		"home-care-ltc": "care-needs-assessment",
	} {
		if it, ok := c.Item(old); !ok || it.Code != now {
			t.Errorf("Item(%s) = %s, %v; want %s", old, it.Code, ok, now)
		}
	}
	for q, want := range map[string]kiosk.ItemCode{"敬老卡": "senior-allowance", "长护险": "care-needs-assessment", "居家照护": "care-needs-assessment"} {
		hits := c.Search(q, 3)
		if len(hits) == 0 || hits[0].Item.Code != want {
			t.Errorf("Search(%q) top = %v, want %s", q, hits, want)
		}
	}
	for _, it := range c.Items() {
		if (strings.Contains(it.Name.ZH, "长期护理保险") || strings.Contains(it.Name.ZH, "长护险")) && it.Can(kiosk.ActionApply) && it.Code != "care-needs-assessment" {
			t.Errorf("%s is a second 长护险 application", it.Code)
		}
	}
}

// TestReview: an item is fully sourced when it cites a source and no fact
// a resident reads is marked inferred; the kiosk's own fields (popularity)
// may stay marked.
func TestReview(t *testing.T) {
	c, err := Load(fixture())
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Review(); r.Items != 2 || r.Sourced != 1 || r.FullySourced != 0 {
		t.Errorf("promise inferred: %+v, want 1 sourced, 0 fully", r)
	}
	c, err = Load(edit("items/mz/item-a.json", `"inferred": ["promise"]`,
		`"inferred": ["popularity", "charge"], "charge": {"free": true}, "aliases": ["old-a"], "legal_basis": [{"name": "《测试条例》", "effective": "2025-05-10", "source": "W"}]`))
	if err != nil {
		t.Fatal(err)
	}
	r := c.Review()
	if r.FullySourced != 0 || r.Charge != 1 || r.ChargeSourced != 0 || r.LegalBasis != 1 || r.Aliases != 1 {
		t.Errorf("charge inferred: %+v", r)
	}
	c, err = Load(edit("items/mz/item-a.json", `"inferred": ["promise"]`, `"inferred": ["popularity"]`))
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Review(); r.FullySourced != 1 || r.NoMarks != 0 {
		t.Errorf("only popularity inferred: %+v, want 1 fully sourced", r)
	}
}
