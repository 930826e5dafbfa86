package catalog

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with the catalog data, located by file, line
// and field path (e.g. "form[2].label").
type Problem struct {
	File  string
	Line  int // 0 when unknown
	Field string
	Msg   string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Field != "" {
		b.WriteString(": " + p.Field)
	}
	b.WriteString(": " + p.Msg)
	return b.String()
}

// LoadError lists every problem found while loading a catalog.
type LoadError struct {
	Problems []Problem
}

func (e *LoadError) Error() string {
	if len(e.Problems) == 1 {
		return "catalog: " + e.Problems[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "catalog: %d problems:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}
