package terminal

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// TestAuditWriteFailureRaisesAlarm: an event the audit trail cannot record
// raises an alarm instead of vanishing into the log; a run of failures
// raises one alarm, and a failure after a recovery raises another.
func TestAuditWriteFailureRaisesAlarm(t *testing.T) {
	dir := t.TempDir()
	clock := kiosktest.NewClock(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	open := func(name string) *audit.Log {
		l, err := audit.Open(filepath.Join(dir, name), clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	l := open("audit.log")
	tm := &Terminal{opts: Options{Clock: clock}, log: slog.New(slog.DiscardHandler), audit: l}
	tm.record("queue.compacted", "", "")
	if len(tm.alarms) != 0 {
		t.Fatalf("alarms after a written event: %v", tm.alarms)
	}
	l.Close() // the trail can no longer be written
	tm.record("staff.login", "", "")
	tm.record("queue.compacted", "", "")
	if len(tm.alarms) != 1 || tm.alarms[0].kind != string(alarmAuditUnwritable) || !strings.Contains(tm.alarms[0].detail, "staff.login") {
		t.Fatalf("alarms after two unrecorded events: %+v; want one %s naming staff.login", tm.alarms, alarmAuditUnwritable)
	}
	l2 := open("audit2.log")
	defer l2.Close()
	tm.audit = l2
	tm.record("queue.compacted", "", "")
	if len(tm.alarms) != 1 {
		t.Fatalf("a recovered trail raised %d alarms", len(tm.alarms))
	}
	l2.Close()
	tm.record("staff.logout", "", "")
	if len(tm.alarms) != 2 || !strings.Contains(tm.alarms[1].detail, "staff.logout") {
		t.Errorf("alarms after a failure following recovery: %+v", tm.alarms)
	}
}
