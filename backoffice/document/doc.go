// Package document issues the documents a terminal prints on A4 for a
// resident (户籍证明, 权益记录单, certificates): it renders a department's
// answer as a PDF that carries its own number and a QR code leading to the
// back office's verification page, signs it, and records what it certified
// so that the number can be checked later without more personal data than
// the document itself shows.
//
// # Issuing
//
// [PDFIssuer] implements [Issuer]. A document number is 80 random bits in
// Crockford-style base32 ([NewNumber]), so numbers cannot be walked. The
// PDF is one A4 page set with fpdf in two TrueType faces (a CJK face and a
// Latin one, [SystemFonts]): title, issuing center, the masked subject,
// the fields, the date and number, and a QR code of VerifyURL+number.
// A subject that is not masked or a field holding a whole ID number is
// refused before anything is rendered or recorded.
//
// # Signature
//
// PDF signing with SM2 inside the file (a CMS signature in the PDF's
// signature dictionary) is not offered by the PDF library, so the
// signature is detached: SM2 over the PDF's exact bytes with SM3 and the
// default user ID (GB/T 32918, [Sign]), ASN.1 DER, handed out beside the
// PDF. [PDFIssuer.Check] verifies a PDF and its signature under the back
// office's key and finds the record by the PDF's SM3 digest.
//
// # Records and verification
//
// A [Record] holds the number, the digest and what was certified exactly
// as printed. [Records] is the store's interface ([MemRecords] in
// memory; backoffice.DocumentRecords in the back office's database). [LoadOrCreateKey] keeps the signing key in the key directory
// ([KeyFile]). [Handler] serves the verification pages: /v/<number> shows
// whether a number is genuine and what it certified; /v/check takes an
// uploaded PDF and its signature.
package document
