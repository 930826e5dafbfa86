package voice

import (
	"strings"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/i18n"
)

// Words gives the screens' words: message id in lang, filled with args.
type Words interface {
	Text(lang kiosk.Lang, id string, args map[string]any) string
}

// CatalogWords gives the words of the i18n catalog.
func CatalogWords(c *i18n.Catalog) Words {
	w := catalogWords{}
	for _, lang := range i18n.Languages() {
		w[lang] = c.NewLocalizer(lang)
	}
	return w
}

type catalogWords map[kiosk.Lang]*i18n.Localizer

func (w catalogWords) Text(lang kiosk.Lang, id string, args map[string]any) string {
	l, ok := w[lang]
	if !ok {
		l = w[i18n.DefaultLang]
	}
	if args == nil {
		return l.T(id)
	}
	return l.T(id, args)
}

// Prompt is one line ready to synthesize: its words as on the screen, and
// the input the synthesizer reads.
type Prompt struct {
	ID      string // the message ID, "" for words that are not one (an item name)
	Lang    kiosk.Lang
	Words   string // as shown: 请将身份证放在感应区
	Voice   string // the espeak-ng voice
	Input   string // what it reads: qing3 jiang1 shen1 fen4 …
	Spelled bool   // the line ends with a code read one character at a time
}

// key is the prompt's cache key.
func (p Prompt) key() string { return p.Voice + "\x00" + p.Input }

// Composer turns lines into prompts.
type Composer struct {
	Words   Words
	Lexicon *Lexicon
}

// Prompt renders one line in lang.
func (c Composer) Prompt(lang kiosk.Lang, l Line) Prompt {
	if lang != kiosk.LangEN {
		lang = kiosk.LangZH
	}
	p := Prompt{ID: l.ID, Lang: lang, Voice: VoiceFor(lang)}
	switch {
	case l.ID != "":
		p.Words = c.Words.Text(lang, l.ID, l.Args)
	case l.Text.IsMessage(): // a message (kiosk.Msg) handed over as a text
		nested := func(id string, data map[string]any) string { return c.Words.Text(lang, id, data) }
		p.Words = c.Words.Text(lang, l.Text.ID, l.Text.DataIn(lang, nested))
	default:
		p.Words = l.Text.In(lang)
	}
	if lang == kiosk.LangEN {
		p.Input = NormalizeEN(p.Words)
		if l.Spell != "" {
			p.Input = strings.TrimRight(p.Input, ":： ") + ": " + Spell(l.Spell, "en")
		}
	} else {
		text := NormalizeZH(p.Words)
		if l.Spell != "" {
			text = strings.TrimRight(text, ":： ") + "，" + Spell(l.Spell, "zh")
		}
		p.Input = c.Lexicon.Pinyin(text)
	}
	if l.Spell != "" {
		sep := "："
		if lang == kiosk.LangEN {
			sep = ": "
		}
		p.Words = strings.TrimRight(p.Words, ":： ") + sep + l.Spell
		p.Spelled = true
	}
	return p
}

// Prompts renders what screen s says.
func (c Composer) Prompts(s Screen) []Prompt {
	lines := Script(s)
	out := make([]Prompt, 0, len(lines))
	for _, l := range lines {
		if p := c.Prompt(s.Lang, l); strings.TrimSpace(p.Input) != "" {
			out = append(out, p)
		}
	}
	return out
}
