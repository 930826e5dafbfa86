package console

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/kiosk/idnumber"
)

// Synthetic residents of the uploads (valid check digits, no real person).
var (
	recJia  = connector.DemoJia  // 测试甲
	recYi   = connector.DemoYi   // 测试乙
	recBing = connector.DemoBing // 测试丙
)

const (
	recItem   = "pension-received"
	recHeader = "证件号码,姓名,本月养老金|This month's pension,*发放银行账号|Bank account\n"
	// recFileName holds a name, as files people save often do: it must
	// not reach the log or the audit trail.
	recFileName = "测试甲等养老金.csv"
)

// uploadFields is the upload form as the records page sends it.
func uploadFields(center string) url.Values {
	v := url.Values{"item": {recItem}, "title_zh": {"个人享受城镇基本养老金情况"}, "title_en": {"Pension received"},
		"source_zh": {"上海市社会保险事业管理中心"}}
	if center != "" {
		v.Set("center", center)
	}
	return v
}

// multipartBody encodes fields and a file as a browser does; cut, when
// positive, drops that many bytes from the end (an upload cut off).
func multipartBody(t testing.TB, fields url.Values, csrf, file string, cut int) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("csrf", csrf)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, err := w.CreateFormFile("file", recFileName)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(file))
	w.Close()
	body := b.Bytes()
	if cut > 0 {
		body = body[:len(body)-cut]
	}
	return w.FormDataContentType(), body
}

// upload posts the records form with file, with the CSRF token of the
// last page seen.
func (b *browser) upload(fields url.Values, file string) *browser {
	b.e.t.Helper()
	return b.uploadRaw(multipartBody(b.e.t, fields, b.csrf, file, 0))
}

func (b *browser) uploadRaw(contentType string, body []byte) *browser {
	b.e.t.Helper()
	return b.keep(b.c.Post(b.e.ts.URL+"/console/records", contentType, bytes.NewReader(body)))
}

// pension is what the records say of idNo at center ("" when nothing).
func (e *env) pension(t testing.TB, center, idNo string) string {
	t.Helper()
	a, err := e.recs.Query(context.Background(), connector.Request{Center: center, Item: recItem, IDNo: idNo})
	if errors.Is(err, connector.ErrNoRecord) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return a.Fields[0].Value
}

