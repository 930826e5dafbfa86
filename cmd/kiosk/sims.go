package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/tongban/tongban/assets"
	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/sim"
)

// simulators are the devices `make run` and `-simulate` use: each speaks
// its real byte protocol on a pseudo-terminal, so the kiosk drives them
// through the same drivers and serial code as real hardware.
type simulators struct {
	dir                                  string
	log                                  *slog.Logger
	ctx                                  context.Context
	printer                              *sim.Printer
	scanner                              *sim.Scanner
	reader                               *sim.IDCardReader
	readerPath, printerPath, scannerPath string

	mu       sync.Mutex
	unplug   map[string]func() error
	receipts int
}

func startSimulators(ctx context.Context, dir string, log *slog.Logger) (*simulators, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the simulator folder %s: %w", dir, err)
	}
	s := &simulators{dir: dir, log: log, ctx: ctx, unplug: map[string]func() error{}}
	var err error
	s.printer, err = sim.NewPrinter(sim.PrinterOptions{Profile: escpos.Paper58(), Font: assets.FontRegular(), BoldFont: assets.FontBold()})
	if err != nil {
		return nil, fmt.Errorf("printer simulator: %w", err)
	}
	s.scanner = sim.NewScanner(sim.ScannerOptions{})
	s.reader = sim.NewIDCardReader(sim.IDCardOptions{})
	for _, d := range []struct {
		name string
		dev  sim.Device
		path *string
	}{{"printer", s.printer, &s.printerPath}, {"scanner", s.scanner, &s.scannerPath}, {"idreader", s.reader, &s.readerPath}} {
		if *d.path, err = s.plug(d.name, d.dev); err != nil {
			return nil, err
		}
	}
	log.Info("simulated devices ready", "printer", s.printerPath, "scanner", s.scannerPath, "idreader", s.readerPath)
	return s, nil
}

// plug serves dev on a pseudo-terminal behind a stable link in dir.
func (s *simulators) plug(name string, dev sim.Device) (string, error) {
	link := filepath.Join(s.dir, name)
	path, closeFn, err := sim.ServePTYAt(s.ctx, dev, link)
	if err != nil {
		return "", fmt.Errorf("simulated %s: %w", name, err)
	}
	s.mu.Lock()
	s.unplug[name] = closeFn
	s.mu.Unlock()
	return path, nil
}

// setPlugged unplugs or plugs back a simulated device.
func (s *simulators) setPlugged(name string, dev sim.Device, on bool) {
	s.mu.Lock()
	closeFn := s.unplug[name]
	delete(s.unplug, name)
	s.mu.Unlock()
	if closeFn != nil {
		_ = closeFn()
	}
	if on {
		if _, err := s.plug(name, dev); err != nil {
			s.log.Warn("replug failed", "device", name, "err", err)
		}
	}
}

// takeReceipt saves what the printer printed since the last time as a PNG,
// as a resident tears off the paper, and returns the file's path.
func (s *simulators) takeReceipt() (string, error) {
	s.mu.Lock()
	s.receipts++
	n := s.receipts
	s.mu.Unlock()
	path := filepath.Join(s.dir, fmt.Sprintf("receipt-%03d.png", n))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if err := s.printer.WritePNG(f); err != nil {
		return "", err
	}
	s.printer.ClearImage()
	return path, nil
}

func (s *simulators) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.unplug {
		_ = c()
	}
	return nil
}
