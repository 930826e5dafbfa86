package staffdesk

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"regexp"

	"github.com/tongban/tongban/backoffice/api"
)

// SharedCodeID is the audit's name for whoever typed the shared staff
// code: it names nobody, which is why the shared code is deprecated and
// works only where staff.code_hash is still configured.
const SharedCodeID = "shared-code"

var staffNumberPattern = regexp.MustCompile(`^[A-Z0-9]{2,16}$`)

// person is a usable credential of the roster.
type person struct {
	number string
	badge  []byte // SHA-256 of the badge secret
	pin    codeHash
}

// dummyPIN is checked when the badge is unknown, so a forged badge costs
// as long as a real one and the time tells nothing.
var dummyPIN = codeHash{iter: CodeIterations, salt: make([]byte, 16), hash: make([]byte, 32)}

// SetStaff replaces the roster with the credentials of the latest
// configuration bundle: those of this terminal's centre that are not
// revoked. A credential that is malformed is skipped and reported in the
// error; the others still apply, so one bad line locks nobody else out.
func (d *Desk) SetStaff(creds []api.StaffCredential) error {
	roster := map[string]person{}
	var bad []string
	for _, c := range creds {
		if c.Revoked || (d.cfg.Center != "" && c.Center != d.cfg.Center) {
			continue
		}
		b, err := hex.DecodeString(c.BadgeSHA256)
		h, herr := parseCodeHash(c.PINHash)
		if !staffNumberPattern.MatchString(c.Number) || err != nil || len(b) != sha256.Size || herr != nil {
			bad = append(bad, c.Number)
			continue
		}
		roster[c.Number] = person{number: c.Number, badge: b, pin: h}
	}
	d.mu.Lock()
	d.staff = roster
	d.mu.Unlock()
	if len(bad) > 0 {
		return fmt.Errorf("staffdesk: %d staff credentials in the bundle are malformed and were skipped (staff numbers %q)", len(bad), bad)
	}
	return nil
}

// CheckBadge tells whether the badge (staff number and secret, as
// kiosk/scancode read them from its QR) and the PIN belong to a
// credential of the roster, and returns the staff number for the audit.
// Wrong badges and wrong PINs count towards the same lockout as wrong
// shared codes.
func (d *Desk) CheckBadge(number, secret, pin string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.cfg.Now()
	if now.Before(d.lock.Until) {
		return "", false
	}
	p, known := d.staff[number]
	sum := sha256.Sum256([]byte(secret))
	badgeOK := known && subtle.ConstantTimeCompare(sum[:], p.badge) == 1
	pinHash := dummyPIN
	if known {
		pinHash = p.pin
	}
	pinOK := pinHash.matches(pin)
	if !badgeOK || !pinOK {
		d.failed(now, "badge "+number)
		return "", false
	}
	d.succeeded()
	return p.number, true
}
