package backoffice

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/internal/sealed"
)

// mutual serves f's store over mutual TLS the way cmd/backoffice does: a
// kept server certificate, the payload key, and the per-handshake check,
// with the clock *now (real time unless changed).
type mutual struct {
	f   *fixture
	srv *Server
	ts  *httptest.Server
	now *time.Time
}

func newMutual(t *testing.T) *mutual {
	f := newFixture(t, false)
	now := time.Now()
	m := &mutual{f: f, now: &now}
	clock := func() time.Time { return *m.now }
	m.srv = New(f.st, Options{Now: clock, CA: f.keys.CA, Signer: f.keys.Signer, HashKey: f.keys.HashKey, PayloadKey: f.keys.PayloadKey})
	cert, _, err := f.keys.CA.LoadOrCreateServerCertificate(t.TempDir(), []string{"127.0.0.1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	m.ts = httptest.NewUnstartedServer(m.srv)
	m.ts.TLS = f.keys.CA.MutualTLSConfig(cert, clock, m.srv.CheckClientCertificate)
	m.ts.StartTLS()
	t.Cleanup(m.ts.Close)
	return m
}

func (m *mutual) pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(m.f.keys.CA.Cert)
	return p
}

// terminal is an enrolled test terminal: its TLS client and SM2 key.
type terminal struct {
	id     string
	cert   tls.Certificate
	sm2    *sealed.PrivateKey
	client *http.Client
}

func (m *mutual) client(cert tls.Certificate) *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: m.pool(), Certificates: []tls.Certificate{cert}}}}
}

// enrol spends token for a fresh key; it returns the HTTP status and code.
func (m *mutual) enrol(t *testing.T, id, token string) (*terminal, int, string) {
	t.Helper()
	key, csr := newCSR(t, id)
	sk, err := sealed.LoadOrCreateKey(filepath.Join(t.TempDir(), "sm2"))
	if err != nil {
		t.Fatal(err)
	}
	pk, _ := sealed.FormatPublicKey(&sk.PublicKey)
	var er api.EnrolResponse
	status, code := m.post(t, &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: m.pool()}}},
		"/v1/enrol", api.EnrolRequest{Token: token, CSRPEM: csr, PayloadKey: pk, Nonce: "n1"}, &er)
	if status != 200 {
		return nil, status, code
	}
	blk, _ := pem.Decode([]byte(er.CertificatePEM))
	cert := tls.Certificate{Certificate: [][]byte{blk.Bytes}, PrivateKey: key}
	return &terminal{id: id, cert: cert, sm2: sk, client: m.client(cert)}, status, code
}

func (m *mutual) post(t *testing.T, c *http.Client, path string, body, out any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", m.ts.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(api.IdempotencyKeyHeader, "k-"+time.Now().Format(time.RFC3339Nano))
	resp, err := c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	data := new(bytes.Buffer)
	data.ReadFrom(resp.Body)
	if resp.StatusCode != 200 {
		var eb api.ErrorBody
		json.Unmarshal(data.Bytes(), &eb)
		return resp.StatusCode, eb.Error.Code
	}
	if out != nil {
		if err := json.Unmarshal(data.Bytes(), out); err != nil {
			t.Fatal(err)
		}
	}
	return 200, ""
}

func (m *mutual) get(c *http.Client) (int, string) {
	resp, err := c.Get(m.ts.URL + "/v1/receipts/SQ1")
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	var eb api.ErrorBody
	json.NewDecoder(resp.Body).Decode(&eb)
	return resp.StatusCode, eb.Error.Code
}

