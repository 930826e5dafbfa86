package i18n

import (
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/tongban/tongban/kiosk"
)

// Localizer translates message IDs in one session's current language.
// It is safe for concurrent use.
type Localizer struct {
	cat  *Catalog
	mu   sync.RWMutex
	lang kiosk.Lang
	loc  *goi18n.Localizer
	// fallback is the default language, used when a message is missing in
	// the current one.
	fallback *goi18n.Localizer
}

// SetLang switches the session's language; an unknown language selects the
// default (简体中文).
func (l *Localizer) SetLang(lang kiosk.Lang) {
	known := false
	for _, x := range Languages() {
		known = known || x == lang
	}
	if !known {
		lang = DefaultLang
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lang = lang
	l.loc = goi18n.NewLocalizer(l.cat.bundle, string(lang))
	l.fallback = goi18n.NewLocalizer(l.cat.bundle, string(DefaultLang))
}

// Reset returns the localizer to the default language, at the end of a
// session.
func (l *Localizer) Reset() { l.SetLang(DefaultLang) }

// Lang returns the current language.
func (l *Localizer) Lang() kiosk.Lang {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.lang
}

// T returns message id in the current language, filled with data (template
// fields such as {{.Name}}; a "Count" field also chooses the plural form).
// A message missing in the current language is shown in Chinese; a message
// missing altogether, or called without the fields it needs, returns id
// itself, which the catalog tests prevent.
// T never panics.
func (l *Localizer) T(id string, data ...map[string]any) string {
	cfg := &goi18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 && data[0] != nil {
		cfg.TemplateData = data[0]
		if n, ok := data[0]["Count"]; ok {
			cfg.PluralCount = n
		}
	}
	l.mu.RLock()
	loc, fallback := l.loc, l.fallback
	l.mu.RUnlock()
	for _, lc := range []*goi18n.Localizer{loc, fallback} {
		if s, err := lc.Localize(cfg); err == nil && !strings.Contains(s, noValue) {
			return s
		}
	}
	return id
}

// noValue is what text/template prints for a field the caller did not pass;
// such a sentence is never shown.
const noValue = "<no value>"

// Text returns t in the current language: a message (kiosk.Msg) from the
// catalog filled with its arguments, data (catalog items, back-office
// answers) as given, falling back to Chinese.
func (l *Localizer) Text(t kiosk.Text) string {
	if t.IsMessage() {
		nested := func(id string, data map[string]any) string { return l.T(id, data) }
		return l.T(t.ID, t.DataIn(l.Lang(), nested))
	}
	return t.In(l.Lang())
}
