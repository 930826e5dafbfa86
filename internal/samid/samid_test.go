package samid

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	sim := [Len]byte{5, 0, 1, 0, 0xE5, 0xD6, 0x34, 0x01, 42, 0, 0, 0, 7, 0, 0, 0} // 20240101 = 0x0134D6E5
	tests := []struct {
		in    string
		want  string // canonical; "" means refused
		bytes *[Len]byte
	}{
		{"05.01-20240101-0000000042-0000000007", "05.01-20240101-0000000042-0000000007", &sim},
		{"  05.01-20240101-0000000042-0000000007\n", "05.01-20240101-0000000042-0000000007", &sim},
		{"005.001-020240101-00000000042-00000000007", "05.01-20240101-0000000042-0000000007", &sim},
		{"65535.65535-4294967295-4294967295-4294967295", "65535.65535-4294967295-4294967295-4294967295", nil},
		{"65536.01-20240101-0000000042-0000000007", "", nil}, // over 16 bits
		{"05.01-4294967296-0000000042-0000000007", "", nil},  // over 32 bits
		{"5.1-20240101-42-7", "", nil},                      // fields too short
		{"05.01-20240101-0000000042", "", nil},              // a field missing
		{"05.01-20240101-0000000042-0000000007-1", "", nil}, // one too many
		{"05.01-2024O101-0000000042-0000000007", "", nil},   // a letter O
		{"05.01-+20240101-0000000042-0000000007", "", nil},  // a sign
		{"05,01-20240101-0000000042-0000000007", "", nil},   // no dot
		{"SAM-FAKE", "", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		got, err := Canonical(tt.in)
		if tt.want == "" {
			if !errors.Is(err, ErrFormat) {
				t.Errorf("Canonical(%q) = %q, %v; want ErrFormat", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if tt.bytes != nil {
			if b, _ := Parse(tt.in); b != *tt.bytes {
				t.Errorf("Parse(%q) = % x, want % x", tt.in, b, *tt.bytes)
			}
		}
	}
}

// FuzzParse: whatever Parse accepts, Format writes back to a text that
// Parse reads to the same bytes; Format's output is always accepted.
func FuzzParse(f *testing.F) {
	f.Add("05.01-20240101-0000000042-0000000007")
	f.Add("65535.65535-4294967295-4294967295-4294967295")
	f.Add("SAM-FAKE")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("Parse(%q): %v is not ErrFormat", s, err)
			}
			return
		}
		text := Format(b)
		again, err := Parse(text)
		if err != nil || again != b {
			t.Fatalf("Parse(Format(Parse(%q))) = % x, %v; want % x", s, again, err, b)
		}
	})
}
