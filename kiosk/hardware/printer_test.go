package hardware_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/receipt"
)

var sampleTime = time.Date(2026, 11, 28, 3, 12, 0, 0, time.FixedZone("CST", 8*3600))

// rig is the adapter wired to a simulated printer over an in-memory pipe.
type rig struct {
	printer *hardware.Printer
	sim     *sim.Printer
}

func newRig(t *testing.T, opts sim.PrinterOptions) rig {
	t.Helper()
	return newRigWith(t, opts, hardware.PrinterConfig{})
}

func newRigWith(t *testing.T, opts sim.PrinterOptions, cfg hardware.PrinterConfig) rig {
	t.Helper()
	font, err := os.ReadFile("../../assets/fonts/NotoSansSC-Regular-GB2312.otf")
	if err != nil {
		t.Fatal(err)
	}
	opts.Font = font
	sp, err := sim.NewPrinter(opts)
	if err != nil {
		t.Fatal(err)
	}
	host, dev := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = sp.Serve(ctx, dev) }()
	t.Cleanup(func() { cancel(); host.Close(); dev.Close(); wg.Wait() })
	cfg.Now = func() time.Time { return sampleTime }
	return rig{printer: hardware.NewPrinter(host, cfg), sim: sp}
}

func sampleReceipt() kiosk.Receipt { return receipt.SampleReceipt(kiosk.LangZH, sampleTime) }

const lastReceiptLine = "请妥善保管本回执"

func printedAll(lines []string) bool {
	return len(lines) > 0 && strings.Contains(lines[len(lines)-1], lastReceiptLine)
}

func TestPrintReceipt(t *testing.T) {
	r := newRig(t, sim.PrinterOptions{})
	ctx := context.Background()
	if err := r.printer.PrintReceipt(ctx, sampleReceipt()); err != nil {
		t.Fatal(err)
	}
	if !printedAll(r.sim.Lines()) {
		t.Errorf("receipt not printed to the end: %q", r.sim.Lines())
	}
	if st := r.printer.Status(ctx); st.State != kiosk.DeviceOnline || st.Paper != kiosk.PaperFull || !st.Usable() {
		t.Errorf("status after printing = %+v, want online with full paper", st)
	}
	jobs := r.printer.Jobs()
	if len(jobs) != 1 || !jobs[0].Printed || jobs[0].Kind != hardware.JobReceipt || jobs[0].Label != "XH0123-20261128-0042" {
		t.Errorf("jobs = %+v, want one printed receipt job", jobs)
	}
	if err := r.printer.PrintTicket(ctx, receipt.SampleTicket(kiosk.LangEN, sampleTime)); err != nil {
		t.Fatal(err)
	}
	if err := r.printer.PrintSelfTest(ctx, receipt.SampleSelfTest(kiosk.LangZH, sampleTime)); err != nil {
		t.Fatal(err)
	}
	if st := r.sim.Stats(); st.Cuts != 3 {
		t.Errorf("cuts = %d, want 3", st.Cuts)
	}
}

