package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/outbox"
)

// The audit trail's files in a terminal's data folder, as the kiosk keeps
// them (kiosk/terminal): the log, and its key in the terminal's key store.
const (
	auditLogFile = "audit.log"
	auditKeyFile = "audit.key"
)

// technicianAction records in the audit trail of the terminal whose data
// folder is dataDir that a technician ran command through kioskctl, and
// how it ended: a command that changes the terminal's state is never
// unaudited. The technician is named by $TONGBAN_TECHNICIAN (else the
// login that ran sudo, else $USER). The entry goes into the same sealed
// chain the kiosk writes, even while it runs (the log is locked per
// entry). It returns runErr, joined with a plain error when the action
// could not be recorded: the command then fails, so it is never silent.
func technicianAction(dataDir, command string, runErr error) error {
	if err := recordTechnician(dataDir, command, runErr); err != nil {
		return errors.Join(runErr, fmt.Errorf("%s: the terminal's audit trail in %s could not record this technician action: %w", command, dataDir, err))
	}
	return runErr
}

func recordTechnician(dataDir, command string, runErr error) error {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	keyPath, logPath := filepath.Join(dataDir, auditKeyFile), filepath.Join(dataDir, auditLogFile)
	_, keyErr := os.Stat(keyPath)
	_, logErr := os.Stat(logPath)
	key, err := outbox.LoadOrCreateKey(keyPath)
	if err != nil {
		return err
	}
	l, err := audit.OpenWith(logPath, audit.Options{Key: key, NewKey: errors.Is(keyErr, fs.ErrNotExist)})
	if err != nil {
		return err
	}
	ev := audit.Event{Kind: audit.TechnicianAction, Actor: "technician:" + technicianName(), Ref: "kioskctl " + command, Detail: "done"}
	if runErr != nil {
		ev.Detail = "failed: " + clipWords(runErr.Error(), 300)
	}
	err = l.Append(ev)
	if err != nil && runErr != nil {
		// The error's words were refused (they looked like personal
		// data): the failure is recorded without them.
		ev.Detail = "failed"
		err = l.Append(ev)
	}
	err = errors.Join(err, l.Close())
	// Files made here belong to whoever owns the data folder (the kiosk's
	// user), or the kiosk could not open its own trail.
	if errors.Is(keyErr, fs.ErrNotExist) {
		err = errors.Join(err, ownLike(keyPath, dataDir))
	}
	if errors.Is(logErr, fs.ErrNotExist) {
		err = errors.Join(err, ownLike(logPath, dataDir))
	}
	return err
}

// ownLike gives path the owner of dir, when they differ.
func ownLike(path, dir string) error {
	di, err := os.Stat(dir)
	if err != nil {
		return err
	}
	st, ok := di.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if ft, ok := fi.Sys().(*syscall.Stat_t); ok && ft.Uid == st.Uid && ft.Gid == st.Gid {
		return nil
	}
	return os.Chown(path, int(st.Uid), int(st.Gid))
}

// technicianName names who runs kioskctl, as letters, digits, '.', '_'
// and '-' only, at most 64 of them.
func technicianName() string {
	for _, v := range []string{"TONGBAN_TECHNICIAN", "SUDO_USER", "USER"} {
		name := strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
				return r
			}
			return -1
		}, os.Getenv(v))
		if name != "" {
			return name[:min(len(name), 64)]
		}
	}
	return "unknown"
}

func clipWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
