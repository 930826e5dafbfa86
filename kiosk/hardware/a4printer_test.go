package hardware

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/ipp"
	"github.com/tongban/tongban/devices/ipp/cupstest"
	"github.com/tongban/tongban/kiosk"
)

func TestA4Status(t *testing.T) {
	idle := ipp.Printer{State: ipp.PrinterIdle, Accepting: true}
	with := func(state ipp.PrinterState, reasons ...string) ipp.Printer {
		return ipp.Printer{State: state, Accepting: true, Reasons: reasons}
	}
	for _, tc := range []struct {
		name   string
		pr     ipp.Printer
		state  kiosk.DeviceState
		paper  kiosk.Paper
		usable bool
		words  string
	}{
		{"idle", idle, kiosk.DeviceOnline, kiosk.PaperFull, true, ""},
		{"printing", with(ipp.PrinterProcessing), kiosk.DeviceBusy, kiosk.PaperFull, true, ""},
		{"media empty", with(ipp.PrinterProcessing, "media-empty-error"), kiosk.DeviceUserError, kiosk.PaperOut, false, "a4.no_paper"},
		{"media needed", with(ipp.PrinterProcessing, "media-needed"), kiosk.DeviceUserError, kiosk.PaperOut, false, "a4.no_paper"},
		{"media empty warning is low", with(ipp.PrinterIdle, "media-empty-warning"), kiosk.DeviceOnline, kiosk.PaperLow, true, ""},
		{"media low", with(ipp.PrinterIdle, "media-low-report"), kiosk.DeviceOnline, kiosk.PaperLow, true, ""},
		{"jam beats paper out", with(ipp.PrinterProcessing, "media-empty-error", "media-jam-error"), kiosk.DeviceUserError, kiosk.PaperJammed, false, "a4.jam"},
		{"stale paper out on an idle queue", with(ipp.PrinterIdle, "media-empty-error"), kiosk.DeviceOnline, kiosk.PaperUnknown, true, ""},
		{"door open", with(ipp.PrinterProcessing, "door-open-error"), kiosk.DeviceUserError, kiosk.PaperFull, false, "a4.door_open"},
		{"cover open", with(ipp.PrinterProcessing, "cover-open"), kiosk.DeviceUserError, kiosk.PaperFull, false, "a4.door_open"},
		{"toner empty", with(ipp.PrinterProcessing, "toner-empty-error"), kiosk.DeviceUserError, kiosk.PaperFull, false, "a4.no_toner"},
		{"toner low", with(ipp.PrinterIdle, "toner-low-report"), kiosk.DeviceOnline, kiosk.PaperFull, true, ""},
		{"stopped queue", ipp.Printer{State: ipp.PrinterStopped, Accepting: true, Reasons: []string{"paused"}, Message: "维护"}, kiosk.DeviceHardwareError, kiosk.PaperFull, false, "a4.stopped"},
		{"rejecting", ipp.Printer{State: ipp.PrinterIdle, Accepting: false}, kiosk.DeviceHardwareError, kiosk.PaperFull, false, "a4.stopped"},
		{"offline", with(ipp.PrinterIdle, "offline-report"), kiosk.DeviceOffline, kiosk.PaperFull, false, "a4.no_answer"},
		{"stopped after paper out", with(ipp.PrinterStopped, "paused", "media-empty-error"), kiosk.DeviceHardwareError, kiosk.PaperUnknown, false, "a4.stopped"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := A4Status(tc.pr)
			if st.Kind != kiosk.DeviceA4Printer || st.State != tc.state || st.Paper != tc.paper || st.Usable() != tc.usable {
				t.Fatalf("A4Status = %+v (usable %v), want %s/%s usable %v", st, st.Usable(), tc.state, tc.paper, tc.usable)
			}
			if !tc.usable {
				if got := a4Words(st, tc.pr).ID; got != tc.words {
					t.Errorf("words %q, want %q", got, tc.words)
				}
				if st.Detail == "" {
					t.Error("an unusable printer without a detail for staff")
				}
			}
		})
	}
}

// a4Rig is a private CUPS with one queue, an A4 printer on it and a
// device manager watching it.
type a4Rig struct {
	srv     *cupstest.Server
	q       *cupstest.Queue
	printer *A4Printer
	manager *Manager
}

