package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCatalogCheckEmbedded(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"catalog", "check"}, &out, &errb); err != nil {
		t.Fatalf("check: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "136 items in 14 departments") || !strings.HasSuffix(out.String(), "ok\n") {
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
