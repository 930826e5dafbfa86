package backoffice

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/tongban/tongban/internal/durable"
	"github.com/tongban/tongban/internal/sealed"
)

// Certificate lifetimes. Client certificates start an hour in the past so a
// terminal whose clock is behind still accepts its own certificate.
const (
	ClientCertLifetime = 60 * 24 * time.Hour
	clockSlack         = time.Hour
)

// CA issues the terminals' client certificates and the server certificate.
type CA struct {
	Cert    *x509.Certificate
	CertPEM []byte
	key     crypto.Signer
}

// LoadOrCreateCA reads ca.pem and ca-key.pem in dir, or creates a new
// ECDSA P-256 CA valid for ten years.
func LoadOrCreateCA(dir string) (*CA, error) {
	certPath, keyPath := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca-key.pem")
	certPEM, err := os.ReadFile(certPath)
	if errors.Is(err, os.ErrNotExist) {
		return createCA(certPath, keyPath)
	}
	if err != nil {
		return nil, err
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, err
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("backoffice: CA in %s: %w", dir, err)
	}
	signer, ok := pair.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("backoffice: CA key in %s cannot sign", dir)
	}
	return &CA{Cert: pair.Leaf, CertPEM: certPEM, key: signer}, nil
}

func createCA(certPath, keyPath string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "Tongban back office terminal CA", Organization: []string{"Tongban"}},
		NotBefore:             now.Add(-clockSlack),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	// The key first, the certificate last: ca.pem present means a whole
	// CA is on disk (LoadOrCreateCA creates one only when ca.pem is missing).
	if err := durable.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return nil, err
	}
	if err := durable.WriteFile(certPath, certPEM, 0o644); err != nil {
		return nil, err
	}
	return &CA{Cert: cert, CertPEM: certPEM, key: key}, nil
}

func randomSerial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n.Add(n, big.NewInt(1))
}

// checkCSR parses a PEM CSR and checks its self-signature and key.
func checkCSR(csrPEM string) (*x509.CertificateRequest, error) {
	blk, _ := pem.Decode([]byte(csrPEM))
	if blk == nil || blk.Type != "CERTIFICATE REQUEST" {
		return nil, errors.New("csr_pem is not a PEM \"CERTIFICATE REQUEST\"")
	}
	csr, err := x509.ParseCertificateRequest(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the CSR cannot be parsed: %v", err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, errors.New("the CSR is not signed by its own key")
	}
	switch k := csr.PublicKey.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
			return nil, errors.New("ECDSA keys must be on P-256 or P-384")
		}
	case ed25519.PublicKey:
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, errors.New("RSA keys must have at least 2048 bits")
		}
	default:
		return nil, fmt.Errorf("key type %T is not accepted", k)
	}
	return csr, nil
}

// IssueClientCert signs a client certificate for terminal's key. The
// terminal and center come from the enrolment token, not from the CSR.
//
// enrolment names the enrolment the certificate belongs to (the store's
// CertSerial): empty for a new enrolment, whose ID is then this
// certificate's own serial; a renewal keeps its enrolment's ID, so a
// renewed certificate and the one it replaces both stay valid until the
// terminal uses the renewed one (Server.CheckClientCertificate), while a
// new enrolment or a revocation ends every certificate of the old one. payloadKey is the terminal's SM2 public key
// for sealed submissions (sealed.FormatPublicKey), written into the
// certificate so the back office learns it from the CA's signature.
func (ca *CA) IssueClientCert(csr *x509.CertificateRequest, terminal, center, enrolment, payloadKey string, now time.Time) (*x509.Certificate, error) {
	serial := randomSerial()
	if enrolment == "" {
		enrolment = serial.Text(16)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{CommonName: terminal, OrganizationalUnit: []string{center}, Organization: []string{"Tongban terminals"},
			SerialNumber: enrolment},
		NotBefore:   now.Add(-clockSlack),
		NotAfter:    now.Add(ClientCertLifetime),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if payloadKey != "" {
		if _, err := sealed.ParsePublicKey(payloadKey); err != nil {
			return nil, err
		}
		tmpl.ExtraExtensions = []pkix.Extension{{Id: oidPayloadKey, Value: []byte(payloadKey)}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, csr.PublicKey, ca.key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// ServerCertificate issues a fresh server certificate for hosts (names or
// IP addresses), valid for a year; terminals trust the CA, not this leaf.
func (ca *CA) ServerCertificate(hosts []string, now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	der, err := ca.serverLeaf(key, hosts, now)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der, ca.Cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

func (ca *CA) serverLeaf(key *ecdsa.PrivateKey, hosts []string, now time.Time) ([]byte, error) {
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: "Tongban back office"},
		NotBefore:    now.Add(-clockSlack),
		NotAfter:     now.Add(serverCertLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	return x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, key.Public(), ca.key)
}

// Server certificate files and lifetime. The certificate is kept: a
// restart serves the same one; it is issued again only when it is missing,
// names other hosts, or is within serverCertRenewBefore of its end.
const (
	serverCertFile        = "server.pem"
	serverKeyFile         = "server-key.pem"
	serverCertLifetime    = 365 * 24 * time.Hour
	serverCertRenewBefore = 30 * 24 * time.Hour
)

// LoadOrCreateServerCertificate returns the server certificate kept in dir
// (server.pem, server-key.pem 0600), issuing and writing a new one only
// when there is none, when it does not name exactly hosts, when it was not
// issued by this CA, or when it ends within 30 days of now.
func (ca *CA) LoadOrCreateServerCertificate(dir string, hosts []string, now time.Time) (tls.Certificate, bool, error) {
	certPath, keyPath := filepath.Join(dir, serverCertFile), filepath.Join(dir, serverKeyFile)
	if c, err := tls.LoadX509KeyPair(certPath, keyPath); err == nil && ca.serverCertFits(c.Leaf, hosts, now) {
		return c, false, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, false, err
	}
	der, err := ca.serverLeaf(key, hosts, now)
	if err != nil {
		return tls.Certificate{}, false, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return tls.Certificate{}, false, err
	}
	certPEM := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), ca.CertPEM...)
	if err := durable.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return tls.Certificate{}, false, err
	}
	if err := durable.WriteFile(certPath, certPEM, 0o644); err != nil {
		return tls.Certificate{}, false, err
	}
	c, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	return c, true, err
}

func (ca *CA) serverCertFits(leaf *x509.Certificate, hosts []string, now time.Time) bool {
	if leaf == nil || leaf.CheckSignatureFrom(ca.Cert) != nil || now.Before(leaf.NotBefore) || now.Add(serverCertRenewBefore).After(leaf.NotAfter) {
		return false
	}
	var have []string
	for _, ip := range leaf.IPAddresses {
		have = append(have, ip.String())
	}
	have = append(have, leaf.DNSNames...)
	var want []string
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			h = ip.String()
		}
		want = append(want, h)
	}
	slices.Sort(have)
	slices.Sort(want)
	return slices.Equal(slices.Compact(have), slices.Compact(want))
}

