package techmode

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// Login lets a technician in (*technician.Gate).
type Login interface {
	Login(ctx context.Context, secret string) (actor string, err error)
}

// Options wire technician mode to the terminal.
type Options struct {
	Lang    int // 0 Chinese, 1 English
	Gate    Login
	Collect func(ctx context.Context) technician.Diagnostics
	// Sticks lists the directories the diagnostics can go to (the USB
	// sticks' mount points); with more than one the technician chooses.
	// Nil: Export is given "".
	Sticks func() []string
	// Export writes the diagnostics into dir (technician.Export) and
	// returns the file's path.
	Export func(dir string, d technician.Diagnostics) (string, error)
	// Detect lists and probes the serial ports; Assigned is the
	// configuration's assignment; SaveAssignment writes the chosen one's
	// configuration lines (technician.Assignment.ConfigLines).
	Detect         func(ctx context.Context) ([]technician.Finding, error)
	Assigned       func() technician.Assignment
	Tester         technician.Tester
	SaveAssignment func(lines string) error
	// Reset is the terminal's reset for the technician logged in.
	Reset   func(actor string) technician.Reset
	Audit   technician.Auditor
	Restart func() // after a reset: the terminal starts again, into set-up
	Leave   func() // back to the resident screens
	// Install opens the install-to-disk screen (kiosk/ui/install) for the
	// technician logged in; back shows the diagnostics again. Its button
	// shows only when set.
	Install func(actor string, back func())
	// Words are the screens' catalog, for the devices' states in the
	// words staff see (nil: loaded here).
	Words *i18n.Catalog
}

// Mode is technician mode on one window.
type Mode struct {
	w     fyne.Window
	o     Options
	ctx   context.Context
	actor string // "" until logged in

	shown widgets.Page // the page's buttons and texts, for tests

	keys      func(name string) *widgets.Button
	notice    string
	noticeBad bool

	found  []technician.Finding
	assign technician.Assignment
}

// Show opens technician mode's login on w.
func Show(ctx context.Context, w fyne.Window, o Options) *Mode {
	m := &Mode{w: w, o: o, ctx: ctx}
	if m.o.Words == nil {
		m.o.Words, _ = i18n.Load() // nil on failure: the states' own names show
	}
	m.loginPage("")
	return m
}

func (m *Mode) t(key string, args ...any) string {
	s := words[key][m.o.Lang]
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// said is a device state or paper level in the words staff see on the
// screens (kiosk/i18n), in the technician's language.
func (m *Mode) said(id, fallback string) string {
	if m.o.Words == nil {
		return fallback
	}
	lang := kiosk.LangZH
	if m.o.Lang == 1 {
		lang = kiosk.LangEN
	}
	if s := m.o.Words.NewLocalizer(lang).T(id); s != id {
		return s
	}
	return fallback
}

// Button returns a button of the page shown by name, for tests; nil if
// the page has none.
func (m *Mode) Button(name string) *widgets.Button { return m.shown.Find(name) }

// Key returns the on-screen keyboard's key, for tests.
func (m *Mode) Key(name string) *widgets.Button {
	if m.keys == nil {
		return nil
	}
	return m.keys(name)
}

// Texts returns the lines the page shows, for tests.
func (m *Mode) Texts() []string { return m.shown.Texts() }

// page starts a new page: its buttons and texts replace the last's.
func (m *Mode) page() { m.shown.Reset() }

func (m *Mode) button(name, label string, imp widgets.Importance, tapped func()) *widgets.Button {
	return m.shown.Button(name, label, imp, tapped)
}

func (m *Mode) text(s string, size float32, bold bool, col color.Color) *canvas.Text {
	return m.shown.Text(s, size, bold, col)
}

var (
	black = color.Black
	grey  = color.Gray{Y: 0x60}
	red   = color.NRGBA{R: 0xb0, A: 0xff}
	green = color.NRGBA{G: 0x80, A: 0xff}
)

// typed is a secret or a confirmation typed on the on-screen keyboard.
type typed struct {
	runes  []rune
	shown  *canvas.Text
	secret bool
}

func (t *typed) Append(r rune) {
	if len(t.runes) < 64 {
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
func (t *typed) Clear() { clear(t.runes); t.runes = t.runes[:0]; t.show() }
func (t *typed) show() {
	s := string(t.runes)
	if t.secret {
		s = strings.Repeat("● ", len(t.runes))
	}
	t.shown.Text = s + " "
	t.shown.Refresh()
}

// qwerty is the technician's keyboard: digits, letters and '-', '.'.
func (m *Mode) qwerty(t keyboard.Target) fyne.CanvasObject {
	labels := keyboard.ChineseLabels()
	if m.o.Lang == 1 {
		labels = keyboard.EnglishLabels()
	}
	kb := keyboard.NewLatin(t, keyboard.Config{Labels: labels, Layout: keyboard.QWERTY})
	m.keys = kb.Key
	return kb
}

func (m *Mode) loginPage(message string) {
	m.page()
	t := &typed{secret: true, shown: m.text(" ", 40, true, black)}
	t.shown.Alignment = fyne.TextAlignCenter
	msg := m.text(message, 28, true, red)
	ok := m.button("ok", m.t("ok"), widgets.Primary, func() {
		secret := string(t.runes)
		t.Clear()
		actor, err := m.o.Gate.Login(m.ctx, secret)
		var locked technician.LockedError
		switch {
		case err == nil:
			m.actor = actor
			m.diagPage()
		case errors.As(err, &locked):
			m.loginPage(m.t("locked", locked.Until.Format("15:04")))
		case errors.Is(err, technician.ErrStaffCode):
			m.loginPage(m.t("staffcode"))
		case errors.Is(err, technician.ErrWrongSecret):
			m.loginPage(m.t("wrong"))
		default:
			m.loginPage(m.t("error", err.Error()))
		}
	})
	leave := m.button("leave", m.t("leave"), widgets.Secondary, m.leave)
	m.w.SetContent(container.NewVBox(
		container.NewCenter(m.text(m.t("title"), 44, true, black)),
		layout.NewSpacer(),
		container.NewCenter(m.text(m.t("code.prompt"), 30, false, grey)),
		container.NewCenter(t.shown),
		container.NewCenter(msg),
		container.NewCenter(m.qwerty(t)),
		container.NewCenter(container.NewHBox(leave, ok)),
		layout.NewSpacer(),
	))
}

func (m *Mode) leave() {
	if m.actor != "" {
		m.record(audit.TechnicianLogout, "")
		m.actor = ""
	}
	if m.o.Leave != nil {
		m.o.Leave()
	}
}

// record puts a technician action in the audit trail; a failure shows.
func (m *Mode) record(kind audit.Kind, detail string) {
	if m.o.Audit == nil {
		return
	}
	if err := m.o.Audit.Append(audit.Event{Kind: kind, Actor: m.actor, Detail: detail}); err != nil {
		m.notice, m.noticeBad = m.t("error", err.Error()), true
	}
}
