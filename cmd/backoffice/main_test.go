package main

import (
	"time"

	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/sealed"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	common := []string{"--db", filepath.Join(dir, "bo.db"), "--tls-dir", filepath.Join(dir, "keys")}
	catalog := filepath.Join(dir, "catalog.json")
	os.WriteFile(catalog, []byte(`{"items":[]}`), 0o644)
	badReaders := filepath.Join(dir, "readers-bad.json")
	os.WriteFile(badReaders, []byte(`{"SH-XH-0001": ["05.01-20240101-0000000042-0000000007", "SAM-05-0001"]}`), 0o644)
	notJSON := filepath.Join(dir, "readers-list.json")
	os.WriteFile(notJSON, []byte(`["05.01-20240101-0000000042-0000000007"]`), 0o644)
	tests := []struct {
		name    string
		args    []string
		wantOut string
		wantErr string
	}{
		{"issue token", []string{"--issue-token", "SH-XH-0001", "--center", "XH01"}, "tbe_", ""},
		{"token without center", []string{"--issue-token", "SH-XH-0001"}, "", "needs --center"},
		{"publish", []string{"--publish", "catalog=" + catalog}, "catalog bundle version 1", ""},
		{"publish again", []string{"--publish", "catalog=" + catalog}, "catalog bundle version 2", ""},
		{"publish unknown kind", []string{"--publish", "secrets=" + catalog}, "", "catalog=FILE"},
		{"dev mode off loopback", []string{"--insecure-dev", "--addr", "0.0.0.0:0"}, "", "only on loopback"},
		{"audit anchor before any heartbeat", []string{"--audit-anchor", "SH-XH-0001"}, "", "no audit head yet"},
		{"readers with a bad SAM ID", []string{"--readers", badReaders}, "", `terminal SH-XH-0001, reader 2 ("SAM-05-0001"): not a SAM ID`},
		{"readers not an object", []string{"--readers", notJSON}, "", "not a JSON object of terminal to SAM IDs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), append(common, tc.args...), strings.NewReader(""), &out, &errb)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !strings.Contains(out.String(), tc.wantOut) {
				t.Fatalf("out %q err %v, want %q", out.String(), err, tc.wantOut)
			}
		})
	}
}

// TestAuditAnchorPrinted: the anchor the back office keeps is printed in
// the form kioskctl audit verify --anchor takes.
func TestAuditAnchorPrinted(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Repeat("c3", 32)
	for _, seq := range []uint64{5, 9, 7} {
		if _, err := st.AnchorAudit(ctx, store.AuditAnchor{Terminal: "SH-XH-0001", Seq: seq, Head: head, ReceivedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	var out, errb bytes.Buffer
	err = run(ctx, []string{"--db", filepath.Join(dir, "bo.db"), "--tls-dir", filepath.Join(dir, "keys"), "--audit-anchor", "SH-XH-0001"}, strings.NewReader(""), &out, &errb)
	if err != nil || out.String() != "9:"+head+"\n" {
		t.Fatalf("out %q err %v, want the highest anchor 9:%s", out.String(), err, head)
	}
}

// signalWriter closes up once something containing mark is written.
type signalWriter struct {
	mark string
	up   chan struct{}
	once sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.mark) {
		w.once.Do(func() { close(w.up) })
	}
	return len(p), nil
}

func TestRunServesUntilCancelled(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &signalWriter{mark: "DEV MODE", up: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--insecure-dev", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "bo.db"), "--tls-dir", filepath.Join(dir, "k")}, strings.NewReader(""), &bytes.Buffer{}, logs)
	}()
	select {
	case <-logs.up:
	case err := <-done:
		t.Fatalf("run ended before serving: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run after cancel: %v", err)
	}
}

func TestUserAdd(t *testing.T) {
	dir := t.TempDir()
	common := []string{"user", "add", "--db", filepath.Join(dir, "bo.db"), "--tls-dir", filepath.Join(dir, "keys")}
	for _, tc := range []struct {
		name, stdin string
		args        []string
		wantOut     string
		wantErr     string
	}{
		{"first operator", "a-long-password\n", []string{"--username", "op1", "--name", "测试运维", "--role", "operator"}, "account op1 (operator) created", ""},
		{"same name again", "a-long-password\n", []string{"--username", "op1", "--role", "operator"}, "", "exists already"},
		{"short password", "short\n", []string{"--username", "op2", "--role", "operator"}, "", "at least 10"},
		{"no password", "", []string{"--username", "op3", "--role", "operator"}, "", "standard input"},
		{"staff need a center", "a-long-password\n", []string{"--username", "s1", "--role", "staff"}, "", "center"},
		{"staff of a center", "a-long-password\n", []string{"--username", "s1", "--role", "staff", "--center", "XH01"}, "created", ""},
		{"unknown role", "a-long-password\n", []string{"--username", "x1", "--role", "root"}, "", "role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), append(common, tc.args...), strings.NewReader(tc.stdin), &out, &errb)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !strings.Contains(out.String(), tc.wantOut) {
				t.Fatalf("out %q err %v", out.String(), err)
			}
		})
	}
	if err := run(context.Background(), []string{"user", "delete"}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Fatalf("unknown user subcommand: %v", err)
	}
}

