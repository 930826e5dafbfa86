package install

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk/audit"
	sys "github.com/tongban/tongban/kiosk/install"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// Options wire the screen to the terminal.
type Options struct {
	Lang int // 0 Chinese, 1 English
	// Installer does the work: sys.NewRemote(sys.SocketPath) in the kiosk,
	// which runs unprivileged; a sys.Machine where the process is root.
	Installer sys.Installer
	Audit     technician.Auditor // nil: not recorded
	Actor     string             // the technician logged in, for the audit trail
	// Restart restarts the terminal after a verified install (the install
	// service's reboot: sys.Remote.Reboot); an error is shown with what to
	// do by hand. Nil: no restart button.
	Restart func(ctx context.Context) error
	Leave   func() // back to technician mode
}

// Screen is the install screen on one window.
type Screen struct {
	w   fyne.Window
	o   Options
	ctx context.Context

	shown    widgets.Page // the page's buttons and texts, for tests
	mu       sync.Mutex
	keys     func(name string) *widgets.Button
	busy     bool // a copy runs: Wait waits for it
	stop     context.CancelFunc
	bar      *widget.ProgressBar
	stage    *canvas.Text
	amount   *canvas.Text
	size     int64    // the image's bytes; 0 when unknown
	progress []string // the progress lines shown now
}

// Show opens the list of disks on w.
func Show(ctx context.Context, w fyne.Window, o Options) *Screen {
	s := &Screen{w: w, o: o, ctx: ctx}
	s.listPage()
	return s
}

func (s *Screen) t(key string, args ...any) string {
	f := words[key][s.o.Lang]
	if len(args) > 0 && strings.Contains(f, "%") {
		return fmt.Sprintf(f, args...)
	}
	return f
}

// Button returns a button of the page shown by name, for tests.
func (s *Screen) Button(name string) *widgets.Button {
	return s.shown.Find(name)
}

// Key returns the on-screen keyboard's key, for tests.
func (s *Screen) Key(name string) *widgets.Button {
	if s.keys == nil {
		return nil
	}
	return s.keys(name)
}

// Texts returns the lines the page shows, for tests.
func (s *Screen) Texts() []string {
	out := s.shown.Texts()
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(out, s.progress...)
}

// Busy tells whether a copy is running.
func (s *Screen) Busy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.busy
}

func (s *Screen) page() {
	s.shown.Reset()
	s.mu.Lock()
	s.progress = nil
	s.keys = nil
	s.mu.Unlock()
}

func (s *Screen) button(name, label string, imp widgets.Importance, tapped func()) *widgets.Button {
	return s.shown.Button(name, label, imp, tapped)
}

func (s *Screen) text(str string, size float32, bold bool, col color.Color) *canvas.Text {
	return s.shown.Text(str, size, bold, col)
}

var (
	black = color.NRGBA{R: 0x1a, G: 0x1a, B: 0x1a, A: 0xff}
	grey  = color.NRGBA{R: 0x4a, G: 0x4a, B: 0x4a, A: 0xff}
	red   = color.NRGBA{R: 0xb3, G: 0x26, B: 0x1e, A: 0xff}
	green = color.NRGBA{R: 0x1b, G: 0x6e, B: 0x2f, A: 0xff}
)

func (s *Screen) record(detail string) {
	if s.o.Audit != nil {
		s.o.Audit.Append(audit.Event{Kind: audit.TechnicianAction, Actor: s.o.Actor, Detail: detail})
	}
}

func (s *Screen) leave() {
	if s.o.Leave != nil {
		s.o.Leave()
	}
}

func (s *Screen) center(o fyne.CanvasObject) fyne.CanvasObject { return container.NewCenter(o) }

// listPage lists the disks, each a button; a disk too small is greyed
// with the reason beside it.
func (s *Screen) listPage() {
	s.page()
	s.size, _ = s.o.Installer.ImageSize()
	explain := s.t("explain.size")
	if s.size > 0 {
		explain = s.t("explain", sys.HumanBytes(s.size))
	}
	rows := []fyne.CanvasObject{
		s.center(s.text(s.t("title"), 48, true, black)),
		s.center(s.text(explain, 30, false, black)),
		layout.NewSpacer(),
	}
	disks, err := s.o.Installer.Disks()
	switch {
	case errors.Is(err, sys.ErrNotFromUSB):
		rows = append(rows, s.line(s.t("notusb"), red))
	case err != nil:
		rows = append(rows, s.line(s.t("error", err.Error()), red))
	case len(disks) == 0:
		rows = append(rows, s.line(s.t("none"), red))
	}
	for _, d := range disks {
		label := s.describe(d)
		b := s.button("disk."+d.Name, label, widgets.Secondary, func() { s.confirmPage(d, "") })
		if s.size > 0 && d.Bytes < s.size {
			b.SetText(label + "  —  " + s.t("toosmall"))
			b.Disable()
		}
		rows = append(rows, s.center(b))
	}
	rows = append(rows, layout.NewSpacer(), s.center(container.NewHBox(
		s.button("back", s.t("back"), widgets.Secondary, s.leave),
		s.button("refresh", s.t("refresh"), widgets.Secondary, s.listPage),
	)))
	s.w.SetContent(container.NewVBox(rows...))
}

