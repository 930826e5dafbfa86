package technician

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/staffdesk"
)

// Credential tells whether secret opens technician mode and, when it does,
// who the technician is for the audit trail ("" when the secret names no
// one, as a shared technician code does). Per-person credentials (the
// badges and PINs the console issues) plug in here.
type Credential interface {
	Check(ctx context.Context, secret string) (who string, err error)
}

// ErrWrongSecret is a secret that does not open technician mode.
var ErrWrongSecret = errors.New("technician: wrong code")

// ErrStaffCode is a technician code that is also the staff code: technician
// mode has its own credential, so this one is refused.
var ErrStaffCode = errors.New("technician: this is the staff code; technician mode has its own code (technician.code_hash)")

// SecretHash is the terminal's technician code kept under the slow KDF
// the staff code uses (PBKDF2-SM3, `kioskctl tech-hash` makes the line):
// technician.code_hash in kiosk.conf.
type SecretHash struct {
	Hash      string // technician.code_hash
	StaffHash string // staff.code_hash, so the staff code never opens technician mode
}

// NewSecretHash checks the configured hash.
func NewSecretHash(hash, staffHash string) (SecretHash, error) {
	if hash == "" {
		return SecretHash{}, errors.New("technician: no technician.code_hash configured: technician mode stays shut (kioskctl tech-hash makes one)")
	}
	if hash == staffHash {
		return SecretHash{}, ErrStaffCode
	}
	if _, err := staffdesk.CodeMatches(hash, ""); err != nil {
		return SecretHash{}, fmt.Errorf("technician.code_hash: %w", err)
	}
	return SecretHash{Hash: hash, StaffHash: staffHash}, nil
}

// Check implements Credential.
func (s SecretHash) Check(_ context.Context, secret string) (string, error) {
	ok, err := staffdesk.CodeMatches(s.Hash, secret)
	if err != nil {
		return "", err
	}
	if s.StaffHash != "" {
		// The staff code never opens technician mode, and a staff member
		// trying it is named as such in the audit trail.
		if same, _ := staffdesk.CodeMatches(s.StaffHash, secret); same {
			return "", ErrStaffCode
		}
	}
	if !ok {
		return "", ErrWrongSecret
	}
	return "", nil
}

// Auditor records technician actions (kiosk/audit's *Log).
type Auditor interface {
	Append(ev audit.Event) error
}

// LockedError is a login refused because of earlier wrong codes.
type LockedError struct{ Until time.Time }

func (e LockedError) Error() string {
	return "technician: too many wrong codes; technician mode is shut until " + e.Until.Format("15:04:05")
}

// Gate lets a technician in: the credential, a lockout after wrong codes,
// and an audit entry for every attempt.
type Gate struct {
	Cred  Credential
	Audit Auditor
	Now   func() time.Time
	// After MaxTries wrong codes in a row the gate shuts for Lockout.
	MaxTries int           // 0: 5
	Lockout  time.Duration // 0: 5 min

	mu     sync.Mutex
	wrong  int
	locked time.Time
}

// Login checks secret and returns the actor the audit trail names
// ("technician" or "technician:<who>").
func (g *Gate) Login(ctx context.Context, secret string) (actor string, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.Now()
	if now.Before(g.locked) {
		// A try while shut is recorded too: someone is at the terminal.
		locked := LockedError{Until: g.locked}
		if aerr := g.record(audit.Event{Kind: audit.TechnicianLogin, Actor: "technician", Detail: "refused: locked"}); aerr != nil {
			return "", errors.Join(locked, aerr)
		}
		return "", locked
	}
	who, err := g.Cred.Check(ctx, secret)
	if err != nil {
		g.wrong++
		detail := "wrong code"
		if errors.Is(err, ErrStaffCode) {
			detail = "the staff code was tried"
		}
		max := g.MaxTries
		if max == 0 {
			max = 5
		}
		if g.wrong >= max {
			d := g.Lockout
			if d == 0 {
				d = 5 * time.Minute
			}
			g.locked, g.wrong = now.Add(d), 0
			detail += "; locked"
			// The try that shuts the gate says so at once.
			err = errors.Join(err, LockedError{Until: g.locked})
		}
		if aerr := g.record(audit.Event{Kind: audit.TechnicianLogin, Actor: "technician", Detail: "refused: " + detail}); aerr != nil {
			return "", errors.Join(err, aerr)
		}
		return "", err
	}
	g.wrong = 0
	actor = "technician"
	if who != "" {
		actor += ":" + who
	}
	if err := g.record(audit.Event{Kind: audit.TechnicianLogin, Actor: actor}); err != nil {
		// An action that cannot be recorded does not happen.
		return "", fmt.Errorf("technician mode stays shut: the audit trail cannot record the login: %w", err)
	}
	return actor, nil
}

func (g *Gate) record(ev audit.Event) error {
	if g.Audit == nil {
		return nil
	}
	return g.Audit.Append(ev)
}
