package backofficetest

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/store"
)

// Running is a back office serving on loopback.
type Running struct {
	Server *backoffice.Server
	Store  *store.DB
	URL    string // https://127.0.0.1:PORT
	CAFile string // the back office CA's certificate (PEM), for enrolment
}

// TLS starts a back office with mutual TLS on a loopback port; it stops
// when the test ends.
func TLS(t testing.TB) *Running {
	t.Helper()
	dir := t.TempDir()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := backoffice.LoadOrCreateKeys(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	srv := backoffice.New(st, backoffice.Options{CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey})
	tlsCfg, err := keys.CA.ServerTLSConfig([]string{"127.0.0.1", "localhost"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- backoffice.Serve(ctx, ln, srv, tlsCfg, nil) }()
	t.Cleanup(func() {
		cancel()
		<-done
		st.Close()
	})
	return &Running{Server: srv, Store: st, URL: "https://" + ln.Addr().String(), CAFile: filepath.Join(dir, "keys", "ca.pem")}
}