// TestFaultMidReceipt: the paper runs out or the cover opens in the middle
// of a receipt. The resident gets a plain message, the job stays for a
// reprint, the status says what is wrong until it is fixed, and the
// reprint after the fix prints the whole receipt.
func TestFaultMidReceipt(t *testing.T) {
	tests := []struct {
		name      string
		opts      sim.PrinterOptions
		inject    func(*sim.Printer)
		fix       func(*sim.Printer)
		kind      kiosk.ErrorKind
		wantWords string
		state     kiosk.DeviceState
		paper     kiosk.Paper
	}{
		{
			name: "paper runs out", opts: sim.PrinterOptions{PaperDots: 300, NearEndDots: 100},
			inject: func(*sim.Printer) {}, fix: func(p *sim.Printer) { p.LoadPaper(100_000) },
			kind: kiosk.KindNoPaper, wantWords: "打印机没有纸了，回执没有打印完",
			state: kiosk.DeviceUserError, paper: kiosk.PaperOut,
		},
		{
			name: "cover opens", opts: sim.PrinterOptions{},
			inject: func(p *sim.Printer) { p.OpenCoverAfter(200) }, fix: func(p *sim.Printer) { p.CloseCover() },
			kind: kiosk.KindDevice, wantWords: "盖子没有关好，回执没有打印完",
			state: kiosk.DeviceUserError, paper: kiosk.PaperFull,
		},
		{
			name: "cutter jams", opts: sim.PrinterOptions{},
			inject: func(p *sim.Printer) { p.JamCutter(true) }, fix: func(p *sim.Printer) { p.JamCutter(false) },
			kind: kiosk.KindDevice, wantWords: "打印机出了故障，回执没有打印出来",
			state: kiosk.DeviceHardwareError, paper: kiosk.PaperFull,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.opts)
			ctx := context.Background()
			tt.inject(r.sim)
			err := r.printer.PrintReceipt(ctx, sampleReceipt())
			if kiosk.KindOf(err) != tt.kind {
				t.Fatalf("error %v has kind %v, want %v", err, kiosk.KindOf(err), tt.kind)
			}
			msg := kiosktest.Words(t, kiosk.MessageOf(err))
			if !strings.Contains(msg.ZH, tt.wantWords) || !strings.Contains(msg.ZH, "人工窗口") || msg.EN == "" {
				t.Errorf("message %+v: want %q and a way forward in both languages", msg, tt.wantWords)
			}
			if printedAll(r.sim.Lines()) {
				t.Error("the simulated printer printed the whole receipt despite the fault")
			}
			st := r.printer.Status(ctx)
			if st.State != tt.state || st.Paper != tt.paper || st.Usable() {
				t.Errorf("status = %+v, want %s with paper %q, not usable", st, tt.state, tt.paper)
			}
			failed := r.printer.Failed()
			if len(failed) != 1 || failed[0].Err == nil {
				t.Fatalf("failed jobs = %+v, want the receipt", failed)
			}

			tt.fix(r.sim)
			r.sim.ClearImage()
			if err := r.printer.Reprint(ctx, failed[0].ID); err != nil {
				t.Fatalf("reprint after the fix: %v", err)
			}
			if !printedAll(r.sim.Lines()) {
				t.Errorf("reprint did not print the whole receipt: %q", r.sim.Lines())
			}
			// A reprint says so, with its time, so nobody takes it for the
			// original.
			if !strings.Contains(strings.Join(r.sim.Lines(), "\n"), "补打") {
				t.Errorf("the reprint carries no 补打 mark: %q", r.sim.Lines())
			}
			if len(r.printer.Failed()) != 0 {
				t.Errorf("failed jobs after reprint = %+v", r.printer.Failed())
			}
			if jobs := r.printer.Jobs(); len(jobs) != 1 || jobs[0].Attempts != 2 {
				t.Errorf("jobs = %+v, want one job printed on its second attempt", jobs)
			}
		})
	}
}

func TestNoPaperBeforePrinting(t *testing.T) {
	r := newRig(t, sim.PrinterOptions{})
	r.sim.LoadPaper(0)
	err := r.printer.PrintTicket(context.Background(), receipt.SampleTicket(kiosk.LangZH, sampleTime))
	if kiosk.KindOf(err) != kiosk.KindNoPaper || !strings.Contains(kiosktest.Words(t, kiosk.MessageOf(err)).ZH, "取号单没有打印出来") {
		t.Fatalf("error = %v, want no paper, ticket not printed", err)
	}
	if got := r.sim.Stats().Bytes; got != 12 {
		t.Errorf("printer received %d bytes, want only the 12 of the status requests", got)
	}
}

func TestPaperNearEnd(t *testing.T) {
	r := newRig(t, sim.PrinterOptions{PaperDots: 5000, NearEndDots: 8000})
	if err := r.printer.PrintReceipt(context.Background(), sampleReceipt()); err != nil {
		t.Fatal(err)
	}
	if st := r.printer.LastStatus(); st.Paper != kiosk.PaperLow || !st.Usable() {
		t.Errorf("status = %+v, want usable with paper low", st)
	}
}

// deadPort is an unplugged printer: writes fail, or succeed but nothing
// ever answers.
type deadPort struct {
	net.Conn // read from a pipe whose other end never answers
	writeErr error
}

func (d *deadPort) Write(p []byte) (int, error) {
	if d.writeErr != nil {
		return 0, d.writeErr
	}
	return len(p), nil
}

func TestUnpluggedPrinter(t *testing.T) {
	tests := []struct {
		name     string
		writeErr error
	}{
		{"writes fail", errors.New("write /dev/ttyUSB0: input/output error")},
		{"no answer", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, silent := net.Pipe()
			defer host.Close()
			defer silent.Close()
			port := &deadPort{Conn: host, writeErr: tt.writeErr}
			p := hardware.NewPrinter(port, hardware.PrinterConfig{StatusTimeout: 20 * time.Millisecond})
			err := p.PrintReceipt(context.Background(), sampleReceipt())
			if kiosk.KindOf(err) != kiosk.KindDevice || !strings.Contains(kiosktest.Words(t, kiosk.MessageOf(err)).ZH, "打印机没有响应") {
				t.Fatalf("error = %v, want a device error saying the printer does not respond", err)
			}
			if st := p.LastStatus(); st.State != kiosk.DeviceOffline || st.Usable() {
				t.Errorf("status = %+v, want offline", st)
			}
			if f := p.Failed(); len(f) != 1 {
				t.Errorf("failed jobs = %+v, want the receipt kept for a reprint", f)
			}
		})
	}
}