// TestRecordsUpload: center staff upload a department's CSV from the
// console and read the same parser's report in Chinese: a good file is
// kept whole; a file with bad rows keeps the good ones and lists each bad
// one by line, column and reason; a file cut short reports its last line;
// an upload cut off, a file too large, another center's records and a
// stranger are refused with nothing kept. Each import is in the audit
// trail with its counts; no name, ID number or file name is in the log.
func TestRecordsUpload(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		b := e.browser().login("staff1", password)
		b.get("/console/records").must(http.StatusOK, "导入部门数据", `name="file"`, "XH01")
		if !strings.Contains(b.body, `href="/console/records"`) {
			t.Error("the navigation has no link to the records page")
		}

		// A good file: every row kept and answered.
		good := recHeader + recJia.IDNo + ",测试甲,4210.50,6222********1234\n" + recYi.IDNo + ",测试乙,3000.00,6217********0001\n"
		b.upload(uploadFields(""), good).must(http.StatusOK, "读到2行，已导入2行，未导入0行。")
		if got := e.pension(t, "XH01", recJia.IDNo); got != "4210.50" {
			t.Fatalf("after a good upload, 测试甲's pension is %q", got)
		}

		// Bad rows: reported by line and column in Chinese; the good row
		// is kept, the bad ones change nothing.
		bad := recHeader +
			recJia.IDNo + ",测试甲,4300.00,6222********1234\n" + // 2: good, replaces 4210.50
			"310104195001011236,测试丁,1,2\n" + // 3: check character
			recYi.IDNo + ",测试乙,,6217********0001\n" + // 4: empty value
			recBing.IDNo + ",测试丙,1," + recYi.IDNo + "\n" // 5: a whole ID number
		b.get("/console/records")
		b.upload(uploadFields(""), bad).must(http.StatusOK, "读到4行，已导入1行，未导入3行。",
			"<td>3</td><td>1 (证件号码)</td><td>证件号码的校验码不对</td>",
			"<td>4</td><td>3 (本月养老金|This month&#39;s pension)</td><td>内容是空的（没有请写“无”）</td>",
			"<td>5</td><td>4 (*发放银行账号|Bank account)</td><td>内容里有完整的证件号码")
		if got := e.pension(t, "XH01", recJia.IDNo); got != "4300.00" {
			t.Errorf("the good row of a file with bad rows was not kept: %q", got)
		}
		if got := e.pension(t, "XH01", recYi.IDNo); got != "3000.00" {
			t.Errorf("a bad row changed 测试乙's record: %q", got)
		}
		for _, id := range []string{"310104195001011236", recYi.IDNo, recBing.IDNo} { // recJia's is the page's example
			if strings.Contains(b.body, id) {
				t.Errorf("the report repeats an ID number of the file")
			}
		}

		// A file cut short: the rows before the cut are kept, the cut
		// line is reported as maybe cut.
		b.get("/console/records")
		b.upload(uploadFields(""), recHeader+recBing.IDNo+",测试丙,2800.00,6217********5678\n"+recYi.IDNo+",测试乙,31").
			must(http.StatusOK, "读到2行，已导入1行，未导入1行。", "<td>3</td><td>整行</td><td>这一行有3格，标题行有4列（文件可能在这里被截断）</td>")
		b.get("/console/records")
		b.upload(uploadFields(""), recHeader+recYi.IDNo+",测试乙,\"3100").
			must(http.StatusOK, "未导入1行", "文件在这里被截断")
		if e.pension(t, "XH01", recBing.IDNo) != "2800.00" || e.pension(t, "XH01", recYi.IDNo) != "3000.00" {
			t.Errorf("a file cut short: kept %q and %q", e.pension(t, "XH01", recBing.IDNo), e.pension(t, "XH01", recYi.IDNo))
		}

		// An upload cut off on the way: the form cannot be read; nothing
		// of it is kept.
		b.get("/console/records")
		other := recHeader + recJia.IDNo + ",测试甲,9999.00,6222********1234\n"
		b.uploadRaw(multipartBody(t, uploadFields(""), b.csrf, other, 20)).must(http.StatusBadRequest, "表单看不懂")
		if got := e.pension(t, "XH01", recJia.IDNo); got != "4300.00" {
			t.Errorf("an upload cut off changed a record: %q", got)
		}

		// A header the parser cannot use: nothing kept, the reason in Chinese.
		b.get("/console/records")
		b.upload(uploadFields(""), "姓名,证件号码,金额\n测试甲,"+recJia.IDNo+",1\n").
			must(http.StatusBadRequest, "文件没有导入，一行也没有保存：第一行（标题行）不能用：第一列应是证件号码")

		// Too large: past the parser's limit it says so; far past the
		// form's, the upload is cut off and refused. Nothing is kept.
		big := recHeader + recJia.IDNo + ",测试甲,1.00,6222********1234\n" + strings.Repeat("#", connector.MaxImportBytes)
		b.get("/console/records")
		b.upload(uploadFields(""), big).must(http.StatusBadRequest, "文件大于32 MB，请分成几个文件。")
		b.get("/console/records")
		b.upload(uploadFields(""), big+strings.Repeat("#", 2<<20)).must(http.StatusRequestEntityTooLarge, "上传的文件太大")
		if got := e.pension(t, "XH01", recJia.IDNo); got != "4300.00" {
			t.Errorf("an oversized file changed a record: %q", got)
		}

		// An item the center does not answer from records: refused, as
		// the records would never be used.
		b.get("/console/records")
		if !strings.Contains(b.body, `<option value="hukou-certificate">`) || !strings.Contains(b.body, `<option value="pension-received">`) {
			t.Errorf("the page does not offer XH01's items answered from records")
		}
		unused := uploadFields("")
		unused.Set("item", "residence-points-query")
		b.upload(unused, good).must(http.StatusBadRequest, "这个中心的这个事项不是用导入的数据回答的")

		// Another center's records: staff of XH01 cannot import for PD01.
		b.get("/console/records")
		b.upload(uploadFields("PD01"), good).must(http.StatusForbidden)
		if got := e.pension(t, "PD01", recJia.IDNo); got != "" {
			t.Errorf("staff of XH01 imported PD01's records: %q", got)
		}
		// An operator names the center, and must.
		op := e.browser().login("op1", password)
		op.get("/console/records").must(http.StatusOK, `id="rec-center"`)
		op.upload(uploadFields(""), good).must(http.StatusBadRequest, "请选择文件，并填好中心")
		op.get("/console/records")
		op.upload(uploadFields("PD01"), good).must(http.StatusOK, "已导入2行")
		op.get("/console/records")
		hukou := uploadFields("PD01")
		hukou.Set("item", "hukou-certificate") // XH01's, not PD01's
		op.upload(hukou, good).must(http.StatusBadRequest, "不是用导入的数据回答的")
		if got := e.pension(t, "PD01", recJia.IDNo); got != "4210.50" {
			t.Errorf("the operator's import for PD01: %q", got)
		}

		// A stranger, a forged form, an auditor: refused, nothing kept.
		anon := e.browser()
		anon.get("/console/records")
		if !strings.Contains(anon.body, `name="password"`) {
			t.Error("the records page was shown without a log-in")
		}
		anon.upload(uploadFields("XH01"), other).must(http.StatusUnauthorized)
		forged := e.browser().login("staff1", password)
		forged.uploadRaw(multipartBody(t, uploadFields(""), "forged-token", other, 0)).must(http.StatusForbidden)
		aud := e.browser().login("aud1", password)
		aud.get("/console/records").must(http.StatusForbidden)
		if got := e.pension(t, "XH01", recJia.IDNo); got != "4300.00" {
			t.Errorf("a refused upload changed a record: %q", got)
		}

		// The audit trail says who imported what, with counts only.
		entries, err := e.st.AuditLog(context.Background(), 0, 200)
		if err != nil {
			t.Fatal(err)
		}
		var imports, refused []string
		for _, a := range entries {
			switch a.Action {
			case "records.import":
				imports = append(imports, a.Username+" "+a.Target+" "+a.Detail)
			case "records.refused":
				refused = append(refused, a.Username+" "+a.Target)
			}
		}
		for _, want := range []string{"staff1 XH01 pension-received read 2 kept 2 not kept 0", "staff1 XH01 pension-received read 4 kept 1 not kept 3",
			"staff1 XH01 pension-received not importable", "op1 PD01 pension-received read 2 kept 2 not kept 0"} {
			if !strings.Contains(strings.Join(imports, "\n"), want) {
				t.Errorf("the audit trail lacks %q:\n%s", want, strings.Join(imports, "\n"))
			}
		}
		if len(refused) != 1 || refused[0] != "staff1 PD01" {
			t.Errorf("refused imports in the audit trail: %q", refused)
		}
		for _, a := range entries {
			for _, secret := range []string{recJia.IDNo, recYi.IDNo, "测试甲", "测试乙", recFileName} {
				if strings.Contains(a.Target+a.Detail, secret) {
					t.Errorf("the audit trail holds %q: %+v", secret, a)
				}
			}
		}
		logs := e.logs.String()
		if !strings.Contains(logs, "records imported") {
			t.Fatalf("the log was not captured:\n%.2000s", logs)
		}
		for _, secret := range []string{recJia.IDNo, recYi.IDNo, recBing.IDNo, "测试甲", "测试乙", "测试丙", recFileName, "4210.50"} {
			if strings.Contains(logs, secret) {
				t.Errorf("the log holds %q", secret)
			}
		}
	})
}

