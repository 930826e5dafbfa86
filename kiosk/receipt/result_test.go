package receipt_test

import (
	"strings"
	"testing"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/receipt"
)

// The result slip masks Private values whatever it is handed, and refuses
// a result with no title or no line.
func TestResultSlip(t *testing.T) {
	s := receipt.SampleResult(kiosk.LangZH, sampleTime)
	s.Result.Fields[3].Value = "6222020000001234567" // raw
	job, err := receipt.Result(s, escpos.Paper80(), printed)
	if err != nil {
		t.Fatal(err)
	}
	pr := newSimPrinter(t, escpos.Paper80())
	pr.Process(job)
	text := strings.Join(pr.Lines(), "\n")
	if strings.Contains(text, "0000001234567") || !strings.Contains(text, "622202*********4567") {
		t.Errorf("the account is not masked:\n%s", text)
	}
	for _, want := range []string{"查询结果", "个人享受城镇基本养老金情况", "数据来源", "数据截至：2026-11-26", "打印时间：2026-11-28 03:12"} {
		if !strings.Contains(text, want) {
			t.Errorf("the slip lacks %q:\n%s", want, text)
		}
	}
	noTitle := s
	noTitle.Result.Title = kiosk.Text{}
	if _, err := receipt.Result(noTitle, escpos.Paper58(), printed); err == nil {
		t.Error("a result without a title was laid out")
	}
	noLines := s
	noLines.Result.Fields = nil
	if _, err := receipt.Result(noLines, escpos.Paper58(), printed); err == nil {
		t.Error("a result without a line was laid out")
	}
}
