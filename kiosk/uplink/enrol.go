package uplink

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"sync"

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

	"github.com/emmansun/gmsm/sm2"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/internal/sealed"

	"github.com/tongban/tongban/internal/durable"
)

// Files of an enrolled terminal's identity directory.
const (
	keyFile        = "client-key.pem" // the terminal's private key, mode 0600
	certFile       = "client.pem"
	caFile         = "ca.pem"
	payloadKeyFile = "payload-sm2.key"   // the terminal's SM2 key for sealed submissions, mode 0600
	nextFile       = "client-next.pem"   // a renewed certificate and key, until both are in place
	identityFile   = "identity.json"     // written last: its presence means enrolled
	pendingKeyFile = "enrol-key.pem"     // the key of an enrolment under way, mode 0600 (enrolment.go)
	answerFile     = "enrol-answer.json" // an enrolment's answer, until put in place (enrolment.go)
)

// EnrolOptions configure Enrol.
type EnrolOptions struct {
	Server string // back office base URL: https://…, or http://loopback with InsecureDev
	Token  string // the single-use enrolment token
	Dir    string // where the identity is written
	// CAFingerprint names the back office CA (sealed.Fingerprint: SM3, or
	// SHA256: prefixed), typed by the technician, scanned from the
	// provisioning sheet or read from the provisioning partition. It is
	// required: the token is sent only to a server whose certificate
	// chains to that CA, and only what that CA signed is trusted.
	CAFingerprint string
	// CAFile is the back office CA (PEM), if provisioned; it must have
	// the fingerprint too.
	CAFile string
	// InsecureDev allows plain http:// to a loopback address, for
	// development only; anything else must be https.
	InsecureDev bool
	HTTP        *http.Client     // nil: built here (tests pass one to reach a fake)
	Now         func() time.Time // nil: time.Now
	// Step, when set, is called at each point of enrolment where a power
	// cut can land, everything before it on disk; an error stops
	// enrolment there as the cut would (the power-cut tests). Nil here.
	Step func(point string) error
	// Keys, when set, seals the private keys before they are written
	// (the TPM); nil writes them in clear (mode 0600), and the kiosk
	// seals them at its first start with a TPM (LoadIdentityWith).
	Keys KeySealer
}

func (o EnrolOptions) step(point string) error {
	if o.Step == nil {
		return nil
	}
	return o.Step(point)
}

// Identity is an enrolled terminal: its certificate and key, the CA it
// trusts and the keys the CA vouched for at enrolment, and the offset of
// the back office's signed time from the terminal's clock.
type Identity struct {
	Server        string        `json:"server"`
	Terminal      string        `json:"terminal"`
	Center        string        `json:"center"`
	NotAfter      time.Time     `json:"not_after"`
	BundleKey     string        `json:"bundle_key"`
	PayloadKey    string        `json:"payload_key,omitempty"`    // the back office's SM2 key
	CAFingerprint string        `json:"ca_fingerprint,omitempty"` // of the pinned CA
	ClockOffset   time.Duration `json:"clock_offset"`             // back office time minus the terminal's, from a signed statement
	EnrolledWith  string        `json:"enrolled_with,omitempty"`  // the SHA-256 of the (spent) token that enrolled it

	mu         sync.Mutex
	dir        string
	cert       tls.Certificate // client certificate and key
	ca         *x509.Certificate
	roots      *x509.CertPool   // the back office CA
	bundleKey  bundle.PublicKey // parsed BundleKey
	officeKey  *ecdsa.PublicKey // parsed PayloadKey
	payloadKey *sm2.PrivateKey  // the terminal's own SM2 key
	keys       KeySealer        // seals the keys on disk; nil: in clear

	step func(string) error // the power-cut tests' kill points in Renew; nil otherwise
}

// BundlePublicKey is the key the terminal trusts for bundles.
func (id *Identity) BundlePublicKey() bundle.PublicKey { return id.bundleKey }

// Trusted is the time by the back office's signed clock: now corrected
// by the offset learned at enrolment, renewal or SyncClock.
func (id *Identity) Trusted(now time.Time) time.Time {
	id.mu.Lock()
	defer id.mu.Unlock()
	return now.Add(id.ClockOffset)
}

// checkServerURL refuses plain HTTP except to loopback in development.
func checkServerURL(server string, dev bool) (*url.URL, error) {
	u, err := url.Parse(server)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("uplink: %q is not a back office URL (https://host:port)", server)
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		ip := net.ParseIP(u.Hostname())
		if dev && (u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())) {
			return u, nil
		}
		if dev {
			return nil, fmt.Errorf("uplink: plain http is allowed in development only to a loopback address, not %s", u.Hostname())
		}
		return nil, errors.New("uplink: the back office must be reached over https; plain http would expose the enrolment token")
	}
	return nil, fmt.Errorf("uplink: unknown scheme %q; use https", u.Scheme)
}

