package terminal

import (
	"encoding/json"
	"fmt"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/kiosk/uplink"
)

// StaffRoster reads the staff section of a configuration bundle's
// payload (a JSON object; other sections are not the staff desk's). A
// payload without the section has no staff: every badge is refused.
func StaffRoster(payload []byte) ([]api.StaffCredential, error) {
	var r api.StaffRoster
	if err := json.Unmarshal(payload, &r); err != nil {
		return nil, fmt.Errorf("the configuration bundle is not a JSON object with a staff list: %w", err)
	}
	return r.Staff, nil
}

// installedStaff is the roster of the installed configuration bundle,
// verified again; none when there is no bundle or it does not verify.
func (t *Terminal) installedStaff() []api.StaffCredential {
	if t.catalogs == nil || len(t.catalogs.keys) == 0 {
		return nil
	}
	env, err := uplink.LoadInstalled(t.bundleDir(), bundle.NewVerifier(t.catalogs.keys...), bundle.KindConfig)
	if err != nil {
		return nil
	}
	staff, err := StaffRoster(env.Payload)
	if err != nil {
		t.log.Warn("installed configuration bundle has no usable staff list", "err", err)
	}
	return staff
}

// takeConfigBundle gives the staff desk the roster of a newly installed
// configuration bundle: a credential revoked or left out stops working
// from now.
func (t *Terminal) takeConfigBundle(version uint64, payload []byte) error {
	staff, err := StaffRoster(payload)
	if err != nil {
		return err
	}
	if t.staff == nil {
		return nil
	}
	err = t.staff.SetStaff(staff)
	t.record("config.staff-roster", "", fmt.Sprintf("configuration bundle v%d: %d credentials", version, len(staff)))
	if err != nil {
		t.log.Warn("staff credentials skipped", "bundle", version, "err", err)
	}
	return nil
}