func (m *mutual) issue(t *testing.T, id, center string) string {
	t.Helper()
	tok, err := m.srv.IssueEnrolmentToken(context.Background(), id, center, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// A token for a terminal enrolled already is refused, at issue and at use
// (a token issued before the first enrolment), and never moves the
// terminal; only an explicit re-enrolment does, and only then do the old
// certificates stop working.
func TestTokenForEnrolledTerminalRefused(t *testing.T) {
	m := newMutual(t)
	ctx := context.Background()
	early := m.issue(t, terminalA, "XH02") // a second token, for another center, before enrolment
	first, status, _ := m.enrol(t, terminalA, m.issue(t, terminalA, "XH01"))
	if status != 200 {
		t.Fatalf("first enrolment: %d", status)
	}
	if _, err := m.srv.IssueEnrolmentToken(ctx, terminalA, "XH01", time.Hour); err == nil || !strings.Contains(err.Error(), "--reenrol") {
		t.Fatalf("a new-terminal token for an enrolled terminal: %v", err)
	}
	if _, status, code := m.enrol(t, terminalA, early); status != 409 || code != api.CodeAlreadyEnrolled {
		t.Fatalf("the early token: %d %s, want 409 %s", status, code, api.CodeAlreadyEnrolled)
	}
	if got, _ := m.f.st.Terminal(ctx, terminalA); got.Center != "XH01" {
		t.Fatalf("the terminal moved to %s", got.Center)
	}
	if code, _ := m.get(first.client); code != 404 {
		t.Fatalf("the enrolled terminal lost its access: %d", code)
	}
	// A re-enrolment for another center needs the explicit move.
	if _, err := m.srv.IssueReEnrolmentToken(ctx, terminalA, "XH02", time.Hour, false); err == nil {
		t.Fatal("a re-enrolment into another center without move was issued")
	}
	again, err := m.srv.IssueReEnrolmentToken(ctx, terminalA, "XH01", time.Hour, false)
	if err != nil {
		t.Fatal(err)
	}
	second, status, _ := m.enrol(t, terminalA, again)
	if status != 200 {
		t.Fatalf("explicit re-enrolment: %d", status)
	}
	first.client.CloseIdleConnections()
	if code, _ := m.get(first.client); code != 0 {
		t.Fatalf("the old certificate after re-enrolment: %d, want a refused handshake", code)
	}
	move, err := m.srv.IssueReEnrolmentToken(ctx, terminalA, "XH02", time.Hour, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, status, _ := m.enrol(t, terminalA, move); status != 200 {
		t.Fatalf("explicit move: %d", status)
	}
	if got, _ := m.f.st.Terminal(ctx, terminalA); got.Center != "XH02" {
		t.Fatalf("after the explicit move the center is %s", got.Center)
	}
	second.client.CloseIdleConnections()
	if code, _ := m.get(second.client); code != 0 {
		t.Fatalf("the certificate from before the move: %d", code)
	}
}

// Revoking a terminal refuses it at its next handshake, and on a
// connection already open, at its next request.
func TestRevokedTerminalRefusedAtHandshake(t *testing.T) {
	m := newMutual(t)
	a, _, _ := m.enrol(t, terminalA, m.issue(t, terminalA, "XH01"))
	b, _, _ := m.enrol(t, "SH-XH-0002", m.issue(t, "SH-XH-0002", "XH01"))
	if code, _ := m.get(a.client); code != 404 {
		t.Fatalf("before revocation: %d", code)
	}
	if err := m.f.st.RevokeTerminal(context.Background(), terminalA, time.Now()); err != nil {
		t.Fatal(err)
	}
	if code, reason := m.get(a.client); code != 403 || reason != api.CodeCertReplaced {
		t.Fatalf("open connection after revocation: %d %s", code, reason)
	}
	a.client.CloseIdleConnections()
	for range 2 { // and it stays refused
		code, msg := m.get(a.client)
		if code != 0 || !strings.Contains(msg, "tls") {
			t.Fatalf("new handshake after revocation: %d %s", code, msg)
		}
	}
	if code, _ := m.get(b.client); code != 404 {
		t.Fatalf("another terminal after the revocation: %d", code)
	}
	// Renewal does not bring it back.
	_, csr := newCSR(t, terminalA)
	if status, _ := m.post(t, m.client(a.cert), "/v1/certificates:renew", api.RenewRequest{CSRPEM: csr}, nil); status == 200 {
		t.Fatal("a revoked terminal renewed its certificate")
	}
}

// Expired and not-yet-valid client certificates fail the handshake.
func TestClientCertificateOutsideValidityRefused(t *testing.T) {
	m := newMutual(t)
	a, _, _ := m.enrol(t, terminalA, m.issue(t, terminalA, "XH01"))
	if code, _ := m.get(a.client); code != 404 {
		t.Fatalf("valid: %d", code)
	}
	real := *m.now
	for _, tc := range []struct {
		name string
		at   time.Time
	}{
		{"expired", real.Add(ClientCertLifetime + time.Minute)},
		{"not yet valid", real.Add(-2 * clockSlack)},
	} {
		*m.now = tc.at
		a.client.CloseIdleConnections()
		if code, msg := m.get(a.client); code != 0 {
			t.Errorf("%s: %d %s, want a refused handshake", tc.name, code, msg)
		}
	}
	*m.now = real
	a.client.CloseIdleConnections()
	if code, _ := m.get(a.client); code != 404 {
		t.Fatalf("valid again: %d", code)
	}
}

// Renewal gives a new certificate of the same enrolment, center and SM2
// key, with a CA-signed trust statement carrying the back office's time;
// the old certificate keeps working until the terminal uses the new one,
// and is refused from then on (TestRenewalSupersedes).
func TestRenewalKeepsEnrolment(t *testing.T) {
	m := newMutual(t)
	a, _, _ := m.enrol(t, terminalA, m.issue(t, terminalA, "XH01"))
	*m.now = m.now.Add(ClientCertLifetime * 2 / 3)
	key, csr := newCSR(t, terminalA)
	var rr api.RenewResponse
	if status, code := m.post(t, a.client, "/v1/certificates:renew", api.RenewRequest{CSRPEM: csr, Nonce: "r1"}, &rr); status != 200 {
		t.Fatalf("renew: %d %s", status, code)
	}
	blk, _ := pem.Decode([]byte(rr.CertificatePEM))
	leaf, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := x509.ParseCertificate(a.cert.Certificate[0])
	if EnrolmentID(leaf) != EnrolmentID(old) || leaf.Subject.OrganizationalUnit[0] != "XH01" || !leaf.NotAfter.After(old.NotAfter) {
		t.Fatalf("renewed certificate: enrolment %s (was %s), ends %v (was %v)", EnrolmentID(leaf), EnrolmentID(old), leaf.NotAfter, old.NotAfter)
	}
	if k, _ := PayloadKey(leaf); k == nil || !k.Equal(&a.sm2.PublicKey) {
		t.Fatal("the renewed certificate lost the SM2 payload key")
	}
	if err := m.f.keys.CA.Cert.CheckSignature(x509.ECDSAWithSHA256, rr.Trust.Statement, rr.Trust.Signature); err != nil {
		t.Fatalf("trust statement: %v", err)
	}
	var tr api.Trust
	json.Unmarshal(rr.Trust.Statement, &tr)
	if !tr.Time.Equal(m.now.UTC()) || tr.Nonce != "r1" || tr.PayloadKey == "" {
		t.Fatalf("trust statement %+v", tr)
	}
	a.client.CloseIdleConnections()
	if code, _ := m.get(a.client); code != 404 {
		t.Fatalf("the previous certificate before the renewed one is used: %d", code)
	}
	renewed := m.client(tls.Certificate{Certificate: [][]byte{blk.Bytes}, PrivateKey: key})
	if code, _ := m.get(renewed); code != 404 {
		t.Fatalf("renewed certificate: %d", code)
	}
	if got, _ := m.f.st.Terminal(context.Background(), terminalA); !got.CertNotAfter.Equal(leaf.NotAfter.Truncate(time.Microsecond)) {
		t.Fatalf("store not_after %v, want %v", got.CertNotAfter, leaf.NotAfter)
	}
	// Past the first certificate's end only the renewed one works.
	*m.now = old.NotAfter.Add(time.Minute)
	a.client.CloseIdleConnections()
	if code, _ := m.get(a.client); code != 0 {
		t.Fatalf("the first certificate after its end: %d", code)
	}
	renewed.CloseIdleConnections()
	if code, _ := m.get(renewed); code != 404 {
		t.Fatalf("the renewed certificate: %d", code)
	}
}

// The server certificate is kept across starts and issued again only
// when the hosts change or its end is near.
func TestServerCertificatePersists(t *testing.T) {
	f := newFixture(t, false)
	dir := t.TempDir()
	now := time.Now()
	c1, fresh, err := f.keys.CA.LoadOrCreateServerCertificate(dir, []string{"backoffice.example", "10.0.0.5"}, now)
	if err != nil || !fresh {
		t.Fatalf("first: %v %v", fresh, err)
	}
	steps := []struct {
		name  string
		hosts []string
		at    time.Time
		fresh bool
	}{
		{"restart", []string{"10.0.0.5", "backoffice.example"}, now.Add(time.Hour), false},
		{"a day later", []string{"backoffice.example", "10.0.0.5"}, now.Add(24 * time.Hour), false},
		{"another host", []string{"backoffice.example"}, now.Add(25 * time.Hour), true},
		{"restart again", []string{"backoffice.example"}, now.Add(26 * time.Hour), false},
		{"near its end", []string{"backoffice.example"}, now.Add(serverCertLifetime - 10*24*time.Hour), true},
	}
	prev := c1.Leaf
	for _, s := range steps {
		c, fresh, err := f.keys.CA.LoadOrCreateServerCertificate(dir, s.hosts, s.at)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if fresh != s.fresh || c.Leaf.Equal(prev) == s.fresh {
			t.Fatalf("%s: fresh %v, want %v", s.name, fresh, s.fresh)
		}
		prev = c.Leaf
	}
	// A certificate from another CA in the folder is not served.
	other := newFixture(t, false)
	if _, fresh, _ := other.keys.CA.LoadOrCreateServerCertificate(dir, []string{"backoffice.example"}, now.Add(27*time.Hour)); !fresh {
		t.Fatal("another CA's server certificate was kept")
	}
}

// sealedBatch is a one-item batch sealed by term with key (nil: the
// back office's) and the item's own client ID.
func sealedBatch(t *testing.T, m *mutual, term *terminal, to *ecdsa.PublicKey, signer *sealed.PrivateKey, clientID, sealFor string) api.BatchRequest {
	t.Helper()
	it := sampleItem(term.id, clientID)
	plain, _ := json.Marshal(it)
	if to == nil {
		to = &m.f.keys.PayloadKey.PublicKey
	}
	env, err := sealed.Seal(nil, to, signer, term.id, sealFor, plain)
	if err != nil {
		t.Fatal(err)
	}
	return api.BatchRequest{BatchID: "b-" + clientID[len(clientID)-4:], Items: []api.SubmissionItem{{ClientID: clientID, Sealed: env}}}
}

// A sealed submission is opened and stored; tampered, wrongly signed,
// wrongly addressed, replayed and clear items from a sealing terminal are
// refused, each for good, and a genuine item after them is still taken.
func TestSealedSubmissions(t *testing.T) {
	m := newMutual(t)
	a, _, _ := m.enrol(t, terminalA, m.issue(t, terminalA, "XH01"))
	stranger, _ := sealed.LoadOrCreateKey(filepath.Join(t.TempDir(), "s"))
	tampered := sealedBatch(t, m, a, nil, a.sm2, uid(2), uid(2))
	tampered.Items[0].Sealed[60] ^= 1
	mixed := sealedBatch(t, m, a, nil, a.sm2, uid(9), uid(9))
	mixed.Items[0].Applicant.FullName = "测试乙"
	clear := api.BatchRequest{BatchID: "b-clear", Items: []api.SubmissionItem{sampleItem(terminalA, uid(7))}}
	steps := []struct {
		name     string
		batch    api.BatchRequest
		accepted bool
	}{
		{"genuine", sealedBatch(t, m, a, nil, a.sm2, uid(1), uid(1)), true},
		{"tampered", tampered, false},
		{"signed by another key", sealedBatch(t, m, a, nil, stranger, uid(3), uid(3)), false},
		{"addressed to another key", sealedBatch(t, m, a, &stranger.PublicKey, a.sm2, uid(4), uid(4)), false},
		{"sealed for another submission", sealedBatch(t, m, a, nil, a.sm2, uid(5), uid(6)), false},
		{"in clear from a sealing terminal", clear, false},
		{"sealed with a name beside it in clear", mixed, false},
		{"genuine after the refusals", sealedBatch(t, m, a, nil, a.sm2, uid(8), uid(8)), true},
		{"the first one again (a resend)", sealedBatch(t, m, a, nil, a.sm2, uid(1), uid(1)), true},
	}
	for _, s := range steps {
		var resp api.BatchResponse
		if status, code := m.post(t, a.client, "/v1/submissions:batch", s.batch, &resp); status != 200 {
			t.Fatalf("%s: %d %s", s.name, status, code)
		}
		r := resp.Results[0]
		ok := r.Outcome == api.OutcomeAccepted || r.Outcome == api.OutcomeDuplicate
		if ok != s.accepted || (!ok && r.Retryable) {
			t.Fatalf("%s: %+v", s.name, r)
		}
	}
	if n := m.f.logs.String(); strings.Contains(n, "测试") {
		t.Error("personal data in the log")
	}
}

func uid(n int) string { return fmt.Sprintf("0190a5c4-0000-7000-8000-%012d", n) }

func sampleItem(terminal, clientID string) api.SubmissionItem {
	it := item(0, terminal)
	it.ClientID = clientID
	it.LocalReceipt = terminal + "-20260701-" + clientID[len(clientID)-4:]
	return it
}

// A renewal rotates the terminal's key: once the terminal has used its
// renewed certificate, the one before it (say, copied from its disk with
// its key) is refused at the handshake, though it has not expired; the
// terminal's own answer to a renewal it never received costs it nothing,
// since the previous certificate works until the renewed one is used. A
// re-enrolment starts afresh.
func TestRenewalSupersedes(t *testing.T) {
	m := newMutual(t)
	a, _, _ := m.enrol(t, terminalA, m.issue(t, terminalA, "XH01"))
	if code, _ := m.get(a.client); code != 404 {
		t.Fatalf("enrolled: %d", code)
	}
	renew := func(c *http.Client) *http.Client {
		key, csr := newCSR(t, terminalA)
		var rr api.RenewResponse
		if status, code := m.post(t, c, "/v1/certificates:renew", api.RenewRequest{CSRPEM: csr, Nonce: "r"}, &rr); status != 200 {
			t.Fatalf("renew: %d %s", status, code)
		}
		blk, _ := pem.Decode([]byte(rr.CertificatePEM))
		return m.client(tls.Certificate{Certificate: [][]byte{blk.Bytes}, PrivateKey: key})
	}
	fresh := func(c *http.Client) int {
		c.CloseIdleConnections()
		code, _ := m.get(c)
		return code
	}
	*m.now = m.now.Add(40 * 24 * time.Hour)
	lost := renew(a.client) // the answer never reached the terminal
	if code := fresh(a.client); code != 404 {
		t.Fatalf("after a renewal the terminal never received: %d", code)
	}
	*m.now = m.now.Add(time.Hour)
	b := renew(a.client)
	if code := fresh(b); code != 404 {
		t.Fatalf("the renewed certificate: %d", code)
	}
	if code := fresh(a.client); code != 0 {
		t.Fatalf("the superseded certificate, not yet expired: %d, want a refused handshake", code)
	}
	if code := fresh(lost); code != 0 {
		t.Fatalf("the older renewal, never used: %d, want a refused handshake", code)
	}
	if code := fresh(b); code != 404 {
		t.Fatalf("the renewed certificate again: %d", code)
	}
	// Re-enrolled, the terminal starts afresh.
	re, err := m.srv.IssueReEnrolmentToken(context.Background(), terminalA, "XH01", time.Hour, false)
	if err != nil {
		t.Fatal(err)
	}
	c, status, _ := m.enrol(t, terminalA, re)
	if status != 200 || fresh(c.client) != 404 {
		t.Fatalf("re-enrolled: %d", status)
	}
}
