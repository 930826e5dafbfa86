package config

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Config is the kiosk's configuration: embedded defaults, overridden by an
// optional file of `key = value` lines (# comments) and by flags. The
// defaults are a real terminal's: a configuration that forgets to say where
// its devices and back office are fails validation rather than starting on
// simulated devices.
type Config struct {
	CenterName string `key:"center.name"`   // shown on the attract screen and receipts
	Center     string `key:"center.code"`   // center code, e.g. XH01
	Terminal   string `key:"terminal.code"` // terminal code, prefix of local receipt numbers
	DataDir    string `key:"data.dir"`      // queue, keys, audit log, print jobs
	// Hours are when the center's counters serve: tickets only then,
	// appointments only inside them (kiosk.ParseHours, Shanghai time).
	Hours string `key:"center.hours"`

	Simulate   bool   `key:"simulate"`       // simulated devices and an in-process back office
	BackOffice string `key:"backoffice.url"` // empty with simulate: start one in-process

	IDReader DeviceConfig `key:"idreader"`
	Printer  DeviceConfig `key:"printer"`
	Scanner  DeviceConfig `key:"scanner"`

	PaperWidth int `key:"printer.width"` // 58 or 80 (mm)

	// A4 is the A4 printer: a CUPS queue. No queue means no A4 printer,
	// and the items that print on A4 are greyed.
	A4 A4Config `key:"a4"`

	Fullscreen bool          `key:"screen.fullscreen"`
	Width      int           `key:"screen.width"`
	Height     int           `key:"screen.height"`
	SyncEvery  time.Duration `key:"sync.interval"`
	// StaffCodeSHA256 is the SHA-256 (hex) of the staff menu's code; empty
	// means no staff menu (a simulated terminal uses 246810).
	StaffCodeSHA256 string `key:"staff.code_sha256"`
	// StaffCodeHash is the staff code's salted PBKDF2-SM3 hash
	// (kioskctl staff-hash); it replaces StaffCodeSHA256.
	StaffCodeHash string `key:"staff.code_hash"`
	// StaffBadges signs staff in by person: badge QR plus PIN, the
	// centre's credentials from the signed configuration bundle. The
	// shared code (staff.code_hash) is then deprecated: it still works
	// where configured, and the audit names nobody for it.
	StaffBadges bool          `key:"staff.badges"`
	Retention   time.Duration `key:"queue.retention"` // keep acknowledged submissions this long
	// QueueKeyDir holds the queue's keys by epoch (kiosk/keystore); empty
	// means DATA/queue-keys. Put it on another partition than the data,
	// out of its backups. QueueKeyEpoch is how long one key is used.
	QueueKeyDir   string        `key:"queue.key_dir"`
	QueueKeyEpoch time.Duration `key:"queue.key_epoch"`
	// QueueTPM is the TPM that seals the queue's keys and the TLS key:
	// "auto" (empty: /dev/tpmrm0 when there is one), "off", a device
	// path, or unix:SOCKET (swtpm, development). Without a TPM the keys
	// are files and a stolen disk opens them (README, "At rest").
	QueueTPM string `key:"queue.tpm"`

	Voice VoiceConfig `key:"voice"`

	// TechnicianCodeHash is technician mode's own code, hashed as the
	// staff code is (kioskctl tech-hash prints the line); empty:
	// technician mode stays shut. It may not be the staff code.
	TechnicianCodeHash string `key:"technician.code_hash"`
}

// VoiceConfig sets the spoken guidance (staff set it; residents turn voice
// on and off for their visit).
type VoiceConfig struct {
	Volume      int    `key:"volume"`       // the loudest the kiosk speaks, percent (0–100)
	QuietVolume int    `key:"quiet_volume"` // the loudest during quiet hours, percent
	QuietHours  string `key:"quiet_hours"`  // e.g. 22:00-07:00 (Shanghai time); empty: none
	Pack        string `key:"pack"`         // a folder of recorded prompts; empty: synthesis only
	Device      string `key:"device"`       // ALSA device; empty: default
}

// A4Config names the A4 printer's CUPS queue.
type A4Config struct {
	Queue  string `key:"queue"`  // CUPS queue name, e.g. A4; empty: no A4 printer
	Server string `key:"server"` // the CUPS scheduler, e.g. http://127.0.0.1:631
}

