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
		NoCandidates: u.t("keyboard.no_candidates"),
	}
	cfg := keyboard.Config{Labels: labels, Touched: u.s.Touch}
	// Letters in alphabetical rows of six: narrow enough to stand beside the
	// fields on a landscape panel and to fit a portrait one, and easier for
	// residents who never used a computer keyboard.
	cfg.Layout = keyboard.Alphabetical
	if u.landscape() {
		cfg.Layout = keyboard.AlphabeticalWide
	}
	var kb keyboardWidget
	switch kind {
	case kbDigits, kbDigitsX:
		kb = keyboard.NewNumPad(t, kind == kbDigitsX, cfg)
	case kbLetters:
		if u.opt.Pinyin != nil && u.view.Lang == kiosk.LangZH && t != nil {
			if _, search := t.(*searchTarget); !search {
				kb = keyboard.NewPinyin(t, keyboard.FromRunes(u.opt.Pinyin), cfg)
				break
			}
		}
		kb = keyboard.NewLatin(t, cfg)
	}
	if u.keyboards == nil {
		u.keyboards = map[string]keyboardWidget{}
		u.keyboardViews = map[string]fyne.CanvasObject{}
	}
	u.keyboards[key] = kb
	if kind == kbLetters && u.view.Elderly && u.landscape() {
		// A landscape panel has no room for a letter keyboard with 长者模式's
		// 120 px keys under the fields; its normal 96 px keys are still well
		// above the 60 dp that the 适老化 rules ask for. Built once and kept:
		// each theme override carries its own font cache.
		shown := container.NewThemeOverride(kb, kiosktheme.New(kiosktheme.Normal, kiosktheme.EmbeddedFonts()))
		u.keyboardViews[key] = shown
		return shown
	}
	return kb
}

// redrawLater redraws after the current tap handler returns: keys call
// their target from inside the keyboard, which is part of the screen.
func (u *Screens) redrawLater() { go fyne.Do(u.redraw) }
