// Package pinyin turns Chinese text into toneless pinyin for search, and
// lists the characters of a syllable for the on-screen pinyin keyboard.
//
// It is the only importer of github.com/mozillazg/go-pinyin, whose
// character dictionary it reads directly: readings come without tones, with
// ü written as v (lv, nv), the most common reading first. Words whose
// reading depends on context (长期 is chang, 长大 is zhang) are not resolved
// here; callers that match text should try every reading (Readings).
//
// The keyboard table (Candidates) is built once, on first use, from the
// GB2312 code chart: level-1 characters (the 3755 common ones) come before
// level-2 characters, each level in code order.
package pinyin
