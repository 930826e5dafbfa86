package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/tongban/tongban/kiosk"
)

//go:embed locales/*.json
var locales embed.FS

// DefaultLang is the language every session starts in.
const DefaultLang = kiosk.LangZH

// Languages returns the languages a session can be shown in, the default
// first.
func Languages() []kiosk.Lang { return []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} }

// Catalog holds every message in every language. It is read-only after
// Load and safe to share between sessions.
type Catalog struct {
	bundle *goi18n.Bundle
	ids    map[kiosk.Lang][]string
	// locs translate Text and Resolve, one per language, made at Load.
	locs map[kiosk.Lang]*Localizer
}

// Load parses the embedded message files.
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(language.Chinese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{bundle: b, ids: map[kiosk.Lang][]string{}}
	for _, lang := range Languages() {
		path := "locales/" + string(lang) + ".json"
		data, err := locales.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("i18n: reading %s: %w", path, err)
		}
		f, err := b.ParseMessageFileBytes(data, path)
		if err != nil {
			return nil, fmt.Errorf("i18n: parsing %s: %w", path, err)
		}
		for _, m := range f.Messages {
			c.ids[lang] = append(c.ids[lang], m.ID)
		}
		sort.Strings(c.ids[lang])
	}
	c.locs = map[kiosk.Lang]*Localizer{}
	for _, lang := range Languages() {
		c.locs[lang] = c.NewLocalizer(lang)
	}
	return c, nil
}

// IDs returns the message IDs defined for lang, sorted.
func (c *Catalog) IDs(lang kiosk.Lang) []string {
	return append([]string(nil), c.ids[lang]...)
}

// NewLocalizer returns a localizer for one session, showing lang (the
// default language when lang is not in the catalog).
func (c *Catalog) NewLocalizer(lang kiosk.Lang) *Localizer {
	l := &Localizer{cat: c}
	l.SetLang(lang)
	return l
}

// Text returns t in lang: a message (kiosk.Msg) from the catalog filled
// with its arguments, data as given (falling back to Chinese).
func (c *Catalog) Text(lang kiosk.Lang, t kiosk.Text) string {
	if !t.IsMessage() {
		return t.In(lang)
	}
	l, ok := c.locs[lang]
	if !ok {
		l = c.locs[DefaultLang]
	}
	return l.Text(t)
}

// Resolve returns t as data in both languages: a message is translated
// into each, data comes back unchanged. It is for the places that still
// read Text.ZH directly; a nil Catalog resolves nothing.
func (c *Catalog) Resolve(t kiosk.Text) kiosk.Text {
	if c == nil || !t.IsMessage() {
		return t
	}
	return kiosk.Text{ZH: c.Text(kiosk.LangZH, t), EN: c.Text(kiosk.LangEN, t)}
}
