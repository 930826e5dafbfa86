package technician

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"time"

	"github.com/tongban/tongban/internal/durable"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/outbox"
)

// Diagnostics is what a technician sees of a terminal and what the
// exported bundle holds: states, counts, versions and times, never a
// resident's data.
type Diagnostics struct {
	TakenAt    time.Time         `json:"taken_at"`
	Center     string            `json:"center,omitempty"`
	Terminal   string            `json:"terminal,omitempty"`
	Versions   []kiosk.Component `json:"versions"`
	Devices    []DeviceDiag      `json:"devices"`
	Queue      QueueDiag         `json:"queue"`
	LastSync   time.Time         `json:"last_sync,omitzero"`
	BackOffice NetDiag           `json:"back_office"`
	Disk       DiskDiag          `json:"disk"`
	// KeysAtRest is how the queue's keys and the TLS key are kept: "tpm
	// DEVICE" (sealed) or "files" (a stolen disk opens them).
	KeysAtRest string   `json:"keys_at_rest,omitempty"`
	Problems   []string `json:"problems,omitempty"` // what could not be read
}

// DeviceDiag is one device: its state and where it is plugged.
type DeviceDiag struct {
	Kind   kiosk.DeviceKind  `json:"kind"`
	State  kiosk.DeviceState `json:"state"`
	Paper  kiosk.Paper       `json:"paper,omitempty"`
	Detail string            `json:"detail,omitempty"` // the last status, in words
	Port   string            `json:"port,omitempty"`
	USBID  string            `json:"usb_id,omitempty"` // vid:pid
	Serial string            `json:"usb_serial,omitempty"`
}

// QueueDiag is the offline queue in counts.
type QueueDiag struct {
	Waiting       int       `json:"waiting"` // pending and sending
	Quarantined   int       `json:"quarantined"`
	Stranded      int       `json:"stranded"`
	OldestWaiting time.Time `json:"oldest_waiting,omitzero"`
	FileBytes     int64     `json:"file_bytes"`
}

// NetDiag is the back office's reachability and the clock.
type NetDiag struct {
	Reachable   bool    `json:"reachable"`
	SkewSeconds float64 `json:"clock_skew_seconds"`
	SkewKnown   bool    `json:"clock_skew_known"`
	Problem     Problem `json:"problem,omitempty"`
}

// DiskDiag is the data partition's space.
type DiskDiag struct {
	FreeBytes  uint64 `json:"free_bytes"`
	TotalBytes uint64 `json:"total_bytes"`
}

// QueueStats is the offline queue's counts (kiosk/outbox's *Outbox).
type QueueStats interface {
	Stats() (outbox.Stats, error)
}

// Sources are where the diagnostics come from; any may be nil.
type Sources struct {
	Center, Terminal string
	Versions         func() []kiosk.Component
	Devices          func() []kiosk.DeviceStatus // the device manager's snapshot
	Found            func() []Finding            // the last detection, for ports and USB identities
	Assigned         func() Assignment
	Queue            QueueStats
	LastSync         func() time.Time
	Net              func(ctx context.Context) NetResult
	DataDir          string // for the disk's space
	KeysAtRest       func() string
	Now              func() time.Time
}

