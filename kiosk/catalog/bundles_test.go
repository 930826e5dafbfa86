package catalog

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tongban/tongban/kiosk"
)

// fixItemC is a second applicable item whose form shares name, phone and
// consent with item-a's and asks one thing of its own.
const fixItemC = `{
  "code": "item-c",
  "name": {"zh": "敬老卡申领", "en": "Senior card"},
  "summary": {"zh": "敬老卡", "en": "Senior card"},
  "department": "MZ",
  "actions": ["apply"],
  "needs": ["printer"],
  "who_can_apply": {"zh": "年满65周岁"},
  "promise": {"days": 40, "unit": "working-days"},
  "after_done": {"zh": "领卡"},
  "form": [
    {"id": "name", "type": "text", "label": {"zh": "姓名"}, "prefill": "name"},
    {"id": "bank", "type": "choice", "label": {"zh": "发放银行"}, "options": [{"value": "icbc", "label": {"zh": "工商银行"}}]},
    {"id": "consent", "type": "consent", "label": {"zh": "同意"}}
  ],
  "type": "05",
  "service_object": ["1"],
  "tongban": {"city_wide": true},
  "accept_condition": {"zh": "年满65周岁"},
  "result": {"type": "30"},
  "materials": [{"name": {"zh": "居民身份证"}, "required": true, "from_licence_library": true, "licence_catalog_code": "310105109000100"}]
}
`

const fixBundle = `{
  "code": "yjs-senior",
  "name": {"zh": "养老一件事", "en": "Growing older: one application"},
  "summary": {"zh": "一张表办两项", "en": "One form, two parts"},
  "department": "MZ",
  "actions": ["apply", "ticket"],
  "who_can_apply": {"zh": "年满65周岁"},
  "after_done": {"zh": "分别办理"},
  "type": "20",
  "service_object": ["1"],
  "tongban": {"city_wide": true},
  "accept_condition": {"zh": "年满65周岁"},
  "result": {"type": "30"},
  "life_events": ["elderly"],
  "sources": ["B1"],
  "parts": ["item-a", "item-c"]
}
`

func bundleFixture(bundle string) fstest.MapFS {
	m := fixture()
	m["items/mz/item-c.json"] = &fstest.MapFile{Data: []byte(fixItemC)}
	m["yjs/senior.json"] = &fstest.MapFile{Data: []byte(bundle)}
	m["yjs/sources.json"] = &fstest.MapFile{Data: []byte(`{"B1": "bundle source"}`)}
	return m
}

func TestBundleComposedFromItsParts(t *testing.T) {
	c, err := Load(bundleFixture(fixBundle))
	if err != nil {
		t.Fatal(err)
	}
	b, ok := c.Item("yjs-senior")
	if !ok || !b.Bundle() {
		t.Fatalf("bundle not loaded as an item with parts: %+v", b)
	}
	var ids []string
	for _, f := range b.Form {
		ids = append(ids, f.ID)
	}
	// name and consent are asked by both parts and asked once; the
	// consent row comes last.
	if want := []string{"name", "same_address", "live_address", "bank", "consent"}; !slices.Equal(ids, want) {
		t.Errorf("form = %v, want %v", ids, want)
	}
	if len(b.Parts) != 2 || b.Parts[0].Item != "item-a" || b.Parts[1].Item != "item-c" {
		t.Fatalf("parts = %+v", b.Parts)
	}
	if got := b.Parts[1].Fields; !slices.Equal(got, []string{"name", "bank", "consent"}) {
		t.Errorf("item-c takes %v", got)
	}
	if b.Promise.Days != 40 {
		t.Errorf("promise = %+v, want the longest part's (40)", b.Promise)
	}
	if len(b.Materials) != 1 || !slices.Contains(b.Needs, kiosk.NeedPrinter) {
		t.Errorf("materials %v / needs %v not taken from the parts", b.Materials, b.Needs)
	}
	if !b.InPerson.IsZero() {
		t.Errorf("no part is in person, yet the bundle is: %v", b.InPerson)
	}
	if got := c.Bundles(); len(got) != 1 || got[0].Code != "yjs-senior" {
		t.Errorf("Bundles() = %v", got)
	}
	if !slices.ContainsFunc(c.ByLifeEvent("elderly"), func(it kiosk.Item) bool { return it.Code == "yjs-senior" }) {
		t.Error("the bundle is not offered under its life event")
	}
	answers := kiosk.Answers{"name": "测试甲", "same_address": "yes", "bank": "icbc", "consent": "yes"}
	if got := b.Parts[1].PartAnswers(answers); len(got) != 3 || got["bank"] != "icbc" || got["same_address"] != "" {
		t.Errorf("item-c's answers = %v", got)
	}
}