// pinnedVerifier checks, at the TLS handshake and so before any byte of
// the request (the token) is sent, that the server's chain includes the
// CA with the given fingerprint and that the leaf is valid under it for
// host at now. It records the CA it found.
type pinnedVerifier struct {
	fingerprint string
	host        string
	now         func() time.Time
	ca          *x509.Certificate
}

func (v *pinnedVerifier) verify(cs tls.ConnectionState) error {
	for _, c := range cs.PeerCertificates[1:] {
		if c.IsCA && sealed.MatchFingerprint(v.fingerprint, c.Raw) == nil {
			v.ca = c
		}
	}
	if v.ca == nil {
		return fmt.Errorf("uplink: %w", sealed.ErrFingerprintMismatch)
	}
	roots := x509.NewCertPool()
	roots.AddCert(v.ca)
	now := v.now()
	err := verifyServer(cs.PeerCertificates, roots, v.host, now)
	var inv x509.CertificateInvalidError
	if errors.As(err, &inv) && inv.Reason == x509.Expired {
		// Before enrolment the terminal has no signed time yet: its own
		// clock may be what is wrong (a flat RTC battery at first boot).
		leaf := cs.PeerCertificates[0]
		return fmt.Errorf("uplink: the back office's certificate is valid from %s to %s, and this terminal's clock reads %s: "+
			"if the clock is wrong, set the date and time (BIOS, or NTP) and try again; if it is right, tell the back office's administrator its certificate is out of date: %w",
			leaf.NotBefore.UTC().Format("2006-01-02 15:04"), leaf.NotAfter.UTC().Format("2006-01-02 15:04"), now.UTC().Format("2006-01-02 15:04"), inv)
	}
	return err
}

// Enrol generates the terminal's keys (ECDSA P-256 for TLS, SM2 for sealed
// submissions), which never leave it, checks that the server is the back
// office whose CA fingerprint it was given, sends a CSR with the token,
// checks the CA's signature over what it is told to trust, and writes the
// identity to o.Dir.
func Enrol(ctx context.Context, o EnrolOptions) (*Identity, error) {
	if o.Server == "" || o.Token == "" || o.Dir == "" {
		return nil, errors.New("uplink: enrolment needs a server, a token and a directory")
	}
	if strings.TrimSpace(o.CAFingerprint) == "" {
		return nil, errors.New("uplink: enrolment needs the back office CA fingerprint (SM3:… from the provisioning sheet); without it the token could go to anyone")
	}
	u, err := checkServerURL(o.Server, o.InsecureDev)
	if err != nil {
		return nil, err
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	if o.CAFile != "" {
		b, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, err
		}
		blk, _ := pem.Decode(b)
		if blk == nil {
			return nil, fmt.Errorf("uplink: %s holds no PEM certificate", o.CAFile)
		}
		if err := sealed.MatchFingerprint(o.CAFingerprint, blk.Bytes); err != nil {
			return nil, fmt.Errorf("uplink: %s: %w", o.CAFile, err)
		}
	}
	pin := &pinnedVerifier{fingerprint: o.CAFingerprint, host: u.Hostname(), now: now}
	client := o.HTTP
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	client = pinnedClient(client, pin)
	defer client.CloseIdleConnections()
	if err := durable.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, err
	}
	// Run again with the token that enrolled it (a restart, a technician
	// trying again), an enrolment that is done, or whose answer is
	// written, is finished and kept: nothing is asked twice.
	if err := finishEnrolment(o.Dir, nil, o.Keys); err != nil {
		return nil, err
	}
	if id, err := LoadIdentityWith(o.Dir, o.Keys); err == nil && id.EnrolledWith == spentToken(o.Token) {
		return id, nil
	}
	// Both keys are on disk before the token leaves: asked again after a
	// power cut, the back office answers the same key with the same
	// certificate, and any other key is refused.
	key, err := pendingKey(o.Dir, o.Keys)
	if err != nil {
		return nil, err
	}
	csrDER, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "tongban-terminal"}}, key)
	if err != nil {
		return nil, err
	}
	sk, err := loadPayloadKey(filepath.Join(o.Dir, payloadKeyFile), o.Keys)
	if err != nil {
		return nil, err
	}
	pk, err := sealed.FormatPublicKey(&sk.PublicKey)
	if err != nil {
		return nil, err
	}
	if err := o.step("keys"); err != nil {
		return nil, err
	}
	nonce := newNonce()
	body, _ := json.Marshal(api.EnrolRequest{Token: strings.TrimSpace(o.Token), PayloadKey: pk, Nonce: nonce,
		CSRPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csrDER}))})
	var er api.EnrolResponse
	sent := now()
	if err := postJSON(ctx, client, strings.TrimRight(o.Server, "/")+"/v1/enrol", body, &er); err != nil {
		return nil, fmt.Errorf("uplink: enrolment: %w", err)
	}
	received := now()
	if err := o.step("answered"); err != nil {
		return nil, err
	}
	// The CA in the answer must be the pinned one, and what it signed is
	// what the terminal trusts; nothing in the answer is taken unsigned.
	blk, _ := pem.Decode([]byte(er.CAPEM))
	if blk == nil || sealed.MatchFingerprint(o.CAFingerprint, blk.Bytes) != nil {
		return nil, fmt.Errorf("uplink: enrolment answer: %w", sealed.ErrFingerprintMismatch)
	}
	ca, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, err
	}
	tr, err := checkTrust(ca, er.Trust, nonce)
	if err != nil {
		return nil, err
	}
	if tr.Terminal != er.Terminal || tr.Center != er.Center {
		return nil, errors.New("uplink: the signed statement names another terminal or center than the answer")
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	id, err := parseIdentity(o.Server, er.CertificatePEM, er.CAPEM, keyPEM, tr.BundleKey, tr.PayloadKey)
	if err != nil {
		return nil, err
	}
	id.Terminal, id.Center = er.Terminal, er.Center
	id.CAFingerprint = sealed.Fingerprint(ca.Raw)
	id.ClockOffset = offset(tr.Time, sent, received)
	id.EnrolledWith = spentToken(o.Token)
	stored, err := storeKey(o.Keys, keyPEM)
	if err != nil {
		return nil, err
	}
	if err := saveAnswer(o.Dir, id, er.CertificatePEM, er.CAPEM, stored); err != nil {
		return nil, err
	}
	if err := o.step("answer"); err != nil {
		return nil, err
	}
	if err := finishEnrolment(o.Dir, o.step, o.Keys); err != nil {
		return nil, err
	}
	return LoadIdentityWith(o.Dir, o.Keys)
}

