package uplink

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/backoffice/store"
)

// office is a back office served over mutual TLS on loopback the way
// cmd/backoffice serves it.
type office struct {
	srv         *backoffice.Server
	st          *store.DB
	keys        *backoffice.Keys
	url         string
	caPEM       string // path of ca.pem
	fingerprint string
}

// tlsBackOffice runs a back office with mutual TLS on loopback; serverAt
// is the time its server certificate is issued at (zero: now).
func tlsBackOffice(t *testing.T, serverAt ...time.Time) *office {
	at := time.Now()
	if len(serverAt) > 0 {
		at = serverAt[0]
	}
	bo := backofficetest.TLSAt(t, at)
	return &office{srv: bo.Server, st: bo.Store, keys: bo.Keys, url: bo.URL, caPEM: bo.CAFile, fingerprint: bo.Fingerprint}
}

func (o *office) token(t *testing.T) string {
	t.Helper()
	tok, err := o.srv.IssueEnrolmentToken(context.Background(), testTerminal, testCenter, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (o *office) enrol(t *testing.T, token string) (*Identity, string, error) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "identity")
	id, err := Enrol(context.Background(), EnrolOptions{Server: o.url, Token: token, Dir: dir, CAFile: o.caPEM, CAFingerprint: o.fingerprint})
	return id, dir, err
}

func TestEnrolThenSyncOverMutualTLS(t *testing.T) {
	o := tlsBackOffice(t)
	ctx := context.Background()
	token := o.token(t)
	id, dir, err := o.enrol(t, token)
	if err != nil {
		t.Fatal(err)
	}
	if id.Terminal != testTerminal || id.Center != testCenter || id.BundlePublicKey() == nil || id.Sealer() == nil {
		t.Fatalf("identity: %+v", id)
	}
	for _, f := range []string{keyFile, payloadKeyFile} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, fi.Mode(), err)
		}
	}
	// The token is single-use.
	if _, _, err := o.enrol(t, token); err == nil || !strings.Contains(err.Error(), "token-used") {
		t.Fatalf("replayed token: %v", err)
	}
	loaded, err := LoadIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	q := newFakeQueue(submissions(5)...)
	c := newClient(t, o.url, q, &fakeClock{now: t0}, func(c *Config) {
		c.HTTP = loaded.HTTPClient(nil)
		c.Terminal, c.Center, c.Seal = loaded.Terminal, loaded.Center, loaded.Sealer()
	})
	if _, err := c.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	q.checkDrained(t)
	if len(q.acked) != 5 {
		t.Fatalf("acked %d", len(q.acked))
	}
	// The same submissions sealed again (new envelopes, same content) are
	// recognised as resends, not stored twice.
	again := newFakeQueue(submissions(5)...)
	c2 := newClient(t, o.url, again, &fakeClock{now: t0}, func(c *Config) {
		c.HTTP = loaded.HTTPClient(nil)
		c.Terminal, c.Center, c.Seal = loaded.Terminal, loaded.Center, loaded.Sealer()
	})
	if _, err := c2.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	for id, official := range again.acked {
		if q.acked[id] != official {
			t.Fatalf("resend of %s got %s, first %s", id, official, q.acked[id])
		}
	}
	counts, _ := o.st.CountSubmissions(ctx, testTerminal)
	if len(counts) != 5 {
		t.Errorf("server holds %d", len(counts))
	}
	// Without the client certificate nothing but enrolment is served.
	cfg := loaded.TLSConfig(nil).Clone()
	cfg.GetClientCertificate = nil
	plain := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err := plain.Get(o.url + "/v1/receipts/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("no client certificate: %d", resp.StatusCode)
	}
}

// spy is a server that records whether any request reached it.
type spy struct {
	hits atomic.Int32
	body atomic.Value
}

func (s *spy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	var b strings.Builder
	buf := make([]byte, 4096)
	n, _ := r.Body.Read(buf)
	b.Write(buf[:n])
	s.body.Store(b.String())
	w.WriteHeader(500)
}

