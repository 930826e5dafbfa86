package kiosk

import (
	"context"
	"time"
)

// Departments answers an item's query and issues its documents through the
// back office, which calls the department service connected for the item at
// this terminal's center. Both need an identified resident (who.Verification,
// the identification event the back office issued). Errors are *Error:
// KindUnavailable when the item is not connected at this center, KindInvalid
// when the back office does not accept the identification, KindTransient when
// the back office or the department service cannot answer now.
type Departments interface {
	Query(ctx context.Context, item ItemCode, who Identity, lang Lang) (QueryResult, error)
	Document(ctx context.Context, item ItemCode, who Identity, lang Lang) (Document, error)
}

// Connected says which items' queries and documents a center has connected
// to department services. The zero value connects nothing.
type Connected struct {
	Queries   []ItemCode `json:"queries,omitempty"`
	Documents []ItemCode `json:"documents,omitempty"`
}

// Query reports whether item's query is connected.
func (c Connected) Query(item ItemCode) bool { return hasItem(c.Queries, item) }

// Document reports whether item's document is connected.
func (c Connected) Document(item ItemCode) bool { return hasItem(c.Documents, item) }

func hasItem(list []ItemCode, item ItemCode) bool {
	for _, x := range list {
		if x == item {
			return true
		}
	}
	return false
}

// QueryResult is what a department service answered about the resident. It
// is personal data: shown on screen, perhaps printed, never stored on the
// terminal, and wiped when the visit ends.
type QueryResult struct {
	Item   ItemCode
	Title  Text      // e.g. 个人享受城镇基本养老金情况
	Source Text      // the department that answered
	AsOf   time.Time // when the department's data was current
	Fields []ResultField
}

// ResultField is one line of a query result.
type ResultField struct {
	Label Text
	Value string
	// Private values (account numbers, ID numbers, addresses) are shown
	// masked in the public hall and printed masked on the receipt.
	Private bool
}

// Document is a PDF the back office issued and signed for the resident,
// to be printed on A4. Number and VerifyURL are printed on it (its QR code
// leads to VerifyURL).
type Document struct {
	Item      ItemCode
	Title     Text
	Number    string
	VerifyURL string
	PDF       []byte
}

// Wipe clears the result's personal data.
func (r *QueryResult) Wipe() {
	for i := range r.Fields {
		r.Fields[i] = ResultField{}
	}
	*r = QueryResult{}
}

// Wipe clears the document's bytes.
func (d *Document) Wipe() {
	clear(d.PDF)
	*d = Document{}
}
