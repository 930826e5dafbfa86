package api

// EnrolRequest asks for a client certificate. The terminal generated the key
// itself; only the CSR (PEM, "CERTIFICATE REQUEST") leaves it. The token is
// single-use, expires, and is bound to one terminal: the certificate is
// issued for the terminal the token names, whatever the CSR says.
type EnrolRequest struct {
	Token  string `json:"token"`
	CSRPEM string `json:"csr_pem"`
}

// EnrolResponse carries the terminal's certificate and what it must trust
// from now on: the back office CA (for mutual TLS) and the public key that
// signs catalog and configuration bundles.
type EnrolResponse struct {
	Terminal       string `json:"terminal"`
	Center         string `json:"center"`
	CertificatePEM string `json:"certificate_pem"`
	CAPEM          string `json:"ca_pem"`
	BundleKey      string `json:"bundle_key"` // bundle.PublicKey text form: "ed25519:<base64>"
	NotAfter       string `json:"not_after"`  // RFC 3339
}
