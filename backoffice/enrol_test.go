package backoffice

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
)

func newCSR(t *testing.T, cn string) (*ecdsa.PrivateKey, string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return key, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

func TestEnrolErrors(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	tok, err := f.srv.IssueEnrolmentToken(ctx, terminalA, "XH01", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, csr := newCSR(t, "whatever")
	_, otherKey := newCSR(t, "whatever")
	// An expired token: issued by a server whose clock is 2 days behind.
	old := New(f.st, Options{Now: func() time.Time { return testNow.Add(-48 * time.Hour) }, CA: f.keys.CA})
	expired, _ := old.IssueEnrolmentToken(ctx, "SH-XH-0009", "XH01", time.Hour)
	tests := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"bad csr", api.EnrolRequest{Token: tok, CSRPEM: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"}, 400, api.CodeBadCSR},
		{"not pem", api.EnrolRequest{Token: tok, CSRPEM: "hello"}, 400, api.CodeBadCSR},
		{"unknown token", api.EnrolRequest{Token: "tbe_0000", CSRPEM: csr}, 401, api.CodeTokenUnknown},
		{"expired token", api.EnrolRequest{Token: expired, CSRPEM: csr}, 401, api.CodeTokenExpired},
		{"unknown field", `{"token":"x","csr_pem":"y","terminal":"SH-XH-0003"}`, 400, api.CodeUnknownField},
		{"good", api.EnrolRequest{Token: tok, CSRPEM: csr}, 200, ""},
		{"same token, same key again", api.EnrolRequest{Token: tok, CSRPEM: csr}, 200, ""},
		{"same token, another key", api.EnrolRequest{Token: tok, CSRPEM: otherKey}, 401, api.CodeTokenUsed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.do("POST", "/v1/enrol", "", tc.body)
			if rec.Code != tc.status {
				t.Fatalf("got %d %s, want %d", rec.Code, rec.Body, tc.status)
			}
			if tc.code != "" && problemCode(t, rec) != tc.code {
				t.Fatalf("code %s, want %s", rec.Body, tc.code)
			}
			if tc.status == 200 {
				resp := decode[api.EnrolResponse](t, rec)
				blk, _ := pem.Decode([]byte(resp.CertificatePEM))
				cert, err := x509.ParseCertificate(blk.Bytes)
				if err != nil || cert.Subject.CommonName != terminalA || resp.Terminal != terminalA || resp.BundleKey == "" {
					t.Fatalf("certificate for %q (token names %s): %v", cert.Subject.CommonName, terminalA, err)
				}
			}
		})
	}
	if strings.Contains(f.logs.String(), tok) {
		t.Error("the token is in the log")
	}
}

// tlsClient enrols terminal against srv and returns an HTTP client with its certificate.
func tlsClient(t *testing.T, f *fixture, ts *httptest.Server, terminal string) *http.Client {
	tok, err := f.srv.IssueEnrolmentToken(context.Background(), terminal, "XH01", time.Hour)
	if err != nil && strings.Contains(err.Error(), "enrolled already") {
		tok, err = f.srv.IssueReEnrolmentToken(context.Background(), terminal, "XH01", time.Hour, false)
	}
	if err != nil {
		t.Fatal(err)
	}
	key, csr := newCSR(t, terminal)
	pool := x509.NewCertPool()
	pool.AddCert(f.keys.CA.Cert)
	bare := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	body, _ := json.Marshal(api.EnrolRequest{Token: tok, CSRPEM: csr})
	resp, err := bare.Post(ts.URL+"/v1/enrol", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var er api.EnrolResponse
	if err := json.NewDecoder(resp.Body).Decode(&er); err != nil || resp.StatusCode != 200 {
		t.Fatalf("enrol: %d %v", resp.StatusCode, err)
	}
	blk, _ := pem.Decode([]byte(er.CertificatePEM))
	cert := tls.Certificate{Certificate: [][]byte{blk.Bytes}, PrivateKey: key}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}}}}
}

