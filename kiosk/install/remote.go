package install

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
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
	Op    string `json:"op"` // disks, size, install
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
	w := &wireError{Message: err.Error(), Confirmation: errors.Is(err, ErrConfirmation), InUse: errors.Is(err, ErrInUse), NotFromUSB: errors.Is(err, ErrNotFromUSB)}
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
	case w.Kind != 0:
		f := &Failure{Kind: w.Kind, Stage: w.Stage, At: w.At, Total: w.Total}
		if w.Cause != "" {
			f.Err = errors.New(w.Cause)
		}
		return f
	}
	return errors.New(w.Message)
}

// Serve answers one request read from r on w with inst. An install is
// refused unless the disk named is one inst lists (never the boot disk),
// and is stopped when r ends (the kiosk hung up).
func Serve(ctx context.Context, r io.Reader, w io.Writer, inst Installer) error {
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
	res, err := inst.Install(ctx, *disk, req.Typed, func(p Progress) { enc.Encode(answer{Progress: &p}) })
	if err != nil {
		return enc.Encode(answer{Final: true, Error: toWire(err)})
	}
	return enc.Encode(answer{Final: true, Result: &res})
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
