package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrintToFiles(t *testing.T) {
	dir := t.TempDir()
	for _, doc := range []string{"receipt", "ticket", "selftest"} {
		for _, args := range [][]string{{"--width", "58"}, {"--width", "80", "--lang", "en", "--raster-qr"}} {
			bin, img := filepath.Join(dir, doc+".bin"), filepath.Join(dir, doc+".png")
			var out, errb bytes.Buffer
			all := append([]string{doc, "--out", bin, "--png", img}, args...)
			if err := runPrint(context.Background(), all, &out, &errb); err != nil {
				t.Fatalf("print %v: %v\n%s", all, err, errb.String())
			}
			data, err := os.ReadFile(bin)
			if err != nil || !bytes.HasPrefix(data, []byte{0x1B, 0x40, 0x1C, 0x26}) {
				t.Errorf("%s: %d bytes, %v; want an ESC/POS job starting with init and Chinese mode", bin, len(data), err)
			}
			f, err := os.Open(img)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(f)
			f.Close()
			want := map[string]int{"58": 384, "80": 576}[args[1]]
			if err != nil || cfg.Width != want || cfg.Height < 200 {
				t.Errorf("%s: %dx%d, %v; want %d dots wide", img, cfg.Width, cfg.Height, err, want)
			}
		}
	}
}

func TestPrintRefusesBadArguments(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.bin")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"receipt"}, "--port"},
		{[]string{"letter", "--out", out}, "unknown document"},
		{[]string{"receipt", "--out", out, "--width", "76"}, "58 or 80"},
		{[]string{"receipt", "--out", out, "--lang", "fr"}, "zh or en"},
		{[]string{"receipt", "--port", "/nonexistent/tty"}, "no such file"},
		{[]string{"receipt", "--port", "/dev/null"}, "not a serial port"},
		{[]string{"receipt", "--port", "/dev/null", "--baud", "1234"}, "serial speed"},
	}
	for _, tt := range tests {
		var o, e bytes.Buffer
		err := runPrint(context.Background(), tt.args, &o, &e)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("print %v: err = %v, want one mentioning %q", tt.args, err, tt.want)
		}
	}
}