// describe is a disk in a line: name, size, model, removable.
func (s *Screen) describe(d sys.Disk) string {
	parts := []string{d.Name, d.Size()}
	if d.Model != "" {
		parts = append(parts, d.Model)
	}
	if d.Removable {
		parts = append(parts, s.t("removable"))
	}
	return strings.Join(parts, "  ·  ")
}

// line is a message on a line of its own, centred: the words are kept
// short enough for one line at 1920 px.
func (s *Screen) line(str string, col color.Color) fyne.CanvasObject {
	return s.center(s.text(str, 32, true, col))
}

// typed is the confirmation typed on the on-screen keyboard.
type typed struct {
	runes []rune
	shown *canvas.Text
}

func (t *typed) Append(r rune) {
	if len(t.runes) < 32 {
		t.runes = append(t.runes, r)
	}
	t.show()
}
func (t *typed) Backspace() {
	if len(t.runes) > 0 {
		t.runes = t.runes[:len(t.runes)-1]
	}
	t.show()
}
func (t *typed) Clear() { t.runes = t.runes[:0]; t.show() }
func (t *typed) show() {
	t.shown.Text = string(t.runes) + " "
	t.shown.Refresh()
}

// confirmPage warns that d will be erased and asks for its name typed.
func (s *Screen) confirmPage(d sys.Disk, notice string) {
	s.page()
	t := &typed{shown: s.text(" ", 44, true, black)}
	t.shown.TextStyle.Monospace = true
	labels := keyboard.ChineseLabels()
	if s.o.Lang == 1 {
		labels = keyboard.EnglishLabels()
	}
	kb := keyboard.NewLatin(t, keyboard.Config{Labels: labels, Layout: keyboard.QWERTY})
	s.mu.Lock()
	s.keys = kb.Key
	s.mu.Unlock()
	what := d.Size()
	if d.Model != "" {
		what += " " + d.Model
	}
	do := s.button("erase", s.t("erase.do"), widgets.Danger, func() {
		name := string(t.runes)
		if err := sys.Confirm(d, name); err != nil {
			s.record(fmt.Sprintf("install on %s refused: the name typed was not the disk's", d.Name))
			s.confirmPage(d, s.t("mismatch", d.Name))
			return
		}
		s.run(d, name)
	})
	s.w.SetContent(container.NewVBox(
		s.center(s.text(s.t("title"), 44, true, black)),
		s.center(s.text(s.t("erase.warn", d.Name, what), 36, true, red)),
		s.center(s.text(s.t("erase.type", d.Name), 30, false, black)),
		s.center(t.shown),
		s.center(s.text(notice, 28, true, red)),
		s.center(kb),
		s.center(container.NewHBox(s.button("back", s.t("back"), widgets.Secondary, s.listPage), do)),
	))
}

// run copies in the background, the page showing its progress.
func (s *Screen) run(d sys.Disk, name string) {
	s.page()
	ctx, stop := context.WithCancel(s.ctx)
	s.bar = widget.NewProgressBar()
	s.stage = s.text(s.t("stage.0"), 40, true, black)
	s.amount = s.text(" ", 30, false, grey)
	s.mu.Lock()
	s.busy, s.stop = true, stop
	s.mu.Unlock()
	s.w.SetContent(container.NewVBox(
		s.center(s.text(s.t("title")+"  ·  "+d.Name, 44, true, black)),
		layout.NewSpacer(),
		s.center(s.stage),
		container.NewPadded(s.bar),
		s.center(s.amount),
		s.center(s.text(s.t("keep"), 30, true, red)),
		layout.NewSpacer(),
		s.center(s.button("stop", s.t("stop"), widgets.Secondary, stop)),
	))
	s.record("install on " + d.Name + " (" + d.Size() + "): erase confirmed, copying")
	go func() {
		last := sys.Progress{Stage: -1}
		res, err := s.o.Installer.Install(ctx, d, name, func(p sys.Progress) {
			// Redraw on a new stage or each whole percent, not every block.
			if p.Stage == last.Stage && p.Total > 0 && p.Done*100/p.Total == last.Done*100/max(last.Total, 1) && p.Done != p.Total {
				return
			}
			last = p
			fyne.Do(func() { s.showProgress(p) })
		})
		stop()
		if err != nil {
			s.record(fmt.Sprintf("install on %s failed: %v", d.Name, err))
		} else {
			s.record(fmt.Sprintf("install on %s done: %d bytes verified, sha256 %s", d.Name, res.Copied, res.SHA256))
		}
		fyne.Do(func() {
			if err != nil {
				s.failedPage(d, err)
			} else {
				s.donePage(d, res)
			}
			s.mu.Lock()
			s.busy = false
			s.mu.Unlock()
		})
	}()
}