// Collect reads every source; what cannot be read is named in Problems.
func Collect(ctx context.Context, s Sources) Diagnostics {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	d := Diagnostics{TakenAt: now().UTC(), Center: s.Center, Terminal: s.Terminal, Versions: []kiosk.Component{}, Devices: []DeviceDiag{}}
	if s.Versions != nil {
		d.Versions = s.Versions()
	}
	ports := map[string]Finding{}
	if s.Found != nil {
		for _, f := range s.Found() {
			ports[f.Port.Path] = f
		}
	}
	var assigned Assignment
	if s.Assigned != nil {
		assigned = s.Assigned()
	}
	if s.Devices != nil {
		for _, st := range s.Devices() {
			dd := DeviceDiag{Kind: st.Kind, State: st.State, Paper: st.Paper, Detail: st.Detail}
			if path := assigned[st.Kind]; path != "" {
				dd.Port = path
				f := ports[path]
				dd.USBID, dd.Serial = f.Port.USBID(), f.Port.SerialNumber
			}
			d.Devices = append(d.Devices, dd)
		}
	}
	if s.Queue != nil {
		st, err := s.Queue.Stats()
		if err != nil {
			d.Problems = append(d.Problems, "queue: "+err.Error())
		}
		d.Queue = QueueDiag{Waiting: st.Pending + st.Sending, Quarantined: st.Quarantined, Stranded: st.Stranded, OldestWaiting: st.OldestUnsent, FileBytes: st.FileBytes}
	}
	if s.LastSync != nil {
		d.LastSync = s.LastSync()
	}
	if s.KeysAtRest != nil {
		d.KeysAtRest = s.KeysAtRest()
	}
	if s.Net != nil {
		r := s.Net(ctx)
		d.BackOffice = NetDiag{Reachable: r.Reachable, SkewKnown: r.SkewKnown, SkewSeconds: r.Skew.Seconds(), Problem: r.Problem}
	}
	if s.DataDir != "" {
		var fs syscall.Statfs_t
		if err := syscall.Statfs(s.DataDir, &fs); err != nil {
			d.Problems = append(d.Problems, "disk: "+err.Error())
		} else {
			d.Disk = DiskDiag{FreeBytes: fs.Bavail * uint64(fs.Bsize), TotalBytes: fs.Blocks * uint64(fs.Bsize)}
		}
	}
	return d
}

// personal matches what may be a person's data in free text: an ID number
// (15 or 18 characters), a mobile number, or 2–4 Chinese characters after a
// name's label. Device details and problems are free text from drivers and
// errors; they are cleaned before they leave the terminal.
var personal = []*regexp.Regexp{
	regexp.MustCompile(`\d{17}[\dXx]|\d{15}`),
	regexp.MustCompile(`1[3-9]\d{9}`),
	regexp.MustCompile(`(姓名|name)[:：=\s]*\p{Han}{2,4}`),
}

func clean(s string) string {
	for _, re := range personal {
		s = re.ReplaceAllString(s, "[removed]")
	}
	return s
}

// Bundle encodes the diagnostics as the exported file: indented JSON, free
// text cleaned of anything that looks like a person's data.
func (d Diagnostics) Bundle() ([]byte, error) {
	c := d
	c.Devices = make([]DeviceDiag, len(d.Devices))
	for i, dev := range d.Devices {
		dev.Detail = clean(dev.Detail)
		c.Devices[i] = dev
	}
	c.Problems = make([]string, len(d.Problems))
	for i, p := range d.Problems {
		c.Problems[i] = clean(p)
	}
	return json.MarshalIndent(struct {
		Format string `json:"format"`
		Diagnostics
	}{"tongban-diagnostics/1", c}, "", "  ")
}

// ErrNoStick is an export with nowhere to write.
var ErrNoStick = errors.New("no USB stick found: plug one in (FAT or ext4) and try again")

// Export writes the bundle into dir (a USB stick's mount point) as
// tongban-diag-<terminal>-<time>.json, durably, and returns its path.
func Export(dir string, d Diagnostics) (string, error) {
	if dir == "" {
		return "", ErrNoStick
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return "", fmt.Errorf("%w (%s)", ErrNoStick, dir)
	}
	data, err := d.Bundle()
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("tongban-diag-%s-%s.json", safeName(d.Terminal), d.TakenAt.UTC().Format("20060102T150405Z"))
	path := filepath.Join(dir, name)
	if err := durable.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("the diagnostics could not be written to %s: %w", dir, err)
	}
	return path, nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]`)

func safeName(s string) string {
	if s == "" {
		return "terminal"
	}
	return unsafeName.ReplaceAllString(s, "_")
}
