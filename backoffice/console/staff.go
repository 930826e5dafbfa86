package console

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math/big"
	"net/http"
	"regexp"
	"strings"

	"github.com/skip2/go-qrcode"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/kiosk/scancode"
	"github.com/tongban/tongban/kiosk/staffdesk"
)

// Staff credentials live in the signed configuration bundle, the one
// record terminals trust: issuing or revoking one publishes the next
// configuration bundle with the whole list, the other sections of the
// payload unchanged. The console keeps no PIN and no badge secret: they
// are shown once, to be printed and handed over.

var staffNumberRe = regexp.MustCompile(`^[A-Z0-9]{2,16}$`)

type staffData struct {
	Staff   []api.StaffCredential
	Version uint64 // the configuration bundle the list is from (0: none yet)
	Issued  *issuedBadge
	Error   string
}

type issuedBadge struct {
	Number, Name, Center, PIN string
	Content                   string // the badge's QR content, for badge printers that take text
	QR                        template.URL
}

// configPayload reads the latest configuration bundle's payload as its
// sections and the staff list among them.
func (c *Console) configPayload(q *req) (map[string]json.RawMessage, []api.StaffCredential, uint64, error) {
	sections := map[string]json.RawMessage{}
	b, err := c.st.LatestBundle(q.r.Context(), string(bundle.KindConfig))
	if errors.Is(err, store.ErrNotFound) {
		return sections, nil, 0, nil
	}
	if err != nil {
		return nil, nil, 0, err
	}
	var env bundle.Envelope
	if err := json.Unmarshal(b.Data, &env); err != nil {
		return nil, nil, 0, fmt.Errorf("the latest configuration bundle is not readable: %w", err)
	}
	if err := json.Unmarshal(env.Payload, &sections); err != nil {
		return nil, nil, 0, fmt.Errorf("the latest configuration bundle is not a JSON object: %w", err)
	}
	var staff []api.StaffCredential
	if raw, ok := sections["staff"]; ok {
		if err := json.Unmarshal(raw, &staff); err != nil {
			return nil, nil, 0, fmt.Errorf("the staff list of the latest configuration bundle is not readable: %w", err)
		}
	}
	return sections, staff, b.Version, nil
}

// publishStaff publishes the next configuration bundle with staff as its
// staff list.
func (c *Console) publishStaff(q *req, sections map[string]json.RawMessage, staff []api.StaffCredential) (uint64, error) {
	raw, err := json.Marshal(staff)
	if err != nil {
		return 0, err
	}
	sections["staff"] = raw
	payload, err := json.Marshal(sections)
	if err != nil {
		return 0, err
	}
	return c.svc.PublishBundle(q.r.Context(), bundle.KindConfig, payload)
}

func (c *Console) staffPage(q *req) {
	_, staff, v, err := c.configPayload(q)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	c.render(q, http.StatusOK, "staff", "staff.title", staffData{Staff: staff, Version: v})
}

// issueStaff issues a badge and a PIN for one person (a staff number
// already in the list gets new ones: the old badge stops working).
func (c *Console) issueStaff(q *req) {
	if c.svc == nil {
		c.fail(q, http.StatusServiceUnavailable, "err.unavail")
		return
	}
	number := strings.ToUpper(strings.TrimSpace(q.r.PostFormValue("number")))
	name := strings.TrimSpace(q.r.PostFormValue("name"))
	center := strings.TrimSpace(q.r.PostFormValue("center"))
	if !staffNumberRe.MatchString(number) || !centerCodeRe.MatchString(center) || name == "" || len(name) > 64 || strings.ContainsFunc(name, isControl) {
		c.fail(q, http.StatusBadRequest, "err.input")
		return
	}
	sections, staff, _, err := c.configPayload(q)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	secret, pin, cred, err := newStaffCredential(number, name, center)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	kept := staff[:0]
	for _, s := range staff {
		if s.Number != number {
			kept = append(kept, s)
		}
	}
	staff = append(kept, cred)
	v, err := c.publishStaff(q, sections, staff)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	png, err := qrcode.Encode(scancode.BadgeContent(number, secret), qrcode.Medium, 320)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "staff.issue", number, fmt.Sprintf("center %s, configuration v%d", center, v))
	c.render(q, http.StatusOK, "staff", "staff.title", staffData{Staff: staff, Version: v, Issued: &issuedBadge{
		Number: number, Name: name, Center: center, PIN: pin, Content: scancode.BadgeContent(number, secret),
		QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
	}})
}

// revokeStaff marks a credential revoked in the next configuration
// bundle: terminals refuse the badge once they install it.
func (c *Console) revokeStaff(q *req) {
	if c.svc == nil {
		c.fail(q, http.StatusServiceUnavailable, "err.unavail")
		return
	}
	number := q.r.PathValue("number")
	sections, staff, _, err := c.configPayload(q)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	found := false
	for i := range staff {
		if staff[i].Number == number {
			staff[i].Revoked, found = true, true
		}
	}
	if !found {
		c.fail(q, http.StatusNotFound, "err.input")
		return
	}
	v, err := c.publishStaff(q, sections, staff)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "staff.revoke", number, fmt.Sprintf("configuration v%d", v))
	c.render(q, http.StatusOK, "staff", "staff.title", staffData{Staff: staff, Version: v})
}

// newStaffCredential makes a badge secret (128 random bits), a 6-digit
// PIN, and the credential that keeps only their hashes.
func newStaffCredential(number, name, center string) (secret, pin string, cred api.StaffCredential, err error) {
	b := make([]byte, 16)
	if _, err = rand.Read(b); err != nil {
		return
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return
	}
	secret, pin = hex.EncodeToString(b), fmt.Sprintf("%06d", n.Int64())
	h, err := staffdesk.HashCode(pin, 0)
	if err != nil {
		return
	}
	sum := sha256.Sum256([]byte(secret))
	cred = api.StaffCredential{Number: number, Name: name, Center: center, BadgeSHA256: hex.EncodeToString(sum[:]), PINHash: h}
	return
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
