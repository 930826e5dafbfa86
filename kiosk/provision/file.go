package provision

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk/config"
)

// FileName is the provision file's name on the TONGBAN-PROV partition.
const FileName = "tongban-provision.conf"

// maxFileSize bounds what Parse reads: a provision file is a few lines.
const maxFileSize = 64 << 10

// The provision file's own keys, beside the configuration's.
const (
	keyToken = "enrol.token"
	keyCA    = "enrol.ca"
	keyPin   = "enrol.ca_fingerprint"
)

// usedMark replaces the token's line once the token is used.
const usedMark = "# enrol.token used on "

// required are the configuration keys a provision file must set: the
// defaults of the others are a terminal's, but these name this terminal.
var required = []string{"center.code", "center.name", "terminal.code", "backoffice.url"}

// File is a parsed provision file.
type File struct {
	Config config.Config // config.DefaultConfig with the file's lines applied
	Token  string        // the enrolment token; "" once used
	Used   bool          // the file says its token was used
	CA     string        // the back office CA's file name, beside the provision file
	// CAFingerprint names the back office CA (SM3:…, as the back office
	// logs it at start): the token goes only to a server of that CA.
	CAFingerprint string

	lines     []string // the file's lines
	tokenLine int      // index of the token's line in lines, -1 without
}

// Parse reads a provision file (named name in errors). A file that is not
// whole (cut short while being written), not text, or missing a field this
// terminal needs is refused with the field or line named, in plain words.
func Parse(data []byte, name string) (*File, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%s is empty: write the terminal's settings into it", name)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s is %d bytes: a provision file is a few lines (at most %d bytes)", name, len(data), maxFileSize)
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, fmt.Errorf("%s is not a text file (UTF-8): write it again with a text editor", name)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasSuffix(text, "\n") {
		last := text[strings.LastIndexByte(text, '\n')+1:]
		key, _, _ := strings.Cut(last, "=")
		return nil, fmt.Errorf("%s ends in the middle of a line (%q): the file was not written completely; write it again and eject the stick safely", name, strings.TrimSpace(key))
	}
	f := &File{lines: strings.Split(strings.TrimSuffix(text, "\n"), "\n"), tokenLine: -1}
	// The configuration's parser reads every line but the provision file's
	// own, which are blanked so that its line numbers stay the file's.
	conf := make([]string, len(f.lines))
	set := map[string]bool{}
	for i, line := range f.lines {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, usedMark) {
			f.Used = true
			continue
		}
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		key, val, ok := strings.Cut(t, "=")
		key, val = strings.TrimSpace(key), strings.Trim(strings.TrimSpace(val), `"`)
		switch {
		case ok && key == keyToken:
			if f.tokenLine >= 0 {
				return nil, fmt.Errorf("%s:%d: %s is set twice, on lines %d and %d; keep one", name, i+1, key, f.tokenLine+1, i+1)
			}
			f.Token, f.tokenLine = val, i
		case ok && key == keyCA:
			f.CA = val
		case ok && key == keyPin:
			f.CAFingerprint = val
		case ok && strings.HasPrefix(key, "enrol."):
			return nil, fmt.Errorf("%s:%d: unknown key %q (a provision file knows %s, %s and %s)", name, i+1, key, keyToken, keyCA, keyPin)
		default:
			conf[i] = line
			set[key] = true
		}
	}
	f.Config = config.DefaultConfig()
	if err := config.ParseConfigFile(&f.Config, strings.NewReader(strings.Join(conf, "\n")), name); err != nil {
		return nil, err
	}
	var missing []string
	for _, k := range required {
		if !set[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s does not set %s: the terminal needs them to be set up", name, strings.Join(missing, ", "))
	}
	if f.Token == "" && !f.Used {
		return nil, fmt.Errorf("%s does not set %s: ask the back office console for this terminal's enrolment token", name, keyToken)
	}
	if f.Token != "" && !api.TokenShape(f.Token) {
		return nil, fmt.Errorf("%s:%d: %s %q is not an enrolment token (they begin with tbe_, tbr_ or tbm_ and are one word); copy it again from the back office", name, f.tokenLine+1, keyToken, f.Token)
	}
	if f.Token != "" && f.CAFingerprint == "" {
		return nil, fmt.Errorf("%s does not set %s: copy the CA fingerprint (SM3:…) from the provisioning sheet; without it the token could go to anyone", name, keyPin)
	}
	if strings.ContainsAny(f.CA, `/\`) {
		return nil, fmt.Errorf("%s: %s %q must be a file name beside the provision file, not a path", name, keyCA, f.CA)
	}
	if err := f.Config.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return f, nil
}

// ConfigText returns the terminal's configuration file: the provision
// file's configuration lines, without the provision file's own keys, and
// with data.dir set to dataDir.
func (f *File) ConfigText(dataDir string) []byte {
	var b strings.Builder
	b.WriteString("# Written by the terminal's set-up from its provision file.\n")
	for _, line := range f.lines {
		t := strings.TrimSpace(line)
		key, _, _ := strings.Cut(t, "=")
		key = strings.TrimSpace(key)
		if strings.HasPrefix(key, "enrol.") || strings.HasPrefix(t, usedMark) || key == "data.dir" {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "data.dir = %s\n", dataDir)
	return []byte(b.String())
}

// WithoutToken returns the file with its token's line replaced by a note of
// when it was used, so that the stick no longer carries a live token.
func (f *File) WithoutToken(now time.Time) ([]byte, error) {
	if f.tokenLine < 0 {
		return nil, errors.New("provision: the file holds no token")
	}
	lines := append([]string(nil), f.lines...)
	lines[f.tokenLine] = usedMark + now.UTC().Format(time.RFC3339)
	return []byte(strings.Join(lines, "\n") + "\n"), nil
}
