package connector

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func newFakeDepartment(t *testing.T) (*fakeDepartment, *httptest.Server) {
	dep := &fakeDepartment{rows: map[string]Row{contractRow.IDNo: contractRow}}
	srv := httptest.NewServer(dep)
	t.Cleanup(srv.Close)
	return dep, srv
}

// TestHTTPMisbehavingDepartment: each way a department can fail is
// ErrUnavailable in plain words, never an answer, and the connector
// answers again once the department does.
func TestHTTPMisbehavingDepartment(t *testing.T) {
	dep, srv := newFakeDepartment(t)
	h, err := NewHTTP(HTTPConfig{URL: srv.URL, Mapping: contractMapping, Timeout: 200 * time.Millisecond, MaxBody: 4096})
	if err != nil {
		t.Fatal(err)
	}
	known := Request{Item: "pension-received", Center: "XH01", IDNo: DemoJia.IDNo}
	quit := make(chan struct{}) // lets the slow department go when the test ends
	t.Cleanup(func() { close(quit) })
	jsonAnswer := func(body string) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(body))
		}
	}
	cases := []struct {
		name   string
		status int
		handle func(http.ResponseWriter, *http.Request)
		want   string // in the error
	}{
		{"500", http.StatusInternalServerError, nil, "answered 500"},
		{"503", http.StatusServiceUnavailable, nil, "answered 503"},
		{"401 (a wrong key)", http.StatusUnauthorized, nil, "answered 401"},
		{"slow", 0, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-quit:
			}
		}, "deadline"},
		{"garbage", 0, jsonAnswer("<<<not json>>>"), "not JSON"},
		{"truncated", 0, jsonAnswer(`{"found": true, "data": {"name": "测试甲", "monthly": "4,2`), "not JSON"},
		{"two values", 0, jsonAnswer(`{"found": true} {"found": false}`), "more after"},
		{"a field missing", 0, jsonAnswer(`{"found": true, "data": {"name": "测试甲", "as_of": "2026-11-30", "monthly": "1"}}`), "data.account is missing"},
		{"a field that is an object", 0, jsonAnswer(`{"found": true, "data": {"as_of": "2026-11-30", "monthly": {"a": 1}, "account": "x"}}`), "not a single value"},
		{"found is not a boolean", 0, jsonAnswer(`{"found": "yes"}`), "not a boolean"},
		{"a bad date", 0, jsonAnswer(`{"found": true, "data": {"as_of": "yesterday", "monthly": "1", "account": "x"}}`), "not a date"},
		{"a whole ID number", 0, jsonAnswer(`{"found": true, "data": {"as_of": "2026-11-30", "monthly": "1", "account": "310104195001011235"}}`), "whole ID number"},
		{"control characters", 0, jsonAnswer(`{"found": true, "data": {"as_of": "2026-11-30", "monthly": "1\u202e2", "account": "x"}}`), "control characters"},
		{"HTML", 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>maintenance</html>"))
		}, "not JSON"},
		{"no content type", 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = nil
			w.Write([]byte(`{"found": true}`))
		}, "not JSON"},
		{"huge", 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"found": true, "data": {"pad": "`))
			chunk := []byte(strings.Repeat("x", 64<<10))
			for range 160 { // 10 MB, if anyone read it
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, "larger than 4096 bytes"},
		{"a redirect", 0, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://192.0.2.1/elsewhere", http.StatusFound)
		}, "answered 302"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dep.set(tc.status, tc.handle)
			_, err := h.Query(context.Background(), known)
			if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want ErrUnavailable saying %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), known.IDNo) {
				t.Errorf("the error names the resident")
			}
			// The department is fine again: the connector answers.
			dep.set(0, nil)
			if _, err := h.Query(context.Background(), known); err != nil {
				t.Errorf("after the department recovered: %v", err)
			}
		})
	}
}

