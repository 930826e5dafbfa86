package idcard

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// The request frames as published (reference/devices.md §1.3), checksums
// included: the driver must send exactly these bytes.
func TestEncodeRequestMatchesPublishedFrames(t *testing.T) {
	tests := []struct {
		cmd  Command
		want string
	}{
		{CmdResetSAM, "AA AA AA 96 69 00 03 10 FF EC"},
		{CmdSAMStatus, "AA AA AA 96 69 00 03 11 FF ED"},
		{CmdSAMID, "AA AA AA 96 69 00 03 12 FF EE"},
		{CmdFindCard, "AA AA AA 96 69 00 03 20 01 22"},
		{CmdSelectCard, "AA AA AA 96 69 00 03 20 02 21"},
		{CmdReadBase, "AA AA AA 96 69 00 03 30 01 32"},
		{CmdReadAddress, "AA AA AA 96 69 00 03 30 03 30"},
		{CmdReadFingerprint, "AA AA AA 96 69 00 03 30 10 23"},
		{NewCommand(0x60, 0x00), "AA AA AA 96 69 00 03 60 00 63"},
	}
	for _, tt := range tests {
		t.Run(tt.cmd.String(), func(t *testing.T) {
			if got := EncodeRequest(tt.cmd, nil); !bytes.Equal(got, unhex(t, tt.want)) {
				t.Errorf("EncodeRequest(%s) = % X, want %s", tt.cmd, got, tt.want)
			}
		})
	}
	// With data: set max RF frame bytes, 61 FF 50.
	if got, want := EncodeRequest(NewCommand(0x61, 0xFF), []byte{0x50}), unhex(t, "AA AA AA 96 69 00 04 61 FF 50 CA"); !bytes.Equal(got, want) {
		t.Errorf("EncodeRequest(61 FF, 50) = % X, want % X", got, want)
	}
}

// The short response frames as published (reference/devices.md §1.4).
func TestResponseFramesMatchPublished(t *testing.T) {
	tests := []struct {
		name string
		sw3  Status
		data []byte
		want string
	}{
		{"ok", StatusOK, nil, "AA AA AA 96 69 00 04 00 00 90 94"},
		{"sam-self-test-failed", StatusSAMSelfTest, nil, "AA AA AA 96 69 00 04 00 00 60 64"},
		{"find-ok", StatusFindOK, make([]byte, 4), "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97"},
		{"find-no-card", StatusNoCard, nil, "AA AA AA 96 69 00 04 00 00 80 84"},
		{"select-ok", StatusOK, make([]byte, 8), "AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C"},
		{"select-failed", StatusSelectFailed, nil, "AA AA AA 96 69 00 04 00 00 81 85"},
		{"read-failed", StatusReadFailed, nil, "AA AA AA 96 69 00 04 00 00 41 45"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := unhex(t, tt.want)
			if got := EncodeResponse(0, 0, tt.sw3, tt.data); !bytes.Equal(got, want) {
				t.Errorf("EncodeResponse = % X, want % X", got, want)
			}
			frame, skip, err := Scan(want)
			if err != nil || skip != 0 || len(frame) != len(want) {
				t.Fatalf("Scan = %d bytes, skip %d, %v", len(frame), skip, err)
			}
			resp, err := ParseResponse(frame)
			if err != nil || resp.SW3 != tt.sw3 || !bytes.Equal(resp.Data, tt.data) {
				t.Errorf("ParseResponse = %+v, %v", resp, err)
			}
		})
	}
}

