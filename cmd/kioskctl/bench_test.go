package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// Output as go test -bench prints it (GOMAXPROCS 2), trimmed.
const sampleBenchOutput = `goos: linux
goarch: amd64
pkg: github.com/tongban/tongban/kiosk/receipt
cpu: Intel(R) Xeon(R)
BenchmarkReceiptBytes/58mm-zh-2         	      10	    123456 ns/op	      1480 native-B/receipt	      2.100 native-wire-ms	      0.7227 native/budget	      5100 raster-B/receipt
BenchmarkReceiptBytes/80mm-en-2         	      10	    123456 ns/op	      1712 native-B/receipt	      0.8359 native/budget
BenchmarkBroken-2   	 oops
--- FAIL: BenchmarkOther
PASS
ok  	github.com/tongban/tongban/kiosk/receipt	0.512s
`

func TestParseBenchOutput(t *testing.T) {
	lines := parseBenchOutput([]byte(sampleBenchOutput))
	if len(lines) != 2 {
		t.Fatalf("got %d lines: %+v", len(lines), lines)
	}
	if lines[0].name != "BenchmarkReceiptBytes/58mm-zh" || lines[0].metrics["native-B/receipt"] != 1480 || lines[0].metrics["ns/op"] != 123456 {
		t.Errorf("first line %+v", lines[0])
	}
	if lines[1].name != "BenchmarkReceiptBytes/80mm-en" || lines[1].metrics["native/budget"] != 0.8359 {
		t.Errorf("second line %+v", lines[1])
	}
}

func TestBenchSpecResult(t *testing.T) {
	spec := benchSpec{what: "receipt", metric: "native-B/receipt", budget: 2048, unit: "B"}
	lines := parseBenchOutput([]byte(sampleBenchOutput))
	tests := []struct {
		name      string
		spec      benchSpec
		runErr    error
		wantFig   float64
		wantFrom  string
		wantError string
	}{
		{"worst of the sub-benchmarks", spec, nil, 1712, "BenchmarkReceiptBytes/80mm-en", ""},
		{"figures count even when go test failed", spec, errors.New("exit status 1"), 1712, "BenchmarkReceiptBytes/80mm-en", ""},
		{"metric missing", benchSpec{metric: "p99-ms", budget: 10}, nil, 0, "", "no p99-ms figure"},
		{"go test failed without figures", benchSpec{metric: "p99-ms", budget: 10}, errors.New("exit status 2"), 0, "", "exit status 2: --- FAIL: BenchmarkOther | PASS | ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.spec.result(lines, tt.runErr, []byte(sampleBenchOutput))
			if tt.wantError != "" {
				if r.err == nil || !strings.Contains(r.err.Error(), tt.wantError) {
					t.Errorf("err = %v, want %q", r.err, tt.wantError)
				}
				return
			}
			if r.err != nil || r.figure != tt.wantFig || r.from != tt.wantFrom || r.ratio != tt.wantFig/2048 {
				t.Errorf("result %+v", r)
			}
		})
	}
}

func TestBenchSpecShow(t *testing.T) {
	tests := []struct {
		spec benchSpec
		v    float64
		want string
	}{
		{benchSpec{unit: "%"}, 0.0412, "4.1 %"},
		{benchSpec{unit: "B"}, 1480, "1480 B"},
		{benchSpec{unit: "s"}, 12.345, "12.35 s"},
		{benchSpec{unit: "ms"}, 0.0123, "0.012 ms"},
		{benchSpec{unit: "ms"}, 3.21, "3.2 ms"},
		{benchSpec{unit: "ms", scale: 1e-3}, 50_000, "50.0 ms"},
	}
	for _, tt := range tests {
		if got := tt.spec.show(tt.v); got != tt.want {
			t.Errorf("show(%v, %+v) = %q, want %q", tt.v, tt.spec, got, tt.want)
		}
	}
}

// fakeGo answers go test with canned benchmark output per package.
type fakeGo struct {
	out   map[string]string // by package
	calls [][]string
}

func (f *fakeGo) run(_ context.Context, dir string, args []string) ([]byte, error) {
	f.calls = append(f.calls, args)
	pkg := args[len(args)-1]
	out, ok := f.out[pkg]
	if !ok {
		return []byte("no Go files"), errors.New("exit status 1")
	}
	return []byte(out), nil
}

func TestBenchTableAndVerdict(t *testing.T) {
	fake := &fakeGo{out: map[string]string{
		"./kiosk/catalog": "BenchmarkLoad-2 30 1 ns/op 12.5 ms/load\nBenchmarkSearchKeystroke-2 20 1 ns/op 0.08 ms/keystroke\n",
		"./kiosk/outbox":  "BenchmarkEnqueue-2 300 1 ns/op 3.1 p50-ms 14.2 p99-ms\n",
	}}
	var out, errb bytes.Buffer
	err := bench(context.Background(), []string{"-only", "catalog,outbox", "-C", t.TempDir()}, &out, &errb, fake.run)
	if err == nil || !strings.Contains(err.Error(), "1 of 3 figures over budget, 0 could not be measured") {
		t.Errorf("err = %v", err)
	}
	table := out.String()
	for _, want := range []string{
		"WHAT", "RATIO",
		"catalog load + validate       12.5 ms   20.0 ms  0.62   pass",
		"catalog search per keystroke  0.080 ms  1.0 ms   0.08   pass",
		"durable enqueue, p99          14.2 ms   10.0 ms  1.42   OVER    BenchmarkEnqueue",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if len(fake.calls) != 3 || strings.Join(fake.calls[2], " ") != "test -run ^$ -bench ^BenchmarkEnqueue$ -benchtime 300x -count 1 -timeout 15m ./kiosk/outbox" {
		t.Errorf("go calls %q", fake.calls)
	}

	// A package that does not build is an error row, not a pass.
	fake = &fakeGo{}
	out.Reset()
	err = bench(context.Background(), []string{"-only", "receipt", "-C", t.TempDir()}, &out, &errb, fake.run)
	if err == nil || !strings.Contains(out.String(), "ERROR") || !strings.Contains(out.String(), "no Go files") {
		t.Errorf("err = %v\n%s", err, out.String())
	}
}

func TestBenchArguments(t *testing.T) {
	var out bytes.Buffer
	if err := bench(context.Background(), []string{"-list"}, &out, &bytes.Buffer{}, nil); err != nil || strings.Count(out.String(), "go test") != len(benchSpecs()) {
		t.Errorf("-list: %v\n%s", err, out.String())
	}
	if err := bench(context.Background(), []string{"-only", "teleport"}, &out, &bytes.Buffer{}, nil); err == nil || !strings.Contains(err.Error(), "no figure matches") {
		t.Errorf("-only teleport: %v", err)
	}
	if err := bench(context.Background(), []string{"extra"}, &out, &bytes.Buffer{}, nil); err == nil {
		t.Error("a stray argument was accepted")
	}
	if root, err := findModuleRoot(); err != nil || root == "" {
		t.Errorf("findModuleRoot from the package directory = %q, %v", root, err)
	}
	var help bytes.Buffer
	bench(context.Background(), []string{"-h"}, &bytes.Buffer{}, &help, nil)
	if !strings.Contains(help.String(), "source tree") {
		t.Errorf("help does not say it needs the source tree:\n%s", help.String())
	}
}
