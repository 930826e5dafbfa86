package i18n

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// rawMessages reads a locale file as id → forms (a plain string is the
// form "other").
func rawMessages(t *testing.T, lang kiosk.Lang) map[string]map[string]string {
	t.Helper()
	data, err := locales.ReadFile("locales/" + string(lang) + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	out := map[string]map[string]string{}
	for id, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[id] = map[string]string{"other": s}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			t.Fatalf("%s.json %s: neither a string nor plural forms: %v", lang, id, err)
		}
		out[id] = forms
	}
	return out
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func fields(forms map[string]string) []string {
	set := map[string]bool{}
	for _, s := range forms {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			set[m[1]] = true
		}
	}
	var out []string
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// TestEveryMessageInEveryLanguage: same IDs in both files, no empty value,
// an "other" form everywhere, and the same template fields in both.
func TestEveryMessageInEveryLanguage(t *testing.T) {
	zh, en := rawMessages(t, kiosk.LangZH), rawMessages(t, kiosk.LangEN)
	if len(zh) < 150 {
		t.Errorf("only %d messages: the screens of UX.md §4 need more", len(zh))
	}
	for id, zforms := range zh {
		eforms, ok := en[id]
		if !ok {
			t.Errorf("%s: missing in en.json", id)
			continue
		}
		for lang, forms := range map[string]map[string]string{"zh": zforms, "en": eforms} {
			if forms["other"] == "" {
				t.Errorf("%s (%s): no \"other\" form", id, lang)
			}
			for form, s := range forms {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s (%s, %s): empty", id, lang, form)
				}
			}
		}
		if zf, ef := fields(zforms), fields(eforms); !slices.Equal(zf, ef) {
			t.Errorf("%s: fields %v in zh but %v in en", id, zf, ef)
		}
	}
	for id := range en {
		if _, ok := zh[id]; !ok {
			t.Errorf("%s: missing in zh.json", id)
		}
	}
}

// TestLocalizeEveryMessage renders every message in both languages with all
// its fields set, through go-i18n, so template or plural mistakes show.
func TestLocalizeEveryMessage(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	zh := rawMessages(t, kiosk.LangZH)
	for _, lang := range Languages() {
		l := cat.NewLocalizer(lang)
		if got := len(cat.IDs(lang)); got != len(zh) {
			t.Errorf("%s: catalog has %d IDs, file has %d", lang, got, len(zh))
		}
		for id, forms := range zh {
			data := map[string]any{}
			for _, f := range fields(forms) {
				data[f] = "x"
			}
			if _, ok := data["Count"]; ok {
				data["Count"] = 2
			}
			got := l.T(id, data)
			if got == id || got == "" || strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
				t.Errorf("%s %s: rendered %q", lang, id, got)
			}
		}
	}
}

// TestUXWords pins the exact words of UX.md §4.
func TestUXWords(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	zh, en := cat.NewLocalizer(kiosk.LangZH), cat.NewLocalizer(kiosk.LangEN)
	tests := []struct{ id, zh, en string }{
		{"attract.start", "开始办理", "Start"},
		{"common.senior_mode", "长者模式", "Senior mode"},
		{"identify.place_card", "请将身份证放在感应区", "Place your ID card on the reader"},
		{"identify.scan_code", "扫随申码", "Scan your Suishen code"},
		{"identify.no_id", "不带证件？请到人工窗口", "No ID? Go to the staffed counter"},
		{"identify.reading", "正在读取，请不要移动身份证", "Reading, keep the card still"},
		{"browse.tab_popular", "常办事项", "Popular"},
		{"browse.tab_department", "按部门", "By department"},
		{"browse.tab_life_event", "按人生事件", "By life event"},
		{"browse.tab_search", "搜索", "Search"},
		{"browse.unavailable_printer", "打印机缺纸，暂不能办理此事项，请到人工窗口", ""},
		{"item.who_can_apply", "谁可以办", "Who can apply"},
		{"item.materials", "需要准备", "What you need"},
		{"item.material_free", "免交", ""},
		{"item.time_limit", "多久办好", "How long"},
		{"item.after_done", "办好后", "What happens next"},
		{"item.apply", "开始申请", "Apply"},
		{"form.from_id_card", "已从身份证读取", "From your ID card"},
		{"form.err_phone", "手机号码应为11位数字", ""},
		{"review.change", "修改", "Change"},
		{"sign.clear", "重写", "Clear"},
		{"sign.confirm", "确认签名", "Confirm"},
		{"submit.progress", "正在提交，请稍候", ""},
		{"done.accepted", "已受理", "Accepted"},
		{"done.take_receipt", "请取走回执和身份证", "Take your receipt and ID card"},
		{"done.queued", "网络恢复后将自动提交，回执编号同样有效", "It will be sent when the network is back; your receipt number stays valid"},
		{"countdown.question", "您还需要继续办理吗？", "Do you want to continue?"},
		{"countdown.continue", "继续办理", "Continue"},
		{"countdown.finish", "结束办理", "Finish"},
		{"identify.take_card", "请取走您的身份证", ""},
		{"error.generic", "系统出了点问题，请到人工窗口办理，或拨打12345咨询。", "Something went wrong. Please go to the staffed counter or call 12345."},
	}
	for _, tt := range tests {
		if got := zh.T(tt.id); got != tt.zh {
			t.Errorf("%s zh = %q, want %q", tt.id, got, tt.zh)
		}
		if got := en.T(tt.id); tt.en != "" && got != tt.en {
			t.Errorf("%s en = %q, want %q", tt.id, got, tt.en)
		}
	}
}

