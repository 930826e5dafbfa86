// Package document issues the documents a terminal prints on A4 for a
// resident (户籍证明, 权益记录单, certificates): it renders a department's
// answer as a PDF that carries its own number and a QR code leading to the
// back office's verification page, signs it, and records what it certified
// so that the number can be checked later without more personal data than
// the document itself shows.
package document