// TestRecordsUploadInEnglish: the same report in English for staff who
// switched the console's language.
func TestRecordsUploadInEnglish(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	b := e.browser().login("dir1", password)
	b.get("/console/lang?to=en&back=/console/records").must(http.StatusOK, "Import department records")
	b.upload(uploadFields(""), recHeader+"310104195001011236,测试丁,1,2\n").
		must(http.StatusOK, "1 rows read, 0 kept, 1 not kept.", "the ID number&#39;s check character is wrong")
}

// TestRecordsNothingToImport: a center that answers no item from records
// is told so, and its upload button is off.
func TestRecordsNothingToImport(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	e.con.recItems = func(string) []string { return nil }
	b := e.browser().login("staff1", password)
	b.get("/console/records").must(http.StatusOK, "本中心还没有哪个事项是用导入的数据回答的", `id="rec-upload" disabled`)
	b.upload(uploadFields(""), recHeader+recJia.IDNo+",测试甲,1.00,6222********1234\n").must(http.StatusBadRequest, "不是用导入的数据回答的")
	if got := e.pension(t, "XH01", recJia.IDNo); got != "" {
		t.Errorf("kept %q", got)
	}
}

// syntheticRecords is a CSV of n synthetic residents (born 1950-01-01 in
// 310104, sequence numbers counting up, valid check characters; no real
// person) with every row good.
func syntheticRecords(tb testing.TB, n int) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString(recHeader)
	for i := range n {
		body := fmt.Sprintf("3101041950%02d%02d%03d", 1+i/(28*1000)%12, 1+i/1000%28, i%1000)
		c, ok := idnumber.CheckDigit(body)
		if !ok {
			tb.Fatalf("no check character for %s", body)
		}
		fmt.Fprintf(&b, "%s%c,测试%d,%d.00,6222********%04d\n", body, c, i, 3000+i%2000, i%10000)
	}
	return b.String()
}

// BenchmarkRecordsUpload measures a console upload of 20,000 records
// (about 1.1 MB) and of the parser's limit, 200,000 (about 11 MB), on
// SQLite: the TLS listener, the session and CSRF checks, the parser,
// sealing and keeping every row, and the report. The server's write
// timeout (60 s) bounds the whole request.
//
//	go test -run '^$' -bench RecordsUpload -benchtime 3x ./backoffice/console
func BenchmarkRecordsUpload(b *testing.B) {
	for _, n := range []int{20_000, connector.MaxImportRows} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			e := newEnv(b, openSQLite(b))
			br := e.browser().login("staff1", password)
			file := syntheticRecords(b, n)
			b.SetBytes(int64(len(file)))
			for b.Loop() {
				br.get("/console/records")
				br.upload(uploadFields(""), file)
				if br.code != http.StatusOK || !strings.Contains(br.body, fmt.Sprintf("已导入%d行", n)) {
					b.Fatalf("upload: %d %s", br.code, clipBody(br.body))
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
