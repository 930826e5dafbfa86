// Package pinyin turns Chinese text into toneless pinyin for search, and
// lists the characters of a syllable for the on-screen pinyin keyboard.
//
// It is the only importer of github.com/mozillazg/go-pinyin, whose
// character dictionary it reads directly: readings come without tones, with
// ü written as v (lv, nv), the most common reading first. Words whose
// reading depends on context (长期 is chang, 长大 is zhang) are not resolved
// here; callers that match text should try every reading (Readings).
//
// The keyboard table (Candidates, Suggestions) is built once, on first
// use, from the GB2312 code chart's characters, ordered by frequency, and
// from 20,000 words of 2 to 4 characters, both from freq.txt: counts from
// jieba's word dictionary (jieba.dict.utf8, MIT licence), as shipped in the
// Go module github.com/yanyiwu/gojieba@v1.4.6 and turned into freq.txt by
// internal/freqgen (go generate). A character counts fully under its main
// reading and a twentieth under its others.
package pinyin
