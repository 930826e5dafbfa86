package keyboard

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk/ui/theme"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// Candidates returns the characters or words a pinyin spelling (lower-case
// letters, ü typed as v) may stand for, the most common first. Package
// kiosk/pinyin provides one; tests pass a small table.
type Candidates func(pinyin string) []string

// FromRunes adapts a lookup returning single characters, such as
// kiosk/pinyin's Candidates(syllable) []rune, to Candidates.
func FromRunes(lookup func(syllable string) []rune) Candidates {
	if lookup == nil {
		return nil
	}
	return func(spelling string) []string {
		rs := lookup(spelling)
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = string(r)
		}
		return out
	}
}

// maxSpelling is the longest spelling kept; a longer one is refused key by
// key (the longest syllable, zhuang, has 6 letters; 12 allows a word).
const maxSpelling = 12

// Pinyin is Chinese input by pinyin: letter keys build a spelling shown
// above the keys, a candidate bar offers its characters a page at a time
// (上一页/下一页), and tapping one types it. 空格 types the first candidate.
type Pinyin struct {
	widget.BaseWidget
	board
	lookup   Candidates
	spelling []rune
	found    []string
	page     int
	perPage  int

	shown   *canvas.Text
	hint    *canvas.Text
	slots   []*widgets.Button
	content fyne.CanvasObject
	// letterRows and digitRows take turns in the same place when the
	// keyboard has digits (Config.Digits); digits says which is shown.
	letterRows, digitRows []fyne.CanvasObject
	digits                bool
}

// NewPinyin returns a pinyin keyboard typing into t; lookup may be nil
// (then no candidates are ever offered). The number of candidate slots is
// fixed here from the current theme: build a new keyboard after switching
// 长者模式 (sizes and colours of an existing one follow the theme anyway).
func NewPinyin(t Target, lookup Candidates, cfg Config) *Pinyin {
	k := &Pinyin{board: newBoard(t, cfg), lookup: lookup}
	k.ExtendBaseWidget(k)
	k.perPage = k.cfg.CandidatesPerPage
	if k.perPage <= 0 {
		k.perPage = 6
		if theme.ItemsPerPage(k) <= 6 {
			k.perPage = 4
		}
	}
	l := k.cfg.Labels

	k.shown = canvas.NewText("", color.Black)
	k.shown.TextStyle = fyne.TextStyle{Bold: true}
	k.hint = canvas.NewText("", color.Black)
	bar := []fyne.CanvasObject{k.key(KeyPrevPage, l.PrevPage, func() { k.turn(-1) })}
	for i := 0; i < k.perPage; i++ {
		slot := k.key(candidateName(i), "", func() { k.choose(i) })
		slot.Fixed = true // the bar keeps its width whatever the words: no key moves while typing
		k.slots = append(k.slots, slot)
		bar = append(bar, slot)
	}
	bar = append(bar, k.key(KeyNextPage, l.NextPage, func() { k.turn(+1) }))

	rows := []fyne.CanvasObject{
		container.NewHBox(k.shown, k.hint, layout.NewSpacer()),
		row(bar...),
	}
	for _, letters := range k.cfg.Layout.rows() {
		var keys []fyne.CanvasObject
		for _, r := range letters {
			keys = append(keys, k.key(string(r), string(r), func() { k.letter(r) }))
		}
		k.letterRows = append(k.letterRows, row(keys...))
	}
	rows = append(rows, k.letterRows...)
	if k.cfg.Digits {
		// As many rows as the letters take, so the keyboard keeps its size.
		digits := []string{"123", "456", "789", "0"}
		if len(k.letterRows) < 4 {
			digits = []string{"12345", "67890"}
		}
		for _, ds := range digits {
			var keys []fyne.CanvasObject
			for _, r := range ds {
				keys = append(keys, k.key(string(r), string(r), func() { k.digit(r) }))
			}
			dr := row(keys...)
			dr.Hide()
			k.digitRows = append(k.digitRows, dr)
		}
		rows = append(rows, k.digitRows...)
	}
	space := k.key(KeySpace, l.Space, func() { k.choose(0) })
	space.MinWidth = 4 * 96
	bottom := []fyne.CanvasObject{k.key(KeyBackspace, l.Backspace, k.back), space, k.key(KeyClear, l.Clear, k.clearAll)}
	if k.cfg.Digits {
		space.MinWidth = 2 * 96
		bottom = append([]fyne.CanvasObject{k.key(KeyDigits, l.Digits, k.toggleDigits)}, bottom...)
	}
	rows = append(rows, row(bottom...))
	k.content = container.NewVBox(rows...)
	k.update()
	return k
}

func candidateName(i int) string { return "candidate-" + string(rune('0'+i)) }