// DeviceConfig says where a serial device is: a path, or a USB identity.
type DeviceConfig struct {
	Port   string `key:"port"`   // /dev/ttyUSB0, or a udev symlink such as /dev/kiosk-printer
	USB    string `key:"usb"`    // VID:PID in hex, e.g. 1a86:7523
	Serial string `key:"serial"` // USB serial number, when two devices share a VID:PID
	Baud   int    `key:"baud"`
}

// DefaultConfig is a real terminal's defaults (simulate off); the devices'
// places and the back office's address must still be given.
func DefaultConfig() Config {
	return Config{
		CenterName:    "徐汇区示例街道社区事务受理服务中心",
		Center:        "XH01",
		Terminal:      "XH0123",
		DataDir:       ".tongban-data",
		Hours:         kiosk.DefaultHours().String(),
		IDReader:      DeviceConfig{Baud: 115200},
		Printer:       DeviceConfig{Baud: 115200},
		Scanner:       DeviceConfig{Baud: 9600},
		PaperWidth:    58,
		A4:            A4Config{Server: "http://127.0.0.1:631"},
		Width:         1920,
		Height:        1080,
		SyncEvery:     5 * time.Second,
		Retention:     15 * time.Minute, // personal data goes minutes after the back office has it
		QueueKeyEpoch: 24 * time.Hour,
		Voice:         VoiceConfig{Volume: 80, QuietVolume: 40, QuietHours: "22:00-07:00"},
	}
}

