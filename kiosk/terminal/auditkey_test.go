package terminal

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
)

// TestAuditSealedWithTheTerminalKey: the terminal seals its audit trail
// under an audit key in its key store (created at the first start, 0600,
// kept across starts); an old unkeyed log is continued keyed with no
// alarm; a log found rewritten without the key at a later start raises
// audit-rewritten.
func TestAuditSealedWithTheTerminalKey(t *testing.T) {
	dir := t.TempDir()
	clock := kiosktest.NewClock(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	logPath := filepath.Join(dir, "audit.log")
	// An old terminal's unkeyed log.
	old, err := audit.Open(logPath, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	old.Append(audit.Event{Kind: audit.StaffLogin, Actor: "staff"})
	old.Close()

	start := func() *Terminal {
		tm := &Terminal{cfg: config.Config{DataDir: dir}, opts: Options{Clock: clock}, log: slog.New(slog.DiscardHandler)}
		if err := tm.openAudit(); err != nil {
			t.Fatal(err)
		}
		tm.record("staff.login", "", "")
		tm.audit.Close()
		return tm
	}
	for i := range 2 {
		if tm := start(); len(tm.alarms) != 0 {
			t.Fatalf("start %d: alarms %+v", i, tm.alarms)
		}
	}
	keyPath := filepath.Join(dir, auditKeyFile)
	info, err := os.Stat(keyPath)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("audit key: %v %v", info, err)
	}
	key, _ := outbox.LoadKey(keyPath)
	rep, _ := audit.VerifyWith(logPath, audit.VerifyOptions{Key: key})
	if !rep.OK() || rep.Sealed != 5 { // keyed, opened, login; opened, login
		t.Fatalf("after two starts: %+v", rep)
	}

	// Someone without the key drops the last two entries and re-chains
	// what is left unkeyed... simplest: the old unkeyed log back in place.
	raw, _ := os.ReadFile(logPath)
	first := bytes.SplitAfter(raw, []byte("\n"))[:2]
	os.WriteFile(logPath, bytes.Join(first, nil), 0o600)
	tm := start()
	if len(tm.alarms) != 1 || tm.alarms[0].kind != string(alarmAuditRewritten) || !strings.Contains(tm.alarms[0].detail, "rewritten") {
		t.Fatalf("rewritten log: alarms %+v", tm.alarms)
	}
}

// TestAuditCheckedAgainstTheAnchor: told the back office's anchor, the
// terminal checks its log holds it: an honest log raises nothing; a log
// restored from an older copy and continued past the anchored sequence
// (which the back office alone cannot tell from an honest one) raises
// audit-rewritten naming the fork.
func TestAuditCheckedAgainstTheAnchor(t *testing.T) {
	dir := t.TempDir()
	clock := kiosktest.NewClock(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	logPath := filepath.Join(dir, "audit.log")
	open := func() *Terminal {
		tm := &Terminal{cfg: config.Config{DataDir: dir}, opts: Options{Clock: clock}, log: slog.New(slog.DiscardHandler), ctx: context.Background()}
		if err := tm.openAudit(); err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tm := open()
	copyBefore, _ := os.ReadFile(logPath)
	for range 3 {
		tm.record("staff.login", "", "")
	}
	seq, head := tm.audit.Head()
	tm.checkAuditAnchor(seq, head)
	tm.wg.Wait()
	tm.audit.Close()
	if len(tm.alarms) != 0 {
		t.Fatalf("honest log: alarms %+v", tm.alarms)
	}
	// The older copy restored, and the kiosk runs on past the anchor.
	os.WriteFile(logPath, copyBefore, 0o600)
	tm = open()
	for range 5 {
		tm.record("session.started", "", "")
	}
	if s, _ := tm.audit.Head(); s <= seq {
		t.Fatalf("the restored log reports %d, want past the anchor %d", s, seq)
	}
	tm.checkAuditAnchor(seq, head)
	tm.wg.Wait()
	tm.audit.Close()
	if len(tm.alarms) != 1 || tm.alarms[0].kind != string(alarmAuditRewritten) || !strings.Contains(tm.alarms[0].detail, "forked") {
		t.Fatalf("restored and continued: alarms %+v", tm.alarms)
	}
}
