package catalog

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/pinyin"
)

// Hit is one search result.
type Hit struct {
	Item  kiosk.Item
	Score int
	// Match says what matched: name, keyword, pinyin, initials, english,
	// summary, or typo (one character off).
	Match string
}

// searchIndex holds what search compares, computed once at Load.
type searchIndex struct {
	entries []indexEntry
}

type indexEntry struct {
	item      int
	keys      []searchKey // the name first, then the keywords
	summaryZH string
	enName    string   // lower-case
	enRunes   []rune   // enName as runes
	enWords   []string // words of enName
	enSummary []string // words of the English summary
}

type searchKey struct {
	isName   bool
	text     string
	runes    []rune
	readings [][]string // per letter or digit of text: its readings
	full     []rune     // default pinyin, run together
	initials string
}

// minHitsBeforeTypos: with fewer exact hits than this, search also
// forgives one wrong, missing or extra character.
const minHitsBeforeTypos = 3

// maxQuery bounds the query length searched (runes); longer input is cut.
const maxQuery = 40

// lifeEventScore ranks the items of a life event named whole (出生,
// "Having a baby") above items that only share its words.
const lifeEventScore = 900

func buildIndex(items []kiosk.Item) *searchIndex {
	ix := &searchIndex{entries: make([]indexEntry, len(items))}
	for i, it := range items {
		e := indexEntry{item: i, summaryZH: it.Summary.ZH, enName: strings.ToLower(it.Name.EN)}
		e.keys = append(e.keys, newSearchKey(it.Name.ZH, true))
		for _, k := range it.Keywords {
			e.keys = append(e.keys, newSearchKey(k, false))
		}
		e.enRunes = []rune(e.enName)
		e.enWords = words(it.Name.EN)
		e.enSummary = words(it.Summary.EN)
		ix.entries[i] = e
	}
	return ix
}