// TestHTTP404IsNoRecord: a 404 is the department saying it has no
// record, not a failure.
func TestHTTP404IsNoRecord(t *testing.T) {
	dep, srv := newFakeDepartment(t)
	dep.set(http.StatusNotFound, nil)
	h, _ := NewHTTP(HTTPConfig{URL: srv.URL, Mapping: contractMapping})
	if _, err := h.Query(context.Background(), Request{IDNo: DemoJia.IDNo}); !errors.Is(err, ErrNoRecord) {
		t.Errorf("got %v", err)
	}
}

// TestHTTPAPIKeyFromConfig: the key is read from its file and sent in the
// configured header; without it the department refuses.
func TestHTTPAPIKeyFromConfig(t *testing.T) {
	dep, srv := newFakeDepartment(t)
	dep.key = "k-12345"
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "rs.key")
	os.WriteFile(keyFile, []byte("k-12345\n"), 0o600)
	cfg := Config{
		Connectors: map[string]ConnectorConfig{
			"rs":     {Kind: KindHTTP, URL: srv.URL, APIKeyHeader: "X-Api-Key", APIKeyFile: keyFile, Mapping: contractMapping},
			"no-key": {Kind: KindHTTP, URL: srv.URL, Mapping: contractMapping},
		},
		Centers: map[string]CenterConfig{"XH01": {Queries: map[string]string{"pension-received": "rs", "medical-profile": "no-key"}}},
	}
	set, err := Build(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, q, ok := set.Querier("XH01", "pension-received")
	if !ok {
		t.Fatal("not connected")
	}
	if _, err := q.Query(context.Background(), Request{IDNo: DemoJia.IDNo}); err != nil {
		t.Errorf("with the key: %v", err)
	}
	_, q, _ = set.Querier("XH01", "medical-profile")
	if _, err := q.Query(context.Background(), Request{IDNo: DemoJia.IDNo}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("without the key: %v", err)
	}
}

// TestHTTPMutualTLS: a department that demands a client certificate
// answers the connector configured with one and refuses one without.
func TestHTTPMutualTLS(t *testing.T) {
	dir := t.TempDir()
	ca, caKey := newTestCA(t)
	writePEM(t, filepath.Join(dir, "ca.pem"), "CERTIFICATE", ca.Raw)
	serverCert := issue(t, ca, caKey, "department", true)
	clientCert := issue(t, ca, caKey, "backoffice", false)
	writePEM(t, filepath.Join(dir, "client.pem"), "CERTIFICATE", clientCert.Certificate[0])
	keyDER, _ := x509.MarshalPKCS8PrivateKey(clientCert.PrivateKey)
	writePEM(t, filepath.Join(dir, "client.key"), "PRIVATE KEY", keyDER)

	dep := &fakeDepartment{rows: map[string]Row{contractRow.IDNo: contractRow}}
	srv := httptest.NewUnstartedServer(dep)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert}
	srv.StartTLS()
	defer srv.Close()

	mtls := ConnectorConfig{Kind: KindHTTP, URL: srv.URL, ClientCert: filepath.Join(dir, "client.pem"), ClientKey: filepath.Join(dir, "client.key"),
		ServerCA: filepath.Join(dir, "ca.pem"), Mapping: contractMapping}
	noCert := mtls
	noCert.ClientCert, noCert.ClientKey = "", ""
	for name, c := range map[string]ConnectorConfig{"with": mtls, "without": noCert} {
		h, err := httpFromConfig(c)
		if err != nil {
			t.Fatal(err)
		}
		_, err = h.Query(context.Background(), Request{IDNo: DemoJia.IDNo})
		if name == "with" && err != nil {
			t.Errorf("with a client certificate: %v", err)
		}
		if name == "without" && !errors.Is(err, ErrUnavailable) {
			t.Errorf("without a client certificate: %v", err)
		}
	}
}

func newTestCA(t *testing.T) (*x509.Certificate, *ecdsa.PrivateKey) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test department CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c, key
}

func issue(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey, cn string, server bool) tls.Certificate {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}
