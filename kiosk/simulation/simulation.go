package simulation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/tongban/tongban/assets"
	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/sim"
)

// Options says what to simulate.
type Options struct {
	Dir    string       // holds the device links (dev/) and the back office (backoffice/)
	Center string       // the back office's demo center
	Logger *slog.Logger // nil: discard
	// NoBackOffice leaves the back office out: the terminal then uses the
	// one its configuration names.
	NoBackOffice bool
	// Terminal is the code of the simulated terminal: the back office
	// allow-lists the simulated card reader (sim.SimSAMID) for it, so a
	// card read is vouched for as at a registered terminal. Empty: no
	// reader is allow-listed, and card reads get no identification.
	Terminal string
}

// Surroundings are a running simulation: devices and, unless left out, a
// back office. Close stops all of it.
type Surroundings struct {
	Printer *sim.Printer
	Scanner *sim.Scanner
	Reader  *sim.IDCardReader

	log     *slog.Logger
	ctx     context.Context
	cancel  context.CancelFunc
	devDir  string
	paths   map[string]string // device name → stable link
	office  *backoffice.Local // nil without a back office
	mu      sync.Mutex
	unplug  map[string]func() error
	printed int
	closed  sync.Once
	err     error
}

// Device names, as the links in Dir/dev are named.
const (
	NamePrinter  = "printer"
	NameScanner  = "scanner"
	NameIDReader = "idreader"
)

// Start starts the simulators and the back office. On error nothing is
// left running.
func Start(ctx context.Context, opts Options) (_ *Surroundings, err error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	devDir := filepath.Join(opts.Dir, "dev")
	if err := os.MkdirAll(devDir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the simulator folder %s: %w", devDir, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Surroundings{log: opts.Logger, ctx: ctx, cancel: cancel, devDir: devDir, paths: map[string]string{}, unplug: map[string]func() error{}}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	s.Printer, err = sim.NewPrinter(sim.PrinterOptions{Profile: escpos.Paper58(), Font: assets.FontRegular(), BoldFont: assets.FontBold()})
	if err != nil {
		return nil, fmt.Errorf("printer simulator: %w", err)
	}
	s.Scanner = sim.NewScanner(sim.ScannerOptions{})
	s.Reader = sim.NewIDCardReader(sim.IDCardOptions{})
	for name, dev := range s.devices() {
		if err := s.plug(name, dev); err != nil {
			return nil, err
		}
	}
	s.log.Info("simulated devices ready", "printer", s.paths[NamePrinter], "scanner", s.paths[NameScanner], "idreader", s.paths[NameIDReader])
	if !opts.NoBackOffice {
		lo := backoffice.LocalOptions{Dir: filepath.Join(opts.Dir, "backoffice"), Center: opts.Center, Logger: opts.Logger.With("side", "backoffice")}
		if opts.Terminal != "" {
			lo.Readers = map[string][]string{opts.Terminal: {sim.SimSAMID.String()}}
		}
		s.office, err = backoffice.ListenLocal(ctx, lo)
		if err != nil {
			return nil, fmt.Errorf("the local back office did not start: %w", err)
		}
		s.log.Info("local back office started", "url", s.office.URL)
	}
	return s, nil
}

func (s *Surroundings) devices() map[string]sim.Device {
	return map[string]sim.Device{NamePrinter: s.Printer, NameScanner: s.Scanner, NameIDReader: s.Reader}
}

// DevicePorts are the stable paths of the simulated ID reader, printer and
// scanner, as udev would make them for real devices.
func (s *Surroundings) DevicePorts() (reader, printer, scanner string) {
	return s.paths[NameIDReader], s.paths[NamePrinter], s.paths[NameScanner]
}

// BackOffice is the in-process back office's address and the key its
// bundles are signed with; ok is false when it was left out.
func (s *Surroundings) BackOffice() (url string, keys []bundle.PublicKey, ok bool) {
	if s.office == nil {
		return "", nil, false
	}
	return s.office.URL, []bundle.PublicKey{s.office.BundleKey}, true
}

// Office is the in-process back office (nil when left out), for tests and
// the developer panel.
func (s *Surroundings) Office() *backoffice.Local { return s.office }

// plug serves dev on a pseudo-terminal behind a stable link.
func (s *Surroundings) plug(name string, dev sim.Device) error {
	link := filepath.Join(s.devDir, name)
	_, closeFn, err := sim.ServePTYAt(s.ctx, dev, link)
	if err != nil {
		return fmt.Errorf("simulated %s: %w", name, err)
	}
	s.mu.Lock()
	s.unplug[name] = closeFn
	s.paths[name] = link
	s.mu.Unlock()
	return nil
}

// SetPlugged unplugs (false) or plugs back (true) the named device.
func (s *Surroundings) SetPlugged(name string, on bool) error {
	dev, ok := s.devices()[name]
	if !ok {
		return fmt.Errorf("no simulated device %q", name)
	}
	s.mu.Lock()
	closeFn := s.unplug[name]
	delete(s.unplug, name)
	s.mu.Unlock()
	if closeFn != nil {
		_ = closeFn()
	}
	if on {
		return s.plug(name, dev)
	}
	return nil
}

// TakeReceipt saves what the printer printed since the last time as a PNG,
// as a resident tears off the paper, and returns the file's path.
func (s *Surroundings) TakeReceipt() (string, error) {
	s.mu.Lock()
	s.printed++
	n := s.printed
	s.mu.Unlock()
	path := filepath.Join(s.devDir, fmt.Sprintf("receipt-%03d.png", n))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := s.Printer.WritePNG(f); err != nil {
		f.Close()
		return "", err
	}
	s.Printer.ClearImage()
	return path, f.Close()
}

// Close unplugs every device and stops the back office, waiting until its
// store is closed. Closing again is a no-op.
func (s *Surroundings) Close() error {
	s.closed.Do(func() { s.err = s.close() })
	return s.err
}

func (s *Surroundings) close() error {
	s.mu.Lock()
	var errs []error
	for name, c := range s.unplug {
		errs = append(errs, c())
		delete(s.unplug, name)
	}
	s.mu.Unlock()
	s.cancel()
	if s.office != nil {
		s.office.Wait()
	}
	return errors.Join(errs...)
}
