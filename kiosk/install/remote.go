package install

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
)

// The kiosk runs as an unprivileged user and cannot write a disk. A small
// root service (kioskctl install --serve, socket-activated, one connection
// per request) does the install for it; Remote is the kiosk's side. The
// protocol is JSON lines: one request, then progress lines and one answer.

// Installer is what the install screen needs: Machine, or Remote to reach
// the root service.
type Installer interface {
	Disks() ([]Disk, error)
	ImageSize() (int64, error)
	Install(ctx context.Context, d Disk, typed string, progress func(Progress)) (Result, error)
}

type request struct {
	Op    string `json:"op"` // disks, size, install, reboot
	Disk  string `json:"disk,omitempty"`
	Typed string `json:"typed,omitempty"`
}

type wireError struct {
	Message      string `json:"message"`
	Kind         Kind   `json:"kind,omitempty"` // a Failure's
	Stage        Stage  `json:"stage,omitempty"`
	At           int64  `json:"at,omitempty"`
	Total        int64  `json:"total,omitempty"`
	Cause        string `json:"cause,omitempty"`
	Confirmation bool   `json:"confirmation,omitempty"`
	InUse        bool   `json:"in_use,omitempty"`
	NotFromUSB   bool   `json:"not_from_usb,omitempty"`
	NotVerified  bool   `json:"not_verified,omitempty"`
}

type answer struct {
	Progress *Progress  `json:"progress,omitempty"`
	Disks    []Disk     `json:"disks,omitempty"`
	Bytes    int64      `json:"bytes,omitempty"`
	Result   *Result    `json:"result,omitempty"`
	Error    *wireError `json:"error,omitempty"`
	Final    bool       `json:"final,omitempty"`
}

func toWire(err error) *wireError {
	w := &wireError{Message: err.Error(), Confirmation: errors.Is(err, ErrConfirmation), InUse: errors.Is(err, ErrInUse), NotFromUSB: errors.Is(err, ErrNotFromUSB),
		NotVerified: errors.Is(err, ErrNotVerified)}
	var f *Failure
	if errors.As(err, &f) {
		w.Kind, w.Stage, w.At, w.Total = f.Kind, f.Stage, f.At, f.Total
		if f.Err != nil {
			w.Cause = f.Err.Error()
		}
	}
	return w
}

func (w *wireError) err() error {
	switch {
	case w.Confirmation:
		return ErrConfirmation
	case w.InUse:
		return fmt.Errorf("%s: %w", w.Message, ErrInUse)
	case w.NotFromUSB:
		return ErrNotFromUSB
	case w.NotVerified:
		return ErrNotVerified
	case w.Kind != 0:
		f := &Failure{Kind: w.Kind, Stage: w.Stage, At: w.At, Total: w.Total}
		if w.Cause != "" {
			f.Err = errors.New(w.Cause)
		}
		return f
	}
	return errors.New(w.Message)
}

// ErrNotVerified is a reboot asked for before an install was verified in
// this boot: the service restarts the terminal for nothing else.
var ErrNotVerified = errors.New("the terminal is restarted from here only after a verified install")

// Service is the root side of the install screen: kioskctl install --serve,
// one process per request.
type Service struct {
	Installer Installer
	// Record is the file where a verified install is noted for this boot
	// (under /run, which empties at every boot): a reboot is done only
	// while it exists. Any install removes it first. "": no reboot.
	Record string
	// Reboot restarts the machine in order (systemd: systemctl reboot).
	Reboot func(ctx context.Context) error
}

// RecordPath is where the install service notes a verified install.
const RecordPath = "/run/tongban-install.verified"

