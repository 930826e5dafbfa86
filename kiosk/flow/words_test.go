package flow_test

import (
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// zh and en give a notice's words as the screen shows them: the session
// says what it means as messages of the i18n catalogs.
func zh(t testing.TB, x kiosk.Text) string { return kiosktest.Words(t, x).ZH }
func en(t testing.TB, x kiosk.Text) string { return kiosktest.Words(t, x).EN }