func TestTemplatesAndPlurals(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	l := cat.NewLocalizer(kiosk.LangEN)
	tests := []struct {
		lang kiosk.Lang
		id   string
		data map[string]any
		want string
	}{
		{kiosk.LangEN, "countdown.seconds", map[string]any{"Count": 1}, "1 second left"},
		{kiosk.LangEN, "countdown.seconds", map[string]any{"Count": 20}, "20 seconds left"},
		{kiosk.LangZH, "countdown.seconds", map[string]any{"Count": 20}, "还剩20秒"},
		{kiosk.LangZH, "common.step", map[string]any{"Step": 2, "Total": 4}, "第 2 步 / 共 4 步"},
		{kiosk.LangEN, "common.step", map[string]any{"Step": 2, "Total": 4}, "Step 2 of 4"},
		{kiosk.LangZH, "browse.greeting", map[string]any{"Name": "张*试"}, "张*试，您好"},
		{kiosk.LangEN, "no.such.message", nil, "no.such.message"},
		{kiosk.LangEN, "countdown.seconds", nil, "countdown.seconds"}, // plural without Count: the ID, no panic
	}
	for _, tt := range tests {
		l.SetLang(tt.lang)
		if got := l.T(tt.id, tt.data); got != tt.want {
			t.Errorf("%s %s %v = %q, want %q", tt.lang, tt.id, tt.data, got, tt.want)
		}
	}
}

func TestSwitchAndReset(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	a, b := cat.NewLocalizer(kiosk.LangZH), cat.NewLocalizer(kiosk.LangZH)
	a.SetLang(kiosk.LangEN)
	if a.T("attract.start") != "Start" || b.T("attract.start") != "开始办理" {
		t.Fatal("switching one session's language changed another's")
	}
	if a.Text(kiosk.Text{ZH: "老年综合津贴", EN: "Senior allowance"}) != "Senior allowance" {
		t.Fatal("domain text not in English")
	}
	a.Reset()
	if a.Lang() != kiosk.LangZH || a.T("attract.start") != "开始办理" {
		t.Fatal("Reset did not return to Chinese")
	}
	a.SetLang("fr")
	if a.Lang() != DefaultLang {
		t.Fatalf("unknown language gave %q", a.Lang())
	}
}

// TestMessagesTranslate: a message (kiosk.Msg) becomes words in each
// language, with data and nested messages as its fields, through the
// localizer, the catalog and Resolve alike.
func TestMessagesTranslate(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	take := kiosk.Msg("identify.take_card")
	if got := cat.Text(kiosk.LangZH, take); got != "请取走您的身份证" {
		t.Errorf("zh = %q", got)
	}
	if got := cat.NewLocalizer(kiosk.LangEN).Text(take); got == "identify.take_card" || got == "" {
		t.Errorf("en = %q", got)
	}
	countdown := kiosk.Msg("countdown.seconds", "Count", 1)
	if got := cat.Text(kiosk.LangEN, countdown); got != "1 second left" {
		t.Errorf("plural from a Msg field: %q", got)
	}
	greet := kiosk.Msg("browse.greeting", "Name", kiosk.Text{ZH: "张*试", EN: "Z* S*"})
	if got := cat.Resolve(greet); got != (kiosk.Text{ZH: "张*试，您好", EN: cat.NewLocalizer(kiosk.LangEN).T("browse.greeting", map[string]any{"Name": "Z* S*"})}) {
		t.Errorf("Resolve = %+v", got)
	}
	data := kiosk.Text{ZH: "老年综合津贴", EN: "Senior allowance"}
	if cat.Resolve(data) != data || cat.Text(kiosk.LangEN, data) != "Senior allowance" {
		t.Error("data must come back as it is")
	}
	var none *Catalog
	if none.Resolve(take) != take {
		t.Error("a nil catalog resolves nothing")
	}
}