func TestBundleProblems(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"unknown part", `"item-c"]`, `"item-x"]`, `no item "item-x"`},
		{"part not applied for", `"item-c"]`, `"item-b"]`, `item "item-b" is not applied for`},
		{"one part", `["item-a", "item-c"]`, `["item-a"]`, "at least two items"},
		{"twice", `["item-a", "item-c"]`, `["item-a", "item-a"]`, "listed twice"},
		{"code prefix", `"yjs-senior"`, `"senior"`, `begins with "yjs-"`},
		{"own form", `"parts"`, `"form": [{"id": "x", "type": "text", "label": {"zh": "x"}}], "parts"`, "composed from its parts"},
		{"no apply", `["apply", "ticket"]`, `["ticket"]`, "actions include apply"},
		{"unknown source", `["B1"]`, `["B9"]`, `unknown source "B9"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(fixBundle, tc.old) {
				t.Fatalf("fixture lacks %q", tc.old)
			}
			_, err := Load(bundleFixture(strings.Replace(fixBundle, tc.old, tc.new, 1)))
			var le *LoadError
			if !errors.As(err, &le) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a problem saying %q", err, tc.want)
			}
		})
	}
}

// TestBundleFieldClash: two parts asking different questions under one
// field ID would get one answer for both; the loader refuses it.
func TestBundleFieldClash(t *testing.T) {
	m := bundleFixture(fixBundle)
	m["items/mz/item-c.json"] = &fstest.MapFile{Data: []byte(strings.Replace(fixItemC, `"id": "bank", "type": "choice"`, `"id": "same_address", "type": "choice"`, 1))}
	_, err := Load(m)
	if err == nil || !strings.Contains(err.Error(), `field "same_address" of item-c is another question`) {
		t.Fatalf("err = %v", err)
	}
}

func TestBundleSourceNotTwice(t *testing.T) {
	m := bundleFixture(fixBundle)
	m["yjs/sources.json"] = &fstest.MapFile{Data: []byte(`{"B1": "bundle source", "W": "again"}`)}
	if _, err := Load(m); err == nil || !strings.Contains(err.Error(), `source "W" is already in catalog.json`) {
		t.Fatalf("err = %v", err)
	}
}

// TestNationalBundles: the five national 一件事 of 国发〔2024〕3号 are in
// the embedded catalog, each combining at least two items and asking a
// field shared by its parts once.
func TestNationalBundles(t *testing.T) {
	c := loadEmbedded(t)
	for _, code := range []kiosk.ItemCode{"yjs-newborn", "yjs-retirement", "yjs-after-death", "yjs-disability", "yjs-social-security-card"} {
		b, ok := c.Item(code)
		if !ok || len(b.Parts) < 2 {
			t.Errorf("%s: missing or fewer than two parts", code)
			continue
		}
		seen := map[string]bool{}
		for _, f := range b.Form {
			if seen[f.ID] {
				t.Errorf("%s asks %s twice", code, f.ID)
			}
			seen[f.ID] = true
		}
		shared := 0
		for _, id := range b.Parts[0].Fields {
			if slices.Contains(b.Parts[1].Fields, id) {
				shared++
			}
		}
		if shared == 0 {
			t.Errorf("%s: its first two parts share no field", code)
		}
	}
	for _, code := range []kiosk.ItemCode{"retirement-application", "childcare-subsidy", "home-adaptation", "child-medical-enrolment", "legal-aid"} {
		if _, ok := c.Item(code); !ok {
			t.Errorf("item %s is missing", code)
		}
	}
}

// TestBundleInPersonWhenAPartIs: a part that may not be applied for on
// someone else's behalf keeps the whole bundle in person.
func TestBundleInPersonWhenAPartIs(t *testing.T) {
	m := bundleFixture(fixBundle)
	m["items/mz/item-c.json"] = &fstest.MapFile{Data: []byte(strings.Replace(fixItemC, `"type": "05"`, `"in_person": {"zh": "须本人办理"}, "type": "05"`, 1))}
	c, err := Load(m)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := c.Item("yjs-senior"); b.InPerson.ZH != "须本人办理" {
		t.Fatalf("bundle in person: %+v", b.InPerson)
	}
}
