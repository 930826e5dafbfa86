package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tongban/tongban/devices/sim"
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

// Printing to a simulated printer on a pseudo-terminal goes through the
// same serial port opener as a real printer.
func TestPrintToSimulatedPrinter(t *testing.T) {
	tests := []struct {
		name    string
		fault   func(p *sim.Printer)
		wantErr string
		wantOut string
	}{
		{"healthy", func(*sim.Printer) {}, "", "paper full"},
		{"paper low", func(p *sim.Printer) { p.LoadPaper(1000) }, "", "paper low"},
		{"cover open", func(p *sim.Printer) { p.OpenCover() }, "cover", ""},
		{"paper out", func(p *sim.Printer) { p.LoadPaper(0) }, "paper", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := sim.NewPrinter(sim.PrinterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			tt.fault(p)
			path, closeFn, err := sim.ServePTY(t.Context(), p)
			if err != nil {
				t.Skipf("no pseudo-terminal here: %v", err)
			}
			t.Cleanup(func() { closeFn() })
			var out, errb bytes.Buffer
			err = runPrint(t.Context(), []string{"ticket", "--port", path}, &out, &errb)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(strings.ToLower(err.Error()), tt.wantErr) {
					t.Fatalf("err = %v, want one about %q", err, tt.wantErr)
				}
				if len(p.Lines()) != 0 {
					t.Errorf("printed %q on a printer that cannot print", p.Lines())
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, errb.String())
			}
			if !strings.Contains(out.String(), tt.wantOut) || len(p.Lines()) == 0 || p.Stats().Cuts == 0 {
				t.Errorf("out %q, %d lines, %d cuts; want %q, lines and a cut", out.String(), len(p.Lines()), p.Stats().Cuts, tt.wantOut)
			}
		})
	}
}
