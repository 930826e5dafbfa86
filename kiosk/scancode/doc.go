// Package scancode classifies scanned QR and barcode content for the
// kiosk: this system's receipt and appointment codes, 随申码 and
// e-certificate codes, web links and anything else, each a
// kiosk.ScanKind routed to its flow. Malformed content gets a
// *kiosk.Error with a plain-words message.
//
// # This system's codes
//
// The QR code on a receipt holds the progress link
//
//	https://tongban.sh.example/q/<local receipt number>
//
// built by [ProgressLink]: a resident's phone opens it as a web page, and
// the kiosk's scanner recognises it and opens the Query flow. Appointment
// codes are https://tongban.sh.example/a/<appointment number>
// ([AppointmentLink]). The host is a placeholder until the back office's
// public address is fixed; [Rules] accept further bases so terminals keep
// reading receipts printed before a change. A bare receipt number (from a
// 1D barcode, say) is read as a progress query too.
//
// A local receipt number is the terminal code, the date and a sequence,
// e.g. XH0123-20261128-0042: 2 to 16 letters or digits, a valid date as
// YYYYMMDD, and 1 to 8 digits, joined by hyphens.
//
// # Outside codes
//
// 随申码 and e-certificate (电子亮证) codes are opaque tokens that only the
// back office may verify: they are recognised by configured prefixes and
// passed on untouched, never trusted on the terminal. The default prefixes
// are placeholders to be replaced by those the city's data center
// publishes with the integration agreement.
package scancode
