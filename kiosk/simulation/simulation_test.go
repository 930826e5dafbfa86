package simulation

import (
	"context"
	"errors"
	"net/http"
	"os"
	"testing"
)

func linked(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func TestStartPlugClose(t *testing.T) {
	tests := []struct {
		name         string
		noBackOffice bool
	}{
		{"devices and back office", false},
		{"devices only", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(context.Background(), Options{Dir: t.TempDir(), Center: "XH01", NoBackOffice: tt.noBackOffice})
			if err != nil {
				t.Fatal(err)
			}
			reader, printer, scanner := s.DevicePorts()
			for _, p := range []string{reader, printer, scanner} {
				if !linked(p) {
					t.Errorf("no device link at %q", p)
				}
			}
			url, keys, ok := s.BackOffice()
			if ok == tt.noBackOffice {
				t.Fatalf("back office present %v, want %v", ok, !tt.noBackOffice)
			}
			if ok {
				resp, err := http.Get(url + "/v1/bundles/catalog")
				if err != nil || len(keys) != 1 {
					t.Fatalf("back office at %s: %v (%d keys)", url, err, len(keys))
				}
				resp.Body.Close()
			}
			if err := s.SetPlugged(NamePrinter, false); err != nil || linked(printer) {
				t.Errorf("unplugged printer: %v, link still there %v", err, linked(printer))
			}
			if err := s.SetPlugged(NamePrinter, true); err != nil || !linked(printer) {
				t.Errorf("replugged printer: %v, link there %v", err, linked(printer))
			}
			if err := s.SetPlugged("toaster", true); err == nil {
				t.Error("an unknown device was plugged")
			}
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Errorf("Close again: %v", err)
			}
			for _, p := range []string{reader, printer, scanner} {
				if linked(p) {
					t.Errorf("device link %q left after Close", p)
				}
			}
			if ok {
				if _, err := http.Get(url + "/v1/bundles/catalog"); err == nil || errors.Is(err, context.Canceled) {
					t.Errorf("the back office still answers after Close: %v", err)
				}
			}
		})
	}
}
