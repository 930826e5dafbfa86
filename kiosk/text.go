package kiosk

// Lang is a resident-facing language.
type Lang string

// The languages a session can be shown in.
const (
	LangZH Lang = "zh"
	LangEN Lang = "en"
)

// Text is a string in both languages of the terminal.
// ZH is always present; EN falls back to ZH when empty.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en,omitempty"`
}

// In returns the text in lang, falling back to Chinese.
func (t Text) In(lang Lang) string {
	if lang == LangEN && t.EN != "" {
		return t.EN
	}
	return t.ZH
}
