package uplink

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
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/internal/durable"
	"github.com/tongban/tongban/internal/sealed"
)

// RenewAt is the share of a client certificate's lifetime after which the
// terminal renews it: with 60-day certificates, after 40 days, leaving 20
// days of retries before it would be cut off.
const RenewAt = 2.0 / 3.0

// NeedsRenewal reports whether the client certificate is past RenewAt of
// its lifetime at the back office's signed time.
func (id *Identity) NeedsRenewal(now time.Time) bool {
	t := id.Trusted(now)
	id.mu.Lock()
	leaf := id.cert.Leaf
	id.mu.Unlock()
	life := leaf.NotAfter.Sub(leaf.NotBefore)
	return !t.Before(leaf.NotBefore.Add(time.Duration(float64(life) * RenewAt)))
}

// Renew asks the back office, over mutual TLS with the current
// certificate, for a new one for a key made here, and installs it: the
// new certificate and key are first written together (client-next.pem),
// then put in place, so a power cut leaves either pair whole. The signed
// statement in the answer also resets the clock offset.
func (id *Identity) Renew(ctx context.Context, client *http.Client, now func() time.Time) error {
	if now == nil {
		now = time.Now
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	csrDER, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: id.Terminal}}, key)
	if err != nil {
		return err
	}
	nonce := newNonce()
	body, _ := json.Marshal(api.RenewRequest{CSRPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csrDER})), Nonce: nonce})
	var rr api.RenewResponse
	sent := now()
	if err := postJSON(ctx, client, strings.TrimRight(id.Server, "/")+"/v1/certificates:renew", body, &rr); err != nil {
		return fmt.Errorf("uplink: renewal: %w", err)
	}
	received := now()
	if err := id.cut("answered"); err != nil {
		return err
	}
	tr, err := checkTrust(id.ca, rr.Trust, nonce)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair([]byte(rr.CertificatePEM), keyPEM)
	if err != nil {
		return fmt.Errorf("uplink: the renewed certificate does not match the key: %w", err)
	}
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: id.roots, CurrentTime: cert.Leaf.NotBefore.Add(time.Minute),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil || cert.Leaf.Subject.CommonName != id.Terminal {
		return errors.New("uplink: the renewed certificate is not one of the pinned CA for this terminal")
	}
	stored, err := storeKey(id.keys, keyPEM)
	if err != nil {
		return err
	}
	if err := durable.WriteFile(filepath.Join(id.dir, nextFile), append([]byte(rr.CertificatePEM), stored...), 0o600); err != nil {
		return err
	}
	if err := id.cut("next written"); err != nil {
		return err
	}
	if err := finishRenewal(id.dir, id.cut, id.keys); err != nil {
		return err
	}
	id.mu.Lock()
	id.cert, id.NotAfter = cert, cert.Leaf.NotAfter
	id.ClockOffset = offset(tr.Time, sent, received)
	id.mu.Unlock()
	return id.save()
}

// cut is the power-cut tests' kill point (Identity.step), a no-op otherwise.
func (id *Identity) cut(point string) error {
	if id.step == nil {
		return nil
	}
	return id.step(point)
}

