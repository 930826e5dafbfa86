package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	fynetheme "fyne.io/fyne/v2/theme"

	"github.com/tongban/tongban/kiosk/flow"
)

// palette is the screens' colours (UX.md §3): the normal one, dark text on
// white, or the high-contrast one, yellow and white on black.
type palette struct {
	background, text, secondary, primary, onPrimary, panel color.Color
	errorText, success, warnText, warnBg, disabled, border color.Color
}

func normalPalette() palette {
	return palette{
		background: color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF},
		text:       color.NRGBA{0x1A, 0x1A, 0x1A, 0xFF},
		secondary:  color.NRGBA{0x4A, 0x4A, 0x4A, 0xFF},
		primary:    color.NRGBA{0x0B, 0x57, 0xA4, 0xFF},
		onPrimary:  color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF},
		panel:      color.NRGBA{0xF2, 0xF5, 0xF9, 0xFF},
		errorText:  color.NRGBA{0xB3, 0x26, 0x1E, 0xFF},
		success:    color.NRGBA{0x1B, 0x6E, 0x2F, 0xFF},
		warnText:   color.NRGBA{0x6B, 0x45, 0x00, 0xFF},
		warnBg:     color.NRGBA{0xFF, 0xF4, 0xD6, 0xFF},
		disabled:   color.NRGBA{0x6B, 0x6B, 0x6B, 0xFF},
		border:     color.NRGBA{0xC8, 0xD0, 0xDA, 0xFF},
	}
}

// contrastPalette is UX.md's high-contrast theme: every text pair at least
// 7:1 (kiosk/ui/theme checks the same colours).
func contrastPalette() palette {
	black, white, yellow := color.NRGBA{0, 0, 0, 0xFF}, color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}, color.NRGBA{0xFF, 0xD4, 0x00, 0xFF}
	dark := color.NRGBA{0x1A, 0x1A, 0x1A, 0xFF}
	return palette{
		background: black, text: white, secondary: yellow, primary: yellow, onPrimary: black,
		panel: dark, errorText: color.NRGBA{0xFF, 0x8A, 0x80, 0xFF}, success: color.NRGBA{0x69, 0xF0, 0xAE, 0xFF},
		warnText: yellow, warnBg: dark, disabled: color.NRGBA{0xBD, 0xBD, 0xBD, 0xFF}, border: yellow,
	}
}

// sizes are the type and target sizes of UX.md §2 for the current mode.
type sizes struct {
	body, heading, button, target, gap float32
	perPage                            int
	pal                                palette // the colours the widgets draw with
}

func (u *Screens) sz() sizes {
	if u.view.Elderly {
		return sizes{body: 48, heading: 64, button: 48, target: 120, gap: 24, perPage: 6, pal: u.c}
	}
	return sizes{body: 32, heading: 48, button: 36, target: 96, gap: 16, perPage: 12, pal: u.c}
}

func (u *Screens) text(s string, size float32, c color.Color, bold bool) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size
	t.TextStyle.Bold = bold
	// One line of text never runs off the panel: on a narrow (portrait)
	// screen a long heading or receipt number is set smaller instead.
	for room := u.textWidth(); t.TextSize > 18 && fyne.MeasureText(s, t.TextSize, t.TextStyle).Width > room; {
		t.TextSize *= 0.92
	}
	return t
}

// para is body text that wraps.
func (u *Screens) para(s string, c color.Color) fyne.CanvasObject {
	return u.wrapped(s, u.sz().body, c, false, u.textWidth())
}

func (u *Screens) notice() fyne.CanvasObject {
	n := u.view.Notice
	if n.IsZero() {
		return layout.NewSpacer()
	}
	fg, bg := u.c.errorText, u.c.warnBg
	if u.view.NoticeOK {
		fg, bg = u.c.success, u.c.panel
	}
	return container.NewStack(canvas.NewRectangle(bg), container.NewPadded(u.wrapped(u.tr(n), u.sz().body, fg, true, u.textWidth()-2*u.sz().gap)))
}

// rowLabel wraps the label of a button row as wide as width (a consent
// row) to fit in it.
func (u *Screens) rowLabel(s string, width float32) string {
	sz := u.sz()
	return wrapLabel(s, sz.button, width-2*sz.button-4*fynetheme.Padding())
}

// primary is the screen's one primary action.
func (u *Screens) primary(label string, tap func()) *touchButton {
	return newTouchButton(label, u.sz(), true, u.touched(tap))
}

func (u *Screens) secondary(label string, tap func()) *touchButton {
	return newTouchButton(label, u.sz(), false, u.touched(tap))
}

// touched wraps a tap handler so every tap also tells the session the
// resident is still there.
func (u *Screens) touched(tap func()) func() {
	return func() {
		if u.opt.Voice != nil {
			u.opt.Voice.Stop() // a tap stops speech; a new screen speaks again
		}
		u.s.Touch()
		if tap != nil {
			tap()
		}
	}
}

