package uplink

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/store"
)

// tlsBackOffice runs a back office with mutual TLS on loopback.
func tlsBackOffice(t *testing.T) (*backoffice.Server, *store.DB, string, string) {
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
	return srv, st, "https://" + ln.Addr().String(), filepath.Join(dir, "keys", "ca.pem")
}

func TestEnrolThenSyncOverMutualTLS(t *testing.T) {
	srv, st, url, caPEM := tlsBackOffice(t)
	ctx := context.Background()
	token, err := srv.IssueEnrolmentToken(ctx, testTerminal, testCenter, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "identity")
	id, err := Enrol(ctx, EnrolOptions{Server: url, Token: token, Dir: dir, CAFile: caPEM})
	if err != nil {
		t.Fatal(err)
	}
	if id.Terminal != testTerminal || id.Center != testCenter || id.BundlePublicKey() == nil {
		t.Fatalf("identity: %+v", id)
	}
	if fi, err := os.Stat(filepath.Join(dir, keyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi.Mode(), err)
	}
	// The token is single-use.
	if _, err := Enrol(ctx, EnrolOptions{Server: url, Token: token, Dir: t.TempDir(), CAFile: caPEM}); err == nil || !strings.Contains(err.Error(), "token-used") {
		t.Fatalf("replayed token: %v", err)
	}
	loaded, err := LoadIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, now := range map[string]func() time.Time{
		"right clock":         time.Now,
		"clock years behind":  func() time.Time { return time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC) },
		"clock decades ahead": func() time.Time { return time.Now().AddDate(30, 0, 0) },
	} {
		t.Run(name, func(t *testing.T) {
			q := newFakeQueue(submissions(5)...)
			c := newClient(t, url, q, &fakeClock{now: t0}, func(c *Config) {
				c.HTTP = loaded.HTTPClient(now)
				c.Terminal, c.Center = loaded.Terminal, loaded.Center
			})
			if _, err := c.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			q.checkDrained(t)
			if len(q.acked) != 5 {
				t.Fatalf("acked %d", len(q.acked))
			}
		})
	}
	counts, _ := st.CountSubmissions(ctx, testTerminal)
	if len(counts) != 5 {
		t.Errorf("server holds %d", len(counts))
	}
	// Without the client certificate nothing but enrolment is served.
	plain := &http.Client{Transport: &http.Transport{TLSClientConfig: loaded.TLSConfig(nil).Clone()}}
	plain.Transport.(*http.Transport).TLSClientConfig.Certificates = nil
	resp, err := plain.Get(url + "/v1/receipts/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("no client certificate: %d", resp.StatusCode)
	}
}

func TestLoadIdentityNotEnrolled(t *testing.T) {
	if _, err := LoadIdentity(t.TempDir()); err == nil || !strings.Contains(err.Error(), "kioskctl enrol") {
		t.Fatalf("err = %v", err)
	}
}
