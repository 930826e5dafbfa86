package servicescatalog_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/catalog"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// TestEveryResidentTextHasEnglish fails, naming the file and the field, for
// each text of the catalog a resident may see that has no English or whose
// English still holds Chinese characters: a resident who switched the kiosk
// to English must never meet a Chinese paragraph. It walks every kiosk.Text
// of every item (name, summary, who_can_apply, after_done, materials, rules,
// FAQ, form labels ...), so a field added later is covered too.
func TestEveryResidentTextHasEnglish(t *testing.T) {
	cat, err := catalog.Load(servicescatalog.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range cat.Items() {
		file := cat.File(it.Code)
		for _, p := range textsWithoutEnglish(reflect.ValueOf(it), "") {
			t.Errorf("%s: %s", file, p)
		}
	}
	for _, d := range cat.Departments() {
		if p := englishProblem(d.Name); p != "" {
			t.Errorf("departments.json: %s.name %s", d.Code, p)
		}
	}
	for _, e := range cat.LifeEvents() {
		if p := englishProblem(e.Name); p != "" {
			t.Errorf("life_events.json: %s.name %s", e.ID, p)
		}
	}
}

// TestEnglishCheckFindsTheGaps makes sure the walk above would see a gap
// where it matters: nested in a slice, a struct in a slice, and directly.
func TestEnglishCheckFindsTheGaps(t *testing.T) {
	it := kiosk.Item{
		Name:        kiosk.Text{ZH: "敬老卡", EN: "Senior card"},
		WhoCanApply: kiosk.Text{ZH: "本市户籍居民本人。"},
		AfterDone:   kiosk.Text{ZH: "当场办结。", EN: "当场办结。"},
		Materials:   []kiosk.Material{{Name: kiosk.Text{ZH: "居民身份证", EN: "Resident ID card"}, Note: kiosk.Text{ZH: "原件"}}},
		Rules:       []kiosk.Rule{{When: "age >= 65", Reason: kiosk.Text{ZH: "未满65周岁。", EN: "Under 65."}}},
	}
	got := textsWithoutEnglish(reflect.ValueOf(it), "")
	want := []string{
		"who_can_apply has no English",
		"materials[0].note has no English",
		"after_done has Chinese in its English",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

var textType = reflect.TypeFor[kiosk.Text]()

// textsWithoutEnglish lists, by JSON path, the kiosk.Text values under v
// that have Chinese but no proper English. Empty texts (optional fields left
// out) are not a problem.
func textsWithoutEnglish(v reflect.Value, path string) []string {
	if v.Type() == textType {
		if p := englishProblem(v.Interface().(kiosk.Text)); p != "" {
			return []string{path + " " + p}
		}
		return nil
	}
	var out []string
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			out = append(out, textsWithoutEnglish(v.Elem(), path)...)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			out = append(out, textsWithoutEnglish(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			if path != "" {
				name = path + "." + name
			}
			out = append(out, textsWithoutEnglish(v.Field(i), name)...)
		}
	}
	return out
}

// englishProblem says what is wrong with t's English, or "" when nothing is.
func englishProblem(t kiosk.Text) string {
	switch {
	case t.ZH == "" && t.EN == "":
		return ""
	case strings.TrimSpace(t.EN) == "":
		return "has no English"
	case strings.ContainsFunc(t.EN, func(r rune) bool { return unicode.Is(unicode.Han, r) }):
		return "has Chinese in its English"
	}
	return ""
}
