// Package samid writes and reads the serial number of an ID card reader's
// SAM module (安全模块管理信息) in the text form the vendors' tools show:
// 05.01-20240101-0000000042-0000000007. The terminal reads the 16 bytes
// from the reader (devices/idcard) and sends the text; the back office
// checks the text a terminal sends, and the SAM IDs in its allow-list of
// readers, with Parse, so that a typo or garbage is refused in plain words
// rather than never matching.
package samid