// realTime makes f's server use the real clock: TLS checks certificates
// against it.
func realTime(f *fixture) *fixture {
	f.srv = New(f.st, Options{Now: time.Now, CA: f.keys.CA, Signer: f.keys.Signer, HashKey: f.keys.HashKey})
	return f
}

func TestMutualTLS(t *testing.T) {
	f := realTime(newFixture(t, false))
	ts := httptest.NewUnstartedServer(f.srv)
	cfg, err := f.keys.CA.ServerTLSConfig([]string{"127.0.0.1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ts.TLS = cfg
	ts.StartTLS()
	defer ts.Close()

	get := func(c *http.Client, claimed string) (int, string) {
		req, _ := http.NewRequest("GET", ts.URL+"/v1/receipts/SQ1", nil)
		if claimed != "" {
			req.Header.Set(api.TerminalHeader, claimed)
		}
		resp, err := c.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		var eb api.ErrorBody
		json.NewDecoder(resp.Body).Decode(&eb)
		return resp.StatusCode, eb.Error.Code
	}
	a := tlsClient(t, f, ts, terminalA)
	if code, reason := get(a, terminalA); code != 404 || reason != api.CodeNotFound {
		t.Fatalf("enrolled terminal: %d %s", code, reason)
	}
	if code, reason := get(a, "SH-XH-0002"); code != 403 || reason != api.CodeWrongTerminal {
		t.Errorf("certificate of another terminal: %d %s", code, reason)
	}
	// No client certificate at all.
	pool := x509.NewCertPool()
	pool.AddCert(f.keys.CA.Cert)
	bare := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if code, reason := get(bare, terminalA); code != 401 || reason != api.CodeUnauthenticated {
		t.Errorf("no certificate, header only: %d %s", code, reason)
	}
	// Re-enrolment revokes the first certificate.
	a2 := tlsClient(t, f, ts, terminalA)
	if code, reason := get(a, ""); code != 403 || reason != api.CodeCertReplaced {
		t.Errorf("replaced certificate: %d %s", code, reason)
	}
	if code, _ := get(a2, ""); code != 404 {
		t.Errorf("new certificate: %d", code)
	}
	// A certificate from another CA does not get through the handshake.
	other := realTime(newFixture(t, false))
	ots := httptest.NewUnstartedServer(other.srv)
	ocfg, _ := other.keys.CA.ServerTLSConfig([]string{"127.0.0.1"}, time.Now())
	ots.TLS = ocfg
	ots.StartTLS()
	defer ots.Close()
	foreign := tlsClient(t, other, ots, terminalA)
	foreign.Transport.(*http.Transport).TLSClientConfig.RootCAs = pool
	if code, msg := get(foreign, terminalA); code != 0 {
		t.Errorf("foreign certificate: %d %s", code, msg)
	}
}

// TestMutualTLSCenterFromEnrolment: over mutual TLS the center is the one
// the terminal was enrolled at (XH01): the path, body or any header cannot
// name another.
func TestMutualTLSCenterFromEnrolment(t *testing.T) {
	f := realTime(newFixture(t, false))
	if err := f.srv.SeedDemo(context.Background(), "PD01"); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(f.srv)
	cfg, err := f.keys.CA.ServerTLSConfig([]string{"127.0.0.1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ts.TLS = cfg
	ts.StartTLS()
	defer ts.Close()
	a := tlsClient(t, f, ts, terminalA)
	post := func(center string) int {
		resp, err := a.Post(ts.URL+"/v1/centers/"+center+"/tickets", "application/json", strings.NewReader(`{"service":"A"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("PD01"); code != http.StatusForbidden {
		t.Errorf("ticket at another center: %d", code)
	}
	if code := post("XH01"); code != http.StatusCreated {
		t.Errorf("ticket at its own center: %d", code)
	}
	day := time.Now().In(shanghai).Format("2006-01-02")
	resp, err := a.Get(ts.URL + "/v1/centers/PD01/slots?date=" + day)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("another center's slots: %d", resp.StatusCode)
	}
}
