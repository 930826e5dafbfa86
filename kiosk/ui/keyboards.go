package ui

import (
	"fmt"

	"fyne.io/fyne/v2/container"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
	kiosktheme "github.com/tongban/tongban/kiosk/ui/theme"
)

// keyboardWidget is any of the kit's keyboards.
type keyboardWidget interface {
	fyne.Widget
	SetTarget(keyboard.Target)
}

// keyboardOf returns the keyboard of kind typing into t, reusing the one
// already built for this kind, mode and language.
func (u *Screens) keyboardOf(kind keyboardKind, t keyboard.Target) fyne.CanvasObject {
	key := fmt.Sprintf("%d/%s/%v", kind, u.view.Lang, u.landscape())
	if kb, ok := u.keyboards[key]; ok {
		kb.SetTarget(t)
		if shown, ok := u.keyboardViews[key]; ok {
			return shown
		}
		return kb
	}
	labels := keyboard.Labels{
		Backspace: u.t("keyboard.backspace"), Clear: u.t("keyboard.clear"), Space: u.t("keyboard.space"),
		Shift: u.t("keyboard.shift"), PrevPage: u.t("keyboard.prev_page"), NextPage: u.t("keyboard.next_page"),
		NoCandidates: u.t("keyboard.no_candidates"), Digits: u.t("keyboard.digits"), Letters: u.t("keyboard.letters"),
	}
	cfg := keyboard.Config{Labels: labels, Touched: u.s.Touch}
	// Letters in alphabetical rows of six: narrow enough to stand beside the
	// fields on a landscape panel and to fit a portrait one, and easier for
	// residents who never used a computer keyboard.
	cfg.Layout = keyboard.Alphabetical
	if u.landscape() || u.view.Elderly {
		// Rows of seven: one row less, beside the fields in landscape, and
		// in 长者模式 on a portrait panel, where rows are taller (seven
		// 120 px keys just fit its width).
		cfg.Layout = keyboard.AlphabeticalWide
	}
	var kb keyboardWidget
	pinyin := u.opt.Pinyin != nil && (u.view.Lang == kiosk.LangZH || kind == kbAddress)
	switch kind {
	case kbDigits, kbDigitsX:
		kb = keyboard.NewNumPad(t, kind == kbDigitsX, cfg)
	case kbCode:
		cfg.Layout = keyboard.QWERTY // the digits row over the letters
		kb = keyboard.NewLatin(t, cfg)
	case kbText, kbAddress, kbSearch:
		if !pinyin {
			kb = keyboard.NewLatin(t, cfg)
			break
		}
		cfg.Digits = kind == kbAddress
		if kind == kbSearch {
			cfg.OnSpelling = func(sp string) {
				if sp != u.browse.spelling {
					u.browse.spelling = sp
					u.browse.page = 0
					u.redrawLater()
				}
			}
		}
		cfg.Remainder = u.opt.PinyinRest
		kb = keyboard.NewPinyin(t, u.opt.Pinyin, cfg)
	}
	if u.keyboards == nil {
		u.keyboards = map[string]keyboardWidget{}
		u.keyboardViews = map[string]fyne.CanvasObject{}
	}
	u.keyboards[key] = kb
	if u.view.Elderly && (u.landscape() || kind == kbText || kind == kbAddress) {
		// A landscape panel has no room for 长者模式's 120 px keys: beside
		// the fields, a letter keyboard's six rows of 144 px (key and gap)
		// and the pad's five are taller than the 744 px between the title
		// bar and 下一步. Under a portrait form's fields neither is there
		// room for a letter keyboard of 120 px keys (the fit test finds
		// address and text pages 130 px too tall). There the normal 96 px
		// keys stand, still well above the 60 dp that the 适老化 rules ask
		// for; the numeric pad and the search's letters on a portrait panel
		// have UX.md's 120 px keys. Built once and kept: each theme
		// override carries its own font cache.
		shown := container.NewThemeOverride(kb, kiosktheme.New(kiosktheme.Normal, kiosktheme.EmbeddedFonts()))
		u.keyboardViews[key] = shown
		return shown
	}
	return kb
}

// redrawLater redraws after the current tap handler returns: keys call
// their target from inside the keyboard, which is part of the screen.
func (u *Screens) redrawLater() {
	u.pending.Add(1)
	go fyne.Do(func() { u.redraw(); u.pending.Add(-1) })
}
