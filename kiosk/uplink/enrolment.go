package uplink

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tongban/tongban/internal/durable"
)

// An enrolment survives a power cut at any point:
//
//   - the TLS key is written (enrol-key.pem) before the token leaves, and
//     reused by every attempt until one succeeds, so a terminal that lost
//     the answer asks again with the same key and the back office answers
//     it with the same certificate;
//   - the checked answer is written whole in one file (enrol-answer.json)
//     before anything of the identity is replaced;
//   - the answer is then put in place, file by file, identity.json last,
//     and the two files removed. Enrolled counts a written answer as
//     enrolled, and LoadIdentity finishes putting it in place.
//
// After a cut the identity directory thus holds either the earlier state
// and the pending key (ask again), or a whole answer (finish it).

// SpentToken names a token as the back office keeps it and as an identity
// records the token it was enrolled with: its SHA-256, in hex.
func SpentToken(token string) string { return spentToken(token) }

func spentToken(token string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(sum[:])
}

// EnrolledWithToken reports whether token is the one that enrolled id: a
// set-up run again with it keeps the identity, while an explicit
// re-enrolment token not used yet enrols the terminal again.
func (id *Identity) EnrolledWithToken(token string) bool {
	return id.EnrolledWith != "" && id.EnrolledWith == spentToken(token)
}

// pendingKey returns the key of an enrolment under way in dir, making and
// writing it first if there is none (sealed by keys, when set).
func pendingKey(dir string, keys KeySealer) (*ecdsa.PrivateKey, error) {
	path := filepath.Join(dir, pendingKeyFile)
	stored, err := os.ReadFile(path)
	if err == nil {
		b, wasSealed, oerr := openKey(keys, stored)
		if oerr != nil && wasSealed {
			return nil, fmt.Errorf("uplink: the pending enrolment key does not open: %w", oerr)
		}
		if blk, _ := pem.Decode(b); blk != nil {
			if k, err := x509.ParsePKCS8PrivateKey(blk.Bytes); err == nil {
				if ek, ok := k.(*ecdsa.PrivateKey); ok {
					return ek, nil
				}
			}
		}
		// Not a key (durable writes are never torn, so something else
		// wrote it): no enrolment can have used it; make a new one.
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	stored, err = storeKey(keys, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if err != nil {
		return nil, err
	}
	if err := durable.WriteFile(path, stored, 0o600); err != nil {
		return nil, err
	}
	return key, nil
}

// answer is an enrolment's answer as written before it is put in place.
// KeyPEM is the key as it is stored (sealed, with a KeySealer).
type answer struct {
	Identity *Identity `json:"identity"`
	CertPEM  string    `json:"certificate_pem"`
	CAPEM    string    `json:"ca_pem"`
	KeyPEM   string    `json:"key_pem"`
}

func saveAnswer(dir string, id *Identity, certPEM, caPEM string, keyPEM []byte) error {
	b, err := json.Marshal(answer{Identity: id, CertPEM: certPEM, CAPEM: caPEM, KeyPEM: string(keyPEM)})
	if err != nil {
		return err
	}
	return durable.WriteFile(filepath.Join(dir, answerFile), b, 0o600)
}

// finishEnrolment puts a written answer in place, if there is one: the
// key, certificate and CA, then identity.json; then it removes the pending
// key and the answer. It can stop anywhere and run again. step is told of
// each file put in place (nil: nobody). keys opens a sealed key.
func finishEnrolment(dir string, step func(string) error, keys KeySealer) error {
	if step == nil {
		step = func(string) error { return nil }
	}
	b, err := os.ReadFile(filepath.Join(dir, answerFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	// An answer that does not read whole (a failing disk: durable writes
	// are never torn) is dropped: it only keeps what the back office
	// answers again to the pending key, which stays.
	var a answer
	if err := json.Unmarshal(b, &a); err != nil || a.Identity == nil || a.KeyPEM == "" {
		return dropAnswer(dir)
	}
	keyPEM, wasSealed, err := openKey(keys, []byte(a.KeyPEM))
	if err != nil && wasSealed {
		// Not damaged: this machine cannot open it. Keep it.
		return fmt.Errorf("uplink: the enrolment answer's key does not open: %w", err)
	}
	if _, err := tls.X509KeyPair([]byte(a.CertPEM), keyPEM); err != nil {
		return dropAnswer(dir)
	}
	// A renewal of an earlier enrolment that a cut left half done must not
	// be put over this one.
	if err := os.Remove(filepath.Join(dir, nextFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	meta, err := json.MarshalIndent(a.Identity, "", "  ")
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
		mode os.FileMode
	}{
		{keyFile, []byte(a.KeyPEM), 0o600},
		{certFile, []byte(a.CertPEM), 0o644},
		{caFile, []byte(a.CAPEM), 0o644},
		{identityFile, append(meta, '\n'), 0o644},
	} {
		if err := durable.WriteFile(filepath.Join(dir, f.name), f.data, f.mode); err != nil {
			return err
		}
		if err := step("put " + f.name); err != nil {
			return err
		}
	}
	if err := os.Remove(filepath.Join(dir, pendingKeyFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := durable.SyncDir(dir); err != nil {
		return err
	}
	if err := step("removed " + pendingKeyFile); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dir, answerFile)); err != nil {
		return err
	}
	return durable.SyncDir(dir)
}

func dropAnswer(dir string) error {
	if err := os.Remove(filepath.Join(dir, answerFile)); err != nil {
		return err
	}
	return durable.SyncDir(dir)
}
