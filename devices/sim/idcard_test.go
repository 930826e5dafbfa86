package sim_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// exchange sends raw request bytes to a simulator and returns its reply.
func exchange(t *testing.T, s *sim.IDCardReader, req []byte) []byte {
	t.Helper()
	host, dev := net.Pipe()
	defer host.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Serve(ctx, dev); close(done) }()
	defer func() { cancel(); dev.Close(); <-done }()
	host.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := host.Write(req); err != nil {
		t.Fatal(err)
	}
	var buf []byte
	chunk := make([]byte, 4096)
	for {
		n, err := host.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if f, _, serr := idcard.Scan(buf); serr == nil {
			return f
		}
		if err != nil {
			t.Fatalf("reading the reply: %v (got % X)", err, buf)
		}
	}
}

// The simulator's replies to every command, for every sample card, as hex
// in golden files: they are what a real reader sends.
func TestIDCardRepliesGolden(t *testing.T) {
	names := make([]string, 0)
	cards := sim.SampleCards()
	for n := range cards {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		c := cards[name]
		s := sim.NewIDCardReader(sim.IDCardOptions{Card: &c})
		var b strings.Builder
		for _, cmd := range []idcard.Command{idcard.CmdSAMStatus, idcard.CmdResetSAM, idcard.CmdSAMID, idcard.CmdFindCard,
			idcard.CmdSelectCard, idcard.CmdReadBase, idcard.CmdReadAddress, idcard.CmdReadFingerprint, idcard.CmdFindCard} {
			reply := exchange(t, s, idcard.EncodeRequest(cmd, nil))
			fmt.Fprintf(&b, "# %s (%d bytes)\n%s", cmd, len(reply), hex.Dump(reply))
		}
		golden(t, filepath.Join("idcard", name+".golden"), []byte(b.String()))
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file", path)
	}
}

func TestIDCardPublishedReplies(t *testing.T) {
	c := sim.SampleResident()
	tests := []struct {
		name string
		s    *sim.IDCardReader
		req  []byte
		want string
	}{
		{"status ok", sim.NewIDCardReader(sim.IDCardOptions{}), idcard.EncodeRequest(idcard.CmdSAMStatus, nil), "AAAAAA9669000400009094"},
		{"self-test failed", sim.NewIDCardReader(sim.IDCardOptions{Faults: sim.IDCardFaults{SAMSelfTestFailed: true}}), idcard.EncodeRequest(idcard.CmdSAMStatus, nil), "AAAAAA9669000400006064"},
		{"find, no card", sim.NewIDCardReader(sim.IDCardOptions{}), idcard.EncodeRequest(idcard.CmdFindCard, nil), "AAAAAA9669000400008084"},
		{"find ok", sim.NewIDCardReader(sim.IDCardOptions{Card: &c}), idcard.EncodeRequest(idcard.CmdFindCard, nil), "AAAAAA9669000800009F0000000097"},
		{"select before find", sim.NewIDCardReader(sim.IDCardOptions{Card: &c}), idcard.EncodeRequest(idcard.CmdSelectCard, nil), "AAAAAA9669000400008185"},
		{"read before select", sim.NewIDCardReader(sim.IDCardOptions{Card: &c}), idcard.EncodeRequest(idcard.CmdReadBase, nil), "AAAAAA9669000400004145"},
		{"host checksum error", sim.NewIDCardReader(sim.IDCardOptions{}), []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x11, 0xFF, 0xEE}, "AAAAAA9669000400001014"},
		{"host length error", sim.NewIDCardReader(sim.IDCardOptions{}), []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x01, 0x11}, "AAAAAA9669000400001115"},
		{"unknown command", sim.NewIDCardReader(sim.IDCardOptions{}), idcard.EncodeRequest(idcard.NewCommand(0x77, 0x01), nil), "AAAAAA9669000400002125"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, _ := hex.DecodeString(strings.ReplaceAll(tt.want, " ", ""))
			if got := exchange(t, tt.s, tt.req); !bytes.Equal(got, want) {
				t.Errorf("reply % X, want % X", got, want)
			}
		})
	}
}

func TestSampleCardsAreTheirType(t *testing.T) {
	for name, c := range sim.SampleCards() {
		text, err := idcard.ParseText(c.TextBlock())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if byte(text.Type) != c.Type {
			t.Errorf("%s: type %v, want %q", name, text.Type, c.Type)
		}
	}
}
