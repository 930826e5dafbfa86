package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// frameClock tells the time of each frame in turn: the scanner asks the
// clock once per frame it completes.
type frameClock struct {
	t     time.Time
	steps []time.Duration
}

func (c *frameClock) Now() time.Time {
	if len(c.steps) > 0 {
		c.t = c.t.Add(c.steps[0])
		c.steps = c.steps[1:]
	}
	return c.t
}

func collect(t *testing.T, s *Scanner) ([]Scan, error) {
	t.Helper()
	var got []Scan
	err := s.Run(context.Background(), func(sc Scan) { got = append(got, sc) })
	return got, err
}

func texts(scans []Scan) string {
	var out []string
	for _, s := range scans {
		if s.Err != nil {
			out = append(out, "!"+s.Err.Error())
			continue
		}
		out = append(out, s.Text)
	}
	return strings.Join(out, "|")
}

func TestScannerDuplicateSuppression(t *testing.T) {
	start := time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC)
	tests := []struct {
		name  string
		reads []string
		steps []time.Duration
		want  string
	}{
		{"same code twice quickly counts once", []string{"A\r", "A\r"}, []time.Duration{0, 500 * time.Millisecond}, "A"},
		{"same code after the window counts twice", []string{"A\r", "A\r"}, []time.Duration{0, 3 * time.Second}, "A|A"},
		{"window slides while the code keeps coming", []string{"A\r", "A\r", "A\r", "A\r"}, []time.Duration{0, time.Second, time.Second, time.Second}, "A"},
		{"different codes all count", []string{"A\r", "B\r", "A\r"}, []time.Duration{0, 100 * time.Millisecond, 100 * time.Millisecond}, "A|B|A"},
		{"errors are not swallowed as duplicates", []string{"\xff\r", "\xff\r"}, []time.Duration{0, 0}, "!" + ErrUndecodable.Error() + "|!" + ErrUndecodable.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &frameClock{t: start, steps: tt.steps}
			r := strings.NewReader(strings.Join(tt.reads, ""))
			got, err := collect(t, New(stream{r}, Options{Framing: Framing{Suffix: SuffixCR}, Now: clock.Now}))
			if !errors.Is(err, io.EOF) {
				t.Fatalf("Run = %v, want io.EOF", err)
			}
			if texts(got) != tt.want {
				t.Errorf("scans = %s, want %s", texts(got), tt.want)
			}
		})
	}
}

func TestScannerFaults(t *testing.T) {
	over := strings.Repeat("9", DefaultMaxLen+1)
	in := "\xff\xfe\x80\x00\r" + // garbage
		"https://tongban.sh.example/q/XH01" + "23-20261128-0042\r" + // one code
		over + "\r" + // over-long
		"\xb2\xe2\xca\xd4\r" + // GB18030 测试
		"tail-without-suffix" // kept when the stream ends
	got, err := collect(t, New(stream{iotest.OneByteReader(strings.NewReader(in))}, Options{Framing: Framing{Suffix: SuffixCR}}))
	if !errors.Is(err, io.EOF) {
		t.Fatalf("Run = %v, want io.EOF", err)
	}
	want := "!" + ErrUndecodable.Error() + "|https://tongban.sh.example/q/XH0123-20261128-0042|!" + ErrTooLong.Error() + "|测试|tail-without-suffix"
	if texts(got) != want {
		t.Errorf("scans = %s\nwant    %s", texts(got), want)
	}
	if got[3].Encoding != EncodingGB18030 {
		t.Errorf("encoding of 测试 = %q, want gb18030", got[3].Encoding)
	}
}

// stream is a byte stream without real deadlines (strings.Reader and
// the like), for tests that read it to its end.
type stream struct{ io.Reader }

func (stream) SetReadDeadline(time.Time) error { return nil }

// timeoutReader returns timeout errors between its reads, as a serial
// port does when its read deadline passes.
type timeoutReader struct{ reads []string }

func (r *timeoutReader) SetReadDeadline(time.Time) error { return nil }

func (r *timeoutReader) Read(p []byte) (int, error) {
	if len(r.reads) == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	s := r.reads[0]
	r.reads = r.reads[1:]
	if s == "" {
		return 0, fmt.Errorf("reading: %w", os.ErrDeadlineExceeded)
	}
	return copy(p, s), nil
}

func TestScannerTimeoutsAreNotFailures(t *testing.T) {
	r := &timeoutReader{reads: []string{"", "A", "", "BC\r", ""}}
	got, err := collect(t, New(r, Options{Framing: Framing{Suffix: SuffixCR}}))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("Run = %v, want the stream's final error", err)
	}
	if texts(got) != "ABC" {
		t.Errorf("scans = %s, want ABC", texts(got))
	}
}

// Framing by idle gap over a real pipe: the read deadline is the gap, so
// a code ends when the line goes quiet, and the next code after a pause
// is a code of its own. The scanner reads in the caller's goroutine: once
// Run has returned, no goroutine of it is left.
func TestScannerIdleGapOverPipe(t *testing.T) {
	before := runtime.NumGoroutine()
	host, dev := net.Pipe()
	defer dev.Close()
	defer host.Close()
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan Scan, 4)
	done := make(chan error, 1)
	go func() {
		done <- New(host, Options{Framing: Framing{IdleGap: 30 * time.Millisecond}}).Run(ctx, func(s Scan) { got <- s })
	}()
	for _, code := range []string{"FIRST", "SECOND"} {
		if _, err := dev.Write([]byte(code)); err != nil {
			t.Fatal(err)
		}
		select {
		case s := <-got:
			if s.Text != code {
				t.Fatalf("scan %q, want %q", s.Text, code)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no scan for %q", code)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run after cancel = %v, want nil", err)
	}
	// The port is still open: nothing of Run may be left reading it (the
	// port goes back to the device manager, which lends it to others).
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after Run returned, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
	host.Close()
}

func TestScannerStopsWithContext(t *testing.T) {
	pr, pw := net.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan Scan, 1)
	done := make(chan error, 1)
	go func() {
		done <- New(pr, Options{Framing: Framing{Suffix: SuffixCR}}).Run(ctx, func(s Scan) { got <- s })
	}()
	if _, err := pw.Write([]byte("hello\r")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s.Text != "hello" {
		t.Fatalf("scan = %+v, want hello", s)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run after cancel = %v, want nil", err)
	}
}
