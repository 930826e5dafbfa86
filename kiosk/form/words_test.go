package form

import (
	"strings"
	"sync"
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/i18n"
)

var loadCatalog = sync.OnceValues(i18n.Load)

// catalogWords is the i18n catalog, which gives the form's words.
func catalogWords(t testing.TB) *i18n.Catalog {
	t.Helper()
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// said is m as the resident reads it, in both languages.
func said(t testing.TB, m kiosk.Text) kiosk.Text { return catalogWords(t).Resolve(m) }

// speaks reports whether m says something in Chinese and in English.
func speaks(t testing.TB, m kiosk.Text) bool {
	w := said(t, m)
	return w.ZH != "" && w.EN != "" && (w.ZH != w.EN || !m.IsMessage())
}

// describe is each error as "field: words in Chinese".
func describe(t testing.TB, es Errors) []string {
	var out []string
	for _, e := range es {
		where, _, _ := strings.Cut(e.Error(), ": ")
		out = append(out, where+": "+said(t, e.Message).ZH)
	}
	return out
}