// pinnedClient is c with a transport that verifies the server by pin only.
func pinnedClient(c *http.Client, pin *pinnedVerifier) *http.Client {
	var tr *http.Transport
	if t, ok := c.Transport.(*http.Transport); ok && t != nil {
		tr = t.Clone()
	} else {
		tr = http.DefaultTransport.(*http.Transport).Clone()
	}
	tr.TLSClientConfig = &tls.Config{
		MinVersion:         tls.VersionTLS13,
		InsecureSkipVerify: true, // verified by pin.verify against the pinned CA only
		VerifyConnection:   pin.verify,
	}
	cc := *c
	cc.Transport = tr
	return &cc
}

func newNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// offset is the back office's signed time minus the terminal's clock at
// the middle of the exchange.
func offset(signed, sent, received time.Time) time.Duration {
	mid := sent.Add(received.Sub(sent) / 2)
	return signed.Sub(mid).Round(time.Second)
}

// checkTrust verifies a signed statement with the CA and its nonce.
func checkTrust(ca *x509.Certificate, st api.SignedTrust, nonce string) (api.Trust, error) {
	var tr api.Trust
	if err := ca.CheckSignature(x509.ECDSAWithSHA256, st.Statement, st.Signature); err != nil {
		return tr, errors.New("uplink: the back office's statement is not signed by the pinned CA; nothing from it is trusted")
	}
	if err := json.Unmarshal(st.Statement, &tr); err != nil {
		return tr, fmt.Errorf("uplink: the signed statement: %w", err)
	}
	if tr.Nonce != nonce {
		return tr, errors.New("uplink: the signed statement answers another request (a replay)")
	}
	if sealed.MatchFingerprint(tr.CAFingerprint, ca.Raw) != nil {
		return tr, errors.New("uplink: the signed statement names another CA")
	}
	return tr, nil
}

// postJSON posts body and decodes a 200 answer into out.
func postJSON(ctx context.Context, client *http.Client, url string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the back office: %w", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		se := &StatusError{Status: resp.StatusCode}
		var eb api.ErrorBody
		if json.Unmarshal(data, &eb) == nil {
			se.Problem = eb.Error
		}
		return fmt.Errorf("refused: %w", se)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("the answer: %w", err)
	}
	return nil
}

func writeFileMode(path string, data []byte, mode os.FileMode) error {
	return durable.WriteFile(path, data, mode)
}

func parseIdentity(server, certPEM, caPEM string, keyPEM []byte, bundleKey, officeKey string) (*Identity, error) {
	cert, err := tls.X509KeyPair([]byte(certPEM), keyPEM)
	if err != nil {
		return nil, fmt.Errorf("uplink: the issued certificate does not match the key: %w", err)
	}
	blk, _ := pem.Decode([]byte(caPEM))
	if blk == nil {
		return nil, errors.New("uplink: the identity holds no CA certificate")
	}
	ca, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	id := &Identity{Server: server, NotAfter: cert.Leaf.NotAfter, BundleKey: bundleKey, PayloadKey: officeKey, cert: cert, ca: ca, roots: roots}
	if bundleKey != "" {
		if id.bundleKey, err = bundle.ParsePublicKey(bundleKey); err != nil {
			return nil, err
		}
	}
	if officeKey != "" {
		if id.officeKey, err = sealed.ParsePublicKey(officeKey); err != nil {
			return nil, err
		}
	}
	return id, nil
}

