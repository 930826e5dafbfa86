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
