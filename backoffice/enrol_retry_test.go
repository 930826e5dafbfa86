package backoffice

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/sealed"
)

// enrollee is a terminal's side of enrolment that keeps its keys across
// attempts, as uplink.Enrol does: a retry asks with the same keys.
type enrollee struct {
	key *ecdsa.PrivateKey
	sm2 string // the SM2 payload key's text form
}

func newEnrollee(t *testing.T) *enrollee {
	key, _ := newCSR(t, "k")
	sk, err := sealed.LoadOrCreateKey(filepath.Join(t.TempDir(), "sm2"))
	if err != nil {
		t.Fatal(err)
	}
	pk, _ := sealed.FormatPublicKey(&sk.PublicKey)
	return &enrollee{key: key, sm2: pk}
}

// csr is a fresh CSR for k's key: its bytes differ at each call.
func (k *enrollee) csr(t *testing.T) string {
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "tongban-terminal"}}, k.key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

// enrol asks with token and returns the certificate, status and code.
func (m *mutual) enrolAs(t *testing.T, k *enrollee, token, nonce string) (*x509.Certificate, *api.EnrolResponse, int, string) {
	t.Helper()
	var er api.EnrolResponse
	bare := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: m.pool()}}}
	status, code := m.post(t, bare, "/v1/enrol", api.EnrolRequest{Token: token, CSRPEM: k.csr(t), PayloadKey: k.sm2, Nonce: nonce}, &er)
	if status != 200 {
		return nil, nil, status, code
	}
	blk, _ := pem.Decode([]byte(er.CertificatePEM))
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert, &er, status, code
}

func (k *enrollee) client(m *mutual, cert *x509.Certificate) *http.Client {
	return m.client(tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: k.key})
}

// A terminal that lost the answer to its enrolment (the power went off)
// asks again with the same token and the same key: it gets the same
// certificate, with a fresh signed statement for its new nonce, and it
// works. The same token with any other key is refused, and changes
// nothing; so is the retry once the terminal was enrolled again or
// revoked, or with another payload key.
func TestEnrolRetryWithTheSameKey(t *testing.T) {
	m := newMutual(t)
	ctx := context.Background()
	k := newEnrollee(t)
	tok := m.issue(t, terminalA, "XH01")
	first, _, status, code := m.enrolAs(t, k, tok, "n-first")
	if status != 200 {
		t.Fatalf("first enrolment: %d %s", status, code)
	}
	// The answer was lost; the terminal restarts and asks again.
	again, er, status, code := m.enrolAs(t, k, tok, "n-again")
	if status != 200 {
		t.Fatalf("the retry with the same key: %d %s", status, code)
	}
	if !again.Equal(first) {
		t.Fatal("the retry got another certificate than the first answer")
	}
	var tr api.Trust
	if err := m.f.keys.CA.Cert.CheckSignature(x509.ECDSAWithSHA256, er.Trust.Statement, er.Trust.Signature); err != nil {
		t.Fatalf("the retry's statement: %v", err)
	}
	if err := json.Unmarshal(er.Trust.Statement, &tr); err != nil || tr.Nonce != "n-again" || tr.Terminal != terminalA {
		t.Fatalf("the retry's statement answers %+v, %v", tr, err)
	}
	if got, _ := m.get(k.client(m, again)); got != 404 {
		t.Fatalf("the certificate got again does not work: %d", got)
	}
	// Another key with the spent token: refused, the enrolment unchanged.
	thief := newEnrollee(t)
	if _, _, status, code := m.enrolAs(t, thief, tok, "n-thief"); status != 401 || code != api.CodeTokenUsed {
		t.Fatalf("the spent token with another key: %d %s", status, code)
	}
	// The same TLS key with another payload key: refused.
	swapped := &enrollee{key: k.key, sm2: thief.sm2}
	if _, _, status, code := m.enrolAs(t, swapped, tok, "n-swap"); status != 401 || code != api.CodeTokenUsed {
		t.Fatalf("the same key with another payload key: %d %s", status, code)
	}
	if got, _ := m.f.st.Terminal(ctx, terminalA); got.CertSerial != EnrolmentID(first) {
		t.Fatalf("the refused retries changed the enrolment: %+v", got)
	}
	// Once re-enrolled explicitly, the old token gives nothing any more.
	re, err := m.srv.IssueReEnrolmentToken(ctx, terminalA, "XH01", time.Hour, false)
	if err != nil {
		t.Fatal(err)
	}
	k2 := newEnrollee(t)
	second, _, status, _ := m.enrolAs(t, k2, re, "n-re")
	if status != 200 {
		t.Fatalf("re-enrolment: %d", status)
	}
	if _, _, status, code := m.enrolAs(t, k, tok, "n-old"); status != 401 || code != api.CodeTokenUsed {
		t.Fatalf("the first token after re-enrolment: %d %s", status, code)
	}
	// A revoked terminal gets nothing by retrying.
	if err := m.f.st.RevokeTerminal(ctx, terminalA, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, _, status, code := m.enrolAs(t, k2, re, "n-revoked"); status != 401 || code != api.CodeTokenUsed {
		t.Fatalf("a retry after revocation: %d %s", status, code)
	}
	if got, _ := m.f.st.Terminal(ctx, terminalA); got.CertSerial != EnrolmentID(second) || got.RevokedAt.IsZero() {
		t.Fatalf("the revoked enrolment changed: %+v", got)
	}
}

// stopAfterClaim is the back office's store failing between claiming the
// token and recording the enrolment (the back office stopped there).
type stopAfterClaim struct {
	store.Store
	fail int
}

func (s *stopAfterClaim) CompleteEnrolment(ctx context.Context, hash string, t store.Terminal, der []byte) error {
	if s.fail > 0 {
		s.fail--
		return errors.New("the back office stopped")
	}
	return s.Store.CompleteEnrolment(ctx, hash, t, der)
}

// The back office stops after the token was claimed and before the
// enrolment was recorded, twice: the terminal's retries with the same key
// enrol it, once; another key still cannot use the token.
func TestEnrolRetryAfterTheBackOfficeStopped(t *testing.T) {
	m := newMutual(t)
	failing := &stopAfterClaim{Store: m.f.st, fail: 2}
	clock := func() time.Time { return *m.now }
	m.srv = New(failing, Options{Now: clock, CA: m.f.keys.CA, Signer: m.f.keys.Signer, PayloadKey: m.f.keys.PayloadKey, HashKey: m.f.keys.HashKey})
	m.ts.Config.Handler = m.srv
	k := newEnrollee(t)
	tok := m.issue(t, terminalA, "XH01")
	for i := range 2 {
		if _, _, status, _ := m.enrolAs(t, k, tok, "n"); status/100 != 5 {
			t.Fatalf("attempt %d while the store fails: %d", i, status)
		}
		if _, err := m.f.st.Terminal(context.Background(), terminalA); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("attempt %d: a terminal recorded without its certificate: %v", i, err)
		}
	}
	if _, _, status, _ := m.enrolAs(t, newEnrollee(t), tok, "n"); status != 401 {
		t.Fatalf("another key with the claimed token: %d", status)
	}
	cert, _, status, code := m.enrolAs(t, k, tok, "n")
	if status != 200 {
		t.Fatalf("the retry once the store works: %d %s", status, code)
	}
	if got, _ := m.f.st.Terminal(context.Background(), terminalA); got.CertSerial != EnrolmentID(cert) {
		t.Fatalf("enrolment %+v, certificate %s", got, EnrolmentID(cert))
	}
}
