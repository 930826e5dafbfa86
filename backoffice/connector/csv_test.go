package connector

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/store"
)

const goodHeader = "idno,name,本月养老金|This month's pension,*银行账号|Account number\n"

// TestParseCSVReportsBadRowsKeepsGood: every bad row is reported by line
// and column in plain words; every good row is kept.
func TestParseCSVReportsBadRowsKeepsGood(t *testing.T) {
	in := "\ufeff" + goodHeader +
		DemoJia.IDNo + ",测试甲,4210.50,6222********1234\n" + // 2: good
		"310104195001011236,测试乙,1,2\n" + // 3: check digit
		DemoBing.IDNo + ",,1,2\n" + // 4: no name
		DemoYi.IDNo + ",测试乙,1\n" + // 5: too few cells
		DemoYi.IDNo + ",测试乙,,2\n" + // 6: empty value
		DemoYi.IDNo + ",测试乙,1,310104195001011235\n" + // 7: a whole ID number
		"310115198803152040,测试乙,3000,6217********0001\n" + // 8: good
		DemoJia.IDNo + ",测试甲,1,2\n" + // 9: duplicate of line 2
		"12345,测试丁,1,2\n" + // 10: short
		DemoBing.IDNo + ",\"测试\"丙\",1,2\n" + // 11: broken quoting
		strings.ToLower(DemoBing.IDNo) + ",测试丙,\"3,655.20\",6217********5678\n" // 12: good
	rows, rep, err := ParseCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line, col  int
		reason, zh string
	}{
		{3, 1, "check character is wrong", "校验码不对"},
		{4, 2, "name is empty", "姓名是空的"},
		{5, 0, "3 cells, the header has 4", "这一行有3格，标题行有4列"},
		{6, 3, "value is empty", "内容是空的"},
		{7, 4, "whole ID number", "完整的证件号码"},
		{9, 1, "on line 2 already", "在第2行已有"},
		{10, 1, "18 characters", "应为18位"},
		{11, 0, "CSV is broken", "引号"},
	}
	if len(rep.Bad) != len(want) {
		t.Fatalf("bad rows:\n%s", rep)
	}
	for i, w := range want {
		b := rep.Bad[i]
		if b.Line != w.line || (w.col != 0 && b.Column != w.col) || !strings.Contains(b.Reason, w.reason) || !strings.Contains(b.ReasonZH, w.zh) {
			t.Errorf("bad row %d: %+v, want line %d column %d %q", i, b, w.line, w.col, w.reason)
		}
	}
	if rep.Read != 11 || rep.Kept != 3 || len(rows) != 3 {
		t.Errorf("read %d kept %d rows %d", rep.Read, rep.Kept, len(rows))
	}
	if rows[2].IDNo != DemoBing.IDNo || rows[2].Fields[0].Value != "3,655.20" || !rows[2].Fields[1].Private || rows[2].Fields[0].Private ||
		rows[2].Fields[0].Label != (Text{ZH: "本月养老金", EN: "This month's pension"}) {
		t.Errorf("row: %+v", rows[2])
	}
	s := rep.String()
	if !strings.Contains(s, "11 rows read, 3 kept, 8 not kept") || !strings.Contains(s, "line 3, column 1 (idno): the ID number's check character is wrong") {
		t.Errorf("report:\n%s", s)
	}
	for _, r := range []string{"310104195001011236"} {
		if strings.Contains(s, r) {
			t.Errorf("the report repeats an ID number")
		}
	}
}

// TestParseCSVRefusesWholeFile: files that cannot be records at all.
func TestParseCSVRefusesWholeFile(t *testing.T) {
	for _, tt := range []struct{ name, in, zh string }{
		{"empty", "", "文件是空的"},
		{"GBK", "idno,name,\xd4\xc2\xd1\xf8\xc0\xcf\xbd\xf0\n", "UTF-8"},
		{"no field columns", "idno,name\n" + DemoJia.IDNo + ",测试甲\n", "标题行要有证件号码、姓名"},
		{"wrong first", "name,idno,x\n", "第一列应是证件号码"},
		{"duplicate labels", "idno,name,金额,金额\n", "有两列名称相同"},
		{"empty label", "idno,name,*\n", "这一列没有名称"},
		{"too large", goodHeader + strings.Repeat("x", MaxImportBytes), "文件大于32 MB"},
	} {
		_, _, err := ParseCSV(strings.NewReader(tt.in))
		var ie *ImportError
		if !errors.Is(err, ErrNotImportable) || !errors.As(err, &ie) || !strings.Contains(ie.Why.ZH, tt.zh) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// TestImportThenQueryThenReimport: an import is answered, the ID number is
// stored only hashed, and a later import of the same resident replaces it.
func TestImportThenQueryThenReimport(t *testing.T) {
	db, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewStore(db, testSubject, func() time.Time { return testNow })
	sp := ImportSpec{Center: "XH01", Item: "pension-received", Title: Text{ZH: "个人享受城镇基本养老金情况"}, Source: Text{ZH: "上海市社会保险事业管理中心"}}
	rep, err := s.Import(context.Background(), strings.NewReader(goodHeader+DemoJia.IDNo+",测试甲,4210.50,6222********1234\nbad,测试乙,1,2\n"), sp)
	if err != nil || rep.Kept != 1 || len(rep.Bad) != 1 {
		t.Fatalf("import: %v\n%s", err, rep)
	}
	req := Request{Center: "XH01", Item: "pension-received", IDNo: DemoJia.IDNo}
	a, err := s.Query(context.Background(), req)
	if err != nil || a.Fields[0].Value != "4210.50" || a.Name != "测试甲" || !a.AsOf.Equal(testNow) {
		t.Fatalf("query: %+v %v", a, err)
	}
	if _, err := db.DeptRecord(context.Background(), "XH01", "pension-received", DemoJia.IDNo); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("kept under the ID number itself: %v", err)
	}
	if _, err := s.Import(context.Background(), strings.NewReader(goodHeader+DemoJia.IDNo+",测试甲,4300.00,6222********1234\n"), sp); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Query(context.Background(), req); a.Fields[0].Value != "4300.00" {
		t.Errorf("not replaced: %+v", a.Fields)
	}
	if _, err := s.Import(context.Background(), strings.NewReader(goodHeader), ImportSpec{Center: "XH01", Item: "x"}); err == nil {
		t.Errorf("an import without a title was taken")
	}
}
