// Package receipt lays out the documents the terminal prints, built from
// domain data and never from strings scattered through the UI: the
// acceptance receipt (受理回执) a resident takes home, the counter queue
// ticket (取号单) and the technician's self-test page, in Chinese or
// English, for a printer profile (58 or 80 mm, native or raster QR).
//
// Each layout returns the ESC/POS bytes of one job, ending with a cut.
// Lines are wrapped and padded by columns (a Chinese character takes two),
// so nothing runs off the paper; names and ID numbers arrive already masked.
package receipt
