package ui

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/ui/signpad"
	kiosktheme "github.com/tongban/tongban/kiosk/ui/theme"
)

// Group is a department or a life event to browse by.
type Group struct {
	ID   string
	Name kiosk.Text
}

// Browser is what the browse and search screens need from the catalog.
type Browser interface {
	Popular(n int) []kiosk.Item
	Departments() []Group
	InDepartment(id string) []kiosk.Item
	LifeEvents() []Group
	ForLifeEvent(id string) []kiosk.Item
	Search(query string, n int) []kiosk.Item
}

// Options configure the screens.
type Options struct {
	CenterName string
	Browser    Browser
	// Gate tells whether an item can be served now, and why not.
	Gate func(kiosk.Item) (bool, kiosk.Text)
	// Pinyin lists the words and characters a pinyin spelling may stand
	// for, common ones first, for the on-screen Chinese keyboard
	// (kiosk/pinyin.Suggestions). Nil: no Chinese input.
	Pinyin func(spelling string) []string
	// PinyinRest is what remains to choose of a spelling after a
	// candidate is typed (kiosk/pinyin.Rest: yibai after 一 leaves bai).
	// Nil: the whole spelling is used up.
	PinyinRest func(spelling, chosen string) string
	// Places lists Shanghai's districts and streets for address fields.
	Places *form.Places
	// Words holds every word of the screens in both languages (load it
	// once with i18n.Load). Nil: New loads the embedded catalog itself.
	Words  *i18n.Catalog
	Clock  kiosk.Clock
	Logger *slog.Logger
	// Simulation adds a developer panel with simulated device controls.
	DevPanel fyne.CanvasObject
	// Voice speaks the screens; nil: the kiosk is silent and shows no
	// 语音播报 switch or 重听 button.
	Voice Voice
	// Technician opens technician mode (kiosk/ui/techmode), apart from the
	// staff menu: five taps on the center's name on the attract screen.
	// Nil: the name is not a gesture.
	Technician func()
}

// Screens renders a flow.Session into a Fyne window. Only the UI goroutine
// touches widgets: views from the session arrive through fyne.Do.
type Screens struct {
	s   *flow.Session
	win fyne.Window
	opt Options
	log *slog.Logger
	// words has one localizer per language; each render reads the one of
	// the session's language (view.Lang).
	words map[kiosk.Lang]*i18n.Localizer
	root  *fyne.Container
	body  *fyne.Container

	mu       sync.Mutex
	pending  atomic.Int32      // redraws asked for and not yet drawn (tests wait for none)
	c        palette           // the colours of the session's look
	backdrop *canvas.Rectangle // the screen's background, in the palette's colour
	view     flow.View
	browse   browseState
	field    string // the form field the keyboard types into
	theme    *kiosktheme.Theme
	// keyboards are kept across redraws so a half-typed pinyin spelling
	// survives; the signature pad likewise while on the sign screen.
	keyboards     map[string]keyboardWidget
	keyboardViews map[string]fyne.CanvasObject // a keyboard as shown, when wrapped
	pad           *signpad.Pad
	onScreen      func(flow.State)
	staffTaps     []time.Time     // taps on the clock, for the staff gesture
	keypadBeside  bool            // the form's numeric keypad stands right of the fields
	noticeAbove   bool            // the form's notice stands above its fields
	besideWidth   float32         // the width the keyboard beside the fields takes
	staffCode     []rune          // the staff code being typed (never shown)
	subPage       int             // the page of the screen's paged column; -1: the page with an error
	confirmExit   bool            // the staff menu asks before 退出程序
	confirmEnd    bool            // 结束办理 asks before dropping a half-filled form
	member        int             // the household member open in the editor (1-based); 0: the list
	tileLines     int             // the lines a browse tile gives a name (fitTiles)
	tileSize      float32         // the size of a browse tile's name (fitTiles)
	titleHeight   float32         // the browse greeting's height under the top row (titleExtra)
	compactTitle  bool            // the title stays in the top row, however long (the portrait search)
	scanHint      bool            // 扫随申码 was tapped: the identify screen points at the scanner
	noCard        bool            // 不带证件 was tapped: the identify screen lists what needs no card
	devToggle     *touchButton    // shows and hides the developer panel (simulation only)
	devHolder     *fyne.Container // the developer panel, over the screen
	techTaps      []time.Time     // taps on the center's name, for the technician gesture
	// shownMinute is the minute the attract screen's clock shows.
	shownMinute time.Time
}

