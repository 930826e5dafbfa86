// Package idcard drives a second-generation ID card reader (华视 CVR-100,
// 新中新 DKQ, 精伦 iDR210 and the like) over the SAM frame protocol, on any
// [Port]: a serial port in the field, a pipe or a pseudo-terminal in
// tests. It knows bytes and protocols, never residents or forms.
//
// # Frames
//
// Every frame starts with the preamble AA AA AA 96 69, then a big-endian
// length, the body and an XOR checksum of the length and body. Requests
// carry a command and a parameter ([Command]); responses carry the card's
// SW1 SW2 and the reader's status SW3 ([Status]). [Scan] finds one frame in
// a byte stream and re-synchronises on noise by searching for the next
// preamble.
//
// # Reading a card
//
// [NewReader] wraps the stream. [Reader.ReadCard] runs find, select and
// read, and returns a [Card]: the decoded 256-byte text block ([Text]) of a
// resident ID card or of a J (HK/Macau/Taiwan residence permit), I (2017
// foreign permanent residence card) or Y (2023 edition) card, the photo as
// opaque WLT bytes (decode it through a [PhotoDecoder] from a vendor
// library), fingerprint templates likewise, and the appended address.
//
// Every reply status other than success becomes a *[StatusError] that
// matches one of the sentinel errors ([ErrNoCard], [ErrCardMoved],
// [ErrCardUnreadable], [ErrSAMNotAuthorised], [ErrSAMFault] ...), so callers
// can turn it into plain words with errors.Is.
//
// # Deadlines
//
// Every command has a timeout ([Timeouts]). The [Port] has read deadlines
// (serialport.Conn, net.Conn, *os.File on a tty) and is read in the
// caller's goroutine, so a slow or absent device returns [ErrTimeout]
// instead of hanging, and no goroutine outlives a command.
//
// # Presence
//
// [Reader.CardPresent] looks once for a card; [Watch] looks again and
// again on an injected [Clock] until its context ends, and tells when a
// card is placed on the reader and when it is taken away.
package idcard
