package keyboard

// Labels are the words on the keyboards' function keys, in the session's
// language (build them from the localizer: i18n IDs keyboard.*). Keys carry
// words, never an icon alone.
type Labels struct {
	Backspace    string // 退格
	Clear        string // 清空
	Space        string // 空格
	Shift        string // 大小写
	PrevPage     string // 上一页
	NextPage     string // 下一页
	NoCandidates string // shown when the pinyin matches no character
	Digits       string // 数字: the pinyin keyboard's switch to its digit keys
	Letters      string // 拼音: and back to the letters
}

// ChineseLabels are the labels in 简体中文.
func ChineseLabels() Labels {
	return Labels{Backspace: "退格", Clear: "清空", Space: "空格", Shift: "大小写",
		PrevPage: "上一页", NextPage: "下一页", NoCandidates: "没有找到这个拼音，请检查",
		Digits: "数字", Letters: "拼音"}
}

// EnglishLabels are the labels in English.
func EnglishLabels() Labels {
	return Labels{Backspace: "Delete", Clear: "Clear", Space: "Space", Shift: "Aa",
		PrevPage: "Previous", NextPage: "Next", NoCandidates: "No match; check the pinyin",
		Digits: "123", Letters: "abc"}
}

// Layout is the arrangement of letter keys.
type Layout int

// Letter layouts.
const (
	// QWERTY rows of up to 10 keys: for landscape panels.
	QWERTY Layout = iota
	// Alphabetical rows of 6 keys (a–f … y–z): narrow enough for a 1080 px
	// portrait panel even in 长者模式, and easier for people who never used
	// a computer keyboard.
	Alphabetical
	// AlphabeticalWide rows of 7 keys (a–g, h–n, o–u, v–z): one row less,
	// to stand beside the fields on a landscape panel.
	AlphabeticalWide
)

func (l Layout) rows() []string {
	switch l {
	case Alphabetical:
		return []string{"abcdef", "ghijkl", "mnopqr", "stuvwx", "yz"}
	case AlphabeticalWide:
		return []string{"abcdefg", "hijklmn", "opqrstu", "vwxyz"}
	}
	return []string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}
}

// Config is what every keyboard takes besides its target.
type Config struct {
	Labels Labels
	Layout Layout
	// Touched, when set, is called on every key tap to keep the session's
	// idle timer alive.
	Touched func()
	// CandidatesPerPage is how many pinyin candidates a page shows;
	// 0 chooses 6, or 4 when the theme shows 6 items per page or fewer
	// (长者模式), which fits a 1080 px wide portrait panel.
	CandidatesPerPage int
	// Digits adds to the pinyin keyboard a key that shows digit keys in
	// place of the letters (and back), for addresses: 100弄5号301室.
	Digits bool
	// OnSpelling, when set, hears the pinyin spelled so far after every
	// change (the search finds items by the letters as they are typed).
	OnSpelling func(spelling string)
	// Remainder, when set, says what is left of the spelling once a
	// candidate is chosen (yibai, 一: bai), so a long spelling is typed
	// word by word; nil: choosing uses the whole spelling up.
	Remainder func(spelling, chosen string) string
}

func (c Config) withDefaults() Config {
	if c.Labels == (Labels{}) {
		c.Labels = ChineseLabels()
	}
	return c
}

// Key names of the function keys, for Key(name).
const (
	KeyBackspace = "backspace"
	KeyClear     = "clear"
	KeySpace     = "space"
	KeyShift     = "shift"
	KeyPrevPage  = "prev"
	KeyNextPage  = "next"
	KeyDigits    = "digits" // the pinyin keyboard's switch between letters and digits
)
