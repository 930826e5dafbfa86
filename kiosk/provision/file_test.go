package provision

import (
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/config"
)

// goodFile is a whole provision file for a synthetic terminal.
const goodFile = `# 测试中心 terminal 1
center.name    = 测试区测试街道社区事务受理服务中心
center.code    = CS01
terminal.code  = CS0101
backoffice.url = https://10.0.2.2:8443
idreader.port  = /dev/ttyS1
printer.port   = /dev/ttyS2
scanner.port   = /dev/ttyS3
enrol.token    = tbe_0123456789abcdef0123456789abcdef
enrol.ca       = backoffice-ca.pem
enrol.ca_fingerprint = SM3:0000-1111-2222-3333-4444-5555-6666-7777-8888-9999-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF
`

func TestParse(t *testing.T) {
	f, err := Parse([]byte(goodFile), FileName)
	if err != nil {
		t.Fatal(err)
	}
	if f.Config.Center != "CS01" || f.Config.Terminal != "CS0101" || f.Config.IDReader.Port != "/dev/ttyS1" {
		t.Errorf("config = %+v", f.Config)
	}
	if f.Token != "tbe_0123456789abcdef0123456789abcdef" || f.CA != "backoffice-ca.pem" || f.Used {
		t.Errorf("token %q, ca %q, used %v", f.Token, f.CA, f.Used)
	}
	if _, err := Parse([]byte(strings.ReplaceAll(goodFile, "\n", "\r\n")), FileName); err != nil {
		t.Errorf("a file written on Windows: %v", err)
	}
}

func TestParseRefusesWithTheFieldNamed(t *testing.T) {
	without := func(key string) string {
		var keep []string
		for _, l := range strings.Split(goodFile, "\n") {
			if !strings.HasPrefix(l, key) {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "is empty"},
		{"cut short while written", goodFile[:strings.Index(goodFile, "enrol.token")+14], `middle of a line ("enrol.token")`},
		{"not text", "center.code = \xff\xfe\n", "not a text file"},
		{"no token", without("enrol.token"), "does not set enrol.token"},
		{"no back office", without("backoffice.url"), "does not set backoffice.url"},
		{"no center name", without("center.name"), "does not set center.name"},
		{"no terminal code", without("terminal.code"), "does not set terminal.code"},
		{"unknown enrol key", goodFile + "enrol.pin = 1234\n", `:12: unknown key "enrol.pin"`},
		{"unknown key", goodFile + "colour = red\n", `:12: unknown key "colour"`},
		{"token twice", goodFile + "enrol.token = tbe_ffffffffffffffff\n", "enrol.token is set twice, on lines 9 and 12"},
		{"not a token", strings.Replace(goodFile, "tbe_0123456789abcdef0123456789abcdef", "0123 4567", 1), "is not an enrolment token"},
		{"CA as a path", strings.Replace(goodFile, "backoffice-ca.pem", "/etc/shadow", 1), "must be a file name beside"},
		{"bad terminal code", strings.Replace(goodFile, "CS0101", "cs-01 01", 1), "terminal.code"},
		{"bad url", strings.Replace(goodFile, "https://10.0.2.2:8443", "ftp://x", 1), "backoffice.url"},
		{"too big", goodFile + "# " + strings.Repeat("x", maxFileSize) + "\n", "a provision file is a few lines"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.file), FileName)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse: %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

func TestWithoutTokenThenParseAgain(t *testing.T) {
	f, err := Parse([]byte(goodFile), FileName)
	if err != nil {
		t.Fatal(err)
	}
	data, err := f.WithoutToken(time.Date(2026, 12, 5, 1, 2, 3, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "tbe_") {
		t.Fatalf("the token is still in the file:\n%s", data)
	}
	again, err := Parse(data, FileName)
	if err != nil {
		t.Fatalf("the file without its token: %v", err)
	}
	if !again.Used || again.Token != "" || again.Config.Terminal != "CS0101" {
		t.Errorf("again: used %v token %q terminal %q", again.Used, again.Token, again.Config.Terminal)
	}
	if _, err := again.WithoutToken(time.Now()); err == nil {
		t.Error("a used file has no token to remove")
	}
}

func TestConfigTextIsTheTerminalsConfiguration(t *testing.T) {
	f, err := Parse([]byte(goodFile+"data.dir = /somewhere/else\n"), FileName)
	if err != nil {
		t.Fatal(err)
	}
	text := string(f.ConfigText("/var/lib/tongban"))
	if strings.Contains(text, "enrol.") || strings.Contains(text, "/somewhere/else") {
		t.Errorf("the configuration keeps provision-only lines:\n%s", text)
	}
	c := config.DefaultConfig()
	if err := config.ParseConfigFile(&c, strings.NewReader(text), ConfigName); err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/var/lib/tongban" || c.Terminal != "CS0101" || c.BackOffice != "https://10.0.2.2:8443" {
		t.Errorf("config = %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(goodFile))
	f.Add([]byte("enrol.token = tbe_x\n"))
	f.Add([]byte("# enrol.token used on 2026-12-05T01:02:03Z\ncenter.code=CS01\n"))
	f.Add([]byte("center.code\n=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, FileName)
		if err != nil {
			return
		}
		// Whatever parses yields a configuration that validates and reads
		// back the same terminal, and a token that is one word.
		if err := p.Config.Validate(); err != nil {
			t.Fatalf("parsed but invalid: %v", err)
		}
		c := config.DefaultConfig()
		if err := config.ParseConfigFile(&c, strings.NewReader(string(p.ConfigText("/d"))), ConfigName); err != nil {
			t.Fatalf("ConfigText does not parse: %v", err)
		}
		if c.Terminal != p.Config.Terminal || c.Center != p.Config.Center {
			t.Fatalf("ConfigText changed the terminal: %s/%s vs %s/%s", c.Terminal, c.Center, p.Config.Terminal, p.Config.Center)
		}
		if strings.ContainsAny(p.Token, " \t\n=") {
			t.Fatalf("token %q", p.Token)
		}
	})
}
