package sim_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/devices/sim"
)

// transport connects a host stream to a device stream.
type transport func(t testing.TB) (host idcard.Port, device io.ReadWriter)

// pipeTransport is an in-memory pipe.
func pipeTransport(t testing.TB) (idcard.Port, io.ReadWriter) {
	h, d := net.Pipe()
	t.Cleanup(func() { h.Close(); d.Close() })
	return h, d
}

// ptyTransport is a real pseudo-terminal: the simulator owns the master,
// the driver opens the tty by its path with devices/serialport, as it
// opens a serial port.
func ptyTransport(t testing.TB) (idcard.Port, io.ReadWriter) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	if err := makeRaw(int(slave.Fd())); err != nil {
		t.Fatal(err)
	}
	tty, err := serialport.Open(slave.Name(), serialport.Mode{Baud: 115200})
	if err != nil {
		t.Fatal(err)
	}
	slave.Close()
	// creack/pty's master is blocking, so deadlines are ignored on it; a
	// non-blocking duplicate honours them and lets Serve stop.
	fd, err := unix.Dup(int(master.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	master.Close()
	if err := unix.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	dev := os.NewFile(uintptr(fd), "ptmx")
	t.Cleanup(func() { tty.Close(); dev.Close() })
	return tty, dev
}

// makeRaw puts a tty in raw 8N1 mode, as a serial port driver does.
func makeRaw(fd int) error {
	tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	tio.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF
	tio.Oflag &^= unix.OPOST
	tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	tio.Cflag &^= unix.CSIZE | unix.PARENB | unix.CSTOPB | unix.CRTSCTS
	tio.Cflag |= unix.CS8 | unix.CREAD | unix.CLOCAL
	tio.Cc[unix.VMIN], tio.Cc[unix.VTIME] = 1, 0
	return unix.IoctlSetTermios(fd, unix.TCSETS, tio)
}

var fastTimeouts = &idcard.Options{Timeouts: idcard.Timeouts{
	Find: 200 * time.Millisecond, SAM: 200 * time.Millisecond, ReadBase: 500 * time.Millisecond,
	ReadFingerprint: 500 * time.Millisecond, ReadAddress: 200 * time.Millisecond, Quiet: 10 * time.Millisecond,
}}

// start runs a simulated reader on the transport and returns the driver.
func start(t testing.TB, tr transport, s *sim.IDCardReader, opts *idcard.Options) *idcard.Reader {
	t.Helper()
	host, dev := tr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := s.Serve(ctx, dev); err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return idcard.NewReader(host, opts)
}

// retry calls f until it succeeds, as the kiosk's polling does.
func retry[T any](t *testing.T, f func() (T, error)) T {
	t.Helper()
	var err error
	for range 10 {
		var v T
		if v, err = f(); err == nil {
			return v
		}
	}
	t.Fatalf("no success after 10 tries: %v", err)
	panic("unreachable")
}

// The scenarios every transport must pass, byte for byte the same.
var scenarios = map[string]func(t *testing.T, tr transport){
	"every card type reads": func(t *testing.T, tr transport) {
		s := sim.NewIDCardReader(sim.IDCardOptions{})
		r := start(t, tr, s, fastTimeouts)
		for name, c := range sim.SampleCards() {
			s.Place(c)
			got, err := r.ReadCard(context.Background(), idcard.ReadOptions{AppendedAddress: true})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got.Number != c.Number || got.Name != c.Name || byte(got.Type) != c.Type || got.AppendedAddress != c.AppendedAddress {
				t.Errorf("%s: got %v %q %q %q", name, got.Type, got.Name, got.Number, got.AppendedAddress)
			}
		}
	},
	"no card, then a card": func(t *testing.T, tr transport) {
		s := sim.NewIDCardReader(sim.IDCardOptions{})
		r := start(t, tr, s, fastTimeouts)
		if _, err := r.ReadCard(context.Background(), idcard.ReadOptions{}); !errors.Is(err, idcard.ErrNoCard) {
			t.Fatalf("err = %v, want ErrNoCard", err)
		}
		s.Place(sim.SampleResident())
		if _, err := r.ReadCard(context.Background(), idcard.ReadOptions{}); err != nil {
			t.Fatal(err)
		}
	},
	"card removed mid-read": func(t *testing.T, tr transport) {
		c := sim.SampleResident()
		s := sim.NewIDCardReader(sim.IDCardOptions{Card: &c, Faults: sim.IDCardFaults{RemoveMidRead: true}})
		r := start(t, tr, s, fastTimeouts)
		if _, err := r.ReadCard(context.Background(), idcard.ReadOptions{}); !errors.Is(err, idcard.ErrCardMoved) {
			t.Fatalf("err = %v, want ErrCardMoved", err)
		}
		if _, err := r.ReadCard(context.Background(), idcard.ReadOptions{}); !errors.Is(err, idcard.ErrNoCard) {
			t.Fatalf("after removal: %v, want ErrNoCard", err)
		}
		s.Place(c)
		if _, err := r.ReadCard(context.Background(), idcard.ReadOptions{}); err != nil {
			t.Fatal(err)
		}
	},
	"checksum errors": func(t *testing.T, tr transport) {
		c := sim.SampleForeign2023()
		s := sim.NewIDCardReader(sim.IDCardOptions{Card: &c, Faults: sim.IDCardFaults{CorruptReplies: 1}})
		r := start(t, tr, s, fastTimeouts)
		if _, err := r.ReadCard(context.Background(), idcard.ReadOptions{}); !errors.Is(err, idcard.ErrFrame) {
			t.Fatalf("err = %v, want ErrFrame", err)
		}
		got := retry(t, func() (*idcard.Card, error) { return r.ReadCard(context.Background(), idcard.ReadOptions{}) })
		if got.Number != c.Number {
			t.Errorf("number %q", got.Number)
		}
	},
	"slow device within the timeout": func(t *testing.T, tr transport) {
		c := sim.SamplePermitTW()
		s := sim.NewIDCardReader(sim.IDCardOptions{Card: &c, Faults: sim.IDCardFaults{Delay: 50 * time.Millisecond}})
		r := start(t, tr, s, fastTimeouts)
		if _, err := r.ReadCard(context.Background(), idcard.ReadOptions{}); err != nil {
			t.Fatal(err)
		}
	},
	"device too slow, then back": func(t *testing.T, tr transport) {
		c := sim.SampleForeign2017()
		s := sim.NewIDCardReader(sim.IDCardOptions{Card: &c, Faults: sim.IDCardFaults{Delay: 300 * time.Millisecond}})
		r := start(t, tr, s, fastTimeouts)
		if _, err := r.ReadCard(context.Background(), idcard.ReadOptions{}); !errors.Is(err, idcard.ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		s.SetFaults(sim.IDCardFaults{})
		s.Place(c)
		retry(t, func() (*idcard.Card, error) { return r.ReadCard(context.Background(), idcard.ReadOptions{}) })
	},
	"SAM self-test failure": func(t *testing.T, tr transport) {
		c := sim.SampleResident()
		s := sim.NewIDCardReader(sim.IDCardOptions{Card: &c, Faults: sim.IDCardFaults{SAMSelfTestFailed: true}})
		r := start(t, tr, s, fastTimeouts)
		if err := r.SAMStatus(context.Background()); !errors.Is(err, idcard.ErrSAMFault) {
			t.Fatalf("status: %v, want ErrSAMFault", err)
		}
		if _, err := r.ReadCard(context.Background(), idcard.ReadOptions{}); !errors.Is(err, idcard.ErrSAMFault) {
			t.Fatalf("read: %v, want ErrSAMFault", err)
		}
		s.SetFaults(sim.IDCardFaults{})
		if err := r.ResetSAM(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := r.ReadCard(context.Background(), idcard.ReadOptions{}); err != nil {
			t.Fatal(err)
		}
	},
	"garbage between frames": func(t *testing.T, tr transport) {
		c := sim.SampleResidentMinority()
		s := sim.NewIDCardReader(sim.IDCardOptions{Card: &c, Faults: sim.IDCardFaults{Garbage: true}})
		r := start(t, tr, s, fastTimeouts)
		got, err := r.ReadCard(context.Background(), idcard.ReadOptions{Fingerprint: true})
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "阿依·测试" {
			t.Errorf("name %q", got.Name)
		}
	},
	"presence": func(t *testing.T, tr transport) {
		s := sim.NewIDCardReader(sim.IDCardOptions{})
		r := start(t, tr, s, fastTimeouts)
		ctx := context.Background()
		for i, step := range []struct {
			do   func()
			want bool
		}{
			{func() {}, false},
			{func() { s.Place(sim.SampleResident()) }, true},
			{func() { r.ReadCard(ctx, idcard.ReadOptions{}) }, true},
			{s.Remove, false},
		} {
			step.do()
			if got, err := r.CardPresent(ctx); err != nil || got != step.want {
				t.Errorf("step %d: present = %v, %v; want %v", i, got, err, step.want)
			}
		}
	},
}

func TestIDCardConformance(t *testing.T) {
	for tname, tr := range map[string]transport{"pipe": pipeTransport, "pty": ptyTransport} {
		for name, sc := range scenarios {
			t.Run(tname+"/"+name, func(t *testing.T) { sc(t, tr) })
		}
	}
}
