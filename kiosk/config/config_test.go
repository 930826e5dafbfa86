package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseConfigFile(t *testing.T) {
	c := DefaultConfig()
	file := `# a real terminal
center.name = 黄浦区测试街道社区事务受理服务中心
center.code = HP02
simulate = false
backoffice.url = https://backoffice.example:8443
idreader.usb = 10c4:ea60
printer.port = /dev/kiosk-printer
printer.width = 80
scanner.port = /dev/kiosk-scanner
sync.interval = 10s
voice.volume = 60
voice.quiet_hours = 21:30-07:00
center.hours = mon-fri,sat 09:00-11:30,13:30-17:00
`
	if err := ParseConfigFile(&c, strings.NewReader(file), "kiosk.conf"); err != nil {
		t.Fatal(err)
	}
	if c.Center != "HP02" || c.Simulate || c.IDReader.USB != "10c4:ea60" || c.Printer.Port != "/dev/kiosk-printer" || c.PaperWidth != 80 || c.SyncEvery != 10*time.Second || c.Voice.Volume != 60 || c.Voice.QuietHours != "21:30-07:00" {
		t.Fatalf("parsed %+v", c)
	}
	if h := c.CounterHours(); !h.Days[time.Saturday] || h.Days[time.Sunday] || len(h.Spans) != 2 || h.Spans[1].From != 13*60+30 {
		t.Fatalf("counter hours %+v", h)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigErrorsNameKeyAndLine(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"typo", "center.code = XH01\nprinter.widht = 80\n", `kiosk.conf:2: unknown key "printer.widht"`},
		{"bad number", "printer.width = eighty\n", `kiosk.conf:1: printer.width: "eighty" is not a whole number`},
		{"bad bool", "\n\nsimulate = yes please\n", `kiosk.conf:3: simulate: "yes please" is not true or false`},
		{"no equals", "center.code XH01\n", "kiosk.conf:1: expected `key = value`"},
		{"bad duration", "sync.interval = 5\n", `kiosk.conf:1: sync.interval: "5" is not a duration`},
		// A key given twice was taken silently, the last one winning.
		{"key twice", "center.code = XH01\nprinter.width = 80\n\n# later\ncenter.code = XH02\n", `kiosk.conf:5: "center.code" is set twice, on lines 1 and 5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			err := ParseConfigFile(&c, strings.NewReader(tt.file), "kiosk.conf")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestValidateSaysWhatIsWrong(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"center code", func(c *Config) { c.Center = "xh 01" }, "center.code"},
		{"paper width", func(c *Config) { c.PaperWidth = 60 }, "printer.width is 60"},
		{"usb id", func(c *Config) { c.Printer.USB = "printer" }, "printer.usb"},
		{"real devices need a place", func(c *Config) { c.Simulate = false; c.BackOffice = "https://x.example" }, "idreader has neither a port nor a usb identity"},
		{"back office url", func(c *Config) { c.BackOffice = "ftp://x" }, "backoffice.url"},
		{"baud", func(c *Config) { c.Scanner.Baud = 1234 }, "scanner.baud 1234"},
		{"volume", func(c *Config) { c.Voice.Volume = 120 }, "voice.volume"},
		{"quiet hours", func(c *Config) { c.Voice.QuietHours = "10pm-7am" }, "voice.quiet_hours"},
		{"counter hours", func(c *Config) { c.Hours = "weekdays 9-5" }, "center.hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.change(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestPackagedExampleConfigIsValid(t *testing.T) {
	f, err := os.Open("../../packaging/kiosk.conf.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := DefaultConfig()
	if err := ParseConfigFile(&c, f, "kiosk.conf.example"); err != nil {
		t.Fatal(err)
	}
	if c.Simulate || !c.Fullscreen || c.Printer.Port != "/dev/kiosk-printer" {
		t.Fatalf("parsed %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

// FuzzParseConfigFile: a configuration file is outside bytes; whatever it
// holds, parsing returns an error or a configuration, and never panics.
func FuzzParseConfigFile(f *testing.F) {
	f.Add("center.code = XH01\nprinter.width = 80\n")
	f.Add("# comment\n\nsimulate = true\nsync.interval = 10s\n")
	f.Add("printer.widht = 80")
	f.Add("idreader.baud = 9600\nidreader.usb = 10c4:ea60\n")
	f.Add("=\n= =\nkey\n\x00\xff")
	f.Fuzz(func(t *testing.T, file string) {
		c := DefaultConfig()
		if err := ParseConfigFile(&c, strings.NewReader(file), "fuzz.conf"); err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.conf") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		_ = c.Validate() // must not panic either
	})
}

// TestDefaultsAreRealDevices: a configuration that forgets simulate starts
// on real devices (and fails until they are named), never on simulated ones.
func TestDefaultsAreRealDevices(t *testing.T) {
	c := DefaultConfig()
	if c.Simulate {
		t.Fatal("the default configuration simulates its devices")
	}
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "idreader has neither a port nor a usb identity") || !strings.Contains(err.Error(), "backoffice.url is empty") {
		t.Errorf("defaults without devices or back office: %v; want both named", err)
	}
	c.Simulate = true
	if err := c.Validate(); err != nil {
		t.Errorf("defaults with simulate = true: %v", err)
	}
}

// TestA4Config: the A4 printer's queue is optional; when named, a bad
// name or scheduler address is explained, and a file sets both keys.
func TestA4Config(t *testing.T) {
	c := DefaultConfig()
	c.Simulate = true
	if err := c.Validate(); err != nil || c.A4.Queue != "" {
		t.Fatalf("no A4 queue by default: %v %q", err, c.A4.Queue)
	}
	for _, tc := range []struct {
		queue, server, want string
	}{
		{"A4 printer/1", "http://127.0.0.1:631", "a4.queue"},
		{"A4", "ipp//x", "a4.server"},
	} {
		c := DefaultConfig()
		c.Simulate = true
		c.A4 = A4Config{Queue: tc.queue, Server: tc.server}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want it to mention %s", c.A4, err, tc.want)
		}
	}
	c = DefaultConfig()
	c.Simulate = true
	if err := ParseConfigFile(&c, strings.NewReader("a4.queue = Office_A4\na4.server = http://10.0.0.5:631\n"), "kiosk.conf"); err != nil {
		t.Fatal(err)
	}
	if c.A4.Queue != "Office_A4" || c.A4.Server != "http://10.0.0.5:631" || c.Validate() != nil {
		t.Errorf("parsed %+v: %v", c.A4, c.Validate())
	}
}

func TestDefaultRetentionIsMinutes(t *testing.T) {
	if r := DefaultConfig().Retention; r <= 0 || r > time.Hour {
		t.Errorf("default queue.retention %v; acknowledged personal data should go within minutes", r)
	}
}

// TestQueueTPM: queue.tpm takes auto, off, a device or a swtpm socket, and
// says what it wants for anything else.
func TestQueueTPM(t *testing.T) {
	for _, tc := range []struct {
		line string
		ok   bool
	}{
		{"", true}, {"queue.tpm = auto", true}, {"queue.tpm = off", true},
		{"queue.tpm = /dev/tpmrm0", true}, {"queue.tpm = unix:/run/swtpm/sock", true},
		{"queue.tpm = yes", false}, {"queue.tpm = tpmrm0", false}, {"queue.tpm = unix:", false},
	} {
		c := DefaultConfig()
		c.Simulate = true
		if err := ParseConfigFile(&c, strings.NewReader(tc.line+"\n"), "kiosk.conf"); err != nil {
			t.Fatalf("%q: %v", tc.line, err)
		}
		err := c.Validate()
		if tc.ok != (err == nil) {
			t.Errorf("%q: Validate = %v, want ok=%v", tc.line, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "queue.tpm") {
			t.Errorf("%q: the error does not name queue.tpm: %v", tc.line, err)
		}
	}
}
