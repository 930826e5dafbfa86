package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/backofficetest"
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
		{"a code without its fingerprint", []string{"--code", "tongban-enrol:?server=https%3A%2F%2Fbo.example&token=tbe_0123456789ab", "--dir", t.TempDir()}, "no CA fingerprint"},
		{"a code for plain http", []string{"--code", api.EnrolmentCode{Server: ts.URL, Token: "tbe_0123456789ab", CAFingerprint: fp}.String(), "--dir", t.TempDir()}, "https"},
		{"a code and flags", []string{"--code", "tongban-enrol:?", "--token", "tbe_x", "--dir", t.TempDir()}, "not both"},
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

// kioskctl enrol --code takes the console's enrolment code as it is: the
// server, token and CA fingerprint in one.
func TestEnrolWithTheConsolesCode(t *testing.T) {
	bo := backofficetest.TLS(t)
	tok, err := bo.Server.IssueEnrolmentToken(context.Background(), "SH-XH-0031", "XH01", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	code := api.EnrolmentCode{Server: bo.URL, Token: tok, CAFingerprint: bo.Fingerprint}.String()
	var out, errb bytes.Buffer
	if err := runEnrol(context.Background(), []string{"--code", code, "--dir", t.TempDir() + "/identity"}, &out, &errb); err != nil {
		t.Fatalf("enrol --code: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "enrolled terminal SH-XH-0031 of center XH01") {
		t.Fatalf("output: %s", out.String())
	}
}