func TestReprintUnknownJob(t *testing.T) {
	r := newRig(t, sim.PrinterOptions{})
	err := r.printer.Reprint(context.Background(), "P9999")
	if kiosk.KindOf(err) != kiosk.KindInvalid || kiosktest.Words(t, kiosk.MessageOf(err)).ZH != "找不到这份打印任务，可能已经过期。" {
		t.Errorf("error = %v, want an invalid-input error with words", err)
	}
}

func TestJobsAreBounded(t *testing.T) {
	host, silent := net.Pipe()
	defer host.Close()
	defer silent.Close()
	port := &deadPort{Conn: host, writeErr: errors.New("unplugged")}
	p := hardware.NewPrinter(port, hardware.PrinterConfig{KeepJobs: 3, StatusTimeout: time.Millisecond})
	for i := 0; i < 5; i++ {
		_ = p.PrintTicket(context.Background(), receipt.SampleTicket(kiosk.LangZH, sampleTime))
	}
	jobs := p.Jobs()
	if len(jobs) != 3 || jobs[0].ID != "P0003" || jobs[2].ID != "P0005" {
		t.Errorf("jobs = %+v, want the last three", jobs)
	}
}

func TestDeviceStatusOf(t *testing.T) {
	tests := []struct {
		st    escpos.Status
		state kiosk.DeviceState
		paper kiosk.Paper
	}{
		{escpos.Status{Online: true}, kiosk.DeviceOnline, kiosk.PaperFull},
		{escpos.Status{Online: true, PaperNearEnd: true}, kiosk.DeviceOnline, kiosk.PaperLow},
		{escpos.Status{PaperOut: true, PaperNearEnd: true}, kiosk.DeviceUserError, kiosk.PaperOut},
		{escpos.Status{CoverOpen: true}, kiosk.DeviceUserError, kiosk.PaperFull},
		{escpos.Status{MechanicalError: true}, kiosk.DeviceUserError, kiosk.PaperJammed},
		{escpos.Status{CutterError: true}, kiosk.DeviceHardwareError, kiosk.PaperFull},
		{escpos.Status{}, kiosk.DeviceOffline, kiosk.PaperFull},
	}
	for _, tt := range tests {
		got := hardware.DeviceStatusOf(tt.st)
		if got.Kind != kiosk.DevicePrinter || got.State != tt.state || got.Paper != tt.paper {
			t.Errorf("DeviceStatusOf(%s) = %+v, want %s / %s", tt.st, got, tt.state, tt.paper)
		}
	}
}

// TestOnPrintedOnlyWhole: the hook that records a receipt as printed (in
// the queue, which outlives the process) runs once per job that printed
// whole, first print or reprint, never for one that failed.
func TestOnPrintedOnlyWhole(t *testing.T) {
	var got []string
	r := newRigWith(t, sim.PrinterOptions{}, hardware.PrinterConfig{OnPrinted: func(j hardware.PrintJob) {
		got = append(got, fmt.Sprintf("%s %s %v", j.Kind, j.Label, j.Printed))
	}})
	ctx := context.Background()
	rec := sampleReceipt()
	r.sim.LoadPaper(0)
	if err := r.printer.PrintReceipt(ctx, rec); err == nil {
		t.Fatal("printed without paper")
	}
	if len(got) != 0 {
		t.Fatalf("hook ran for a failed job: %v", got)
	}
	r.sim.LoadPaper(40 * 1000 * 8)
	failed := r.printer.Failed()
	if len(failed) != 1 {
		t.Fatalf("%d failed jobs, want 1", len(failed))
	}
	if err := r.printer.Reprint(ctx, failed[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := r.printer.PrintTicket(ctx, receipt.SampleTicket(kiosk.LangZH, sampleTime)); err != nil {
		t.Fatal(err)
	}
	want := []string{"receipt " + rec.LocalReceipt + " true", "ticket " + receipt.SampleTicket(kiosk.LangZH, sampleTime).Number + " true"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("hook calls %v, want %v", got, want)
	}
}
