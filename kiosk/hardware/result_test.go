package hardware_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/receipt"
)

// A query result prints masked, even when handed raw values, and is never
// kept among the jobs for a reprint; without paper the resident is told
// the result did not print.
func TestPrintResult(t *testing.T) {
	r := newRig(t, sim.PrinterOptions{})
	ctx := context.Background()
	slip := receipt.SampleResult(kiosk.LangZH, sampleTime)
	slip.Result.Fields[1].Value = "310104195001010013" // raw, as a careless caller might pass it
	if err := r.printer.PrintResult(ctx, slip); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(r.sim.Lines(), "\n")
	if !strings.Contains(text, "310104********0013") || strings.Contains(text, "195001010013") {
		t.Errorf("the ID number is not masked on the slip:\n%s", text)
	}
	if !strings.Contains(text, "个人享受城镇基本养老金情况") || !strings.Contains(text, "数据截至") {
		t.Errorf("the slip lacks its title or date:\n%s", text)
	}
	if jobs := r.printer.Jobs(); len(jobs) != 0 {
		t.Errorf("a result is kept for a reprint: %+v", jobs)
	}
	r.sim.LoadPaper(0)
	err := r.printer.PrintResult(ctx, slip)
	if kiosk.KindOf(err) != kiosk.KindNoPaper || !strings.Contains(kiosktest.Words(t, kiosk.MessageOf(err)).ZH, "查询结果没有打印出来") {
		t.Errorf("no paper: %v", err)
	}
	if jobs := r.printer.Jobs(); len(jobs) != 0 {
		t.Errorf("a failed result is kept for a reprint: %+v", jobs)
	}
}