// New builds the screens for session s in window w.
func New(s *flow.Session, w fyne.Window, opt Options) *Screens {
	if opt.Clock == nil {
		opt.Clock = kiosk.SystemClock{}
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Words == nil {
		words, err := i18n.Load()
		if err != nil {
			opt.Logger.Error("the screens' words do not load; showing message IDs", "err", err)
		}
		opt.Words = words
	}
	u := &Screens{s: s, win: w, opt: opt, log: opt.Logger, words: map[kiosk.Lang]*i18n.Localizer{}, c: normalPalette()}
	if opt.Words != nil {
		for _, lang := range i18n.Languages() {
			u.words[lang] = opt.Words.NewLocalizer(lang)
		}
	}
	u.body = container.NewStack()
	u.backdrop = canvas.NewRectangle(u.c.background)
	// The screens fit themselves to the panel (they page, never scroll);
	// the window never grows to fit a screen, whatever a screen asks for.
	u.root = container.New(panelLayout{}, u.backdrop, u.body)
	content := fyne.CanvasObject(u.root)
	if opt.DevPanel != nil {
		content = container.New(panelLayout{}, u.root, u.devLayer(opt.DevPanel))
	}
	w.SetContent(content)
	// Views may be published from several goroutines out of order, so the UI
	// always draws the latest snapshot rather than the one it was handed.
	// The voice hears of each view first (it never blocks), so the screen
	// drawn next knows whether voice is on.
	s.Observe(func(flow.View) {
		u.speak()
		u.pending.Add(1)
		fyne.Do(func() { u.redraw(); u.pending.Add(-1) })
	})
	return u
}

// devLayer lays the developer panel over the resident's screen, at its
// left edge and hidden behind a small switch at the bottom left, so that
// the window is never wider than the panel (beside the screen it made a
// 1920 px screen a 2280 px window, off a 1920 display). The panel scrolls
// when it is taller than the window: it is a developer's tool.
func (u *Screens) devLayer(panel fyne.CanvasObject) fyne.CanvasObject {
	holder := container.NewStack(canvas.NewRectangle(u.c.panel), container.NewVScroll(panel))
	holder.Hide()
	// One switch, shown and hidden by taps; the words are the developer's
	// (Chinese), whatever the session's language.
	toggle := newTouchButton(u.wordsIn(kiosk.LangZH, "dev.panel"), u.sz(), false, func() {
		if holder.Visible() {
			holder.Hide()
		} else {
			holder.Show()
		}
	})
	u.devToggle, u.devHolder = toggle, holder
	width := panel.MinSize().Width + 2*u.sz().gap
	return container.NewBorder(nil, container.NewHBox(toggle), container.New(fixedWidth{width}, holder), nil)
}

// fixedWidth gives its objects a width and asks for no height: the
// developer panel never makes the window taller either.
type fixedWidth struct{ w float32 }

func (f fixedWidth) Layout(objs []fyne.CanvasObject, s fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(s)
	}
}

func (f fixedWidth) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(f.w, 0) }

// OnScreen sets a function called on the UI goroutine after each screen is
// drawn (used by the smoke test and benchmarks).
func (u *Screens) OnScreen(f func(flow.State)) { u.onScreen = f }

// Tick refreshes what changes with time: the attract screen's clock, once
// a minute.
func (u *Screens) Tick() {
	minute := u.now().Truncate(time.Minute)
	if u.s.View().State == flow.Attract && !minute.Equal(u.shownMinute) {
		u.redraw()
	}
}

// Redraw draws the session's current screen (on the UI goroutine).
func (u *Screens) Redraw() { u.redraw() }

// redraw draws the session's latest view. Fyne's drivers run it on the UI
// goroutine; the lock also keeps the test driver, which may call it from
// several goroutines, to one drawing at a time.
func (u *Screens) redraw() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.render(u.s.View())
}

