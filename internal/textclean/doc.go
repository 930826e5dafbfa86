// Package textclean removes, from text that a device (the ID card reader,
// the scanner) or a form supplies, the characters that change how text is
// shown rather than what it says: C0 and C1 control characters and the
// bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) with the directional marks. A name carrying U+202E would
// otherwise print reversed on a receipt or show spoofed in the console.
//
// The terminal cleans once where text enters (the card's text block, a
// form's values); the back office cleans again what it stores, since it
// cannot trust a terminal to have done so.
package textclean
