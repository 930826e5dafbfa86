package scanner

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestCommandBytes(t *testing.T) {
	var buf bytes.Buffer
	gm := &GM65{W: &buf, Setting: GM65CommandMode}
	tests := []struct {
		name string
		do   func() error
		want []byte
	}{
		{"honeywell trigger", Honeywell{W: &buf}.Trigger, []byte{0x16, 0x54, 0x0D}},
		{"honeywell stop", Honeywell{W: &buf}.StopTrigger, []byte{0x16, 0x55, 0x0D}},
		{"honeywell beep", Honeywell{W: &buf}.Beep, []byte{0x16, 0x07, 0x0D}},
		{"ssi start session", SSI{W: &buf}.Trigger, []byte{0x04, 0xE4, 0x04, 0x00, 0xFF, 0x14}},
		{"ssi stop session", SSI{W: &buf}.StopTrigger, []byte{0x04, 0xE5, 0x04, 0x00, 0xFF, 0x13}},
		{"gm65 trigger", gm.Trigger, []byte{0x7E, 0x00, 0x08, 0x01, 0x00, 0x02, 0x01, 0x02, 0xDA}},
		{"gm65 illumination off", func() error { return gm.SetIllumination(false) },
			GM65Command(0x08, 0x0000, GM65CommandMode&^GM65LightStandard)},
		{"gm65 read beep off", func() error { return gm.SetReadBeep(false) },
			GM65Command(0x08, 0x0000, GM65CommandMode&^GM65LightStandard&^GM65ReadBeep)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf.Reset()
			if err := tt.do(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), tt.want) {
				t.Errorf("wrote % X, want % X", buf.Bytes(), tt.want)
			}
		})
	}
}

func TestSSIPacketLEDOn(t *testing.T) {
	// devices.md §4: LED on = 05 E7 04 00 01 FF 0F.
	if got, want := SSIPacket(0xE7, 0x01), []byte{0x05, 0xE7, 0x04, 0x00, 0x01, 0xFF, 0x0F}; !bytes.Equal(got, want) {
		t.Errorf("SSIPacket = % X, want % X", got, want)
	}
}

func TestGM65Reply(t *testing.T) {
	// devices.md §4: the trigger's reply is 02 00 00 01 00 33 31.
	if got, want := GM65Reply(0x00), []byte{0x02, 0x00, 0x00, 0x01, 0x00, 0x33, 0x31}; !bytes.Equal(got, want) {
		t.Errorf("GM65Reply(0) = % X, want % X", got, want)
	}
}

// scripted answers a probe with canned bytes.
type scripted struct {
	r       io.Reader
	written bytes.Buffer
}

func (s *scripted) Read(p []byte) (int, error)  { return s.r.Read(p) }
func (s *scripted) Write(p []byte) (int, error) { return s.written.Write(p) }

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