// finishRenewal puts a renewed pair from client-next.pem in place. A pair
// that does not parse is dropped: the previous one stays. step is told of
// each file put in place (nil: nobody). The key is kept as it is stored
// (sealed, with keys) and opened only to check the pair.
func finishRenewal(dir string, step func(string) error, keys KeySealer) error {
	if step == nil {
		step = func(string) error { return nil }
	}
	b, err := os.ReadFile(filepath.Join(dir, nextFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var certPEM, keyStored []byte
	for rest := b; ; {
		var blk *pem.Block
		if blk, rest = pem.Decode(rest); blk == nil {
			break
		}
		switch blk.Type {
		case "CERTIFICATE":
			certPEM = append(certPEM, pem.EncodeToMemory(blk)...)
		default: // the key, in clear (PRIVATE KEY) or sealed
			keyStored = pem.EncodeToMemory(blk)
		}
	}
	keyPEM, wasSealed, err := openKey(keys, keyStored)
	if err != nil && wasSealed {
		return fmt.Errorf("uplink: the renewed key does not open: %w", err)
	}
	if _, err := tls.X509KeyPair(certPEM, keyPEM); err == nil {
		if err := durable.WriteFile(filepath.Join(dir, keyFile), keyStored, 0o600); err != nil {
			return err
		}
		if err := step("put " + keyFile); err != nil {
			return err
		}
		if err := durable.WriteFile(filepath.Join(dir, certFile), certPEM, 0o644); err != nil {
			return err
		}
		if err := step("put " + certFile); err != nil {
			return err
		}
	}
	if err := os.Remove(filepath.Join(dir, nextFile)); err != nil {
		return err
	}
	return durable.SyncDir(dir)
}

// SyncClock learns the back office's time from a statement the pinned CA
// signed over the terminal's fresh nonce, and keeps the offset. It works
// whatever the terminal's clock says: the server's certificate chain and
// name are checked here, but not its dates, since the time is what is
// being learned, and the CA's signature with the nonce is what makes the
// answer trustworthy.
func (id *Identity) SyncClock(ctx context.Context, now func() time.Time) error {
	if now == nil {
		now = time.Now
	}
	host := ""
	if u, err := url.Parse(id.Server); err == nil {
		host = u.Hostname()
	}
	cfg := id.TLSConfig(now)
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("uplink: the server sent no certificate")
		}
		leaf := cs.PeerCertificates[0]
		return verifyServer(cs.PeerCertificates, id.roots, host, leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore)/2))
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
	defer client.CloseIdleConnections()
	nonce := newNonce()
	body, _ := json.Marshal(api.TimeRequest{Nonce: nonce})
	var st api.SignedTrust
	sent := now()
	if err := postJSON(ctx, client, strings.TrimRight(id.Server, "/")+"/v1/time", body, &st); err != nil {
		return fmt.Errorf("uplink: signed time: %w", err)
	}
	received := now()
	tr, err := checkTrust(id.ca, st, nonce)
	if err != nil {
		return err
	}
	id.mu.Lock()
	id.ClockOffset = offset(tr.Time, sent, received)
	id.mu.Unlock()
	return id.save()
}

// Maintain keeps the identity current until ctx ends: every interval
// (0: an hour) it learns the signed time, then renews the client
// certificate when it is past RenewAt of its lifetime. Failures are
// logged and retried at the next round.
func (id *Identity) Maintain(ctx context.Context, now func() time.Time, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		every = time.Hour
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	client := id.HTTPClient(now)
	for {
		if err := id.SyncClock(ctx, now); err != nil {
			log.Warn("the back office's signed time could not be fetched", "err", err)
		}
		if id.NeedsRenewal(now()) {
			if err := id.Renew(ctx, client, now); err != nil {
				log.Warn("the client certificate could not be renewed; retrying later", "err", err, "not_after", id.NotAfter)
			} else {
				log.Info("client certificate renewed", "not_after", id.NotAfter)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// CheckpointSigner signs the audit chain's heads the uplink sends (an SM2
// audit checkpoint, internal/sealed) with the terminal's SM2 key, the one
// that signs its sealed submissions. Nil when the identity has none.
func (id *Identity) CheckpointSigner() func(seq uint64, head string) ([]byte, error) {
	if id.payloadKey == nil {
		return nil
	}
	return func(seq uint64, head string) ([]byte, error) {
		return sealed.SignCheckpoint(nil, id.payloadKey, id.Terminal, seq, head)
	}
}

// Sealer seals a submission item for the back office (internal/sealed):
// encrypted to the SM2 key the CA vouched for at enrolment, signed with
// the terminal's. Nil when the identity predates sealing.
func (id *Identity) Sealer() func(clientID string, item []byte) ([]byte, error) {
	if id.officeKey == nil || id.payloadKey == nil {
		return nil
	}
	return func(clientID string, item []byte) ([]byte, error) {
		return sealed.Seal(nil, id.officeKey, id.payloadKey, id.Terminal, clientID, item)
	}
}
