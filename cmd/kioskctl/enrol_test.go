package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// kioskctl enrol refuses, before any byte leaves the terminal, to enrol
// without the CA fingerprint or over plain HTTP outside loopback
// development.
func TestEnrolRefusesWithoutPinOrTLS(t *testing.T) {
	var hits atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer ts.Close()
	fp := "SM3:" + strings.Repeat("AB", 32)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no fingerprint", []string{"--server", "https://bo.example:8443", "--token", "tbe_x", "--dir", t.TempDir()}, "--ca-fingerprint"},
		{"plain http", []string{"--server", ts.URL, "--token", "tbe_x", "--dir", t.TempDir(), "--ca-fingerprint", fp}, "https"},
		{"plain http, dev, not loopback", []string{"--server", "http://192.0.2.1:8080", "--token", "tbe_x", "--dir", t.TempDir(), "--ca-fingerprint", fp, "--insecure-dev"}, "loopback"},
		{"a fingerprint that is not one", []string{"--server", "https://bo.example:8443", "--token", "tbe_x", "--dir", t.TempDir(), "--ca-fingerprint", "SM3:12", "--ca", "/nonexistent.pem"}, "nonexistent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := runEnrol(context.Background(), tt.args, &out, &errb)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests reached the plain HTTP server", hits.Load())
	}
}
