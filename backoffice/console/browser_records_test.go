package console

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserRecordsUpload: center staff upload a department's CSV with
// bad rows through the records page in headless Chromium, as at a
// counter PC: the good rows are kept and the report lists the bad ones
// in Chinese. The page before and after is photographed (-shots DIR).
func TestBrowserRecordsUpload(t *testing.T) {
	path := chromium(t)
	dir := screenDir(t)
	e := newEnv(t, openSQLite(t))
	csvFile := filepath.Join(t.TempDir(), "pension.csv")
	if err := os.WriteFile(csvFile, []byte("\ufeff"+recHeader+
		recJia.IDNo+",测试甲,4210.50,6222********1234\n"+
		"310104195001011236,测试丁,1,2\n"+
		recYi.IDNo+",测试乙,,6217********0001\n"+
		recBing.IDNo+",测试丙,2800.00,6217********5678\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx := startChromium(t, path, 2*time.Minute) // a bound against a hung browser
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	e.browserLogin(t, ctx, "staff1")
	do(chromedp.Navigate(e.ts.URL+"/console/records"), present(chromedp.ID("rec-file")))
	shot("records-zh-pc.png")
	do(chromedp.SetValue(chromedp.ID("rec-item"), recItem), // a list of the items XH01 answers from records
		chromedp.SendKeys(chromedp.ID("rec-title"), "个人享受城镇基本养老金情况"),
		chromedp.SendKeys(chromedp.ID("rec-source"), "上海市社会保险事业管理中心"),
		chromedp.SetUploadFiles(chromedp.ID("rec-file"), []string{csvFile}),
		chromedp.Click(chromedp.ID("rec-upload")), present(chromedp.ID("rec-summary")))
	summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("rec-summary")))
	if err != nil || strings.TrimSpace(summary) != "读到4行，已导入2行，未导入2行。" {
		t.Fatalf("the report says %q (%v)", summary, err)
	}
	table, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("rec-bad")))
	if err != nil || !strings.Contains(table, "证件号码的校验码不对") || !strings.Contains(table, "内容是空的") {
		t.Fatalf("the bad rows: %q (%v)", table, err)
	}
	if over, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || over {
		t.Errorf("the report is wider than the screen (%v)", err)
	}
	shot("records-report-zh-pc.png")
	if e.pension(t, "XH01", recBing.IDNo) != "2800.00" || e.pension(t, "XH01", recYi.IDNo) != "" {
		t.Errorf("kept: 测试丙 %q, 测试乙 %q", e.pension(t, "XH01", recBing.IDNo), e.pension(t, "XH01", recYi.IDNo))
	}
	do(chromedp.EmulateViewport(820, 1180))
	shot("records-report-zh-tablet.png")
}
