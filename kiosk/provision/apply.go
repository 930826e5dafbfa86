package provision

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tongban/tongban/internal/durable"
	"github.com/tongban/tongban/kiosk/uplink"
)

// Step is one stage of setting a terminal up, reported as it starts and ends.
type Step string

// The steps of Apply, in order.
const (
	StepRead   Step = "read"   // read and check the provision file
	StepEnrol  Step = "enrol"  // enrol with the back office (mutual TLS from then on)
	StepToken  Step = "token"  // remove the used token from the provision file
	StepConfig Step = "config" // write the terminal's configuration
)

// ConfigName is the configuration's file name in the data folder; its
// presence means the terminal is provisioned.
const ConfigName = "kiosk.conf"

// Enroller enrols the terminal with the back office (uplink.Enrol).
type Enroller func(ctx context.Context, o uplink.EnrolOptions) (*uplink.Identity, error)

// Applier applies a provision file to a terminal's data folder.
type Applier struct {
	DataDir  string // the data partition: /var/lib/tongban
	Enrol    Enroller
	Now      func() time.Time
	Log      *slog.Logger
	Progress func(step Step, err error) // called as each step ends; may be nil
	// Cut, when set, is called at each point where a power cut can land
	// (everything before it on disk, the enrolment's own points too); an
	// error stops set-up there as the cut would. The power-cut tests set
	// it; nil otherwise.
	Cut func(point string) error
}

func (a *Applier) cut(point string) error {
	if a.Cut == nil {
		return nil
	}
	return a.Cut(point)
}

// Provisioned reports whether dataDir holds a terminal's configuration.
func Provisioned(dataDir string) bool {
	_, err := os.Stat(filepath.Join(dataDir, ConfigName))
	return err == nil
}

// Apply sets the terminal up from the provision file at path. It is safe to
// run again after any failure or power cut: an enrolled identity for the
// same terminal is kept, and the configuration is written last, atomically.
// Only a re-enrolment or move token (tbr_, tbm_), the operator's explicit
// choice, replaces an identity, once.
func (a *Applier) Apply(ctx context.Context, path string) error {
	f, err := a.read(path)
	a.report(StepRead, err)
	if err != nil {
		return err
	}
	idDir := filepath.Join(a.DataDir, "identity")
	var id *uplink.Identity
	enrolled := uplink.Enrolled(idDir)
	if enrolled {
		id, err = uplink.LoadIdentity(idDir)
	}
	// A re-enrolment (tbr_) or move (tbm_) token is the operator's explicit
	// choice to enrol this terminal again, until it has done so.
	again := (strings.HasPrefix(f.Token, "tbr_") || strings.HasPrefix(f.Token, "tbm_")) && !(err == nil && id != nil && id.EnrolledWithToken(f.Token))
	switch {
	case again && err == nil && id != nil && id.Terminal != f.Config.Terminal:
		err = fmt.Errorf("this terminal is enrolled as %s, but the provision file re-enrols %s: use the right file", id.Terminal, f.Config.Terminal)
		a.report(StepEnrol, err)
		return err
	case again:
		if err := a.enrol(ctx, f, path, idDir); err != nil {
			return err
		}
	case enrolled && err != nil:
		err = fmt.Errorf("the terminal's identity in %s cannot be read (%v): re-enrol it from the technician menu", idDir, err)
		a.report(StepEnrol, err)
		return err
	case enrolled && id.Terminal == f.Config.Terminal && id.Center == f.Config.Center:
		a.Log.Info("provision: already enrolled, keeping the identity", "terminal", id.Terminal)
	case enrolled:
		err = fmt.Errorf("this terminal is already enrolled as %s of center %s, but the provision file is for %s of %s: re-enrol it from the technician menu, or use the right file",
			id.Terminal, id.Center, f.Config.Terminal, f.Config.Center)
		a.report(StepEnrol, err)
		return err
	case f.Token == "":
		err = errors.New("the provision file's enrolment token has already been used: ask the back office console for a new token for this terminal and write it into the file")
		a.report(StepEnrol, err)
		return err
	default:
		if err := a.enrol(ctx, f, path, idDir); err != nil {
			return err
		}
	}
	a.report(StepEnrol, nil)
	if err := a.cut("enrolled"); err != nil {
		return err
	}
	if f.Token != "" {
		data, err := f.WithoutToken(a.Now())
		if err == nil {
			err = durable.WriteFile(path, data, 0o600)
		}
		if err != nil {
			// The token is single-use and spent: a stale copy on the stick
			// is no risk to this terminal, so set-up goes on; say so.
			a.Log.Warn("provision: the used token could not be removed from the provision file", "err", err)
		}
		a.report(StepToken, err)
		if err := a.cut("token removed"); err != nil {
			return err
		}
	}
	err = durable.WriteFile(filepath.Join(a.DataDir, ConfigName), f.ConfigText(a.DataDir), 0o600)
	if err != nil {
		err = fmt.Errorf("the configuration cannot be written to %s: %w", a.DataDir, err)
	}
	a.report(StepConfig, err)
	if err == nil {
		err = a.cut("configured")
	}
	return err
}

// enrol enrols the terminal with the file's token; the back office must
// enrol it as the terminal and center the file names.
func (a *Applier) enrol(ctx context.Context, f *File, path, idDir string) error {
	opts := uplink.EnrolOptions{Server: f.Config.BackOffice, Token: f.Token, Dir: idDir, CAFingerprint: f.CAFingerprint, Step: a.Cut}
	if f.CA != "" {
		opts.CAFile = filepath.Join(filepath.Dir(path), f.CA)
	}
	id, err := a.Enrol(ctx, opts)
	if err == nil && id != nil && (id.Terminal != f.Config.Terminal || id.Center != f.Config.Center) {
		err = fmt.Errorf("the token enrolled this terminal as %s of center %s, but the provision file says %s of %s: correct the file",
			id.Terminal, id.Center, f.Config.Terminal, f.Config.Center)
	}
	if err != nil {
		err = fmt.Errorf("enrolment with the back office at %s failed: %w", f.Config.BackOffice, err)
		a.report(StepEnrol, err)
		return err
	}
	a.Log.Info("provision: enrolled", "terminal", f.Config.Terminal, "center", f.Config.Center)
	return nil
}

func (a *Applier) read(path string) (*File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("no provision file at %s: %w", path, err)
	}
	if info.Size() > maxFileSize {
		return nil, fmt.Errorf("%s is %d bytes: a provision file is a few lines", path, info.Size())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the provision file cannot be read: %w", err)
	}
	return Parse(data, filepath.Base(path))
}

func (a *Applier) report(s Step, err error) {
	if a.Progress != nil {
		a.Progress(s, err)
	}
}
