package api

import "time"

// DepartmentRequest is POST /v1/queries and POST /v1/documents: an item's
// query or document for the resident the terminal identified in this
// visit. Identification is the live identification event of that
// resident at this terminal (POST /v1/identifications).
type DepartmentRequest struct {
	Item           string `json:"item"` // catalog item code, e.g. pension-received
	IDNo           string `json:"idno"`
	Identification string `json:"identification"`
	Lang           string `json:"lang,omitempty"` // zh (default) or en
}

// Words are a label or title in Chinese and English.
type Words struct {
	ZH string `json:"zh"`
	EN string `json:"en,omitempty"`
}

// ResultField is one line of a query's answer.
type ResultField struct {
	Label Words  `json:"label"`
	Value string `json:"value"`
	// Private values are masked in the public hall and on the receipt.
	Private bool `json:"private,omitempty"`
}

// QueryResponse is a department's answer to an item's query. It is the
// resident's personal data: shown, perhaps printed, never stored.
type QueryResponse struct {
	Item   string        `json:"item"`
	Title  Words         `json:"title"`
	Source Words         `json:"source"`
	AsOf   time.Time     `json:"as_of"`
	Fields []ResultField `json:"fields"`
}

// DocumentResponse is an issued document: the PDF the back office
// rendered and signed (SM2, detached: Signature), its number and the
// address its QR code leads to.
type DocumentResponse struct {
	Item      string `json:"item"`
	Title     Words  `json:"title"`
	Number    string `json:"number"`
	VerifyURL string `json:"verify_url"`
	PDF       []byte `json:"pdf"`       // base64 in JSON
	Signature []byte `json:"signature"` // base64 in JSON
}

// Connected lists the items whose queries and documents are connected to
// department services at a terminal's center.
type Connected struct {
	Queries   []string `json:"queries"`
	Documents []string `json:"documents"`
}
