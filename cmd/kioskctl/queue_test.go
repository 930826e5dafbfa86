package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk/audit"
)

// kioskctl runs the tool as a technician types it.
func kioskctl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String() + errOut.String(), err
}

// snapshot lists a folder's files with their contents.
func snapshot(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			out = append(out, p+"\x00"+string(b))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func sameFiles(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestQueueCommandsAsATechnician runs each documented queue command on a
// new database, an existing kiosk data folder, a damaged file and a
// mistyped path. Before: fill on a new path failed (no key was made);
// list and stats wrote to the file and, on a mistyped path, created an
// empty queue; verify crashed on a truncated file.
func TestQueueCommandsAsATechnician(t *testing.T) {
	// A new database in a new folder: fill makes what the queue needs.
	fresh := filepath.Join(t.TempDir(), "new", "queue.db")
	if out, err := kioskctl(t, "queue", "fill", "--db", fresh, "--count", "5"); err != nil {
		t.Fatalf("fill on a new path: %v\n%s", err, out)
	} else if strings.Count(out, "acked ") != 5 {
		t.Errorf("fill printed %q", out)
	}
	if _, err := os.Stat(fresh + ".key"); err != nil {
		t.Errorf("no key beside the new queue: %v", err)
	}

	// An existing kiosk data folder (terminal.key beside queue.db).
	data := t.TempDir()
	db := filepath.Join(data, "queue.db")
	if out, err := kioskctl(t, "queue", "fill", "--db", db, "--key", filepath.Join(data, "terminal.key"), "--count", "3"); err != nil {
		t.Fatalf("fill: %v\n%s", err, out)
	}
	before := snapshot(t, data)
	for _, sub := range []string{"list", "stats", "verify"} {
		out, err := kioskctl(t, "queue", sub, "--db", db)
		if err != nil {
			t.Errorf("queue %s in a kiosk data folder: %v\n%s", sub, err, out)
		}
		if sub == "stats" && !strings.Contains(out, "pending       3") {
			t.Errorf("stats: %s", out)
		}
		if sub == "list" && strings.Count(out, "pending") != 3 {
			t.Errorf("list: %s", out)
		}
		if after := snapshot(t, data); !sameFiles(before, after) {
			t.Errorf("queue %s changed the data folder", sub)
		}
	}
	// A fill on an existing queue never makes a new key for it.
	if _, err := kioskctl(t, "queue", "fill", "--db", db, "--key", filepath.Join(data, "other.key"), "--count", "1"); err == nil {
		t.Error("fill on an existing queue with a missing key made a new key")
	}

	// A mistyped path: a plain error, nothing created.
	typo := filepath.Join(data, "queeu.db")
	for _, sub := range []string{"list", "stats", "verify"} {
		out, err := kioskctl(t, "queue", sub, "--db", typo)
		if err == nil || !strings.Contains(err.Error(), "no queue at") {
			t.Errorf("queue %s on a mistyped path: %v\n%s", sub, err, out)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("queue %s created %s", sub, typo)
		}
	}

	// A damaged file: read-only commands report it and leave it in place;
	// salvage takes its waiting submissions into the live queue.
	b, _ := os.ReadFile(db)
	damaged := db + ".damaged-20260701T000000Z"
	if err := os.WriteFile(damaged, b[:len(b)-100], 0o600); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"list", "stats", "verify"} {
		out, err := kioskctl(t, "queue", sub, "--db", damaged)
		if err == nil {
			t.Errorf("queue %s passed a damaged file:\n%s", sub, out)
		}
		if _, err := os.Stat(damaged); err != nil {
			t.Fatalf("queue %s moved the damaged file: %v", sub, err)
		}
	}
	if out, err := kioskctl(t, "queue", "stats", "--db", db); err != nil || !strings.Contains(out, "stranded      3") {
		t.Errorf("stats does not count the damaged file's waiting submissions: %v\n%s", err, out)
	}
	out, err := kioskctl(t, "queue", "salvage", damaged)
	if err != nil || !strings.Contains(out, "0 put in the queue, 3 already there") {
		t.Errorf("salvage of a copy of the live queue: %v\n%s", err, out)
	}
	if _, err := kioskctl(t, "queue", "salvage", filepath.Join(data, "nothing-here")); err == nil {
		t.Error("salvage of a mistyped path passed")
	}
}

// TestAuditVerifyAsATechnician: audit verify on a whole log, a torn tail
// (repairable, said so), tampering and a mistyped path.
func TestAuditVerifyAsATechnician(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "audit.log")
	l, err := audit.Open(logPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		l.Append(audit.Event{Kind: audit.StaffLogin, Actor: "staff:S-01"})
	}
	l.Close()
	if out, err := kioskctl(t, "audit", "verify", "--log", logPath); err != nil || !strings.Contains(out, "ok: the chain is intact") {
		t.Errorf("whole log: %v\n%s", err, out)
	}
	whole, _ := os.ReadFile(logPath)
	os.WriteFile(logPath, whole[:len(whole)-20], 0o600)
	out, err := kioskctl(t, "audit", "verify", "--log", logPath)
	if err == nil || !strings.Contains(err.Error(), "repairable") || !strings.Contains(out, "not tampering") {
		t.Errorf("torn tail: %v\n%s", err, out)
	}
	lines := bytes.SplitAfter(whole, []byte("\n"))
	lines[1] = []byte("{\"seq\":2,\"kind\":\"staff.login\"}\n")
	os.WriteFile(logPath, bytes.Join(lines, nil), 0o600)
	if out, err := kioskctl(t, "audit", "verify", "--log", logPath); err == nil || strings.Contains(err.Error(), "repairable") {
		t.Errorf("tampering passed as repairable: %v\n%s", err, out)
	}
	if _, err := kioskctl(t, "audit", "verify", "--log", filepath.Join(dir, "adit.log")); err == nil {
		t.Error("a mistyped path passed")
	}
	if _, err := os.Stat(filepath.Join(dir, "adit.log")); err == nil {
		t.Error("audit verify created a file")
	}
}
