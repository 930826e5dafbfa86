package document

import (
	"context"
	"time"
)

// Field is one labelled line of a document, already masked where a public
// hall should not see the whole value.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Document is what a department's service certified, before it is issued.
type Document struct {
	Item    string    // catalog item code the document answers
	Title   string    // the document's title, e.g. 户籍证明
	Center  string    // issuing center's code
	Subject string    // whom it certifies, masked as printed (e.g. 测*甲)
	Fields  []Field   // what it certifies, in order
	Asked   time.Time // when the resident asked for it
}

// Issued is a document with its number, its PDF and the back office's
// signature over the PDF's bytes.
type Issued struct {
	Number    string // printed on the document and in its QR code
	PDF       []byte
	Signature []byte // detached SM2 signature (SM3 digest) over PDF
}

// Issuer issues documents: numbers, renders, signs and records them.
type Issuer interface {
	Issue(ctx context.Context, d Document) (Issued, error)
}
