package staffdesk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/tongban/tongban/backoffice/api"
)

// Lock is the staff login's lockout state, kept across restarts so that
// pulling the plug does not reset the count of wrong tries.
type Lock struct {
	Wrong    int       `json:"wrong"`    // wrong tries since the last right one
	Lockouts int       `json:"lockouts"` // lockouts since the last right one
	Until    time.Time `json:"until"`    // no credential is taken before then
}

// LockStore keeps the Lock. Load of a store never written is the zero
// Lock and no error.
type LockStore interface {
	LoadLock() (Lock, error)
	SaveLock(Lock) error
}

// LockFile is a LockStore in one JSON file, written whole and renamed
// into place, readable by its owner only.
type LockFile string

// LoadLock reads the file; a missing file is no lockout.
func (f LockFile) LoadLock() (Lock, error) {
	b, err := os.ReadFile(string(f))
	if errors.Is(err, fs.ErrNotExist) {
		return Lock{}, nil
	}
	if err != nil {
		return Lock{}, err
	}
	var l Lock
	if err := json.Unmarshal(b, &l); err != nil || l.Wrong < 0 || l.Lockouts < 0 {
		return Lock{}, fmt.Errorf("staffdesk: the lockout file %s is damaged", string(f))
	}
	return l, nil
}

// SaveLock writes the file atomically.
func (f LockFile) SaveLock(l Lock) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(string(f)), ".staff-lock-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), string(f))
}

// loadLock reads the kept lockout; one that cannot be read is taken as a
// first lockout from now (failing closed: a damaged file must not wipe
// the count an attacker built up) and raises an alarm.
func (d *Desk) loadLock() {
	if d.cfg.Locks == nil {
		return
	}
	l, err := d.cfg.Locks.LoadLock()
	if err != nil {
		l = Lock{Lockouts: 1, Until: d.cfg.Now().Add(LockoutSteps[0])}
		d.alarm(fmt.Sprintf("the staff lockout record could not be read (%v); the staff menu is locked for %s", err, LockoutSteps[0]))
	}
	d.lock = l
}

func (d *Desk) saveLock() {
	if d.cfg.Locks == nil {
		return
	}
	if err := d.cfg.Locks.SaveLock(d.lock); err != nil {
		d.alarm(fmt.Sprintf("the staff lockout record could not be written: %v", err))
	}
}

func (d *Desk) alarm(detail string) {
	if d.cfg.Alarm != nil {
		d.cfg.Alarm(string(api.AlarmStaffLockout), detail)
	}
}

// failed counts a wrong try (who: what was tried, for the alarm, never a
// PIN) and locks the login every LockoutAfter of them. Called with d.mu.
func (d *Desk) failed(now time.Time, who string) {
	d.lock.Wrong++
	if d.lock.Wrong%LockoutAfter == 0 {
		step := LockoutSteps[min(d.lock.Lockouts, len(LockoutSteps)-1)]
		d.lock.Lockouts++
		d.lock.Until = now.Add(step)
		d.alarm(fmt.Sprintf("%d wrong staff credentials in a row (last: %s); the staff menu is locked for %s (lockout %d)", d.lock.Wrong, who, step, d.lock.Lockouts))
	}
	d.saveLock()
}

// succeeded clears the count. Called with d.mu.
func (d *Desk) succeeded() {
	if d.lock == (Lock{}) {
		return
	}
	d.lock = Lock{}
	d.saveLock()
}