// A man in the middle never gets the token: a server of another CA, a
// server showing the right CA beside its own leaf, plain HTTP, a missing
// fingerprint, or a provisioned CA file that is not the fingerprinted one.
// After all of them the token still enrols with the genuine back office.
func TestEnrolRefusesManInTheMiddle(t *testing.T) {
	o := tlsBackOffice(t)
	token := o.token(t)
	other := tlsBackOffice(t) // another CA entirely
	otherSpy := &spy{}
	mitm := httptest.NewUnstartedServer(otherSpy)
	cfg, _ := other.keys.CA.ServerTLSConfig([]string{"127.0.0.1"}, time.Now())
	mitm.TLS = cfg
	mitm.StartTLS()
	defer mitm.Close()
	// A leaf from another CA, sent with the genuine CA certificate.
	mixedSpy := &spy{}
	mixed := httptest.NewUnstartedServer(mixedSpy)
	leaf, _ := other.keys.CA.ServerCertificate([]string{"127.0.0.1"}, time.Now())
	leaf.Certificate = [][]byte{leaf.Certificate[0], o.keys.CA.Cert.Raw}
	mixed.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
	mixed.StartTLS()
	defer mixed.Close()
	plainSpy := &spy{}
	plain := httptest.NewServer(plainSpy)
	defer plain.Close()

	tests := []struct {
		name string
		opts EnrolOptions
		spy  *spy
		want string
	}{
		{"server of another CA", EnrolOptions{Server: mitm.URL, CAFingerprint: o.fingerprint}, otherSpy, "fingerprint"},
		{"another CA, its own CA file", EnrolOptions{Server: mitm.URL, CAFingerprint: o.fingerprint, CAFile: other.caPEM}, otherSpy, "fingerprint"},
		{"right CA beside a foreign leaf", EnrolOptions{Server: mixed.URL, CAFingerprint: o.fingerprint}, mixedSpy, "certificate"},
		{"plain http", EnrolOptions{Server: plain.URL, CAFingerprint: o.fingerprint}, plainSpy, "https"},
		{"plain http, dev, not loopback", EnrolOptions{Server: "http://192.0.2.1:8080", CAFingerprint: o.fingerprint, InsecureDev: true}, nil, "loopback"},
		{"no fingerprint", EnrolOptions{Server: mitm.URL}, otherSpy, "fingerprint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Token, tt.opts.Dir = token, t.TempDir()
			_, err := Enrol(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.want)
			}
			if tt.spy != nil && tt.spy.hits.Load() != 0 {
				t.Fatalf("the token reached the man in the middle: %v", tt.spy.body.Load())
			}
			if _, err := LoadIdentity(tt.opts.Dir); err == nil {
				t.Fatal("an identity was written")
			}
		})
	}
	if _, _, err := o.enrol(t, token); err != nil {
		t.Fatalf("the genuine back office after the attempts: %v", err)
	}
}

// Over loopback plain HTTP in development, a forger that answers with the
// genuine CA certificate but its own keys is caught: nothing it says is
// signed by the pinned CA, so its bundle and payload keys are not taken.
func TestEnrolRefusesUnsignedTrust(t *testing.T) {
	o := tlsBackOffice(t)
	other := tlsBackOffice(t)
	for _, tt := range []struct {
		name   string
		forge  func(*api.EnrolResponse)
		expect string
	}{
		{"statement signed by another CA", func(r *api.EnrolResponse) {
			stmt := r.Trust.Statement
			r.Trust.Signature, _ = other.keys.CA.Sign(stmt)
		}, "not signed by the pinned CA"},
		{"bundle key swapped after signing", func(r *api.EnrolResponse) {
			var tr api.Trust
			json.Unmarshal(r.Trust.Statement, &tr)
			tr.BundleKey = other.keys.Signer.PublicKey().String()
			r.Trust.Statement, _ = json.Marshal(tr)
		}, "not signed by the pinned CA"},
		{"another CA in the answer", func(r *api.EnrolResponse) { r.CAPEM = string(other.keys.CA.CertPEM) }, "fingerprint"},
		{"a replayed statement", func(r *api.EnrolResponse) {
			var tr api.Trust
			json.Unmarshal(r.Trust.Statement, &tr)
			tr.Nonce = "an earlier nonce"
			r.Trust.Statement, _ = json.Marshal(tr)
			r.Trust.Signature, _ = o.keys.CA.Sign(r.Trust.Statement)
		}, "replay"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// The forger relays to the genuine back office and alters the answer.
			fwd := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var req api.EnrolRequest
				json.NewDecoder(r.Body).Decode(&req)
				tok, _ := o.srv.IssueEnrolmentToken(r.Context(), "SH-XH-"+strings.ReplaceAll(tt.name, " ", ""), testCenter, time.Hour)
				req.Token = tok
				b, _ := json.Marshal(req)
				rec := httptest.NewRecorder()
				o.srv.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/enrol", strings.NewReader(string(b))))
				var resp api.EnrolResponse
				json.Unmarshal(rec.Body.Bytes(), &resp)
				tt.forge(&resp)
				json.NewEncoder(w).Encode(resp)
			}))
			defer fwd.Close()
			dir := t.TempDir()
			_, err := Enrol(context.Background(), EnrolOptions{Server: fwd.URL, Token: "tbe_x", Dir: dir, CAFingerprint: o.fingerprint, InsecureDev: true})
			if err == nil || !strings.Contains(err.Error(), tt.expect) {
				t.Fatalf("err = %v, want %q", err, tt.expect)
			}
			if _, err := os.Stat(filepath.Join(dir, identityFile)); err == nil {
				t.Fatal("an identity was written")
			}
		})
	}
}

