package idcard_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/sim"
)

// fast timeouts keep fault tests short; they are limits, not assertions.
var fast = &idcard.Options{Timeouts: idcard.Timeouts{
	Find: 200 * time.Millisecond, SAM: 200 * time.Millisecond, ReadBase: 500 * time.Millisecond,
	ReadFingerprint: 500 * time.Millisecond, ReadAddress: 200 * time.Millisecond, Quiet: 10 * time.Millisecond,
}}

// serve runs the simulator on one end of a pipe and returns a reader on the
// other.
func serve(t *testing.T, s *sim.IDCardReader) *idcard.Reader {
	t.Helper()
	host, dev := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.Serve(ctx, dev) }()
	t.Cleanup(func() { cancel(); host.Close(); dev.Close(); wg.Wait() })
	return idcard.NewReader(host, fast)
}

// A command that times out is followed by one that succeeds: the reader
// reads with deadlines, skips the late reply and goes on.
func TestReadTimesOutThenSucceeds(t *testing.T) {
	card := sim.SampleResidentLongTerm()
	s := sim.NewIDCardReader(sim.IDCardOptions{Card: &card})
	r := serve(t, s)
	ctx := context.Background()
	got, err := r.ReadCard(ctx, idcard.ReadOptions{AppendedAddress: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != card.Number || got.AppendedAddress != card.AppendedAddress || len(got.Photo) != 1024 {
		t.Errorf("got %q %q %d photo bytes", got.Number, got.AppendedAddress, len(got.Photo))
	}
	// Read once: the card must be presented again.
	if _, err := r.ReadCard(ctx, idcard.ReadOptions{}); !errors.Is(err, idcard.ErrNoCard) {
		t.Errorf("second read: %v, want ErrNoCard", err)
	}
	// A silent device times out instead of hanging.
	s.SetFaults(sim.IDCardFaults{Delay: 400 * time.Millisecond})
	if err := r.SAMStatus(ctx); !errors.Is(err, idcard.ErrTimeout) {
		t.Errorf("slow device: %v, want ErrTimeout", err)
	}
	// Once the device is back, its late reply is skipped and the
	// next command works (after retries while it is still busy).
	s.SetFaults(sim.IDCardFaults{})
	var id idcard.SAMID
	for range 5 {
		if id, err = r.SAMID(ctx); err == nil {
			break
		}
	}
	if err != nil || id.String() != "05.01-20240101-0000000042-0000000007" {
		t.Errorf("SAMID after the timeout = %v, %v", id, err)
	}
}

func TestContextEndsAWait(t *testing.T) {
	s := sim.NewIDCardReader(sim.IDCardOptions{Faults: sim.IDCardFaults{Delay: 5 * time.Second}})
	r := serve(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.FindCard(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// A context cancelled while the read waits wakes it long before the
	// command's timeout.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if err := r.SAMStatus(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during the wait: %v, want context.Canceled", err)
	}
}

// A context whose deadline has already passed fails at once, without
// sending; one that passes during the wait ends the wait with
// context.DeadlineExceeded rather than the reader's own ErrTimeout.
func TestDeadlineInThePast(t *testing.T) {
	s := sim.NewIDCardReader(sim.IDCardOptions{Faults: sim.IDCardFaults{Delay: 5 * time.Second}})
	r := serve(t, s)
	past, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if err := r.SAMStatus(past); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline in the past: %v, want context.DeadlineExceeded", err)
	}
	soon, cancel2 := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel2()
	if err := r.SAMStatus(soon); !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, idcard.ErrTimeout) {
		t.Errorf("deadline during the wait: %v, want context.DeadlineExceeded", err)
	}
}

func TestReadWithFingerprint(t *testing.T) {
	card := sim.SampleResident()
	card.Fingerprint = make([]byte, 1024)
	r := serve(t, sim.NewIDCardReader(sim.IDCardOptions{Card: &card}))
	got, err := r.ReadCard(context.Background(), idcard.ReadOptions{Fingerprint: true, AppendedAddress: true})
	if err != nil || len(got.Fingerprint) != 1024 || got.AppendedAddress != "" {
		t.Fatalf("got %d fingerprint bytes, address %q, %v", len(got.Fingerprint), got.AppendedAddress, err)
	}
}

// A late reply to an earlier command is skipped, not taken as the answer.
func TestStaleReplyIsSkipped(t *testing.T) {
	host, dev := net.Pipe()
	defer host.Close()
	defer dev.Close()
	r := idcard.NewReader(host, fast)
	go func() {
		buf := make([]byte, 64)
		dev.Read(buf) // the select request
		// A find reply (stale), then the select reply.
		dev.Write(idcard.EncodeResponse(0, 0, idcard.StatusFindOK, make([]byte, 4)))
		dev.Write(idcard.EncodeResponse(0, 0, idcard.StatusOK, make([]byte, 8)))
	}()
	if err := r.SelectCard(context.Background()); err != nil {
		t.Fatalf("SelectCard: %v", err)
	}
}

func TestPresence(t *testing.T) {
	s := sim.NewIDCardReader(sim.IDCardOptions{})
	r := serve(t, s)
	ctx := context.Background()
	present := func() bool {
		t.Helper()
		p, err := r.CardPresent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if present() {
		t.Error("present with no card")
	}
	s.Place(sim.SampleResident())
	if !present() {
		t.Error("not present once placed")
	}
	if _, err := r.ReadCard(ctx, idcard.ReadOptions{}); err != nil {
		t.Fatal(err)
	}
	if !present() {
		t.Error("not present after the read while still on the reader")
	}
	s.Remove()
	if present() {
		t.Error("present after removal")
	}
}

func TestWatchOnTheSimulator(t *testing.T) {
	s := sim.NewIDCardReader(sim.IDCardOptions{})
	r := serve(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	events := make(chan bool, 8)
	done := make(chan error, 1)
	opts := idcard.WatchOptions{Interval: time.Millisecond}
	go func() { done <- idcard.Watch(ctx, r.CardPresent, opts, func(p bool) { events <- p }) }()
	expect := func(want bool) {
		t.Helper()
		select {
		case got := <-events:
			if got != want {
				t.Fatalf("event %v, want %v", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no event, want %v", want)
		}
	}
	expect(false)
	s.Place(sim.SamplePermitHK())
	expect(true)
	s.Remove()
	expect(false)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watch = %v", err)
	}
}
