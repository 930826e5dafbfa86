package uplink

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"

	"github.com/tongban/tongban/internal/durable"
)

// Files of an enrolled terminal's identity directory.
const (
	keyFile      = "client-key.pem" // the terminal's private key, mode 0600
	certFile     = "client.pem"
	caFile       = "ca.pem"
	identityFile = "identity.json" // written last: its presence means enrolled
)

// EnrolOptions configure Enrol.
type EnrolOptions struct {
	Server string // back office base URL
	Token  string // the single-use enrolment token
	Dir    string // where the identity is written
	// CAFile is the back office CA (PEM) to trust for the enrolment call
	// over https, as provisioned on the USB image. Empty: the system roots.
	CAFile string
	HTTP   *http.Client // nil: built from CAFile
}

// Identity is an enrolled terminal: its certificate and key, the CA it
// trusts and the key that signs its bundles.
type Identity struct {
	Server    string           `json:"server"`
	Terminal  string           `json:"terminal"`
	Center    string           `json:"center"`
	NotAfter  time.Time        `json:"not_after"`
	BundleKey string           `json:"bundle_key"`
	cert      tls.Certificate  // client certificate and key
	roots     *x509.CertPool   // the back office CA
	bundleKey bundle.PublicKey // parsed BundleKey
}

// BundlePublicKey is the key the terminal trusts for bundles.
func (id *Identity) BundlePublicKey() bundle.PublicKey { return id.bundleKey }

// Enrol generates a key (ECDSA P-256) that never leaves the terminal, sends
// a CSR with the token, and writes the returned identity to o.Dir.
func Enrol(ctx context.Context, o EnrolOptions) (*Identity, error) {
	if o.Server == "" || o.Token == "" || o.Dir == "" {
		return nil, errors.New("uplink: enrolment needs a server, a token and a directory")
	}
	client := o.HTTP
	if client == nil {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if o.CAFile != "" {
			pem, err := os.ReadFile(o.CAFile)
			if err != nil {
				return nil, err
			}
			cfg.RootCAs = x509.NewCertPool()
			if !cfg.RootCAs.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("uplink: %s holds no PEM certificate", o.CAFile)
			}
		}
		client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	csrDER, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "tongban-terminal"}}, key)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(api.EnrolRequest{Token: strings.TrimSpace(o.Token), CSRPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csrDER}))})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(o.Server, "/")+"/v1/enrol", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("uplink: enrolment: cannot reach the back office: %w", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		se := &StatusError{Status: resp.StatusCode}
		var eb api.ErrorBody
		if json.Unmarshal(data, &eb) == nil {
			se.Problem = eb.Error
		}
		return nil, fmt.Errorf("uplink: enrolment refused: %w", se)
	}
	var er api.EnrolResponse
	if err := json.Unmarshal(data, &er); err != nil {
		return nil, fmt.Errorf("uplink: enrolment answer: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	id, err := parseIdentity(o.Server, er, keyPEM)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, err
	}
	if err := writeFileMode(filepath.Join(o.Dir, keyFile), keyPEM, 0o600); err != nil {
		return nil, err
	}
	for name, b := range map[string]string{certFile: er.CertificatePEM, caFile: er.CAPEM} {
		if err := writeFileMode(filepath.Join(o.Dir, name), []byte(b), 0o644); err != nil {
			return nil, err
		}
	}
	meta, _ := json.MarshalIndent(id, "", "  ")
	if err := writeFileMode(filepath.Join(o.Dir, identityFile), append(meta, '\n'), 0o644); err != nil {
		return nil, err
	}
	return id, nil
}

func writeFileMode(path string, data []byte, mode os.FileMode) error {
	return durable.WriteFile(path, data, mode)
}

func parseIdentity(server string, er api.EnrolResponse, keyPEM []byte) (*Identity, error) {
	cert, err := tls.X509KeyPair([]byte(er.CertificatePEM), keyPEM)
	if err != nil {
		return nil, fmt.Errorf("uplink: the issued certificate does not match the key: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM([]byte(er.CAPEM)) {
		return nil, errors.New("uplink: the enrolment answer holds no CA certificate")
	}
	id := &Identity{Server: server, Terminal: er.Terminal, Center: er.Center, NotAfter: cert.Leaf.NotAfter, BundleKey: er.BundleKey, cert: cert, roots: roots}
	if er.BundleKey != "" {
		if id.bundleKey, err = bundle.ParsePublicKey(er.BundleKey); err != nil {
			return nil, err
		}
	}
	return id, nil
}

// LoadIdentity reads the identity Enrol wrote to dir.
func LoadIdentity(dir string) (*Identity, error) {
	meta, err := os.ReadFile(filepath.Join(dir, identityFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("uplink: this terminal is not enrolled (no %s in %s): run kioskctl enrol", identityFile, dir)
	}
	if err != nil {
		return nil, err
	}
	var id Identity
	if err := json.Unmarshal(meta, &id); err != nil {
		return nil, fmt.Errorf("uplink: %s: %w", identityFile, err)
	}
	var files [3][]byte
	for i, name := range []string{certFile, caFile, keyFile} {
		if files[i], err = os.ReadFile(filepath.Join(dir, name)); err != nil {
			return nil, err
		}
	}
	full, err := parseIdentity(id.Server, api.EnrolResponse{Terminal: id.Terminal, Center: id.Center, CertificatePEM: string(files[0]), CAPEM: string(files[1]), BundleKey: id.BundleKey}, files[2])
	if err != nil {
		return nil, err
	}
	return full, nil
}

// TLSConfig is the client side of mutual TLS. The server's certificate is
// verified against the pinned back office CA and the server's host name.
// If it fails only because it is outside its validity period by the
// terminal's clock (now; nil: time.Now), it is verified again at a time
// inside that period: with a pinned private CA, a wrong kiosk clock (a dead
// RTC battery) must not cut the terminal off. The server checks the
// terminal's certificate against its own clock.
func (id *Identity) TLSConfig(now func() time.Time) *tls.Config {
	if now == nil {
		now = time.Now
	}
	host := ""
	if u, err := url.Parse(id.Server); err == nil {
		host = u.Hostname()
	}
	return &tls.Config{
		MinVersion:         tls.VersionTLS13,
		Certificates:       []tls.Certificate{id.cert},
		InsecureSkipVerify: true, // verified in VerifyConnection, against the pinned CA only
		VerifyConnection: func(cs tls.ConnectionState) error {
			return verifyServer(cs.PeerCertificates, id.roots, host, now())
		},
	}
}

func verifyServer(certs []*x509.Certificate, roots *x509.CertPool, host string, now time.Time) error {
	if len(certs) == 0 {
		return errors.New("uplink: the server sent no certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if ip := net.ParseIP(host); ip == nil {
		opts.DNSName = host
	}
	_, err := certs[0].Verify(opts)
	var inv x509.CertificateInvalidError
	if errors.As(err, &inv) && inv.Reason == x509.Expired {
		opts.CurrentTime = certs[0].NotBefore.Add(certs[0].NotAfter.Sub(certs[0].NotBefore) / 2)
		_, err = certs[0].Verify(opts)
	}
	if err != nil {
		return err
	}
	if host != "" {
		return certs[0].VerifyHostname(host)
	}
	return nil
}

// HTTPClient is an HTTP client for the back office over mutual TLS.
func (id *Identity) HTTPClient(now func() time.Time) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig:     id.TLSConfig(now),
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     90 * time.Second,
	}}
}