// Serve answers one request read from r on w. An install is refused
// unless the disk named is one the installer lists (never the boot disk),
// and is stopped when r ends (the kiosk hung up); a reboot is refused
// unless an install was verified in this boot.
func (s Service) Serve(ctx context.Context, r io.Reader, w io.Writer) error {
	inst := s.Installer
	in := bufio.NewReader(io.LimitReader(r, 4096))
	line, err := in.ReadBytes('\n')
	if err != nil && len(line) == 0 {
		return fmt.Errorf("no request: %w", err)
	}
	var req request
	enc := json.NewEncoder(w)
	if err := json.Unmarshal(line, &req); err != nil {
		return enc.Encode(answer{Final: true, Error: &wireError{Message: "a request the install service cannot read"}})
	}
	switch req.Op {
	case "disks":
		disks, err := inst.Disks()
		if err != nil {
			return enc.Encode(answer{Final: true, Error: toWire(err)})
		}
		return enc.Encode(answer{Final: true, Disks: disks})
	case "size":
		n, err := inst.ImageSize()
		if err != nil {
			return enc.Encode(answer{Final: true, Error: toWire(err)})
		}
		return enc.Encode(answer{Final: true, Bytes: n})
	case "reboot":
		if err := s.reboot(ctx); err != nil {
			return enc.Encode(answer{Final: true, Error: toWire(err)})
		}
		return enc.Encode(answer{Final: true})
	case "install":
	default:
		return enc.Encode(answer{Final: true, Error: &wireError{Message: fmt.Sprintf("no such request %q", req.Op)}})
	}
	disks, err := inst.Disks()
	if err != nil {
		return enc.Encode(answer{Final: true, Error: toWire(err)})
	}
	var disk *Disk
	for i := range disks {
		if disks[i].Name == req.Disk {
			disk = &disks[i]
		}
	}
	if disk == nil {
		return enc.Encode(answer{Final: true, Error: &wireError{Message: fmt.Sprintf("%q is not a disk the system can be installed on", req.Disk)}})
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { io.Copy(io.Discard, in); cancel() }() // the kiosk hung up: stop
	// Whatever an earlier install left on a disk, this one decides.
	if s.Record != "" {
		if err := os.Remove(s.Record); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return enc.Encode(answer{Final: true, Error: toWire(fmt.Errorf("cannot clear the record of an earlier install: %w", err))})
		}
	}
	res, err := inst.Install(ctx, *disk, req.Typed, func(p Progress) { enc.Encode(answer{Progress: &p}) })
	if err != nil {
		return enc.Encode(answer{Final: true, Error: toWire(err)})
	}
	if s.Record != "" {
		note := fmt.Sprintf("%s %d %s\n", disk.Name, res.Copied, res.SHA256)
		if err := os.WriteFile(s.Record, []byte(note), 0o600); err != nil {
			// Installed all the same: the technician restarts by hand.
			fmt.Fprintf(os.Stderr, "install: the verified install was not recorded, so the kiosk cannot restart the terminal: %v\n", err)
		}
	}
	return enc.Encode(answer{Final: true, Result: &res})
}

// reboot restarts the machine if an install was verified in this boot.
func (s Service) reboot(ctx context.Context) error {
	if s.Record == "" || s.Reboot == nil {
		return ErrNotVerified
	}
	if _, err := os.Stat(s.Record); err != nil {
		return ErrNotVerified
	}
	return s.Reboot(ctx)
}

// Remote reaches the install service.
type Remote struct {
	Dial func(ctx context.Context) (net.Conn, error)
}

// SocketPath is where the install service listens (tongban-install.socket).
const SocketPath = "/run/tongban-install.sock"

// NewRemote dials the service's socket at path.
func NewRemote(path string) Remote {
	return Remote{Dial: func(ctx context.Context) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", path)
	}}
}

func (r Remote) call(ctx context.Context, req request, progress func(Progress)) (answer, error) {
	conn, err := r.Dial(ctx)
	if err != nil {
		return answer{}, fmt.Errorf("the install service does not answer: %w", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	b, _ := json.Marshal(req)
	if _, err := conn.Write(append(b, '\n')); err != nil {
		return answer{}, fmt.Errorf("the install service hung up: %w", err)
	}
	dec := json.NewDecoder(conn)
	for {
		var a answer
		if err := dec.Decode(&a); err != nil {
			if ctx.Err() != nil {
				return answer{}, &Failure{Kind: Cancelled, Err: ctx.Err()}
			}
			return answer{}, fmt.Errorf("the install service stopped answering: %w", err)
		}
		if a.Progress != nil && progress != nil {
			progress(*a.Progress)
		}
		if a.Final {
			if a.Error != nil {
				return answer{}, a.Error.err()
			}
			return a, nil
		}
	}
}

func (r Remote) Disks() ([]Disk, error) {
	a, err := r.call(context.Background(), request{Op: "disks"}, nil)
	return a.Disks, err
}

func (r Remote) ImageSize() (int64, error) {
	a, err := r.call(context.Background(), request{Op: "size"}, nil)
	return a.Bytes, err
}

func (r Remote) Install(ctx context.Context, d Disk, typed string, progress func(Progress)) (Result, error) {
	// Refused here too: a wrong name never leaves the kiosk.
	if err := Confirm(d, typed); err != nil {
		return Result{}, err
	}
	a, err := r.call(ctx, request{Op: "install", Disk: d.Name, Typed: typed}, progress)
	if err != nil {
		return Result{}, err
	}
	if a.Result == nil {
		return Result{}, errors.New("the install service answered without a result")
	}
	return *a.Result, nil
}

// Reboot asks the service to restart the terminal, which it does only
// after a verified install in this boot (ErrNotVerified otherwise).
func (r Remote) Reboot(ctx context.Context) error {
	_, err := r.call(ctx, request{Op: "reboot"}, nil)
	return err
}
