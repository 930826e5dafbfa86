// Package voice speaks the resident's screens: what each screen says
// (Script), Chinese turned into pinyin with tone numbers through the
// project lexicon (Lexicon), numbers, dates and amounts turned into words
// (normalize), synthesis through espeak-ng (Espeak), recorded voice packs
// that replace synthesis (Pack), a cache, and the audio sink (Sink).
//
// # What is spoken
//
// A Screen is what the UI tells the speaker about the screen it shows: the
// state's name, the language, the notice (a message ID with its arguments,
// or ready words), the countdown, the receipt and ticket numbers. Script
// turns it into Lines: the heading, the one thing to do now, the notice,
// the countdown and its two buttons, numbers to write down read digit by
// digit and letters by name. A Screen has no field for a name, an ID
// number, a phone number or an address, and a notice argument with such a
// name is never spoken: a public hall is listening.
//
// # How
//
// Chinese: normalized text → Lexicon.Pinyin (phrase rules, then reviewed
// single-character readings, then go-pinyin's most common reading, through
// kiosk/pinyin) → espeak-ng's cmn-latn-pinyin voice. English: normalized
// text → espeak-ng's en-us voice. The result is 16-bit mono PCM (Audio),
// scaled to the configured volume (quieter in quiet hours) and handed to a
// Sink: aplay on the ALSA device, a folder of WAV files when there is no
// sound card, a fake in tests.
//
// # Never in the way
//
// Speaker runs one goroutine; Show, Repeat and Stop never block. A new
// screen or a tap cancels what is being said. A missing espeak-ng, a
// missing sound card or a busy device is logged once and the kiosk goes on
// silently.
//
// # Voice packs
//
// A pack is a folder with manifest.json and WAV files, one per message ID
// and language, each with the text it was recorded from. A recording is
// played instead of synthesis when its text equals the catalog's current
// text; one whose text no longer matches is stale: OpenPack reports it and
// it is never played. `kioskctl voice render DIR` writes a pack with the
// engine, a starting point a center replaces file by file.
package voice
