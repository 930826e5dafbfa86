package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	servicescatalog "github.com/tongban/tongban/services-catalog"
)

func TestCatalogCheckEmbedded(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"catalog", "check"}, &out, &errb); err != nil {
		t.Fatalf("check: %v\n%s", err, out.String())
	}
	// 133 items once 敬老卡 and the two 长护险 items were merged (issue 17
	// item 5), and the 一件事 bundles; the rules line reports legal bases,
	// charges and aliases.
	if !strings.Contains(out.String(), " items in 14 departments") || !strings.Contains(out.String(), "3 old codes kept as aliases") ||
		!strings.Contains(out.String(), "yjs-newborn") || !strings.HasSuffix(out.String(), "ok\n") {
		t.Errorf("unexpected output:\n%s", out.String())
	}
}

func TestCatalogCheckBrokenDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("catalog.json", `{"version": "x", "effective": "2026-01-01", "title": {"zh": "测试"}, "sources": {}}`)
	write("departments.json", `[{"code": "MZ", "name": {"zh": "民政"}, "order": 1}]`)
	write("life_events.json", `[]`)
	write("parameters.json", `{"tables": []}`)
	write("items/mz/a.json", "{\n  \"code\": \"a\",\n  \"colour\": \"red\"\n}\n")
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"catalog", "check", dir}, &out, &errb)
	if err == nil {
		t.Fatalf("check of a broken catalog succeeded:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "items/mz/a.json:3: colour: unknown field") {
		t.Errorf("output does not locate the unknown field:\n%s", out.String())
	}
}

func TestCatalogSearch(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"catalog", "search", "-n", "1", "ljt"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "老年综合津贴申请") {
		t.Errorf("search ljt:\n%s", out.String())
	}
}

// TestCatalogCheckRuleProblems: a rule or condition that reads an unknown
// name, or compares values of different types, is reported with its file,
// line, field and column, and the catalog check fails.
func TestCatalogCheckRuleProblems(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, servicescatalog.FS()); err != nil {
		t.Fatal(err)
	}
	dibao := filepath.Join(dir, "items", "mz", "dibao.json")
	data, err := os.ReadFile(dibao)
	if err != nil {
		t.Fatal(err)
	}
	edits := []struct{ old, new string }{
		{`"when": "income_per_capita < param.dibao_standard"`, `"when": "income_per_head < param.dibao_standard"`},
		{`"when": "hukou == \"shanghai\""`, `"when": "hukou == shanghai || age >= \"60\""`},
	}
	s := string(data)
	for _, e := range edits {
		if !strings.Contains(s, e.old) {
			t.Fatalf("dibao.json has no %s", e.old)
		}
		s = strings.Replace(s, e.old, e.new, 1)
	}
	if err := os.WriteFile(dibao, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	line := func(sub string) int { return strings.Count(s[:strings.Index(s, sub)], "\n") + 1 }
	var out, errb bytes.Buffer
	err = run(context.Background(), []string{"catalog", "check", dir}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "3 problems") {
		t.Fatalf("check = %v, want 3 problems:\n%s", err, out.String())
	}
	for _, want := range []string{
		fmt.Sprintf("items/mz/dibao.json:%d: rules[0].when: column 10, at shanghai: shanghai is neither a fact about the resident", line("hukou == shanghai")),
		fmt.Sprintf("items/mz/dibao.json:%d: rules[0].when: column 26, at >=: age is a number and \"60\" is text: they cannot be compared", line("hukou == shanghai")),
		fmt.Sprintf("items/mz/dibao.json:%d: rules[1].when: column 1, at income_per_head: income_per_head is neither a fact", line("income_per_head")),
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
