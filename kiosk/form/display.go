package form

import (
	"fmt"
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Line is one answer in plain words, for the review screen (with 修改
// beside it) and the back office's display copy.
type Line struct {
	Field string // the field's ID, for 修改 to jump to its page
	Label string
	Value string
}

// Display returns the visible answers in plain words, in form order, in
// lang: option labels instead of values, 是/否, dates as 1958年3月1日,
// addresses in one line, family members one after another. Values are shown
// in full (the resident is reviewing their own answers); the UI masks what
// it must. Empty optional answers read 未填写 (Not filled in).
func (f *Form) Display(lang kiosk.Lang) []Line {
	vis := f.visibility()
	var lines []Line
	for i, fl := range f.fields {
		if vis[i] {
			lines = append(lines, Line{Field: fl.ID, Label: fl.Label.In(lang), Value: f.displayValue(i, lang)})
		}
	}
	return lines
}

// DisplayCopy returns the Chinese display copy the back office shows
// beside the answers (formdata.display: 中文标签 → 值). A label used twice
// gets its field ID appended.
func (f *Form) DisplayCopy() map[string]string {
	out := map[string]string{}
	for _, l := range f.Display(kiosk.LangZH) {
		key := l.Label
		if _, dup := out[key]; dup {
			key += "（" + l.Field + "）"
		}
		out[key] = l.Value
	}
	return out
}

func pick(lang kiosk.Lang, zh, en string) string {
	if lang == kiosk.LangEN {
		return en
	}
	return zh
}

func (f *Form) displayValue(i int, lang kiosk.Lang) string {
	fl, a := f.fields[i], f.answers[i]
	empty := pick(lang, "未填写", "Not filled in")
	switch fl.Type {
	case kiosk.FieldAddress:
		if addressEmpty(a.address) {
			return empty
		}
		c := a.address
		if !a.fromCard {
			c, _ = checkAddress(a.address, f.places)
		}
		return c.String()
	case kiosk.FieldFamily:
		if len(a.members) == 0 {
			return pick(lang, "无", "None")
		}
		ms, _ := checkMembers(a.members, fl.Min, fl.Max, f.applicantID(), f.today)
		parts := make([]string, len(ms))
		for k, m := range ms {
			rel, _ := relationLabel(m.Relation)
			parts[k] = strings.TrimSpace(fmt.Sprintf("%s %s %s", rel.In(lang), m.Name, m.IDNumber))
		}
		return strings.Join(parts, pick(lang, "；", "; "))
	case kiosk.FieldSignature:
		if len(a.sig) > 0 {
			return pick(lang, "已签名", "Signed")
		}
		return pick(lang, "未签名", "Not signed")
	case kiosk.FieldConsent:
		if f.ticked(i) {
			return pick(lang, "已同意", "Agreed")
		}
		return pick(lang, "未同意", "Not agreed")
	}
	if fold(a.text) == "" {
		return empty
	}
	v := a.text
	if !a.fromCard {
		if c, msg := f.checkSimple(i); msg.ZH == "" {
			v = c
		} else {
			return fold(a.text) // shown as typed until it is fixed
		}
	}
	switch fl.Type {
	case kiosk.FieldChoice:
		for _, o := range fl.Options {
			if o.Value == v {
				return o.Label.In(lang)
			}
		}
	case kiosk.FieldYesNo:
		if v == Yes {
			return pick(lang, "是", "Yes")
		}
		return pick(lang, "否", "No")
	case kiosk.FieldDate:
		if t, err := time.Parse("2006-01-02", v); err == nil {
			if lang == kiosk.LangEN {
				return t.Format("2 January 2006")
			}
			return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
		}
	case kiosk.FieldBank:
		return groupDigits(v)
	}
	if fl.Prefill == kiosk.PrefillSex && lang == kiosk.LangEN {
		switch v {
		case "男":
			return "Male"
		case "女":
			return "Female"
		}
	}
	return v
}

// groupDigits writes a long number in groups of four, as on a bank card.
func groupDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
