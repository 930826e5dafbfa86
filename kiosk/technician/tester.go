package technician

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/hardware"
)

// Tester runs a role's test on a port: read a card, print the self-test
// receipt, scan a code. It returns what happened in a few words, with no
// personal data (a card read says only that it was read).
type Tester interface {
	Test(ctx context.Context, role kiosk.DeviceKind, path string) (string, error)
}

// SerialTester tests the devices on serial ports through the kiosk's own
// drivers.
type SerialTester struct {
	Open     Opener
	SelfTest func() kiosk.SelfTest // what the self-test receipt shows
	Printer  hardware.PrinterConfig
	Wait     time.Duration // how long a card or a code is waited for; 0: 30 s
}

// ErrNothingPresented is a reader or scanner test that saw no card or code
// in time.
var ErrNothingPresented = errors.New("nothing was presented in time")

// Test runs role's test on path.
func (t SerialTester) Test(ctx context.Context, role kiosk.DeviceKind, path string) (string, error) {
	if path == "" {
		return "", fmt.Errorf("no port is assigned to the %s", role)
	}
	baud := 115200
	if role == kiosk.DeviceScanner {
		baud = 9600
	}
	conn, err := t.Open(path, baud)
	if err != nil {
		return "", fmt.Errorf("%s cannot be opened: %w", path, err)
	}
	defer conn.Close()
	wait := t.Wait
	if wait == 0 {
		wait = 30 * time.Second
	}
	switch role {
	case kiosk.DevicePrinter:
		p := hardware.NewPrinter(conn, t.Printer)
		st := kiosk.SelfTest{}
		if t.SelfTest != nil {
			st = t.SelfTest()
		}
		if err := p.PrintSelfTest(ctx, st); err != nil {
			return "", err
		}
		return "self-test receipt printed", nil
	case kiosk.DeviceIDReader:
		return readCard(ctx, idcard.NewReader(conn, nil), wait)
	case kiosk.DeviceScanner:
		return scanCode(ctx, conn, wait)
	}
	return "", fmt.Errorf("no test for %s", role)
}

// readCard waits for a card and reads it; what it holds is dropped here.
func readCard(ctx context.Context, r *idcard.Reader, wait time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		card, err := r.ReadCard(ctx, idcard.ReadOptions{})
		if err == nil && card != nil {
			return "card read", nil
		}
		// The wait ran out in the middle of a read (the reader's SAM
		// check and card search take a while): no card came.
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return "", ErrNothingPresented
		}
		if err != nil && !errors.Is(err, idcard.ErrNoCard) && !errors.Is(err, idcard.ErrCardMoved) {
			return "", err
		}
		select {
		case <-ctx.Done():
			return "", ErrNothingPresented
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// scanCode waits for the first code the scanner reads.
func scanCode(ctx context.Context, conn Conn, wait time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	got := make(chan scanner.Scan, 1)
	go scanner.New(conn, scanner.Options{}).Run(ctx, func(s scanner.Scan) {
		select {
		case got <- s:
		default:
		}
	})
	select {
	case s := <-got:
		if s.Err != nil {
			return "", fmt.Errorf("a code was read but cannot be used: %w", s.Err)
		}
		return fmt.Sprintf("code read (%d characters)", len([]rune(s.Text))), nil
	case <-ctx.Done():
		return "", ErrNothingPresented
	}
}