func newA4Rig(t *testing.T) *a4Rig {
	srv := cupstest.Start(t)
	q := srv.AddQueue(t, "A4")
	client, err := ipp.New(srv.URL, q.Name, ipp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := NewA4Printer(A4Config{Queue: client, Name: q.Name, Poll: 50 * time.Millisecond, Grace: 500 * time.Millisecond})
	m, err := New(Config{Devices: []DeviceSpec{{Kind: kiosk.DeviceA4Printer, Watch: p.Watch(50 * time.Millisecond)}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &a4Rig{srv, q, p, m}
}

// waitStatus waits until the manager publishes an A4 status that cond
// accepts.
func (r *a4Rig) waitStatus(t *testing.T, what string, cond func(kiosk.DeviceStatus) bool) Snapshot {
	t.Helper()
	snaps, stop := r.manager.Subscribe()
	defer stop()
	timeout := time.After(15 * time.Second)
	var last kiosk.DeviceStatus
	for {
		select {
		case s := <-snaps:
			last = s.Devices[kiosk.DeviceA4Printer]
			if cond(last) {
				return s
			}
		case <-timeout:
			t.Fatalf("A4 printer never %s; last %+v", what, last)
		}
	}
}

func messageID(err error) string { return kiosk.MessageOf(err).ID }

// TestA4PrinterThroughCUPS prints, runs out of paper (the document is
// not printed, the job is cancelled, the status and the greyed item say
// why), gets paper back and prints again; then the queue is stopped and
// a job is cancelled at the printer.
func TestA4PrinterThroughCUPS(t *testing.T) {
	r := newA4Rig(t)
	ctx := context.Background()
	a4Item := kiosk.Item{Needs: []kiosk.Need{kiosk.NeedA4Printer}}

	snap := r.waitStatus(t, "online", func(st kiosk.DeviceStatus) bool { return st.State == kiosk.DeviceOnline })
	if av := snap.Availability(a4Item); !av.Available {
		t.Fatalf("A4 item greyed with an idle printer: %+v", av)
	}

	// 1. A document prints and Wait says so.
	job, err := r.printer.PrintPDF(ctx, "户籍证明", cupstest.OnePagePDF("Tongban A4 first"))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.printer.Wait(ctx, job); err != nil {
		t.Fatalf("wait: %v", err)
	}
	if got := r.q.Text(t, job); !strings.Contains(got, "Tongban A4 first") {
		t.Errorf("printed %q", got)
	}

	// 2. Paper runs out while a job prints: the status, the greyed item,
	// and Wait's words follow; the job is cancelled, nothing prints.
	r.q.PaperOut(t, true)
	job, err = r.printer.PrintPDF(ctx, "户籍证明", cupstest.OnePagePDF("never printed"))
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- r.printer.Wait(ctx, job) }()
	// While the job waits for paper (the grace), the status says so.
	snap = r.waitStatus(t, "out of paper", func(st kiosk.DeviceStatus) bool { return st.Paper == kiosk.PaperOut })
	err = <-waited
	if messageID(err) != "a4.no_paper" || kiosk.KindOf(err) != kiosk.KindNoPaper {
		t.Fatalf("wait without paper: %v (%s)", err, messageID(err))
	}
	if av := snap.Availability(a4Item); av.Available || av.Reason.ID != "browse.unavailable_a4_paper" {
		t.Errorf("A4 item without paper: %+v", av)
	}
	if !snap.Terminal.Available {
		t.Error("the A4 printer is not essential: the terminal should stay available")
	}
	// The job was cancelled; CUPS keeps the reason on the idle queue, which
	// staff see but which does not grey the items for ever.
	snap = r.waitStatus(t, "idle after the cancel", func(st kiosk.DeviceStatus) bool { return st.Usable() })
	if st := snap.Devices[kiosk.DeviceA4Printer]; !strings.Contains(st.Detail, "media-empty") {
		t.Errorf("after a paper-out job the detail is %q", st.Detail)
	}
	// A second document while the paper is still out fails the same way.
	job2, err := r.printer.PrintPDF(ctx, "户籍证明", cupstest.OnePagePDF("never printed either"))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.printer.Wait(ctx, job2); messageID(err) != "a4.no_paper" {
		t.Fatalf("second wait without paper: %v", err)
	}
	r.q.PaperOut(t, false)
	time.Sleep(300 * time.Millisecond) // let the cancelled jobs' backends finish
	if r.q.Printed(job) != nil || r.q.Printed(job2) != nil {
		t.Error("a job given up for want of paper printed later for nobody")
	}

	// 3. Paper is back: the next document prints.
	job, err = r.printer.PrintPDF(ctx, "户籍证明", cupstest.OnePagePDF("Tongban A4 after paper"))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.printer.Wait(ctx, job); err != nil {
		t.Fatalf("wait after paper came back: %v", err)
	}

	// 4. The queue is stopped (cupsdisable): a staff-facing fault, an
	// alarm-worthy hardware error, and a refused print.
	r.q.Disable(t, "维护中")
	snap = r.waitStatus(t, "stopped", func(st kiosk.DeviceStatus) bool { return st.State == kiosk.DeviceHardwareError })
	if st := snap.Devices[kiosk.DeviceA4Printer]; !strings.Contains(st.Detail, "queue stopped") {
		t.Errorf("stopped queue detail %q", st.Detail)
	}
	if av := snap.Availability(a4Item); av.Available || av.Reason.ID != "browse.unavailable_a4" {
		t.Errorf("A4 item with a stopped queue: %+v", av)
	}
	if _, err := r.printer.PrintPDF(ctx, "x", cupstest.OnePagePDF("refused")); messageID(err) != "a4.stopped" {
		t.Errorf("print on a stopped queue: %v", err)
	}
	r.q.Enable(t)
	r.waitStatus(t, "enabled again", func(st kiosk.DeviceStatus) bool { return st.Usable() })

	// 5. A job cancelled at the printer: Wait says so in plain words.
	r.q.Slow(t, 2*time.Second)
	job, err = r.printer.PrintPDF(ctx, "户籍证明", cupstest.OnePagePDF("cancelled"))
	if err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- r.printer.Wait(ctx, job) }()
	time.Sleep(200 * time.Millisecond)
	r.q.CancelJob(t, job)
	if err := <-waitErr; messageID(err) != "a4.cancelled" {
		t.Errorf("wait on a cancelled job: %v", err)
	}
	r.q.Slow(t, 0)

	// 6. The resident leaves (ctx ends): the job is cancelled.
	r.q.Slow(t, 2*time.Second)
	job, _ = r.printer.PrintPDF(ctx, "户籍证明", cupstest.OnePagePDF("abandoned"))
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := r.printer.Wait(short, job); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait past its context: %v", err)
	}
	client, _ := ipp.New(r.srv.URL, "A4", ipp.Options{})
	if j, err := client.Job(ctx, job); err != nil || j.State != ipp.JobCanceled {
		t.Errorf("abandoned job is %+v %v, want canceled", j, err)
	}
}

// TestA4QueueMissing: a queue CUPS does not know is no device, and the
// items that need it are greyed.
func TestA4QueueMissing(t *testing.T) {
	srv := cupstest.Start(t)
	client, _ := ipp.New(srv.URL, "nosuch", ipp.Options{})
	p := NewA4Printer(A4Config{Queue: client, Name: "nosuch"})
	m, _ := New(Config{Devices: []DeviceSpec{{Kind: kiosk.DeviceA4Printer, Watch: p.Watch(50 * time.Millisecond)}}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.Run(ctx)
	r := &a4Rig{manager: m}
	snap := r.waitStatus(t, "no device", func(st kiosk.DeviceStatus) bool { return st.State == kiosk.DeviceNoDevice })
	if av := snap.Availability(kiosk.Item{Needs: []kiosk.Need{kiosk.NeedA4Printer}}); av.Available {
		t.Error("A4 item available without the queue")
	}
	if _, err := p.PrintPDF(ctx, "x", cupstest.OnePagePDF("x")); messageID(err) != "a4.no_answer" {
		t.Errorf("print to a missing queue: %v", err)
	}
}

// TestNoA4PrinterConfigured: a terminal without an A4 queue greys the A4
// items with the missing-printer words.
func TestNoA4PrinterConfigured(t *testing.T) {
	snap := Snapshot{Devices: map[kiosk.DeviceKind]kiosk.DeviceStatus{}, Terminal: kiosk.TerminalState{Available: true}}
	av := snap.Availability(kiosk.Item{Needs: []kiosk.Need{kiosk.NeedA4Printer}})
	if av.Available || av.Reason.ID != "browse.missing_a4" {
		t.Fatalf("A4 item on a terminal without one: %+v", av)
	}
}
