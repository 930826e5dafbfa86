package rule

import (
	"fmt"
	"strings"
)

// Error is a problem with a rule, found when parsing or checking it.
type Error struct {
	Col   int    // column of the problem, counting characters from 1
	Token string // the token found there, as written; "" at the end of the rule
	Msg   string // what is wrong, in plain words
}

func (e *Error) Error() string {
	if e.Token == "" {
		return fmt.Sprintf("column %d, at the end: %s", e.Col, e.Msg)
	}
	return fmt.Sprintf("column %d, at %s: %s", e.Col, e.Token, e.Msg)
}

// Errors is every problem Check found, in the order of the rule's text.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}