// frame lays out a screen: a top bar with 返回 (left) and 结束办理 (right),
// the content, and a bottom bar with the primary action on the right.
func (u *Screens) frame(title string, content fyne.CanvasObject, back bool, bottom ...fyne.CanvasObject) fyne.CanvasObject {
	var left fyne.CanvasObject = layout.NewSpacer()
	if back {
		goBack := u.s.Back
		if u.view.State == flow.FormPage && u.member > 0 {
			goBack = func() { u.openMember(0) } // from a household member to the list
		}
		left = u.secondary(u.t("common.back"), goBack)
	}
	end := u.s.End
	if u.halfFilled() || u.printingDocument() {
		end = func() { u.confirmEnd = true; u.redraw() } // ask first: the answers or the pages would be lost
	}
	var exit fyne.CanvasObject = u.secondary(u.t("common.finish"), end)
	if again := u.repeatButton(); again != nil {
		exit = container.NewHBox(again, exit)
	}
	room := u.screenSize().Width - 4*u.sz().gap - left.MinSize().Width - exit.MinSize().Width - 4*fynetheme.Padding()
	var top fyne.CanvasObject = container.NewBorder(nil, nil, left, exit, container.NewCenter(u.fitHeading(title, room)))
	if u.titleBelow(title, room) && !u.compactTitle {
		// A portrait panel is narrow between 返回 and 结束办理 but tall: a
		// long title takes the whole width under them, at heading size.
		top = container.NewVBox(container.NewBorder(nil, nil, left, exit), container.NewCenter(u.fitHeading(title, u.fullTitleWidth())))
	}
	bar := container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, bottom...)...)
	notice := u.notice()
	if (u.view.State == flow.FormPage && u.noticeAbove) || u.view.State == flow.StaffMenu ||
		(u.view.State == flow.Document && u.view.Phase == flow.PhasePrinted) { // the screen says it large
		notice = layout.NewSpacer() // shown above the fields instead
	}
	gap := u.sz().gap
	side := 2 * gap
	if !u.landscape() {
		side = gap // a portrait panel needs its width for keys and tiles
	}
	vertical := gap
	if u.keypadBeside {
		vertical = gap / 2 // the keyboard beside the fields needs the height
	}
	return container.New(layout.NewCustomPaddedLayout(vertical, vertical, side, side),
		container.NewBorder(top, container.NewVBox(notice, bar), nil, nil, content))
}

// titleBelow reports whether a screen's title stands under 返回 and
// 结束办理 rather than between them (room wide): on a portrait panel, when
// it does not fit there on one line at heading size.
func (u *Screens) titleBelow(title string, room float32) bool {
	return !u.landscape() && fyne.MeasureText(title, u.sz().heading, fyne.TextStyle{Bold: true}).Width > room
}

func (u *Screens) fullTitleWidth() float32 {
	return u.screenSize().Width - 2*u.sz().gap - 2*fynetheme.Padding()
}

// titleExtra is the height a title standing under the top row adds to a
// screen (0 when it stands between the buttons), for screens that count
// their rows before layout. It assumes 返回 is shown, as on the browse
// screen.
func (u *Screens) titleExtra(title string) float32 {
	if u.compactTitle {
		return 0
	}
	left := u.secondary(u.t("common.back"), nil)
	exit := u.secondary(u.t("common.finish"), nil)
	room := u.screenSize().Width - 4*u.sz().gap - left.MinSize().Width - exit.MinSize().Width - 4*fynetheme.Padding()
	if !u.titleBelow(title, room) {
		return 0
	}
	return u.fitHeading(title, u.fullTitleWidth()).MinSize().Height + fynetheme.Padding()
}

// fitHeading is a screen's title in at most width: at heading size, over
// two lines when one is not enough (a long English name, a portrait
// panel); only a title that two lines at heading size cannot hold is set
// smaller, step by step down to body size, and at body size it takes as
// many lines as it needs. Where height is scarce (landscape, a keyboard
// under the fields) it is set smaller before it wraps. It is never cut.
func (u *Screens) fitHeading(title string, width float32) fyne.CanvasObject {
	sz := u.sz()
	head := u.text(title, sz.heading, u.c.text, true)
	head.TextSize = sz.heading // u.text shrinks a line to fit; a heading wraps instead
	if head.MinSize().Width <= width {
		return head
	}
	style := fyne.TextStyle{Bold: true}
	size := sz.heading
	if u.landscape() || u.compactTitle {
		// Where height is scarce (a landscape panel, a keyboard docked
		// under the fields) one smaller line beats two large ones.
		for size > sz.body && fyne.MeasureText(title, size, style).Width > width {
			size = max(size*0.9, sz.body)
		}
	}
	floor := sz.body
	if u.compactTitle {
		// Over a docked keyboard only: a very long name (English, 长者模式)
		// may go a little under body size rather than take four lines.
		floor = sz.body * 0.8
	}
	lines := wrapLines(title, size, width, style)
	for len(lines) > 2 && size > floor {
		size = max(size*0.92, floor)
		lines = wrapLines(title, size, width, style)
	}
	col := container.New(layout.NewCustomPaddedVBoxLayout(0))
	for _, line := range lines {
		t := canvas.NewText(line, u.c.text)
		t.TextSize, t.TextStyle, t.Alignment = size, style, fyne.TextAlignCenter
		col.Add(t)
	}
	return col
}

// panel is a light box around content.
func (u *Screens) panel(content fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(u.c.panel)
	bg.CornerRadius = 12
	return container.NewStack(bg, container.NewPadded(container.NewPadded(content)))
}
