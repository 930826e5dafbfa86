package ipp_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/ipp"
	"github.com/tongban/tongban/devices/ipp/cupstest"
)

var record = flag.Bool("ipp.record", false, "write the scheduler's answers to testdata/*.ipp (the fuzz seeds)")

// recorder keeps every IPP answer it carries in testdata.
type recorder struct{ n int }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.n++
	os.WriteFile(filepath.Join("testdata", fmt.Sprintf("cups-answer-%d.ipp", r.n)), body, 0o644)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// waitJob polls a job until cond holds or 20 s pass.
func waitJob(t *testing.T, c *ipp.Client, id int, cond func(ipp.Job) bool) ipp.Job {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		j, err := c.Job(context.Background(), id)
		if err != nil {
			t.Fatalf("job %d: %v", id, err)
		}
		if cond(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d stayed %s %v", id, j.State, j.Reasons)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func waitPrinter(t *testing.T, c *ipp.Client, cond func(ipp.Printer) bool) ipp.Printer {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		p, err := c.Printer(context.Background())
		if err != nil {
			t.Fatalf("printer: %v", err)
		}
		if cond(p) {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("printer stayed %d %v %q", p.State, p.Reasons, p.Message)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPrintThroughCUPS(t *testing.T) {
	srv := cupstest.Start(t)
	q := srv.AddQueue(t, "A4")
	opts := ipp.Options{}
	if *record {
		os.MkdirAll("testdata", 0o755)
		opts.HTTP = &http.Client{Transport: &recorder{}}
	}
	c, err := ipp.New(srv.URL, q.Name, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := c.Printer(ctx)
	if err != nil {
		t.Fatalf("printer: %v\n%s", err, srv.ErrorLog())
	}
	if p.State != ipp.PrinterIdle || !p.Accepting || len(p.Reasons) != 0 {
		t.Fatalf("a new queue is %+v, want idle, accepting, no reasons", p)
	}

	// Two documents in a row print whole, each as its own job.
	for _, text := range []string{"Tongban first page", "Tongban second page"} {
		id, err := c.Print(ctx, "测试文件", "application/pdf", cupstest.OnePagePDF(text))
		if err != nil {
			t.Fatalf("print: %v\n%s", err, srv.ErrorLog())
		}
		j := waitJob(t, c, id, func(j ipp.Job) bool { return j.State.Done() })
		if j.State != ipp.JobCompleted {
			t.Fatalf("job %d ended %s %v", id, j.State, j.Reasons)
		}
		if got := q.Text(t, id); !strings.Contains(got, text) {
			t.Errorf("job %d printed %q, want %q", id, got, text)
		}
	}
}

func TestPaperOutThenBack(t *testing.T) {
	srv := cupstest.Start(t)
	q := srv.AddQueue(t, "A4")
	c, _ := ipp.New(srv.URL, q.Name, ipp.Options{})
	ctx := context.Background()

	q.PaperOut(t, true)
	id, err := c.Print(ctx, "paper", "application/pdf", cupstest.OnePagePDF("after the paper came back"))
	if err != nil {
		t.Fatal(err)
	}
	p := waitPrinter(t, c, func(p ipp.Printer) bool { return slices.Contains(p.Reasons, "media-empty-error") })
	if p.State != ipp.PrinterProcessing {
		t.Errorf("printer waiting for paper is %d, want processing", p.State)
	}
	if j, _ := c.Job(ctx, id); j.State.Done() || q.Printed(id) != nil {
		t.Fatalf("job printed without paper: %+v", j)
	}
	// A second outage after the paper came back is seen again.
	q.PaperOut(t, false)
	waitJob(t, c, id, func(j ipp.Job) bool { return j.State == ipp.JobCompleted })
	waitPrinter(t, c, func(p ipp.Printer) bool { return !slices.Contains(p.Reasons, "media-empty-error") })
	q.PaperOut(t, true)
	id2, _ := c.Print(ctx, "paper", "application/pdf", cupstest.OnePagePDF("second"))
	waitPrinter(t, c, func(p ipp.Printer) bool { return slices.Contains(p.Reasons, "media-empty-error") })
	if err := c.Cancel(ctx, id2); err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, c, id2, func(j ipp.Job) bool { return j.State.Done() })
	if j.State != ipp.JobCanceled {
		t.Errorf("cancelled job ended %s", j.State)
	}
	q.PaperOut(t, false)
}

func TestStoppedQueueAndCancelledJob(t *testing.T) {
	srv := cupstest.Start(t)
	q := srv.AddQueue(t, "A4")
	c, _ := ipp.New(srv.URL, q.Name, ipp.Options{})
	ctx := context.Background()

	q.Disable(t, "维护中")
	p := waitPrinter(t, c, func(p ipp.Printer) bool { return p.State == ipp.PrinterStopped })
	if p.Message != "维护中" || !slices.Contains(p.Reasons, "paused") {
		t.Errorf("stopped queue: %+v, want the message and the paused reason", p)
	}
	id, err := c.Print(ctx, "held", "application/pdf", cupstest.OnePagePDF("held"))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if j, _ := c.Job(ctx, id); j.State != ipp.JobPending {
		t.Fatalf("a job on a stopped queue is %s, want pending", j.State)
	}
	q.CancelJob(t, id)
	if j := waitJob(t, c, id, func(j ipp.Job) bool { return j.State.Done() }); j.State != ipp.JobCanceled {
		t.Fatalf("job cancelled at the printer ended %s", j.State)
	}
	// Cancelling it again is no error; an unknown job is ErrNotFound.
	if err := c.Cancel(ctx, id); err != nil {
		t.Errorf("second cancel: %v", err)
	}
	if _, err := c.Job(ctx, 99999); !errors.Is(err, ipp.ErrNotFound) {
		t.Errorf("unknown job: %v, want ErrNotFound", err)
	}
	q.Enable(t)
	waitPrinter(t, c, func(p ipp.Printer) bool { return p.State == ipp.PrinterIdle })
}

func TestUnknownQueue(t *testing.T) {
	srv := cupstest.Start(t)
	c, _ := ipp.New(srv.URL, "nosuchqueue", ipp.Options{})
	if _, err := c.Printer(context.Background()); !errors.Is(err, ipp.ErrNotFound) {
		t.Fatalf("unknown queue: %v, want ErrNotFound", err)
	}
}
