package console

import (
	"context"
	"crypto/tls"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/kiosk"
)

type kioskTextT = kiosk.Text

const tlsVerifyIfGiven = tls.VerifyClientCertIfGiven

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func regexpFind(expr, s string) string { return regexp.MustCompile(expr).FindString(s) }

func openSQLite(t testing.TB) *store.DB {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