// ServerTLSConfig is MutualTLSConfig with a fresh server certificate for
// hosts and no per-handshake check: for tests and tools that need a
// throw-away server. The back office itself serves a kept certificate
// (LoadOrCreateServerCertificate) with Server.CheckClientCertificate.
func (ca *CA) ServerTLSConfig(hosts []string, now time.Time) (*tls.Config, error) {
	cert, err := ca.ServerCertificate(hosts, now)
	if err != nil {
		return nil, err
	}
	return ca.MutualTLSConfig(cert, nil, nil), nil
}

// MutualTLSConfig is the server side of mutual TLS: TLS 1.3, cert, and
// client certificates verified against the CA at now() when given
// (enrolment is the one call made without one; every other route requires
// one). check, when not nil, is asked about every verified client
// certificate at every handshake (Server.CheckClientCertificate: a revoked
// or replaced terminal is refused there, before any request).
func (ca *CA) MutualTLSConfig(cert tls.Certificate, now func() time.Time, check func(*x509.Certificate) error) *tls.Config {
	if now == nil {
		now = time.Now
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    pool,
		Time:         now,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if check == nil || len(cs.VerifiedChains) == 0 {
				return nil
			}
			return check(cs.VerifiedChains[0][0])
		},
	}
}

// oidPayloadKey is the private extension carrying the terminal's SM2
// payload key (its text form) in the client certificate.
var oidPayloadKey = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 61219, 19, 5}

// PayloadKey returns the SM2 payload key the CA wrote into a terminal's
// certificate, or nil when it carries none (enrolled before sealing).
func PayloadKey(cert *x509.Certificate) (*ecdsa.PublicKey, error) {
	for _, e := range cert.Extensions {
		if e.Id.Equal(oidPayloadKey) {
			return sealed.ParsePublicKey(string(e.Value))
		}
	}
	return nil, nil
}

// EnrolmentID is the enrolment a client certificate belongs to.
func EnrolmentID(cert *x509.Certificate) string {
	if cert.Subject.SerialNumber != "" {
		return cert.Subject.SerialNumber
	}
	return cert.SerialNumber.Text(16) // issued before enrolment IDs
}

// Sign signs a statement with the CA key (ECDSA with SHA-256; the
// terminal checks it with the pinned CA certificate's CheckSignature).
func (ca *CA) Sign(statement []byte) ([]byte, error) {
	sum := sha256.Sum256(statement)
	return ca.key.Sign(rand.Reader, sum[:], crypto.SHA256)
}

// ServerCertKeeper serves the kept server certificate to every handshake
// and replaces it, while the back office runs, once it is within 30 days
// of its end: a back office that runs for a year is never caught serving
// an expired certificate, which terminals refuse.
type ServerCertKeeper struct {
	ca    *CA
	dir   string
	hosts []string
	now   func() time.Time
	mu    sync.Mutex
	cur   tls.Certificate
}

// NewServerCertKeeper loads (or issues) the server certificate in dir.
func (ca *CA) NewServerCertKeeper(dir string, hosts []string, now func() time.Time) (*ServerCertKeeper, bool, error) {
	if now == nil {
		now = time.Now
	}
	c, fresh, err := ca.LoadOrCreateServerCertificate(dir, hosts, now())
	if err != nil {
		return nil, false, err
	}
	return &ServerCertKeeper{ca: ca, dir: dir, hosts: hosts, now: now, cur: c}, fresh, nil
}

// Certificate is the certificate to serve now (tls.Config.GetCertificate).
func (k *ServerCertKeeper) Certificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if now := k.now(); now.Add(serverCertRenewBefore).After(k.cur.Leaf.NotAfter) {
		c, _, err := k.ca.LoadOrCreateServerCertificate(k.dir, k.hosts, now)
		if err != nil {
			return nil, err
		}
		k.cur = c
	}
	c := k.cur
	return &c, nil
}

// TLSConfig is MutualTLSConfig serving the kept certificate.
func (k *ServerCertKeeper) TLSConfig(check func(*x509.Certificate) error) *tls.Config {
	cfg := k.ca.MutualTLSConfig(tls.Certificate{}, k.now, check)
	cfg.Certificates = nil
	cfg.GetCertificate = k.Certificate
	return cfg
}
