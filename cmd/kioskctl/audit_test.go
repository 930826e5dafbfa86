package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/outbox"
)

// day is a terminal's day with staff at work.
var day = []audit.Event{
	{Kind: audit.SessionStarted, Actor: "resident", Ref: "sess-1"},
	{Kind: audit.StaffLogin, Actor: "staff:S-01"},
	{Kind: audit.StaffAction, Actor: "staff:S-01", Detail: "reprinted a receipt"},
	{Kind: audit.StaffLogout, Actor: "staff:S-01"},
	{Kind: audit.SessionEnded, Actor: "resident", Ref: "sess-1"},
}

// writeDay writes events to a new log at path, sealed with key (nil: the
// old unkeyed algorithm anyone can run), and returns its head as the back
// office would anchor it.
func writeDay(t *testing.T, path string, key []byte, events []audit.Event) string {
	t.Helper()
	os.Remove(path)
	l, err := audit.OpenWith(path, audit.Options{Key: key, NewKey: true, Now: func() time.Time { return time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, ev := range events {
		if err := l.Append(ev); err != nil {
			t.Fatal(err)
		}
	}
	seq, head := l.Head()
	return audit.Anchor{Seq: seq, Head: head}.String()
}

// TestAuditVerifyAgainstTheAnchor: the attacks of issue 19 on a terminal's
// log, each checked by a technician with the back office's anchor: cut
// tail, staff entries removed and the rest re-chained unkeyed, an entry
// forged under a guessed key, and an older copy restored and continued.
// Each is named in plain words. Before, there was no key and no anchor,
// and each said "ok: the chain is intact".
func TestAuditVerifyAgainstTheAnchor(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, auditLogFile)
	key, err := outbox.LoadOrCreateKey(filepath.Join(dir, auditKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	var noStaff []audit.Event
	for _, ev := range day {
		if !strings.HasPrefix(string(ev.Kind), "staff.") {
			noStaff = append(noStaff, ev)
		}
	}
	cases := []struct {
		name   string
		tamper func(t *testing.T)
		says   string
	}{
		{"untouched", func(t *testing.T) {}, "ok: the chain is intact and holds entry 6"},
		{"tail cut", func(t *testing.T) {
			raw, _ := os.ReadFile(logPath)
			lines := bytes.SplitAfter(raw, []byte("\n"))
			os.WriteFile(logPath, bytes.Join(lines[:3], nil), 0o600)
		}, "TRUNCATED"},
		{"staff entries removed, re-chained unkeyed", func(t *testing.T) {
			writeDay(t, logPath, nil, noStaff)
		}, "REWRITTEN"},
		{"staff entries removed, re-chained under a guessed key", func(t *testing.T) {
			writeDay(t, logPath, []byte("guessed-key-0123456789"), noStaff)
		}, "REWRITTEN"},
		{"an entry forged under a guessed key", func(t *testing.T) {
			forged := append(append([]audit.Event{}, day[:2]...), audit.Event{Kind: audit.StaffLogout, Actor: "staff:S-01", Detail: "forged"})
			writeDay(t, logPath, []byte("guessed-key-0123456789"), append(forged, day[3:]...))
		}, "REWRITTEN"},
		{"an older copy restored and continued", func(t *testing.T) {
			writeDay(t, logPath, key, append(append([]audit.Event{}, day[:4]...), audit.Event{Kind: audit.SessionStarted, Actor: "resident", Ref: "sess-9"}, day[4]))
		}, "FORKED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			anchor := writeDay(t, logPath, key, day)
			c.tamper(t)
			out, err := kioskctl(t, "audit", "verify", "--log", logPath, "--anchor", anchor)
			if !strings.Contains(out, c.says) || (err == nil) != (c.name == "untouched") {
				t.Errorf("verify: %v\n%s\nwant it to say %q", err, out, c.says)
			}
		})
	}
	// A bad anchor is refused in plain words.
	if _, err := kioskctl(t, "audit", "verify", "--log", logPath, "--anchor", "6-abc"); err == nil || !strings.Contains(err.Error(), "SEQ:HEAD") {
		t.Errorf("bad anchor: %v", err)
	}
}

// TestTechnicianActionsAudited: queue fill, a failed salvage and a failed
// enrolment by kioskctl each leave a sealed technician.action entry in the
// data folder's audit trail, naming the technician, the command and how
// it ended; read-only commands leave none.
func TestTechnicianActionsAudited(t *testing.T) {
	t.Setenv("TONGBAN_TECHNICIAN", "T-007")
	data := t.TempDir()
	db := filepath.Join(data, "queue.db")
	if out, err := kioskctl(t, "queue", "fill", "--db", db, "--key", filepath.Join(data, "terminal.key"), "--count", "2"); err != nil {
		t.Fatalf("fill: %v\n%s", err, out)
	}
	kioskctl(t, "queue", "list", "--db", db)
	if _, err := kioskctl(t, "queue", "salvage", "--db", db, filepath.Join(data, "nothing-here")); err == nil {
		t.Fatal("salvage of nothing passed")
	}
	if _, err := kioskctl(t, "enrol", "--server", "http://127.0.0.1:1", "--token", "tbe_x", "--ca-fingerprint", "SM3:00", "--dir", filepath.Join(data, "identity"), "--insecure-dev"); err == nil {
		t.Fatal("enrolment with no back office passed")
	}
	raw, err := os.ReadFile(filepath.Join(data, auditLogFile))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ln := range strings.Split(string(raw), "\n") {
		if strings.Contains(ln, `"kind":"technician.action"`) {
			got = append(got, ln)
		}
	}
	want := []struct{ ref, detail string }{{"kioskctl queue fill", `"detail":"done"`}, {"kioskctl queue salvage", `"detail":"failed`}, {"kioskctl enrol", `"detail":"failed`}}
	if len(got) != len(want) {
		t.Fatalf("%d technician entries, want %d:\n%s", len(got), len(want), raw)
	}
	for i, w := range want {
		if !strings.Contains(got[i], `"actor":"technician:T-007"`) || !strings.Contains(got[i], `"ref":"`+w.ref+`"`) || !strings.Contains(got[i], w.detail) {
			t.Errorf("entry %d = %s; want %s, %s", i, got[i], w.ref, w.detail)
		}
	}
	out, err := kioskctl(t, "audit", "verify", "--log", filepath.Join(data, auditLogFile))
	if err != nil || !strings.Contains(out, "every seal checked") {
		t.Errorf("the trail kioskctl wrote: %v\n%s", err, out)
	}
	if info, _ := os.Stat(filepath.Join(data, auditKeyFile)); info == nil || info.Mode().Perm() != 0o600 {
		t.Errorf("audit key: %v", info)
	}
}
