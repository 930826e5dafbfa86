// Package sealed is the application-layer protection of a submission's
// payload between a terminal and the back office (GB/T 39786 "application
// and data": confidentiality and integrity of important data in transit).
//
// The terminal encrypts the payload with SM2 public-key encryption (GB/T
// 32918.4, SM3 inside) to the back office's SM2 key, which it received at
// enrolment in a statement signed by the pinned CA, and signs the result
// with its own SM2 key (GB/T 32918.2, SM3 digest with the default user ID),
// whose public half the CA wrote into the terminal's client certificate.
// The signature covers the terminal, the submission's client ID, the
// recipient key and the ciphertext, so an envelope cannot be replayed under
// another terminal or another submission, nor re-addressed.
//
// The envelope does not depend on the transport: TLS 1.3 today, a TLCP
// gateway tomorrow. Its bytes are
//
//	"TBS1" ‖ key ID (32 bytes, SM3 of the recipient's public point)
//	       ‖ u32 ciphertext length ‖ ciphertext (SM2, ASN.1)
//	       ‖ u16 signature length  ‖ signature  (SM2, ASN.1)
//
// Parse reads them strictly (lengths bounded, nothing trailing); Open
// verifies before it decrypts. Keys here live in files; what a certified
// module (密码卡, USBKey, TPM/TCM) would add is documented in docs/miping.md.
package sealed
