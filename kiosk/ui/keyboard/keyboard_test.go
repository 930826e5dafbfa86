package keyboard_test

import (
	"flag"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk/ui/internal/golden"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
	"github.com/tongban/tongban/kiosk/ui/theme"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// fakeTable is a hand-written pinyin table, most common first.
func fakeTable(spelling string) []string {
	return map[string][]string{
		"lao":     {"老", "劳", "捞", "牢", "涝", "佬", "姥", "唠"},
		"nian":    {"年", "念", "黏"},
		"laonian": {"老年"},
		"zhang":   {"张", "章", "长", "掌", "丈", "涨", "帐", "杖", "障", "彰", "漳", "樟"},
	}[spelling]
}

func newApp(t *testing.T, m theme.Mode) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(m, theme.EmbeddedFonts()))
}

type widgetsButton = widgets.Button

func tapAll(t *testing.T, key func(string) *widgetsButton, names ...string) {
	t.Helper()
	for _, n := range names {
		k := key(n)
		if k == nil {
			t.Fatalf("no key %q", n)
		}
		test.Tap(k)
	}
}

func TestNumPadTyping(t *testing.T) {
	newApp(t, theme.Normal)
	tests := []struct {
		name  string
		withX bool
		taps  []string
		want  string
	}{
		{"digits", false, []string{"1", "3", "8", "0"}, "1380"},
		{"backspace", false, []string{"1", "2", keyboard.KeyBackspace, "5"}, "15"},
		{"backspace on empty", false, []string{keyboard.KeyBackspace}, ""},
		{"clear", false, []string{"9", "9", keyboard.KeyClear, "7"}, "7"},
		{"id check digit", true, []string{"0", "4", "X"}, "04X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf keyboard.Buffer
			p := keyboard.NewNumPad(&buf, tt.withX, keyboard.Config{})
			tapAll(t, p.Key, tt.taps...)
			if buf.String() != tt.want {
				t.Errorf("typed %q, want %q", buf.String(), tt.want)
			}
		})
	}
	if keyboard.NewNumPad(nil, false, keyboard.Config{}).Key("X") != nil {
		t.Error("pad without X has an X key")
	}
}

func TestNumPadIntoEntryWithLimit(t *testing.T) {
	newApp(t, theme.Normal)
	e := widget.NewEntry()
	touched := 0
	p := keyboard.NewNumPad(keyboard.ForEntry(e, 3), false, keyboard.Config{Touched: func() { touched++ }})
	tapAll(t, p.Key, "1", "2", "3", "4")
	if e.Text != "123" || touched != 4 {
		t.Fatalf("entry %q after 4 taps with a limit of 3 (touched %d)", e.Text, touched)
	}
	tapAll(t, p.Key, keyboard.KeyBackspace)
	if e.Text != "12" || e.CursorColumn != 2 {
		t.Fatalf("after backspace: %q, cursor %d", e.Text, e.CursorColumn)
	}
	p.SetTarget(nil) // a keyboard with no field does nothing, and does not panic
	tapAll(t, p.Key, "5", keyboard.KeyClear)
}

func TestLatinTyping(t *testing.T) {
	newApp(t, theme.Normal)
	for _, layout := range []keyboard.Layout{keyboard.QWERTY, keyboard.Alphabetical} {
		var buf keyboard.Buffer
		k := keyboard.NewLatin(&buf, keyboard.Config{Layout: layout})
		tapAll(t, k.Key, keyboard.KeyShift, "l", keyboard.KeyShift, "i",
			keyboard.KeySpace, "w", "u", "-", ".", keyboard.KeyBackspace)
		if buf.String() != "Li wu-" {
			t.Errorf("layout %d typed %q, want %q", layout, buf.String(), "Li wu-")
		}
		if k.Upper() {
			t.Error("shift still on")
		}
	}
}

