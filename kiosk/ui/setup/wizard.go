package setup

import (
	"encoding/pem"

	"context"
	"errors"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tongban/tongban/internal/sealed"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// Applier applies a provision file, reporting each step as it ends
// (provision.Applier.Apply with its Progress).
type Applier func(ctx context.Context, path string, progress func(provision.Step, error)) error

// Options configure the set-up.
type Options struct {
	// ProvFile is the provision file on the TONGBAN-PROV partition; when it
	// exists, set-up applies it without questions.
	ProvFile string
	// Draft is where a typed set-up writes its provision file before
	// applying it (on the data partition, never the stick).
	Draft string
	// CAFile is the back office CA certificate a typed set-up trusts (on
	// the stick beside where the provision file would be); "" for none.
	CAFile string
	Apply  Applier
	// Checks are the network, clock and device checks a typed set-up runs
	// before enrolling; nil skips them and names the udev links.
	Checks *Checks
	Pinyin keyboard.Candidates // for the center's name; nil: Latin only
	Done   func()              // the terminal is set up
	// Scanner reads the terminal's QR scanner while the form is shown,
	// calling got for each code (err for one read but unusable): an
	// enrolment code from the console's Enrol page fills the address,
	// the token and the fingerprint. It returns nil when ctx ends (the
	// form was left: the checks then probe and test the port), or why
	// the scanner cannot be read; typing goes on either way. Nil: no
	// scanner.
	Scanner func(ctx context.Context, got func(code string, err error)) error
}

// The fields a technician types, in order. The CA fingerprint is required
// only when no CA file on the stick pins the back office; a scanned
// enrolment code fills it with the address and the token.
var fieldKeys = []string{"center.name", "center.code", "terminal", "url", "token", "fingerprint"}

// optional are the fields that may stay empty (see caPinned).
var optional = map[string]bool{"fingerprint": true}

// Wizard is the set-up on one window.
type Wizard struct {
	win  fyne.Window
	o    Options
	ctx  context.Context
	lang int // 0 Chinese, 1 English

	entries map[string]*widget.Entry
	buttons map[string]*widgets.Button // by name: lang:zh, pick:<field>, start, retry, back
	keys    func(name string) *widgets.Button
	focus   string
	kb      fyne.CanvasObject
	kbBox   *fyne.Container
	message *canvas.Text
	scanOff *canvas.Text // says when the scanner cannot be read

	scanStop context.CancelFunc // ends the scanner's reading; nil while it does not read
	scanDone chan struct{}      // closed once the scanner's port is let go (under mu)

	words      *i18n.Catalog // the screens' words, for the devices' states (nil: the protocol's words)
	checks     *checkState   // the checks' progress, kept across 返回修改
	draft      string        // the typed fields as provision lines, while checking
	checkLines []string

	mu      sync.Mutex
	results []string // one line per finished step, for the screen and tests
	running bool
}

// Show opens the set-up on w: zero-touch when the provision file exists,
// the typed set-up otherwise.
func Show(ctx context.Context, w fyne.Window, o Options) *Wizard {
	z := &Wizard{win: w, o: o, ctx: ctx, entries: map[string]*widget.Entry{}, buttons: map[string]*widgets.Button{}}
	z.words, _ = i18n.Load()
	if _, err := os.Stat(o.ProvFile); o.ProvFile != "" && err == nil {
		z.zeroTouch()
		return z
	}
	z.languagePage()
	return z
}

func (z *Wizard) t(key string) string { return words[key][z.lang] }

func big(text string, size float32, bold bool) *canvas.Text {
	c := canvas.NewText(text, color.Black)
	c.TextSize = size
	c.TextStyle = fyne.TextStyle{Bold: bold}
	return c
}

func (z *Wizard) languagePage() {
	zh := z.button("lang:zh", widgets.NewButtonWith(words["lang"][0], widgets.Primary, func() { z.lang = 0; z.formPage() }))
	en := z.button("lang:en", widgets.NewButtonWith(words["lang"][1], widgets.Primary, func() { z.lang = 1; z.formPage() }))
	z.win.SetContent(container.NewVBox(
		layout.NewSpacer(),
		container.NewCenter(big(words["title"][0]+"  "+words["title"][1], 48, true)),
		container.NewCenter(big(words["choose.lang"][0]+" / "+words["choose.lang"][1], 32, false)),
		container.NewCenter(container.NewHBox(zh, en)),
		layout.NewSpacer(),
	))
}

// formPage lays the fields out on the left and the keyboard on the right,
// so that the page fits a 1920x1080 panel without growing the window.
func (z *Wizard) formPage() {
	rows := []fyne.CanvasObject{big(z.t("title"), 44, true)}
	if z.o.ProvFile != "" {
		rows = append(rows, big(z.t("no.provision"), 24, false))
	}
	rows = append(rows, big(z.t("hint"), 22, false))
	var grid []fyne.CanvasObject
	for _, k := range fieldKeys {
		e, ok := z.entries[k]
		if !ok {
			e = widget.NewEntry()
			z.entries[k] = e
		}
		e.TextStyle = fyne.TextStyle{Monospace: k != "center.name"}
		if hint, ok := words["hint."+k]; ok {
			e.SetPlaceHolder(hint[z.lang])
		}
		pick := z.button("pick:"+k, widgets.NewButton(z.t(k), func() { z.use(k) }))
		grid = append(grid, pick, e)
	}
	rows = append(rows, container.NewGridWithColumns(2, grid...))
	wide := canvas.NewRectangle(color.Transparent) // room to read a whole address or token
	wide.SetMinSize(fyne.NewSize(820, 0))
	rows = append(rows, wide)
	z.message = big("", 26, true)
	z.message.Color = color.NRGBA{R: 0xb0, A: 0xff}
	next := z.button("start", widgets.NewButtonWith(z.t("start"), widgets.Primary, z.submit))
	// Beside the button, so that the page keeps to the panel's height.
	z.scanOff = big("", 22, false)
	z.scanOff.Color = color.Gray{Y: 0x60}
	rows = append(rows, z.message, container.NewHBox(next, container.NewCenter(z.scanOff)))
	z.kbBox = container.NewStack()
	left := container.NewPadded(container.NewVBox(rows...))
	z.win.SetContent(container.NewBorder(nil, nil, left, nil, container.NewVBox(layout.NewSpacer(), z.kbBox, layout.NewSpacer())))
	z.use(fieldKeys[0])
	z.listen()
}

// listen reads the scanner while the form is shown (Options.Scanner).
func (z *Wizard) listen() {
	if z.o.Scanner == nil || z.scanStop != nil {
		return
	}
	ctx, cancel := context.WithCancel(z.ctx)
	done := make(chan struct{})
	z.scanStop = cancel
	z.mu.Lock()
	z.scanDone = done
	z.mu.Unlock()
	note := z.scanOff
	go func() {
		defer close(done)
		err := z.o.Scanner(ctx, func(code string, err error) {
			fyne.Do(func() {
				if ctx.Err() == nil { // still on the form
					z.scanned(code, err)
				}
			})
		})
		if err != nil && ctx.Err() == nil {
			fyne.Do(func() {
				if ctx.Err() == nil {
					note.Text = z.t("scan.off")
					note.Refresh()
				}
			})
		}
	}()
}

// stopScanning ends the scanner's reading as the form is left.
func (z *Wizard) stopScanning() {
	if z.scanStop != nil {
		z.scanStop()
		z.scanStop = nil
	}
}

// scannerFree waits until the form's reading has let the scanner's port
// go, so that the checks' probe and test have it to themselves.
func (z *Wizard) scannerFree() {
	z.mu.Lock()
	done := z.scanDone
	z.mu.Unlock()
	if done == nil {
		return
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	case <-z.ctx.Done():
	}
}

// use points the keyboard at a field: pinyin for the center's name in
// Chinese, Latin with the characters addresses and tokens need otherwise.
func (z *Wizard) use(key string) {
	z.focus = key
	for _, k := range fieldKeys { // the field being typed into is marked
		label := z.t(k)
		if k == key {
			label = "▶ " + label
		}
		z.buttons["pick:"+k].SetText(label)
	}
	target := keyboard.ForEntry(z.entries[key], 200)
	labels := keyboard.ChineseLabels()
	if z.lang == 1 {
		labels = keyboard.EnglishLabels()
	}
	cfg := keyboard.Config{Labels: labels, Layout: keyboard.AlphabeticalWide}
	if key == "center.name" && z.lang == 0 && z.o.Pinyin != nil {
		kb := keyboard.NewPinyin(target, z.o.Pinyin, cfg)
		z.kb, z.keys = kb, kb.Key
	} else {
		kb := keyboard.NewLatin(target, cfg)
		extra := map[string]*widgets.Button{}
		// Codes, addresses and tokens need digits and : / _, which the
		// narrow letter layout leaves out.
		var rows []fyne.CanvasObject
		for _, keys := range []string{"1234567", "890:/_"} {
			var row []fyne.CanvasObject
			for _, r := range keys {
				extra[string(r)] = widgets.NewButton(string(r), func() { target.Append(r) })
				row = append(row, extra[string(r)])
			}
			rows = append(rows, container.NewCenter(container.NewHBox(row...)))
		}
		z.kb = container.NewVBox(append(rows, kb)...)
		z.keys = func(name string) *widgets.Button {
			if b, ok := extra[name]; ok {
				return b
			}
			return kb.Key(name)
		}
	}
	z.kbBox.Objects = []fyne.CanvasObject{z.kb}
	z.kbBox.Refresh()
}

// Field returns a field's entry, for tests (key as in fieldKeys).
func (z *Wizard) Field(key string) *widget.Entry { return z.entries[key] }

// Key returns the on-screen keyboard's key by name (a letter, a digit,
// ":", "/", "_", or keyboard.Key* names), for tests; nil if none.
func (z *Wizard) Key(name string) *widgets.Button { return z.keys(name) }

// Button returns one of the set-up's own buttons by name (lang:zh,
// lang:en, pick:<field>, start, retry, back), for tests; nil if not shown.
func (z *Wizard) Button(name string) *widgets.Button {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.buttons[name]
}

func (z *Wizard) button(name string, b *widgets.Button) *widgets.Button {
	z.mu.Lock()
	z.buttons[name] = b
	z.mu.Unlock()
	return b
}

// Results returns one line per finished step of the last attempt.
func (z *Wizard) Results() []string {
	z.mu.Lock()
	defer z.mu.Unlock()
	return append([]string(nil), z.results...)
}

// Scanned takes an enrolment code from the console's Enrol page (its QR
// code, read by the scanner): the back office's address, the token and
// the CA fingerprint are filled in from it. What is wrong with a code is
// said on the form. On the UI goroutine; nothing happens off the form.
func (z *Wizard) Scanned(code string) { z.scanned(code, nil) }

// Message returns what the form says under its fields (a missing field,
// a scanned code taken or refused), for tests.
func (z *Wizard) Message() string {
	if z.message == nil {
		return ""
	}
	return z.message.Text
}

// ScannerNote returns what the form says about the scanner ("" while it
// is read, or when there is none), for tests.
func (z *Wizard) ScannerNote() string {
	if z.scanOff == nil {
		return ""
	}
	return z.scanOff.Text
}

var (
	red   = color.NRGBA{R: 0xb0, A: 0xff}
	green = color.NRGBA{G: 0x80, A: 0xff}
)

func (z *Wizard) say(text string, col color.Color) {
	z.message.Text = text
	z.message.Color = col
	z.message.Refresh()
}

// scanned takes a code the scanner read (readErr: read but unusable).
func (z *Wizard) scanned(code string, readErr error) {
	if z.message == nil {
		return
	}
	if readErr != nil {
		z.say(z.t("scan.unreadable"), red)
		return
	}
	if err := z.takeCode(code); err != nil {
		z.say(err.Error(), red)
		return
	}
	z.say(z.t("scan.ok"), green)
}

// takeCode fills the fields from an enrolment code; what is wrong with it
// is said in the wizard's language.
func (z *Wizard) takeCode(code string) error {
	if !api.IsEnrolmentCode(code) {
		return errors.New(z.t("scan.foreign"))
	}
	c, err := api.ParseEnrolmentCode(code)
	if err != nil {
		return fmt.Errorf(z.t("scan.bad"), err)
	}
	z.entries["url"].SetText(c.Server)
	z.entries["token"].SetText(c.Token)
	z.entries["fingerprint"].SetText(c.CAFingerprint)
	return nil
}

// caPinned reports whether a CA file on the stick pins the back office.
func (z *Wizard) caPinned() bool {
	if z.o.CAFile == "" {
		return false
	}
	_, err := os.Stat(z.o.CAFile)
	return err == nil
}

func (z *Wizard) submit() {
	val := func(k string) string { return strings.TrimSpace(z.entries[k].Text) }
	// An enrolment code typed or pasted into the token's field.
	if api.IsEnrolmentCode(val("token")) {
		if err := z.takeCode(val("token")); err != nil {
			z.say(err.Error(), red)
			return
		}
	}
	var missing []string
	for _, k := range fieldKeys {
		if val(k) == "" && (!optional[k] || k == "fingerprint" && !z.caPinned()) {
			missing = append(missing, strings.SplitN(z.t(k), "（", 2)[0])
		}
	}
	if len(missing) > 0 {
		z.say(z.t("missing")+strings.Join(missing, "、"), red)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "center.name = %s\ncenter.code = %s\nterminal.code = %s\n", val("center.name"), strings.ToUpper(val("center.code")), strings.ToUpper(val("terminal")))
	url := val("url")
	if !strings.Contains(url, "://") {
		url = "https://" + url
	}
	fmt.Fprintf(&b, "backoffice.url = %s\n", url)
	fmt.Fprintf(&b, "enrol.token = %s\n", val("token"))
	// The folder first: the CA's copy goes beside the draft.
	if err := os.MkdirAll(filepath.Dir(z.o.Draft), 0o700); err != nil {
		z.message.Text = err.Error()
		z.message.Refresh()
		return
	}
	if z.o.CAFile != "" {
		if _, err := os.Stat(z.o.CAFile); err == nil {
			data, err := os.ReadFile(z.o.CAFile)
			if err == nil {
				err = os.WriteFile(filepath.Join(filepath.Dir(z.o.Draft), filepath.Base(z.o.CAFile)), data, 0o600)
			}
			if err == nil {
				fmt.Fprintf(&b, "enrol.ca = %s\n", filepath.Base(z.o.CAFile))
				// The CA file on the image's provisioning partition is the
				// pin, unless one was typed or scanned (then the file must
				// match it).
				if blk, _ := pem.Decode(data); blk != nil && val("fingerprint") == "" {
					fmt.Fprintf(&b, "enrol.ca_fingerprint = %s\n", sealed.Fingerprint(blk.Bytes))
				}
			}
		}
	}
	if val("fingerprint") != "" {
		fmt.Fprintf(&b, "enrol.ca_fingerprint = %s\n", val("fingerprint"))
	}
	// The form is left: the checks (or the enrolment) come next.
	z.stopScanning()
	if z.o.Checks != nil {
		// The network, the clock and the devices are checked first; the
		// devices' lines come from what was found.
		z.checksPage(url, b.String())
		return
	}
	b.WriteString("idreader.port = /dev/kiosk-idreader\nprinter.port = /dev/kiosk-printer\nscanner.port = /dev/kiosk-scanner\n")
	if err := z.enrol(b.String()); err != nil {
		z.message.Text = err.Error()
		z.message.Refresh()
	}
}

// enrol writes the draft provision file and applies it.
func (z *Wizard) enrol(draft string) error {
	if err := os.WriteFile(z.o.Draft, []byte(draft), 0o600); err != nil {
		return err
	}
	z.progressPage(z.t("working"), z.o.Draft)
	return nil
}

// progressPage applies the provision file at path, showing each step as it
// ends; a failure shows what to check, with 重试 (and, for a typed set-up,
// 返回修改 to correct a field).
func (z *Wizard) progressPage(heading, path string, before ...string) {
	z.mu.Lock()
	if z.running {
		z.mu.Unlock()
		return
	}
	z.running = true
	z.results = append([]string(nil), before...)
	delete(z.buttons, "retry")
	delete(z.buttons, "back")
	z.mu.Unlock()
	lines := container.NewVBox()
	for _, l := range before {
		lines.Add(big(l, 30, false))
	}
	status := big("", 30, true)
	buttons := container.NewHBox()
	z.win.SetContent(container.NewVBox(
		container.NewCenter(big(z.t("title"), 44, true)),
		container.NewCenter(big(heading, 30, false)),
		lines, status, container.NewCenter(buttons),
	))
	go func() {
		err := z.o.Apply(z.ctx, path, func(s provision.Step, err error) {
			line := "✓ " + z.t(stepKeys[s]) + "  " + z.t("ok")
			if err != nil {
				line = "✗ " + z.t(stepKeys[s])
			}
			z.mu.Lock()
			z.results = append(z.results, line)
			z.mu.Unlock()
			fyne.Do(func() { lines.Add(big(line, 30, false)); z.relayout() })
		})
		z.mu.Lock()
		z.running = false
		z.mu.Unlock()
		fyne.Do(func() {
			if err == nil {
				status.Text = z.t("done")
				status.Refresh()
				if z.o.Done != nil {
					z.o.Done()
				}
				return
			}
			if errors.Is(err, context.Canceled) {
				return
			}
			status.Text = z.t("failed")
			status.Color = color.NRGBA{R: 0xb0, A: 0xff}
			status.Refresh()
			why := widget.NewLabel(err.Error())
			why.Wrapping = fyne.TextWrapWord
			lines.Add(why)
			buttons.Add(z.button("retry", widgets.NewButtonWith(z.t("retry"), widgets.Primary, func() { z.progressPage(heading, path, before...) })))
			if path == z.o.Draft {
				buttons.Add(z.button("back", widgets.NewButton(z.t("back"), z.formPage)))
			}
			z.relayout()
		})
	}()
}

// relayout lays the page out again after a line was added, so that what
// stands below the lines (the status, the buttons) moves down with them.
func (z *Wizard) relayout() {
	if c := z.win.Content(); c != nil {
		c.Refresh()
	}
}
