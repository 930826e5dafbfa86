package scanner

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// scripted answers a probe with canned bytes.
type scripted struct {
	r       io.Reader
	written bytes.Buffer
}

func (s *scripted) Read(p []byte) (int, error)      { return s.r.Read(p) }
func (s *scripted) Write(p []byte) (int, error)     { return s.written.Write(p) }
func (s *scripted) SetReadDeadline(time.Time) error { return nil }

func TestProbeGM65(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		ok     bool
	}{
		{"reply", string(GM65Reply(0x81)), true},
		{"stray code bytes first", "CODE\r" + string(GM65Reply(0x81)), true},
		{"reply split in two reads", string(GM65Reply(0x81)), true},
		{"bad crc", "\x02\x00\x00\x01\x81\x00\x00", false},
		{"silence", "", false},
		{"a scanner that only sends codes", strings.Repeat("CODE\r", 100), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rw := &scripted{r: strings.NewReader(tt.answer)}
			if tt.name == "reply split in two reads" {
				rw.r = io.MultiReader(strings.NewReader(tt.answer[:3]), strings.NewReader(tt.answer[3:]))
			}
			err := ProbeGM65(rw)
			if (err == nil) != tt.ok {
				t.Fatalf("ProbeGM65 = %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok && !errors.Is(err, ErrNoAnswer) {
				t.Errorf("error %v does not match ErrNoAnswer", err)
			}
			if want := GM65Command(0x07, 0x0000, 0x01); !bytes.Equal(rw.written.Bytes(), want) {
				t.Errorf("probe wrote % X, want % X", rw.written.Bytes(), want)
			}
		})
	}
}