// Every frame the driver sends and every reply it understands, as hex, in
// one golden file; a change of any byte shows in review.
func TestFramesGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range []Command{CmdResetSAM, CmdSAMStatus, CmdSAMID, CmdFindCard, CmdSelectCard, CmdReadBase, CmdReadAddress, CmdReadFingerprint} {
		fmt.Fprintf(&b, "request %-16s % X\n", c, EncodeRequest(c, nil))
	}
	for _, st := range allStatuses {
		fmt.Fprintf(&b, "reply   %-16s % X\n", fmt.Sprintf("%02X", byte(st)), EncodeResponse(0, 0, st, nil))
	}
	id := make([]byte, 16)
	id[0], id[2] = 5, 1
	fmt.Fprintf(&b, "reply   %-16s % X\n", "sam-id", EncodeResponse(0, 0, StatusOK, id))
	golden(t, "frames.golden", []byte(b.String()))
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestScan(t *testing.T) {
	ok := "AA AA AA 96 69 00 04 00 00 90 94"
	tests := []struct {
		name      string
		in        string
		wantFrame string // empty: no frame
		wantSkip  int
		wantErr   error
	}{
		{"exact", ok, ok, 0, nil},
		{"noise before", "00 13 AA 55 " + ok, ok, 4, nil},
		{"lone syncs before", "AA AA AA AA " + ok, ok, 4, nil},
		{"two frames", ok + " " + ok, ok, 0, nil},
		{"empty", "", "", 0, ErrShortFrame},
		{"only noise", "01 02 03 04 05 06", "", 6, ErrShortFrame},
		{"noise then part of a preamble", "01 02 AA AA", "", 2, ErrShortFrame},
		{"header only", "AA AA AA 96 69 00", "", 0, ErrShortFrame},
		{"body cut short", "AA AA AA 96 69 00 04 00 00 90", "", 0, ErrShortFrame},
		{"bad checksum", "AA AA AA 96 69 00 04 00 00 90 95", "", 1, ErrFrame},
		{"length too small", "AA AA AA 96 69 00 02 00 02", "", 1, ErrFrame},
		{"length too large", "AA AA AA 96 69 FF FF 00", "", 1, ErrFrame},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := unhex(t, tt.in)
			frame, skip, err := Scan(in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if skip != tt.wantSkip {
				t.Errorf("skip = %d, want %d", skip, tt.wantSkip)
			}
			if want := unhex(t, tt.wantFrame); !bytes.Equal(frame, want) {
				t.Errorf("frame = % X, want % X", frame, want)
			}
		})
	}
}

// After a damaged frame, scanning again from skip finds the next good one.
func TestScanResynchronises(t *testing.T) {
	in := unhex(t, "AA AA AA 96 69 00 04 00 00 90 95 AA AA AA 96 69 00 04 00 00 80 84")
	var frames [][]byte
	for len(in) > 0 {
		f, skip, err := Scan(in)
		if errors.Is(err, ErrShortFrame) {
			break
		}
		if err == nil {
			frames = append(frames, f)
			skip += len(f)
		}
		in = in[skip:]
	}
	if len(frames) != 1 || frames[0][9] != 0x80 {
		t.Fatalf("frames = % X, want the one 80 reply", frames)
	}
}

func TestParseRequest(t *testing.T) {
	cmd, data, err := ParseRequest(EncodeRequest(NewCommand(0x61, 0xFF), []byte{0x50}))
	if err != nil || cmd != NewCommand(0x61, 0xFF) || !bytes.Equal(data, []byte{0x50}) {
		t.Fatalf("ParseRequest = %v % X %v", cmd, data, err)
	}
	if _, _, err := ParseRequest([]byte{1, 2}); !errors.Is(err, ErrFrame) {
		t.Errorf("short request: err = %v, want ErrFrame", err)
	}
	if _, err := ParseResponse([]byte{1, 2}); !errors.Is(err, ErrFrame) {
		t.Errorf("short response: err = %v, want ErrFrame", err)
	}
}

func TestScanSkipsABrokenPreambleThatPromisesTooMuch(t *testing.T) {
	good := EncodeResponse(0, 0, 0x90, nil)
	// Noise that looks like a preamble with a 1,000-byte body, then a real reply.
	noise := append(append([]byte{}, Preamble[:]...), 0x03, 0xE8, 0x11, 0x22)
	buf := append(noise, good...)
	frame, skip, err := Scan(buf)
	if err != nil {
		t.Fatalf("Scan = %v: waited for the broken frame instead of taking the good one", err)
	}
	if !bytes.Equal(frame, good) || skip != len(noise) {
		t.Fatalf("frame %x skip %d, want %x skip %d", frame, skip, good, len(noise))
	}
	// With only the broken preamble so far, it still waits for more.
	if _, _, err := Scan(noise); !errors.Is(err, ErrShortFrame) {
		t.Fatalf("a lone broken preamble: %v, want ErrShortFrame", err)
	}
}