func TestPinyinCandidates(t *testing.T) {
	newApp(t, theme.Normal)
	var buf keyboard.Buffer
	k := keyboard.NewPinyin(&buf, fakeTable, keyboard.Config{CandidatesPerPage: 6})
	tapAll(t, k.Key, "l", "a", "o")
	if k.Spelling() != "lao" || len(k.Page()) != 6 || k.Page()[0] != "老" {
		t.Fatalf("spelling %q page %v", k.Spelling(), k.Page())
	}
	if !k.Key(keyboard.KeyPrevPage).Disabled() || k.Key(keyboard.KeyNextPage).Disabled() {
		t.Fatal("on the first of two pages: 上一页 must be off and 下一页 on")
	}
	test.Tap(k.Key(keyboard.KeyNextPage))
	if got := k.Page(); len(got) != 2 || got[0] != "姥" || !k.Candidate(2).Disabled() {
		t.Fatalf("second page %v", got)
	}
	test.Tap(k.Key(keyboard.KeyNextPage)) // past the end: stays
	test.Tap(k.Candidate(1))
	if buf.String() != "唠" || k.Spelling() != "" {
		t.Fatalf("chose %q, spelling left %q", buf.String(), k.Spelling())
	}
	tapAll(t, k.Key, "n", "i", "a", "n", "g", keyboard.KeyBackspace) // "niang" is unknown
	if k.Spelling() != "nian" {
		t.Fatalf("backspace while spelling: %q", k.Spelling())
	}
	tapAll(t, k.Key, keyboard.KeySpace) // the first candidate
	tapAll(t, k.Key, keyboard.KeyBackspace)
	if buf.String() != "唠" {
		t.Fatalf("backspace with no spelling must delete from the field: %q", buf.String())
	}
	tapAll(t, k.Key, "l", "a", "o", "n", "i", "a", "n")
	test.Tap(k.Candidate(0))
	if buf.String() != "唠老年" {
		t.Fatalf("word candidate: %q", buf.String())
	}
	tapAll(t, k.Key, "q", keyboard.KeyClear)
	if buf.String() != "" || k.Spelling() != "" {
		t.Fatalf("clear: %q / %q", buf.String(), k.Spelling())
	}
}

func TestPinyinWithoutTableOrMatch(t *testing.T) {
	newApp(t, theme.Normal)
	var buf keyboard.Buffer
	k := keyboard.NewPinyin(&buf, nil, keyboard.Config{})
	tapAll(t, k.Key, "x", "y", "z")
	test.Tap(k.Candidate(0))
	if buf.String() != "" || len(k.Page()) != 0 {
		t.Fatalf("typed %q with no table", buf.String())
	}
	for i := 0; i < 20; i++ {
		test.Tap(k.Key("a"))
	}
	if len(k.Spelling()) > 12 {
		t.Fatalf("spelling grew to %d letters", len(k.Spelling()))
	}
}

// TestKeySizes checks every key against the mode's touch target.
func TestKeySizes(t *testing.T) {
	for _, tt := range []struct {
		mode   theme.Mode
		target float32
	}{{theme.Normal, 96}, {theme.Elderly, 120}} {
		newApp(t, tt.mode)
		boards := map[string]func(string) *widgetsButton{
			"numpad": keyboard.NewNumPad(nil, true, keyboard.Config{}).Key,
			"latin":  keyboard.NewLatin(nil, keyboard.Config{}).Key,
			"pinyin": keyboard.NewPinyin(nil, fakeTable, keyboard.Config{}).Key,
		}
		for name, key := range boards {
			for _, n := range []string{"0", "a", keyboard.KeyBackspace, keyboard.KeyClear, keyboard.KeyPrevPage} {
				k := key(n)
				if k == nil {
					continue
				}
				if s := k.MinSize(); s.Width < tt.target || s.Height < tt.target {
					t.Errorf("%v %s key %q is %v, want ≥ %v", tt.mode, name, n, s, tt.target)
				}
			}
		}
	}
}

func TestKeyboardGolden(t *testing.T) {
	for _, m := range []theme.Mode{theme.Normal, theme.Elderly} {
		t.Run(m.String(), func(t *testing.T) {
			newApp(t, m)
			var buf keyboard.Buffer
			py := keyboard.NewPinyin(&buf, fakeTable, keyboard.Config{})
			tapAll(t, py.Key, "z", "h", "a", "n", "g")
			boards := map[string]fyne.Widget{
				"numpad": keyboard.NewNumPad(&buf, true, keyboard.Config{}),
				"latin":  keyboard.NewLatin(&buf, keyboard.Config{}),
				"pinyin": py,
				"pinyin-abc": keyboard.NewPinyin(&buf, fakeTable,
					keyboard.Config{Layout: keyboard.Alphabetical, Labels: keyboard.EnglishLabels()}),
			}
			for name, b := range boards {
				w := test.NewTempWindow(t, b)
				w.SetPadded(false)
				w.Resize(b.MinSize())
				golden.Assert(t, name+"-"+m.String(), w.Canvas().Capture(), *update)
			}
		})
	}
}

func TestFromRunes(t *testing.T) {
	newApp(t, theme.Normal)
	var buf keyboard.Buffer
	lookup := keyboard.FromRunes(func(s string) []rune {
		if s == "ce" {
			return []rune("测策册")
		}
		return nil
	})
	k := keyboard.NewPinyin(&buf, lookup, keyboard.Config{})
	tapAll(t, k.Key, "c", "e")
	test.Tap(k.Candidate(0))
	if buf.String() != "测" || keyboard.FromRunes(nil) != nil {
		t.Fatalf("typed %q", buf.String())
	}
}