func (u *Screens) render(v flow.View) {
	if v.State != u.view.State || v.Item != u.view.Item || v.Page != u.view.Page {
		u.field = ""
		u.subPage = 0
		u.member = 0
		u.confirmExit = false
		u.confirmEnd = false
		u.scanHint, u.noCard = false, false
		if v.State != flow.Sign && u.pad != nil {
			u.pad.Clear() // the signature never outlives its screen
			u.pad = nil
		}
		if v.State == flow.Attract {
			u.keyboards, u.keyboardViews = nil, nil // nothing typed survives the session
		}
		if v.State != flow.StaffLogin {
			clear(u.staffCode)
			u.staffCode = nil
		}
		if v.State == flow.Browse && u.view.State != flow.ItemDetail {
			u.browse = browseState{}
		}
	}
	if u.theme == nil {
		// Adopt the app's theme when it is already the kiosk's in the
		// right mode: setting it again would redraw everything for nothing.
		if cur, ok := fyne.CurrentApp().Settings().Theme().(*kiosktheme.Theme); ok && cur.Mode().Has(kiosktheme.Elderly) == v.Elderly && cur.Mode().Has(kiosktheme.HighContrast) == v.HighContrast {
			u.theme = cur
		}
	}
	if u.theme == nil || v.Elderly != u.view.Elderly || v.HighContrast != u.view.HighContrast {
		mode := kiosktheme.Normal.With(kiosktheme.Elderly, v.Elderly).With(kiosktheme.HighContrast, v.HighContrast)
		u.theme = kiosktheme.New(mode, kiosktheme.EmbeddedFonts())
		fyne.CurrentApp().Settings().SetTheme(u.theme)
		u.keyboards, u.keyboardViews = nil, nil // key sizes follow the mode
	}
	u.view = v
	u.keypadBeside, u.noticeAbove = false, false // the form screen sets them
	u.compactTitle = false                       // the browse screen sets it
	u.c = normalPalette()
	if v.HighContrast {
		u.c = contrastPalette()
	}
	if u.backdrop.FillColor != u.c.background {
		u.backdrop.FillColor = u.c.background
		u.backdrop.Refresh()
	}
	var screen fyne.CanvasObject
	switch v.State {
	case flow.Attract:
		screen = u.attract()
		u.shownMinute = u.now().Truncate(time.Minute)
	case flow.Identify:
		screen = u.identify()
	case flow.Browse:
		screen = u.browseScreen()
	case flow.ItemDetail:
		screen = u.itemScreen()
	case flow.FormPage:
		screen = u.formScreen()
	case flow.Review:
		screen = u.reviewScreen()
	case flow.Sign:
		screen = u.signScreen()
	case flow.Submitting:
		screen = u.submittingScreen()
	case flow.Done:
		screen = u.doneScreen()
	case flow.Query:
		screen = u.queryScreen()
	case flow.Ticket:
		screen = u.ticketScreen()
	case flow.Appointment:
		screen = u.appointmentScreen()
	case flow.StaffLogin:
		screen = u.staffLoginScreen()
	case flow.StaffMenu:
		screen = u.staffMenuScreen()
	case flow.Result:
		screen = u.resultScreen()
	case flow.Document:
		screen = u.documentScreen()
	}
	objs := []fyne.CanvasObject{screen}
	if u.confirmEnd {
		objs = append(objs, u.confirmEndOverlay())
	}
	if v.Countdown > 0 {
		objs = append(objs, u.countdownOverlay())
	}
	u.body.Objects = objs
	u.body.Refresh()
	if u.onScreen != nil {
		u.onScreen(v.State)
	}
}

// landscape reports whether the panel is wider than tall.
func (u *Screens) landscape() bool {
	s := u.screenSize()
	return s.Width >= s.Height
}

// screenSize is the size of the resident's screen (without the developer
// panel beside it in simulation).
func (u *Screens) screenSize() fyne.Size {
	if s := u.root.Size(); s.Width > 0 {
		return s
	}
	if s := u.win.Canvas().Size(); s.Width > 0 {
		return s
	}
	return fyne.NewSize(1920, 1080)
}

// formWidth is the width form fields may take: in landscape the keypad
// beside them takes the rest.
func (u *Screens) formWidth() float32 {
	w := u.screenSize().Width
	if u.keypadBeside {
		w -= u.besideWidth // the keyboard's column
	}
	return w - 4*u.sz().gap
}

// now is the terminal's local time (Shanghai).
func (u *Screens) now() time.Time {
	return u.opt.Clock.Now().In(kiosk.Shanghai)
}

// tr picks the text in the session's language; a message (kiosk.Msg) is
// translated by the catalog.
func (u *Screens) tr(t kiosk.Text) string {
	if l, ok := u.words[u.view.Lang]; ok {
		return l.Text(t)
	}
	return t.In(u.view.Lang)
}

// t returns the screen word id (kiosk/i18n/locales) in the session's
// language, filled with data: u.t("common.step", map[string]any{"Step": 2, "Total": 4}).
func (u *Screens) t(id string, data ...map[string]any) string {
	return u.wordsIn(u.view.Lang, id, data...)
}

// both returns the screen word id in every language, for words handed to
// the session that outlive this screen (the service named on a ticket).
func (u *Screens) both(id string, data ...map[string]any) kiosk.Text {
	return kiosk.Text{ZH: u.wordsIn(kiosk.LangZH, id, data...), EN: u.wordsIn(kiosk.LangEN, id, data...)}
}

func (u *Screens) wordsIn(lang kiosk.Lang, id string, data ...map[string]any) string {
	l, ok := u.words[lang]
	if !ok {
		l, ok = u.words[i18n.DefaultLang]
	}
	if !ok {
		return id // no catalog: the ID shows, and the screen tests catch it
	}
	return l.T(id, data...)
}

// panelLayout stacks the screen over its backdrop at the panel's size and
// asks for no size of its own: a screen that needs more than the panel has
// pages or is cut (the fit test catches that), but the window never grows
// past the panel and stays too tall for every later resident.
type panelLayout struct{}

func (panelLayout) Layout(objs []fyne.CanvasObject, s fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(s)
	}
}

func (panelLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }
