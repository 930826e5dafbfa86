package connector

import (
	"context"
	"errors"
	"time"
)

// Text is a label or title in Chinese and English.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en,omitempty"`
}

// Field is one line of an answer.
type Field struct {
	Label Text   `json:"label"`
	Value string `json:"value"`
	// Private values (account numbers, ID numbers, addresses) are masked
	// in the public hall and on the receipt.
	Private bool `json:"private,omitempty"`
}

// Answer is what a department service said about the resident.
type Answer struct {
	Title  Text      `json:"title"`  // e.g. 个人享受城镇基本养老金情况
	Source Text      `json:"source"` // the department that answered
	AsOf   time.Time `json:"as_of"`  // when its data was current
	// Name is the resident's name as the department knows it; documents
	// print it masked. Empty when the department does not say.
	Name   string  `json:"name,omitempty"`
	Fields []Field `json:"fields"`
}

// Request is one question to a department service.
type Request struct {
	Item   string // catalog item code
	Center string // the asking terminal's center
	IDNo   string // the identified resident's ID number
	Lang   string // zh or en: the resident's language, for services that care
}

// Querier answers an item's query.
type Querier interface {
	Query(ctx context.Context, r Request) (Answer, error)
}

// Documenter answers what an item's printed document certifies.
type Documenter interface {
	Document(ctx context.Context, r Request) (Answer, error)
}

// Errors a connector returns; any other error counts as ErrUnavailable.
var (
	// ErrNoRecord: the department has nothing about this resident for
	// this item. Not a failure of the service.
	ErrNoRecord = errors.New("connector: the department has no record of this resident for this item")
	// ErrUnavailable: the department's service failed, timed out or
	// answered something that is not an answer.
	ErrUnavailable = errors.New("connector: the department's service cannot answer now")
)
