package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	common := []string{"--db", filepath.Join(dir, "bo.db"), "--tls-dir", filepath.Join(dir, "keys")}
	catalog := filepath.Join(dir, "catalog.json")
	os.WriteFile(catalog, []byte(`{"items":[]}`), 0o644)
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