func (id *Identity) save() error {
	id.mu.Lock()
	meta, _ := json.MarshalIndent(id, "", "  ")
	id.mu.Unlock()
	return writeFileMode(filepath.Join(id.dir, identityFile), append(meta, '\n'), 0o644)
}

// LoadIdentity reads the identity Enrol wrote to dir, finishing a renewal
// a power cut interrupted. Its keys must be in clear: LoadIdentityWith
// opens sealed ones.
func LoadIdentity(dir string) (*Identity, error) { return LoadIdentityWith(dir, nil) }

// LoadIdentityWith is LoadIdentity with the private keys sealed by keys
// (the TPM): they are unsealed into memory here, and a key still in clear
// is sealed in its file (its clear bytes zeroed). Without the TPM that
// sealed them the keys do not open, and the identity does not load.
func LoadIdentityWith(dir string, keys KeySealer) (*Identity, error) {
	if err := finishEnrolment(dir, nil, keys); err != nil {
		return nil, err
	}
	meta, err := os.ReadFile(filepath.Join(dir, identityFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("uplink: this terminal is not enrolled (no %s in %s): run kioskctl enrol", identityFile, dir)
	}
	if err != nil {
		return nil, err
	}
	var saved Identity
	if err := json.Unmarshal(meta, &saved); err != nil {
		return nil, fmt.Errorf("uplink: %s: %w", identityFile, err)
	}
	if err := finishRenewal(dir, nil, keys); err != nil {
		return nil, err
	}
	var files [3][]byte
	for i, name := range []string{certFile, caFile} {
		if files[i], err = os.ReadFile(filepath.Join(dir, name)); err != nil {
			return nil, err
		}
	}
	if files[2], err = readKeyFile(filepath.Join(dir, keyFile), keys); err != nil {
		return nil, err
	}
	id, err := parseIdentity(saved.Server, string(files[0]), string(files[1]), files[2], saved.BundleKey, saved.PayloadKey)
	if err != nil {
		return nil, err
	}
	if saved.CAFingerprint != "" && sealed.MatchFingerprint(saved.CAFingerprint, id.ca.Raw) != nil {
		return nil, fmt.Errorf("uplink: %s in %s is not the CA pinned at enrolment", caFile, dir)
	}
	id.Terminal, id.Center, id.CAFingerprint, id.ClockOffset, id.dir = saved.Terminal, saved.Center, saved.CAFingerprint, saved.ClockOffset, dir
	id.EnrolledWith, id.keys = saved.EnrolledWith, keys
	// The SM2 key is made at enrolment; it is loaded (and sealed, with
	// keys) even when the back office has no payload key to use it with.
	if p := filepath.Join(dir, payloadKeyFile); saved.PayloadKey != "" || fileExists(p) {
		k, err := loadPayloadKey(p, keys)
		if err != nil {
			return nil, err
		}
		if saved.PayloadKey != "" {
			id.payloadKey = k
		}
	}
	return id, nil
}

// TLSConfig is the client side of mutual TLS. The server's certificate is
// verified against the pinned back office CA and the server's host name,
// at the back office's signed time (now, the terminal's clock, nil:
// time.Now, corrected by the learned offset): an expired or not yet valid
// server certificate is refused. A terminal whose clock has jumped (a
// dead RTC battery) learns the right time again from SyncClock, which
// needs no valid clock.
func (id *Identity) TLSConfig(now func() time.Time) *tls.Config {
	if now == nil {
		now = time.Now
	}
	host := ""
	if u, err := url.Parse(id.Server); err == nil {
		host = u.Hostname()
	}
	return &tls.Config{
		MinVersion: tls.VersionTLS13,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			id.mu.Lock()
			defer id.mu.Unlock()
			c := id.cert
			return &c, nil
		},
		InsecureSkipVerify: true, // verified in VerifyConnection, against the pinned CA only
		VerifyConnection: func(cs tls.ConnectionState) error {
			return verifyServer(cs.PeerCertificates, id.roots, host, id.Trusted(now()))
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
	if _, err := certs[0].Verify(opts); err != nil {
		var inv x509.CertificateInvalidError
		if errors.As(err, &inv) && inv.Reason == x509.Expired {
			return fmt.Errorf("uplink: the back office's certificate is outside its validity at %s (by the back office's signed time): %w", now.UTC().Format(time.RFC3339), err)
		}
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
