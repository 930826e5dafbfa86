package setup

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk/provision"
)

// fakeScanner is Options.Scanner by hand: each reading is one call, which
// hands out the codes sent to it until its context ends, or fails.
type fakeScanner struct {
	mu      sync.Mutex
	codes   chan string
	fail    error // the next reading fails at once
	reading int   // readings running
	started int
}

func (f *fakeScanner) read(ctx context.Context, got func(string, error)) error {
	f.mu.Lock()
	fail := f.fail
	f.fail = nil
	f.started++
	f.reading++
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.reading--; f.mu.Unlock() }()
	if fail != nil {
		return fail
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case c := <-f.codes:
			got(c, nil)
		}
	}
}

func (f *fakeScanner) state() (reading, started int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reading, f.started
}

// The scanner is read only while the form is shown: leaving it for the
// enrolment ends the reading (the checks need the port), 返回修改 reads
// it again; a scanner that fails says so beside the button, in each
// language, and the page still fits the panel.
func TestScannerIsReadWhileTheFormIsShown(t *testing.T) {
	for lang, want := range map[string]string{"zh": words["scan.off"][0], "en": words["scan.off"][1]} {
		t.Run(lang, func(t *testing.T) {
			kioskApp(t)
			r := newRig(t)
			f := &fakeScanner{codes: make(chan string), fail: errors.New("unplugged")}
			o := r.options()
			o.Scanner = f.read
			o.Apply = func(ctx context.Context, path string, progress func(provision.Step, error)) error {
				return errors.New("the back office is down")
			}
			w := test.NewTempWindow(t, nil)
			w.Resize(fyne.NewSize(1920, 1080))
			z := Show(context.Background(), w, o)
			if _, started := f.state(); started != 0 {
				t.Fatal("the scanner is read on the language page")
			}
			tap(t, z.Button("lang:"+lang), "language")
			waitFor(t, "the note", func() bool {
				var n string
				fyne.DoAndWait(func() { n = z.ScannerNote() })
				return n == want
			})
			if m := w.Content().MinSize(); m.Width > 1920 || m.Height > 1080 {
				t.Errorf("with the note the form needs %.0fx%.0f", m.Width, m.Height)
			}
			for _, k := range []string{"center.name", "center.code", "terminal", "url", "token", "fingerprint"} {
				fyne.DoAndWait(func() { z.Field(k).SetText("x") })
			}
			fyne.DoAndWait(func() { z.Field("fingerprint").SetText("sm3:" + strings.Repeat("ab", 32)) })
			tap(t, z.Button("start"), "start") // the failed reading is not restarted by a refused start
			waitFor(t, "the failed enrolment", func() bool { return z.Button("back") != nil })
			tap(t, z.Button("back"), "back")
			waitFor(t, "the scanner read again", func() bool { reading, _ := f.state(); return reading == 1 })
			if n := z.ScannerNote(); n != "" {
				t.Errorf("a working scanner is said not to work: %q", n)
			}
			f.codes <- "not a code"
			waitFor(t, "the foreign code refused", func() bool {
				var m string
				fyne.DoAndWait(func() { m = z.Message() })
				return m == words["scan.foreign"][z.lang]
			})
			tap(t, z.Button("start"), "start")
			waitFor(t, "the reading ended", func() bool { reading, _ := f.state(); return reading == 0 })
			if _, started := f.state(); started != 2 {
				t.Errorf("the scanner was read %d times, want 2", started)
			}
		})
	}
}
