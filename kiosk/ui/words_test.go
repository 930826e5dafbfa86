package ui

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/tongban/tongban/kiosk/i18n"
)

// screenSources parses the screens' Go files (not the tests, not the
// sub-packages).
func screenSources(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = f
	}
	if len(files) < 10 {
		t.Fatalf("only %d screen sources found: run from kiosk/ui", len(files))
	}
	return fset, files
}

// calledMethod returns the name of a call's selector (u.t → "t").
func calledMethod(n ast.Node) (*ast.CallExpr, string) {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return nil, ""
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	return call, sel.Sel.Name
}

// TestNoInlineWords: every resident-facing word comes from the i18n
// catalog. A screen source holding a Chinese string literal, or still
// calling the old two-language helper u.w(zh, en), fails; comments may say
// anything.
func TestNoInlineWords(t *testing.T) {
	fset, files := screenSources(t)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.BasicLit:
				if x.Kind != token.STRING && x.Kind != token.CHAR {
					return true
				}
				for _, r := range x.Value {
					if unicode.Is(unicode.Han, r) {
						t.Errorf("%s: Chinese in a string literal %s: put it in kiosk/i18n/locales and use u.t", fset.Position(x.Pos()), x.Value)
						break
					}
				}
			case *ast.FuncDecl:
				if x.Recv != nil && x.Name.Name == "w" {
					t.Errorf("%s: the two-language helper w is back: use u.t", fset.Position(x.Pos()))
				}
			case *ast.CallExpr:
				if _, name := calledMethod(x); name == "w" {
					t.Errorf("%s: u.w( call: use u.t with a message ID", fset.Position(x.Pos()))
				}
			}
			return true
		})
	}
}

// TestEveryWordIDExists: every literal message ID the screens pass to u.t
// or u.both is in the catalog, in every language, and so are the IDs the
// attract screen builds (weekday.N, month.N).
func TestEveryWordIDExists(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	fset, files := screenSources(t)
	used := map[string]string{} // id → where
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, name := calledMethod(n)
			if call == nil || (name != "t" && name != "both") || len(call.Args) == 0 {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				id, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				used[id] = fset.Position(lit.Pos()).String()
			}
			return true
		})
	}
	for i := 0; i < 7; i++ {
		used[fmt.Sprintf("weekday.%d", i)] = "attract.go (weekday)"
	}
	for i := 1; i <= 12; i++ {
		used[fmt.Sprintf("month.%d", i)] = "attract.go (month)"
	}
	for _, id := range stateWords {
		used[id] = "query.go (stateWords)"
	}
	if len(used) < 80 {
		t.Errorf("only %d message IDs found in the screens: is the scan still seeing u.t calls?", len(used))
	}
	for _, lang := range i18n.Languages() {
		have := map[string]bool{}
		for _, id := range cat.IDs(lang) {
			have[id] = true
		}
		for id, where := range used {
			if !have[id] {
				t.Errorf("%s: message %q is not in %s.json", where, id, lang)
			}
		}
	}
}
