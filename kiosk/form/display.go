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

// Words translates a text, data or a message of the i18n catalogs, into a
// language (*i18n.Catalog does).
type Words interface {
	Text(lang kiosk.Lang, t kiosk.Text) string
}

// Display returns the visible answers in plain words, in form order, in
// lang: option labels instead of values, 是/否, dates as 1958年3月1日,
// addresses in one line, family members one after another. Values are shown
// in full (the resident is reviewing their own answers); the UI masks what
// it must. Empty optional answers read 未填写 (Not filled in). w gives the
// words.
func (f *Form) Display(lang kiosk.Lang, w Words) []Line {
	vis := f.visibility()
	var lines []Line
	for i, fl := range f.fields {
		if vis[i] {
			lines = append(lines, Line{Field: fl.ID, Label: w.Text(lang, fl.Label), Value: f.displayValue(i, lang, w)})
		}
	}
	return lines
}

// DisplayCopy returns the Chinese display copy the back office shows
// beside the answers (formdata.display: 中文标签 → 值). A label used twice
// gets its field ID appended.
func (f *Form) DisplayCopy(w Words) map[string]string {
	out := map[string]string{}
	for _, l := range f.Display(kiosk.LangZH, w) {
		key := l.Label
		if _, dup := out[key]; dup {
			key += "（" + l.Field + "）"
		}
		out[key] = l.Value
	}
	return out
}

func (f *Form) displayValue(i int, lang kiosk.Lang, w Words) string {
	fl, a := f.fields[i], f.answers[i]
	say := func(t kiosk.Text) string { return w.Text(lang, t) }
	empty := say(kiosk.Msg("form.value_not_filled"))
	switch fl.Type {
	case kiosk.FieldAddress:
		if addressEmpty(a.address) {
			return empty
		}
		c := a.address
		if fl.Centre {
			c, _ = checkCentre(a.address, f.places)
			if n := f.places.CentreName(c); n != "" {
				return n
			}
			return c.String()
		}
		if !a.fromCard {
			c, _ = checkAddress(a.address, f.places)
		}
		return c.String()
	case kiosk.FieldFamily:
		if len(a.members) == 0 {
			if a.alone {
				return say(kiosk.Msg("form.value_alone"))
			}
			return say(kiosk.Msg("form.value_none"))
		}
		ms, _ := checkMembers(a.members, fl, f.applicantID(), f.today)
		parts := make([]string, len(ms))
		for k, m := range ms {
			rel, _ := relationLabel(m.Relation)
			words := []string{w.Text(lang, rel), m.Name, m.Identifier()}
			for _, p := range memberParts {
				if !fl.Member.Asks(p) {
					continue
				}
				v := *m.Part(p)
				if p == kiosk.MemberIncome {
					words = append(words, say(kiosk.Msg("form.value_income", "Yuan", v)))
				} else if l, ok := optionLabel(PartOptions(p), v); ok {
					words = append(words, w.Text(lang, l))
				}
			}
			parts[k] = strings.TrimSpace(strings.Join(words, " "))
		}
		return strings.Join(parts, say(kiosk.Msg("form.value_list_sep")))
	case kiosk.FieldSignature:
		if len(a.sig) > 0 {
			return say(kiosk.Msg("form.value_signed"))
		}
		return say(kiosk.Msg("form.value_not_signed"))
	case kiosk.FieldConsent:
		if f.ticked(i) {
			return say(kiosk.Msg("form.value_agreed"))
		}
		return say(kiosk.Msg("form.value_not_agreed"))
	}
	if fold(a.text) == "" {
		return empty
	}
	v := a.text
	if !a.fromCard {
		if c, msg := f.checkSimple(i); msg.IsZero() {
			v = c
		} else {
			return fold(a.text) // shown as typed until it is fixed
		}
	}
	switch fl.Type {
	case kiosk.FieldChoice:
		for _, o := range fl.Options {
			if o.Value == v {
				return w.Text(lang, o.Label)
			}
		}
	case kiosk.FieldYesNo:
		if v == Yes {
			return say(kiosk.Msg("form.yes"))
		}
		return say(kiosk.Msg("form.no"))
	case kiosk.FieldDate:
		if t, err := time.Parse("2006-01-02", v); err == nil {
			month := kiosk.Msg(fmt.Sprintf("month.%d", int(t.Month())))
			return w.Text(lang, kiosk.Msg("form.value_date", "Year", t.Year(), "Month", month, "Day", t.Day()))
		}
	case kiosk.FieldBank:
		return groupDigits(v)
	}
	if fl.Prefill == kiosk.PrefillSex {
		switch v {
		case "男":
			return say(kiosk.Msg("form.value_male"))
		case "女":
			return say(kiosk.Msg("form.value_female"))
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