func newSearchKey(text string, isName bool) searchKey {
	k := searchKey{isName: isName, text: text, runes: []rune(text)}
	for _, r := range text {
		if rs := pinyin.Readings(r); rs != nil {
			k.readings = append(k.readings, rs)
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			k.readings = append(k.readings, []string{strings.ToLower(string(r))})
		}
	}
	k.full = []rune(pinyin.Full(text))
	k.initials = pinyin.Initials(text)
	return k
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Search returns the items matching query, best first, at most limit (all
// when limit <= 0). It matches Chinese substrings of names, keywords and
// summaries; full pinyin and pinyin initials, also mixed and partly typed
// ("laonian", "lnzhjt", "ljt"); English words and their beginnings; and
// forgives one wrong, missing or extra character, or a character typed for
// another of the same sound (底保 for 低保). Full-width input is folded. It
// also finds what residents' everyday words mean (synonyms.json: 去世,
// 下岗, "passed away") and the items of a life event named (出生, "Having a
// baby"), below the items the query names directly. Popular items win ties.
func (c *Catalog) Search(query string, limit int) []Hit {
	q := normalizeQuery(query)
	if q == "" {
		return nil
	}
	hits := c.searchDirect(q)
	at := make(map[kiosk.ItemCode]int, len(hits))
	for i, h := range hits {
		at[h.Item.Code] = i
	}
	// raise gives it at least score (before popularity), adding it if new.
	raise := func(it kiosk.Item, score int, match string) {
		score += it.Popularity / 10
		if i, ok := at[it.Code]; ok {
			if score > hits[i].Score {
				hits[i].Score, hits[i].Match = score, match
			}
			return
		}
		at[it.Code] = len(hits)
		hits = append(hits, Hit{Item: it, Score: score, Match: match})
	}
	for _, m := range c.expansions(q) {
		for _, h := range c.searchDirect(normalizeQuery(m)) {
			raise(h.Item, min(h.Score-h.Item.Popularity/10, synonymScore), "synonym")
		}
	}
	// A life event named whole is what the resident wants, ahead of items
	// that merely share its words; its items the query also names lead.
	for _, ev := range c.lifeEvents {
		if q != strings.ToLower(ev.Name.ZH) && q != strings.ToLower(ev.Name.EN) {
			continue
		}
		for _, it := range c.items {
			if !slices.Contains(it.LifeEvents, ev.ID) {
				continue
			}
			score := lifeEventScore
			if _, named := at[it.Code]; named {
				score += 50
			}
			raise(it, score, "life-event")
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		if hits[i].Item.Popularity != hits[j].Item.Popularity {
			return hits[i].Item.Popularity > hits[j].Item.Popularity
		}
		return hits[i].Item.Code < hits[j].Item.Code
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// searchDirect returns, unordered, the items the normalized query q names
// itself: exact matches first and, only when they are few, forgiving a typo.
func (c *Catalog) searchDirect(q string) []Hit {
	var hits []Hit
	hasHan := strings.IndexFunc(q, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	compact := strings.ReplaceAll(q, " ", "")
	qr := []rune(compact)
	qWords := strings.Fields(q)
	sc := &scratch{letters: onlyLettersDigits(compact)}
	sc.letterRunes = []rune(sc.letters)
	sc.spaced = []rune(q)
	if hasHan {
		sc.sounds = readingsOf(qr)
	}
	matched := make([]bool, len(c.index.entries))
	for pass, typos := range []bool{false, true} {
		if pass == 1 && len(hits) >= minHitsBeforeTypos {
			break
		}
		for i, e := range c.index.entries {
			if matched[i] {
				continue
			}
			var score int
			var match string
			if hasHan {
				score, match = scoreChinese(e, compact, qr, sc, typos)
			} else {
				score, match = scoreLatin(e, qr, q, qWords, sc, typos)
			}
			if score == 0 {
				continue
			}
			matched[i] = true
			it := c.items[e.item]
			hits = append(hits, Hit{Item: it, Score: score + it.Popularity/10, Match: match})
		}
	}
	return hits
}

func normalizeQuery(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(width.Fold.String(s)), " "))
	if utf8.RuneCountInString(s) > maxQuery {
		s = string([]rune(s)[:maxQuery])
	}
	return strings.ReplaceAll(s, "ü", "v")
}

func better(score int, match string, s int, m string) (int, string) {
	if s > score {
		return s, m
	}
	return score, match
}

func scoreChinese(e indexEntry, q string, qr []rune, sc *scratch, typos bool) (int, string) {
	score, match := 0, ""
	for _, k := range e.keys {
		base, m := 0, "keyword"
		if k.isName {
			base, m = 50, "name"
		}
		switch {
		case k.text == q:
			score, match = better(score, match, 950+base, m)
		case strings.HasPrefix(k.text, q):
			score, match = better(score, match, 850+base, m)
		case strings.Contains(k.text, q):
			score, match = better(score, match, 750+base, m)
		case !k.isName && utf8.RuneCountInString(k.text) >= 2 && strings.Contains(q, k.text):
			score, match = better(score, match, 650, m)
		}
	}
	if score == 0 && strings.Contains(e.summaryZH, q) {
		score, match = 300, "summary"
	}
	if typos && score == 0 && len(qr) >= 2 {
		for _, k := range e.keys {
			if sc.sounds != nil && sameSounds(sc.sounds, k.readings) {
				base := 0
				if k.isName {
					base = 50
				}
				score, match = better(score, match, 460+base, "homophone")
			} else if len(qr) >= 3 && sc.approxContains(k.runes, qr) {
				base := 0
				if k.isName {
					base = 50
				}
				score, match = better(score, match, 450+base, "typo")
			}
		}
	}
	return score, match
}

func scoreLatin(e indexEntry, qr []rune, q string, qWords []string, sc *scratch, typos bool) (int, string) {
	score, match := 0, ""
	letters := sc.letters
	if letters != "" && len(letters) < 64 {
		for _, k := range e.keys {
			base := 0
			if k.isName {
				base = 50
			}
			if start, whole, ok := pinyinMatch(letters, k.readings); ok {
				s := 600 + base
				if start == 0 {
					s += 100
				}
				if whole {
					s += 50
				}
				score, match = better(score, match, s, "pinyin")
			} else if len(letters) >= 2 && initialsSubsequence(letters, k.initials) {
				score, match = better(score, match, 380+base/2, "initials")
			}
		}
	}
	if s := englishScore(q, qWords, e); s > 0 {
		score, match = better(score, match, s, "english")
	}
	if typos && score == 0 && len(letters) >= 4 {
		for _, k := range e.keys {
			if sc.approxContains(k.full, sc.letterRunes) {
				score, match = better(score, match, 350, "typo")
			}
		}
		if score == 0 && sc.approxContains(e.enRunes, sc.spaced) {
			score, match = 340, "typo"
		}
	}
	return score, match
}

func onlyLettersDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pinyinMatch reports whether q spells consecutive characters of a key, each
// character by its full pinyin or any beginning of it (so initials, full
// pinyin and mixtures all match), starting at some character. whole is true
// when the match runs from the first character to the last.
func pinyinMatch(q string, readings [][]string) (start int, whole, ok bool) {
	n := len(q)
	done := uint64(1) << n
	for s := 0; s < len(readings); s++ {
		states := uint64(1)
		for j := s; j < len(readings) && states != 0; j++ {
			var next uint64
			for pos := 0; pos < n; pos++ {
				if states&(1<<pos) == 0 {
					continue
				}
				for _, r := range readings[j] {
					for l := 1; l <= len(r) && pos+l <= n; l++ {
						if q[pos+l-1] != r[l-1] {
							break
						}
						next |= 1 << (pos + l)
					}
				}
			}
			if next&done != 0 {
				return s, s == 0 && j == len(readings)-1, true
			}
			states = next
		}
	}
	return 0, false, false
}

// initialsSubsequence reports whether q's letters are initials of characters
// of the key in order, the first being the key's first character: "ljt" for
// 老年综合津贴.
func initialsSubsequence(q, initials string) bool {
	if initials == "" || q[0] != initials[0] {
		return false
	}
	i := 1
	for j := 1; j < len(initials) && i < len(q); j++ {
		if initials[j] == q[i] {
			i++
		}
	}
	return i == len(q)
}

func englishScore(q string, qWords []string, e indexEntry) int {
	if len(qWords) == 0 {
		return 0
	}
	if strings.HasPrefix(e.enName, q) {
		return 720
	}
	if allPrefixes(qWords, e.enWords) {
		return 680
	}
	if allPrefixes(qWords, e.enSummary) {
		return 260
	}
	return 0
}

// allPrefixes reports whether every query word begins some word; words of
// one or two letters must match a whole word.
func allPrefixes(qWords, ws []string) bool {
	for _, q := range qWords {
		found := false
		for _, w := range ws {
			if w == q || (len(q) >= 3 && strings.HasPrefix(w, q)) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// scratch holds one search's query forms and reusable buffers.
type scratch struct {
	letters     string // the query's ASCII letters and digits
	letterRunes []rune
	spaced      []rune     // the query with its spaces, for English
	sounds      [][]string // readings of each Chinese query character; nil when one has none
	prev, cur   []int
}

// approxContains reports whether q occurs in text with at most one wrong,
// missing or extra character (Sellers' approximate substring matching).
func (sc *scratch) approxContains(text, q []rune) bool {
	m := len(q)
	if m == 0 || len(text) == 0 {
		return false
	}
	if cap(sc.prev) < m+1 {
		sc.prev, sc.cur = make([]int, m+1), make([]int, m+1)
	}
	prev, cur := sc.prev[:m+1], sc.cur[:m+1]
	for i := range prev {
		prev[i] = i
	}
	if prev[m] <= 1 {
		return true
	}
	for _, t := range text {
		cur[0] = 0
		for i := 1; i <= m; i++ {
			cost := 1
			if q[i-1] == t {
				cost = 0
			}
			cur[i] = min(prev[i-1]+cost, prev[i]+1, cur[i-1]+1)
		}
		if cur[m] <= 1 {
			return true
		}
		prev, cur = cur, prev
	}
	return false
}

// readingsOf returns the readings of each character of q, or nil when one of
// them is not a Chinese character with a known reading.
func readingsOf(q []rune) [][]string {
	out := make([][]string, len(q))
	for i, r := range q {
		if out[i] = pinyin.Readings(r); out[i] == nil {
			return nil
		}
	}
	return out
}

// sameSounds reports whether some run of a key's characters sounds like the
// query, character by character: 底保 for 低保, 社保咔 for 社保卡. Input
// methods offer characters by sound, so these are the commonest slips.
func sameSounds(q, key [][]string) bool {
	for i := 0; i+len(q) <= len(key); i++ {
		ok := true
		for j := range q {
			if !shareReading(q[j], key[i+j]) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func shareReading(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
