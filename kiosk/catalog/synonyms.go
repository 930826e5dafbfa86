package catalog

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// fileSynonyms holds residents' everyday words and the catalog's words for
// them. It is optional: a tree without it searches without synonyms.
const fileSynonyms = "synonyms.json"

// Synonym is one entry of synonyms.json: what residents say (去世, 下岗,
// "passed away") and the words the catalog uses for it (丧葬, 失业).
type Synonym struct {
	Say   []string `json:"say"`
	Means []string `json:"means"`
}

// synonymScore caps the score of a hit found through a synonym, so that an
// item the resident named directly stays ahead of one found for them.
const synonymScore = 600

// expansions returns the catalog's words for what the query says: the Means
// of every synonym one of whose Say phrases occurs in the query (Chinese as a
// substring, other scripts as whole words).
func (c *Catalog) expansions(q string) []string {
	var out []string
	compact := strings.ReplaceAll(q, " ", "")
	qWords := strings.Fields(q)
	for _, s := range c.synonyms {
		if slices.ContainsFunc(s.Say, func(say string) bool { return saysPhrase(compact, qWords, say) }) {
			for _, m := range s.Means {
				if !slices.Contains(out, m) {
					out = append(out, m)
				}
			}
		}
	}
	return out
}

// saysPhrase reports whether the query holds phrase: Chinese anywhere in the
// query, other scripts as a run of whole words.
func saysPhrase(compact string, qWords []string, phrase string) bool {
	phrase = strings.ToLower(phrase)
	if strings.IndexFunc(phrase, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
		return strings.Contains(compact, strings.ReplaceAll(phrase, " ", ""))
	}
	pw := strings.Fields(phrase)
	for i := 0; i+len(pw) <= len(qWords); i++ {
		if slices.Equal(qWords[i:i+len(pw)], pw) {
			return true
		}
	}
	return false
}

// checkSynonyms refuses empty entries and words the catalog never uses: a
// synonym whose Means finds nothing would quietly find nothing for residents.
func (l *loader) checkSynonyms(c *Catalog) {
	for i, s := range c.synonyms {
		p := fmt.Sprintf("[%d]", i)
		if len(s.Say) == 0 || slices.Contains(s.Say, "") {
			l.problem(fileSynonyms, p+".say", "a synonym needs the words residents say, none empty")
		}
		if len(s.Means) == 0 {
			l.problem(fileSynonyms, p+".means", "a synonym needs the catalog's words for it")
		}
		for j, m := range s.Means {
			if len(c.searchDirect(normalizeQuery(m))) == 0 {
				l.problem(fileSynonyms, fmt.Sprintf("%s.means[%d]", p, j), "%q finds no item", m)
			}
		}
	}
}
