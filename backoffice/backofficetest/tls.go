package backofficetest

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/sealed"
)

// Running is a back office serving on loopback.
type Running struct {
	Server      *backoffice.Server
	Store       *store.DB
	Keys        *backoffice.Keys
	URL         string // https://127.0.0.1:PORT
	CAFile      string // the back office CA's certificate (PEM), for enrolment
	Fingerprint string // the CA's fingerprint, as a technician pins it
}

// TLS starts a back office with mutual TLS on a loopback port, served the
// way cmd/backoffice serves it; it stops when the test ends.
func TLS(t testing.TB) *Running { return TLSAt(t, time.Now()) }

// TLSAt is TLS with a server certificate issued at the given time (to test
// certificates outside their validity).
func TLSAt(t testing.TB, serverAt time.Time) *Running { return start(t, serverAt, nil) }

// TLSWith is TLS with options changed from the default (an allow-list of
// card readers, say) by change.
func TLSWith(t testing.TB, change func(*backoffice.Options)) *Running {
	return start(t, time.Now(), change)
}

func start(t testing.TB, serverAt time.Time, change func(*backoffice.Options)) *Running {
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
	opts := backoffice.Options{CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey, PayloadKey: keys.PayloadKey}
	if change != nil {
		change(&opts)
	}
	srv := backoffice.New(st, opts)
	cert, _, err := keys.CA.LoadOrCreateServerCertificate(filepath.Join(dir, "keys"), []string{"127.0.0.1", "localhost"}, serverAt)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- backoffice.Serve(ctx, ln, srv, keys.CA.MutualTLSConfig(cert, nil, srv.CheckClientCertificate), nil)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		st.Close()
	})
	return &Running{Server: srv, Store: st, Keys: keys, URL: "https://" + ln.Addr().String(),
		CAFile: filepath.Join(dir, "keys", "ca.pem"), Fingerprint: sealed.Fingerprint(keys.CA.Cert.Raw)}
}