func (s *Screen) showProgress(p sys.Progress) {
	if s.stage == nil {
		return
	}
	s.stage.Text = s.t(fmt.Sprintf("stage.%d", p.Stage))
	s.stage.Refresh()
	if p.Total > 0 {
		s.bar.SetValue(float64(p.Done) / float64(p.Total))
		s.amount.Text = s.t("of", sys.HumanBytes(p.Done), sys.HumanBytes(p.Total))
		s.amount.Refresh()
	}
	s.mu.Lock()
	s.progress = []string{s.stage.Text, s.amount.Text}
	s.mu.Unlock()
}

func (s *Screen) donePage(d sys.Disk, r sys.Result) {
	s.page()
	s.stage = nil
	// Said only once 重新启动 is tapped: that it restarts, or what to do
	// when it cannot, with why in small type.
	why, detail := canvas.NewText("", black), canvas.NewText("", grey)
	why.TextSize, detail.TextSize = 30, 22
	failed := container.NewVBox(container.NewCenter(why), container.NewCenter(detail))
	failed.Hide()
	buttons := container.NewHBox(s.button("back", s.t("back"), widgets.Secondary, s.leave))
	if s.o.Restart != nil {
		buttons.Add(s.button("restart", s.t("restart"), widgets.Primary, func() { s.restart(d, why, detail, failed) }))
	}
	s.w.SetContent(container.NewVBox(
		layout.NewSpacer(),
		s.center(s.text(s.t("done"), 56, true, green)),
		s.center(s.text(s.t("done.detail", sys.HumanBytes(r.Copied)), 30, false, black)),
		s.center(s.text("SHA-256 "+r.SHA256[:16]+"…", 24, false, grey)),
		s.center(s.text(s.t("done.next"), 40, true, black)),
		layout.NewSpacer(),
		failed,
		s.center(buttons),
	))
}

// restart asks for the terminal's restart; the done page then says that it
// restarts, or, when the restart fails, what to do by hand and the error
// in small type (said: the two lines, hidden until then).
func (s *Screen) restart(d sys.Disk, why, detail *canvas.Text, said fyne.CanvasObject) {
	s.record("restart after the install on " + d.Name)
	go func() {
		err := s.o.Restart(s.ctx)
		if err != nil {
			s.record("restart after the install on " + d.Name + " failed: " + err.Error())
		}
		fyne.Do(func() {
			why.Text, why.Color, detail.Text = s.t("restarting"), black, ""
			if err != nil {
				why.Text, why.Color, detail.Text = s.t("restart.failed"), red, clip(err.Error(), 120)
			}
			said.Show()
			s.w.Content().Refresh()
			s.shown.Shows(why.Text)
			s.shown.Shows(detail.Text)
		})
	}()
}

// failedPage says what went wrong in plain words; nothing is claimed
// installed. A retry asks for the name again.
func (s *Screen) failedPage(d sys.Disk, err error) {
	s.page()
	s.stage = nil
	var why, detail string
	var f *sys.Failure
	switch {
	case errors.As(err, &f):
		why = s.t(fmt.Sprintf("fail.%d", f.Kind), sys.HumanBytes(f.At), sys.HumanBytes(f.Total))
		if f.Err != nil {
			detail = f.Err.Error()
		}
	case errors.Is(err, sys.ErrInUse):
		why = s.t("inuse")
	default:
		why = s.t("error", err.Error())
	}
	rows := []fyne.CanvasObject{
		layout.NewSpacer(),
		s.center(s.text(s.t("failed"), 56, true, red)),
		s.line(why, red),
		s.center(s.text(s.t("failed.note"), 30, false, black)),
	}
	if detail != "" {
		rows = append(rows, s.center(s.text(detail, 22, false, grey)))
	}
	rows = append(rows, layout.NewSpacer(), s.center(container.NewHBox(
		s.button("other", s.t("other"), widgets.Secondary, s.listPage),
		s.button("retry", s.t("retry"), widgets.Primary, func() { s.confirmPage(d, "") }),
	)))
	s.w.SetContent(container.NewVBox(rows...))
}

// clip shortens s to n characters.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