// An expired server certificate is refused, at enrolment and after; a
// terminal whose own clock is wrong recovers through the signed time.
func TestServerCertificateValidityAndSignedTime(t *testing.T) {
	expired := tlsBackOffice(t, time.Now().AddDate(-2, 0, 0))
	if _, _, err := expired.enrol(t, expired.token(t)); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("enrolment with an expired server certificate: %v", err)
	}

	o := tlsBackOffice(t)
	id, dir, err := o.enrol(t, o.token(t))
	if err != nil {
		t.Fatal(err)
	}
	if d := id.ClockOffset; d < -time.Minute || d > time.Minute {
		t.Fatalf("offset %v on a right clock", d)
	}
	ping := func(now func() time.Time) error {
		resp, err := id.HTTPClient(now).Get(o.url + "/v1/receipts/x")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := ping(nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		skew time.Duration
	}{
		{"clock years behind", -25 * 365 * 24 * time.Hour},
		{"clock years ahead", 3 * 365 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wrong := func() time.Time { return time.Now().Add(tc.skew) }
			if err := ping(wrong); err == nil {
				t.Fatal("a server certificate outside its validity by the wrong clock was accepted before the signed time was learned")
			}
			if err := id.SyncClock(context.Background(), wrong); err != nil {
				t.Fatal(err)
			}
			if err := ping(wrong); err != nil {
				t.Fatalf("after the signed time: %v", err)
			}
			// The offset is kept across a restart.
			again, err := LoadIdentity(dir)
			if err != nil || again.ClockOffset != id.ClockOffset {
				t.Fatalf("reloaded offset %v, want %v (%v)", again.ClockOffset, id.ClockOffset, err)
			}
		})
	}
}

// The client certificate is renewed at 2/3 of its lifetime; the new pair
// is installed whole, the identity reloads with it, and it works.
func TestRenewalBeforeExpiry(t *testing.T) {
	o := tlsBackOffice(t)
	id, dir, err := o.enrol(t, o.token(t))
	if err != nil {
		t.Fatal(err)
	}
	start := id.cert.Leaf.NotBefore
	life := id.cert.Leaf.NotAfter.Sub(start)
	for _, tc := range []struct {
		at   time.Duration
		want bool
	}{{0, false}, {life / 2, false}, {life*2/3 + time.Minute, true}, {life, true}} {
		if got := id.NeedsRenewal(start.Add(tc.at)); got != tc.want {
			t.Errorf("NeedsRenewal at %v of %v = %v", tc.at, life, got)
		}
	}
	oldSerial := id.cert.Leaf.SerialNumber
	if err := id.Renew(context.Background(), id.HTTPClient(nil), nil); err != nil {
		t.Fatal(err)
	}
	if id.cert.Leaf.SerialNumber.Cmp(oldSerial) == 0 {
		t.Fatal("the certificate was not replaced")
	}
	if _, err := os.Stat(filepath.Join(dir, nextFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s left behind: %v", nextFile, err)
	}
	loaded, err := LoadIdentity(dir)
	if err != nil || loaded.cert.Leaf.SerialNumber.Cmp(id.cert.Leaf.SerialNumber) != 0 {
		t.Fatalf("reloaded: %v", err)
	}
	resp, err := loaded.HTTPClient(nil).Get(o.url + "/v1/receipts/x")
	if err != nil || resp.StatusCode != 404 {
		t.Fatalf("renewed certificate: %v", err)
	}
	resp.Body.Close()

	// A power cut after the new pair was written but before it was put in
	// place: the next start finishes the job.
	if err := loaded.Renew(context.Background(), loaded.HTTPClient(nil), nil); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, certFile))
	k, _ := os.ReadFile(filepath.Join(dir, keyFile))
	os.WriteFile(filepath.Join(dir, nextFile), append(b, k...), 0o600)
	os.WriteFile(filepath.Join(dir, certFile), []byte(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: id.cert.Certificate[0]})), 0o644)
	afterCut, err := LoadIdentity(dir)
	if err != nil || afterCut.cert.Leaf.SerialNumber.Cmp(loaded.cert.Leaf.SerialNumber) != 0 {
		t.Fatalf("after the cut: %v", err)
	}
	// A revoked terminal cannot renew.
	if err := o.st.RevokeTerminal(context.Background(), testTerminal, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := afterCut.Renew(context.Background(), afterCut.HTTPClient(nil), nil); err == nil {
		t.Fatal("a revoked terminal renewed")
	}
}

func TestLoadIdentityNotEnrolled(t *testing.T) {
	if _, err := LoadIdentity(t.TempDir()); err == nil || !strings.Contains(err.Error(), "kioskctl enrol") {
		t.Fatalf("err = %v", err)
	}
}

// Maintain runs a round with the default clock and stops with its context;
// a fresh certificate is not renewed.
func TestMaintainOneRound(t *testing.T) {
	o := tlsBackOffice(t)
	id, _, err := o.enrol(t, o.token(t))
	if err != nil {
		t.Fatal(err)
	}
	serial := id.cert.Leaf.SerialNumber
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { id.Maintain(ctx, nil, time.Hour, nil); close(done) }()
	time.Sleep(300 * time.Millisecond) // let the first round reach the back office
	cancel()
	<-done
	if id.cert.Leaf.SerialNumber.Cmp(serial) != 0 {
		t.Fatal("a fresh certificate was renewed")
	}
}
