package ui

import (
	"fmt"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
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
		return kb
	}
	labels := keyboard.Labels{
		Backspace: u.t("keyboard.backspace"), Clear: u.t("keyboard.clear"), Space: u.t("keyboard.space"),
		Shift: u.t("keyboard.shift"), PrevPage: u.t("keyboard.prev_page"), NextPage: u.t("keyboard.next_page"),
		NoCandidates: u.t("keyboard.no_candidates"),
	}
	cfg := keyboard.Config{Labels: labels, Touched: u.s.Touch}
	if !u.landscape() {
		cfg.Layout = keyboard.Alphabetical // rows of seven letters fit a portrait panel
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
	}
	u.keyboards[key] = kb
	return kb
}

// redrawLater redraws after the current tap handler returns: keys call
// their target from inside the keyboard, which is part of the screen.
func (u *Screens) redrawLater() { go fyne.Do(u.redraw) }
