package kiosktest

import (
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/i18n"
)

// Words is x as the resident reads it, in both languages: a message
// (kiosk.Msg) translated by the i18n catalog, data as it is. A message
// missing from the catalog comes back as its ID in both languages, which
// a test comparing words catches.
func Words(t testing.TB, x kiosk.Text) kiosk.Text {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Resolve(x)
}