var (
	codePattern   = regexp.MustCompile(`^[A-Z0-9]{2,12}$`)
	usbPattern    = regexp.MustCompile(`^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$`)
	sha256Pattern = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
	queuePattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,127}$`)
	quietPattern  = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// Validate checks the configuration and says what is wrong in plain words.
func (c Config) Validate() error {
	var errs []string
	if strings.TrimSpace(c.CenterName) == "" {
		errs = append(errs, "center.name is empty: give the center's full name")
	}
	if !codePattern.MatchString(c.Center) {
		errs = append(errs, fmt.Sprintf("center.code %q should be 2 to 12 capital letters or digits", c.Center))
	}
	if !codePattern.MatchString(c.Terminal) {
		errs = append(errs, fmt.Sprintf("terminal.code %q should be 2 to 12 capital letters or digits", c.Terminal))
	}
	if _, err := kiosk.ParseHours(c.Hours); err != nil {
		errs = append(errs, "center.hours: "+err.Error())
	}
	if c.DataDir == "" {
		errs = append(errs, "data.dir is empty: give a folder for the queue and keys")
	}
	if c.BackOffice != "" {
		if u, err := url.Parse(c.BackOffice); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Sprintf("backoffice.url %q is not an http(s) address", c.BackOffice))
		}
	} else if !c.Simulate {
		errs = append(errs, "backoffice.url is empty: give the back office's address (or set simulate = true)")
	}
	if c.PaperWidth != 58 && c.PaperWidth != 80 {
		errs = append(errs, fmt.Sprintf("printer.width is %d: it must be 58 or 80", c.PaperWidth))
	}
	for name, d := range map[string]DeviceConfig{"idreader": c.IDReader, "printer": c.Printer, "scanner": c.Scanner} {
		if d.USB != "" && !usbPattern.MatchString(d.USB) {
			errs = append(errs, fmt.Sprintf("%s.usb %q should look like 1a86:7523 (vendor:product in hex)", name, d.USB))
		}
		if !c.Simulate && d.Port == "" && d.USB == "" {
			errs = append(errs, fmt.Sprintf("%s has neither a port nor a usb identity", name))
		}
		switch d.Baud {
		case 9600, 19200, 38400, 57600, 115200:
		default:
			errs = append(errs, fmt.Sprintf("%s.baud %d is not one of 9600, 19200, 38400, 57600, 115200", name, d.Baud))
		}
	}
	if c.A4.Queue != "" {
		if !queuePattern.MatchString(c.A4.Queue) {
			errs = append(errs, fmt.Sprintf("a4.queue %q should be a CUPS queue name: letters, digits, '-' or '_'", c.A4.Queue))
		}
		if u, err := url.Parse(c.A4.Server); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Sprintf("a4.server %q is not the CUPS scheduler's http(s) address, e.g. http://127.0.0.1:631", c.A4.Server))
		}
	}
	if c.Width < 640 || c.Height < 480 {
		errs = append(errs, fmt.Sprintf("screen size %dx%d is too small", c.Width, c.Height))
	}
	if c.StaffCodeSHA256 != "" && !sha256Pattern.MatchString(c.StaffCodeSHA256) {
		errs = append(errs, "staff.code_sha256 should be 64 hex digits: the SHA-256 of the staff code (sha256sum)")
	}
	if c.Voice.Volume < 0 || c.Voice.Volume > 100 || c.Voice.QuietVolume < 0 || c.Voice.QuietVolume > 100 {
		errs = append(errs, "voice.volume and voice.quiet_volume are percentages: 0 to 100")
	}
	if c.Voice.QuietHours != "" && !quietPattern.MatchString(c.Voice.QuietHours) {
		errs = append(errs, fmt.Sprintf("voice.quiet_hours %q should look like 22:00-07:00", c.Voice.QuietHours))
	}
	if c.SyncEvery < time.Second {
		errs = append(errs, "sync.interval must be at least 1s")
	}
	switch tpm := c.QueueTPM; {
	case tpm == "" || tpm == "auto" || tpm == "off" || strings.HasPrefix(tpm, "/dev/"):
	case strings.HasPrefix(tpm, "unix:") && len(tpm) > len("unix:"):
	default:
		errs = append(errs, fmt.Sprintf("queue.tpm %q should be auto, off, a device such as /dev/tpmrm0, or unix:SOCKET (swtpm)", tpm))
	}
	if len(errs) > 0 {
		return fmt.Errorf("configuration:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// ParseConfigFile applies `key = value` lines from r (named name in errors)
// to c. An unknown key, a bad value or a key given twice is an error naming
// the line (both lines for a repeated key: which one was meant is for a
// person to say, not for the last one to win silently).
func ParseConfigFile(c *Config, r io.Reader, name string) error {
	fields := map[string]reflect.Value{}
	collectFields(reflect.ValueOf(c).Elem(), "", fields)
	seen := map[string]int{} // key → the line it was first set on
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, val, ok := strings.Cut(text, "=")
		if !ok {
			return fmt.Errorf("%s:%d: expected `key = value`, got %q", name, line, text)
		}
		key, val = strings.TrimSpace(key), strings.Trim(strings.TrimSpace(val), `"`)
		f, ok := fields[key]
		if !ok {
			return fmt.Errorf("%s:%d: unknown key %q (known keys: %s)", name, line, key, strings.Join(sortedKeys(fields), ", "))
		}
		if first, dup := seen[key]; dup {
			return fmt.Errorf("%s:%d: %q is set twice, on lines %d and %d; keep one", name, line, key, first, line)
		}
		seen[key] = line
		if err := setValue(f, val); err != nil {
			return fmt.Errorf("%s:%d: %s: %v", name, line, key, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func collectFields(v reflect.Value, prefix string, out map[string]reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		key := t.Field(i).Tag.Get("key")
		if key == "" {
			continue
		}
		if prefix != "" {
			key = prefix + "." + key
		}
		if t.Field(i).Type.Kind() == reflect.Struct {
			collectFields(v.Field(i), key, out)
			continue
		}
		out[key] = v.Field(i)
	}
}

func setValue(f reflect.Value, val string) error {
	switch f.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(val)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 30s or 720h", val)
		}
		f.SetInt(int64(d))
	case string:
		f.SetString(val)
	case bool:
		b, err := strconv.ParseBool(val)
		if err != nil {
			return fmt.Errorf("%q is not true or false", val)
		}
		f.SetBool(b)
	case int:
		n, err := strconv.Atoi(val)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", val)
		}
		f.SetInt(int64(n))
	default:
		return fmt.Errorf("unsupported setting type %s", f.Type())
	}
	return nil
}

func sortedKeys(m map[string]reflect.Value) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// CounterHours are the counters' opening hours (validated: the default's
// when they do not parse).
func (c Config) CounterHours() kiosk.Hours {
	h, err := kiosk.ParseHours(c.Hours)
	if err != nil {
		return kiosk.DefaultHours()
	}
	return h
}