// Candidate returns the i-th slot of the candidate bar (0-based), or nil.
func (k *Pinyin) Candidate(i int) *widgets.Button {
	if i < 0 || i >= len(k.slots) {
		return nil
	}
	return k.slots[i]
}

// Spelling returns the pinyin typed so far.
func (k *Pinyin) Spelling() string { return string(k.spelling) }

// Page returns the candidates on the current page.
func (k *Pinyin) Page() []string {
	lo := min(k.page*k.perPage, len(k.found))
	hi := min(lo+k.perPage, len(k.found))
	return k.found[lo:hi]
}

func (k *Pinyin) letter(r rune) {
	if len(k.spelling) >= maxSpelling {
		return
	}
	k.spelling = append(k.spelling, r)
	k.search()
}

// digit types a digit; a spelling not yet chosen types its first
// candidate before it, as the space key would.
func (k *Pinyin) digit(r rune) {
	if len(k.spelling) > 0 {
		k.choose(0)
	}
	k.append(r)
}

// toggleDigits shows the digit keys in place of the letters, or back.
func (k *Pinyin) toggleDigits() {
	k.digits = !k.digits
	for _, r := range k.letterRows {
		setShown(r, !k.digits)
	}
	for _, r := range k.digitRows {
		setShown(r, k.digits)
	}
	label := k.cfg.Labels.Digits
	if k.digits {
		label = k.cfg.Labels.Letters
	}
	k.keys[KeyDigits].SetText(label)
	k.content.Refresh()
}

// ShowsDigits reports whether the digit keys are shown.
func (k *Pinyin) ShowsDigits() bool { return k.digits }

func (k *Pinyin) back() {
	if len(k.spelling) == 0 {
		k.backspace()
		return
	}
	k.spelling = k.spelling[:len(k.spelling)-1]
	k.search()
}

func (k *Pinyin) clearAll() {
	k.Reset()
	k.clearTarget()
}

// Reset forgets the spelling and candidates (at the end of a session, or
// when the screen moves to another field), leaving the target alone.
func (k *Pinyin) Reset() {
	clear(k.spelling)
	k.spelling = k.spelling[:0]
	k.search()
}

// choose types the i-th candidate of the current page. With nothing spelled,
// choosing the first (the space key) types a space.
func (k *Pinyin) choose(i int) {
	if len(k.spelling) == 0 {
		if i == 0 {
			k.append(' ')
		}
		return
	}
	page := k.Page()
	if i >= len(page) {
		return
	}
	for _, r := range page[i] {
		k.append(r)
	}
	rest := ""
	if k.cfg.Remainder != nil {
		rest = k.cfg.Remainder(string(k.spelling), page[i])
	}
	clear(k.spelling)
	k.spelling = append(k.spelling[:0], []rune(rest)...)
	k.search()
}

func (k *Pinyin) turn(d int) {
	next := k.page + d
	if next < 0 || next*k.perPage >= len(k.found) {
		return
	}
	k.page = next
	k.update()
}

func (k *Pinyin) search() {
	k.found, k.page = nil, 0
	if len(k.spelling) > 0 && k.lookup != nil {
		k.found = k.lookup(string(k.spelling))
	}
	k.update()
	if k.cfg.OnSpelling != nil {
		k.cfg.OnSpelling(string(k.spelling))
	}
}

// update shows the spelling, the current page of candidates and the paging
// keys' states.
func (k *Pinyin) update() {
	k.shown.Text = string(k.spelling)
	k.shown.TextSize = theme.SizeFor(theme.SizeNameButtonText, k)
	k.shown.Color = theme.ColorFor(theme.ColorNameHeading, k)
	k.hint.Text = ""
	if len(k.spelling) > 0 && len(k.found) == 0 {
		k.hint.Text = k.cfg.Labels.NoCandidates
	}
	k.hint.TextSize = theme.SizeFor("text", k)
	k.hint.Color = theme.ColorFor("error", k)
	page := k.Page()
	for i, slot := range k.slots {
		if i < len(page) {
			slot.SetText(page[i])
			slot.Enable()
		} else {
			slot.SetText("")
			slot.Disable()
		}
	}
	setEnabled(k.keys[KeyPrevPage], k.page > 0)
	setEnabled(k.keys[KeyNextPage], (k.page+1)*k.perPage < len(k.found))
	k.shown.Refresh()
	k.hint.Refresh()
}

func setEnabled(b *widgets.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// SetLabels renames the function keys.
func (k *Pinyin) SetLabels(l Labels) {
	k.setLabels(l)
	k.update()
}

// CreateRenderer implements fyne.Widget.
func (k *Pinyin) CreateRenderer() fyne.WidgetRenderer {
	return newBoardRenderer(k, k.content)
}

// Refresh re-reads the theme's sizes and colours (after a mode switch).
func (k *Pinyin) Refresh() {
	k.update()
	k.BaseWidget.Refresh()
}

func setShown(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}
