// Package escpos speaks ESC/POS to thermal receipt printers.
//
// # Encoding
//
// An Encoder writes commands to any io.Writer: initialise, Chinese
// (double-byte) mode with GB18030 text, character size, bold, underline,
// alignment, line spacing, feeds and cuts; QR codes with the printer's own
// command (GS ( k) or as a raster image (GS v 0) for printers without it;
// CODE128 barcodes with the printer's own command. Errors are sticky: check Err once
// after a document, like bufio.Writer.
//
// # Layout
//
// A printer in Chinese mode prints a single-byte character in one column
// (12 dots in font A) and a multi-byte GB18030 character in two (24 dots).
// Columns, Wrap and Pad count that way, so lines fit the paper exactly:
// 32 columns on 58 mm paper (384 dots), 48 on 80 mm (576 dots). A Profile
// holds those figures and what a model can do (native QR, cutter).
//
// # Status
//
// DLE EOT n (n = 1..4) asks for real-time status; each answer is one byte.
// DecodeStatus turns the four answers into a Status (online, cover open,
// paper near end, paper out, cutter error). Conn writes to a printer and
// asks for its status over one io.ReadWriter, with a deadline from the
// context, so an unplugged printer gives an error instead of a hang.
//
// The package knows bytes and printers, never residents or receipts: the
// documents are laid out in kiosk/receipt.
package escpos