// A token for an enrolled terminal needs --reenrol, and another center
// needs --move as well.
func TestIssueTokenForEnrolledTerminal(t *testing.T) {
	dir := t.TempDir()
	common := []string{"--db", filepath.Join(dir, "bo.db"), "--tls-dir", filepath.Join(dir, "keys")}
	issue := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(context.Background(), append(append([]string{}, common...), args...), strings.NewReader(""), &out, &errb)
		return out.String(), err
	}
	if _, err := issue("--issue-token", "SH-XH-0001", "--center", "XH01", "--reenrol"); err == nil || !strings.Contains(err.Error(), "not enrolled") {
		t.Fatalf("re-enrolling an unknown terminal: %v", err)
	}
	if _, err := issue("--issue-token", "SH-XH-0001", "--center", "XH01", "--move"); err == nil || !strings.Contains(err.Error(), "--reenrol") {
		t.Fatalf("--move alone: %v", err)
	}
	st, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	err = st.PutTerminal(context.Background(), store.Terminal{ID: "SH-XH-0001", Center: "XH01", CertSerial: "1f", CertNotAfter: time.Now().Add(time.Hour), EnrolledAt: time.Now()})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args    []string
		wantOut string
		wantErr string
	}{
		{[]string{"--center", "XH01"}, "", "--reenrol"},
		{[]string{"--center", "XH01", "--reenrol"}, "tbr_", ""},
		{[]string{"--center", "XH02", "--reenrol"}, "", "move"},
		{[]string{"--center", "XH02", "--reenrol", "--move"}, "tbm_", ""},
	}
	for _, s := range steps {
		out, err := issue(append([]string{"--issue-token", "SH-XH-0001"}, s.args...)...)
		if s.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), s.wantErr) {
				t.Fatalf("%v: err %v, want %q", s.args, err, s.wantErr)
			}
			continue
		}
		if err != nil || !strings.HasPrefix(out, s.wantOut) {
			t.Fatalf("%v: out %q err %v", s.args, out, err)
		}
	}
}

// With the token, --issue-token prints the enrolment code: the server
// named by --hosts and --addr, the token and the CA's fingerprint.
func TestIssueTokenPrintsTheEnrolmentCode(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"--db", filepath.Join(dir, "bo.db"), "--tls-dir", filepath.Join(dir, "keys"),
		"--hosts", "bo.example,10.0.0.5", "--addr", ":8443", "--issue-token", "SH-XH-0001", "--center", "XH01"}, strings.NewReader(""), &out, &errb)
	if err != nil {
		t.Fatal(err)
	}
	line := errb.String()[strings.Index(errb.String(), api.EnrolmentCodePrefix):]
	code, err := api.ParseEnrolmentCode(line)
	if err != nil {
		t.Fatalf("%q: %v", errb.String(), err)
	}
	keys, err := backoffice.LoadOrCreateKeys(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	if code.Token != strings.TrimSpace(out.String()) || code.Server != "https://bo.example:8443" || sealed.MatchFingerprint(code.CAFingerprint, keys.CA.Cert.Raw) != nil {
		t.Fatalf("code %+v, token %q", code, out.String())
	}
}
