package connector

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban/internal/textclean"
	"github.com/tongban/tongban/kiosk/idnumber"
)

// Limits of an import.
const (
	MaxImportBytes = 32 << 20 // a CSV file, in bytes
	MaxImportRows  = 200_000
	maxLabel       = 64  // runes of a column's label
	maxName        = 32  // runes of a name
	maxValue       = 200 // runes of a value
)

// Row is one resident's good record in an import.
type Row struct {
	IDNo   string
	Name   string
	Fields []Field
}

// BadCell is one reason a row (or the header) was not kept: its line and
// column in the file (1-based; column 0 for the whole row) and why, in
// plain words, in English and in Chinese (for the console's report).
type BadCell struct {
	Line     int
	Column   int
	Header   string // the column's header, when known
	Reason   string
	ReasonZH string
}

// badCell is a BadCell with its reason in both languages.
func badCell(line, col int, header string, why Text) BadCell {
	return BadCell{Line: line, Column: col, Header: header, Reason: why.EN, ReasonZH: why.ZH}
}

func (b BadCell) String() string {
	switch {
	case b.Column == 0:
		return fmt.Sprintf("line %d: %s", b.Line, b.Reason)
	case b.Header != "":
		return fmt.Sprintf("line %d, column %d (%s): %s", b.Line, b.Column, b.Header, b.Reason)
	}
	return fmt.Sprintf("line %d, column %d: %s", b.Line, b.Column, b.Reason)
}

// Report says what an import did: rows read, rows kept, and each bad row
// by line and column. A bad row is left out; the good rows are kept.
type Report struct {
	Read int
	Kept int
	Bad  []BadCell
}

// String is the report in plain words, one bad row a line.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d rows read, %d kept, %d not kept\n", r.Read, r.Kept, r.Read-r.Kept)
	for _, c := range r.Bad {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// ErrNotImportable is a file that cannot be read as records at all: not
// UTF-8, too large, no usable header. Nothing of it is kept. ParseCSV's
// error is an *ImportError, which says why in both languages.
var ErrNotImportable = errors.New("connector: the file cannot be imported")

// ImportError says why nothing of a file could be imported, in English
// and in Chinese; it is ErrNotImportable (errors.Is).
type ImportError struct{ Why Text }

func (e *ImportError) Error() string { return ErrNotImportable.Error() + ": " + e.Why.EN }
func (e *ImportError) Unwrap() error { return ErrNotImportable }

func notImportable(zh, en string) error { return &ImportError{Why: Text{ZH: zh, EN: en}} }

// ParseCSV reads a department's records for one item:
//
//	idno,name,月养老金|Monthly pension,*发放银行账号|Bank account
//	310104195001011235,测试甲,4210.50,6222********1234
//
// The first column is the resident's ID number (header idno or 证件号码),
// the second the name (name or 姓名); every further column is a field,
// its header the label in Chinese, then optionally | and the English
// label; a leading * marks a private field (masked in the hall). The file
// is UTF-8 (a byte-order mark is allowed). Rows with a bad cell, a wrong
// number of cells or an ID number seen on an earlier line are reported
// and left out; the others are returned. An error (ErrNotImportable)
// means nothing could be read.
func ParseCSV(r io.Reader) ([]Row, Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, Report{}, notImportable("文件没有读完，请重新上传。", "reading it: "+err.Error())
	}
	if len(data) > MaxImportBytes {
		return nil, Report{}, notImportable(fmt.Sprintf("文件大于%d MB，请分成几个文件。", MaxImportBytes>>20),
			fmt.Sprintf("it is larger than %d MB; split it", MaxImportBytes>>20))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, Report{}, notImportable("文件不是UTF-8编码的文本（在电子表格软件里请另存为“CSV UTF-8”）。",
			`it is not UTF-8 text (in a spreadsheet, save as "CSV UTF-8")`)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, Report{}, notImportable("文件是空的，或第一行（标题行）读不出来。", "no header line: "+err.Error())
	}
	labels, bad := parseHeader(header)
	if len(bad) > 0 {
		return nil, Report{Bad: bad}, notImportable("第一行（标题行）不能用："+bad[0].ReasonZH, "the header line is not usable: "+bad[0].Reason)
	}
	var rep Report
	var rows []Row
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.Read++
			rep.Bad = append(rep.Bad, badCell(pe.Line, pe.Column, "", brokenCSV(pe.Err)))
			continue
		}
		if err != nil {
			return nil, Report{}, notImportable("文件读不出来。", err.Error())
		}
		rep.Read++
		if rep.Read > MaxImportRows {
			return nil, Report{}, notImportable(fmt.Sprintf("超过%d行，请分成几个文件。", MaxImportRows),
				fmt.Sprintf("more than %d rows; split it", MaxImportRows))
		}
		line, _ := cr.FieldPos(0)
		row, cell := parseRow(rec, header, labels, line)
		if cell != nil {
			rep.Bad = append(rep.Bad, *cell)
			continue
		}
		if first, dup := seen[row.IDNo]; dup {
			rep.Bad = append(rep.Bad, badCell(line, 1, header[0], Text{ZH: fmt.Sprintf("同一证件号码在第%d行已有", first),
				EN: fmt.Sprintf("the same ID number is on line %d already", first)}))
			continue
		}
		seen[row.IDNo] = line
		rows = append(rows, row)
	}
	rep.Kept = len(rows)
	return rows, rep, nil
}

func parseHeader(h []string) ([]Field, []BadCell) {
	var bad []BadCell
	badAt := func(col int, zh, en string) { bad = append(bad, badCell(1, col, "", Text{ZH: zh, EN: en})) }
	if len(h) < 3 {
		badAt(0, "标题行要有证件号码、姓名和至少一列内容", "the header needs idno, name and at least one field column")
		return nil, bad
	}
	if c := strings.TrimSpace(h[0]); c != "idno" && c != "证件号码" {
		badAt(1, "第一列应是证件号码（idno）", "the first column must be idno (证件号码)")
	}
	if c := strings.TrimSpace(h[1]); c != "name" && c != "姓名" {
		badAt(2, "第二列应是姓名（name）", "the second column must be name (姓名)")
	}
	var labels []Field
	seen := map[string]bool{}
	for i, c := range h[2:] {
		col := i + 3
		f := Field{}
		c = strings.TrimSpace(c)
		if strings.HasPrefix(c, "*") {
			f.Private, c = true, strings.TrimSpace(c[1:])
		}
		zh, en, _ := strings.Cut(c, "|")
		f.Label = Text{ZH: strings.TrimSpace(zh), EN: strings.TrimSpace(en)}
		switch {
		case f.Label.ZH == "":
			badAt(col, "这一列没有名称", "the column has no label")
		case utf8.RuneCountInString(c) > maxLabel || textclean.Has(c):
			badAt(col, fmt.Sprintf("列名超过%d个字，或含有控制字符", maxLabel),
				fmt.Sprintf("the label is longer than %d characters or holds control characters", maxLabel))
		case seen[f.Label.ZH]:
			badAt(col, "有两列名称相同", "two columns have the same label")
		}
		seen[f.Label.ZH] = true
		labels = append(labels, f)
	}
	return labels, bad
}

func parseRow(rec, header []string, labels []Field, line int) (Row, *BadCell) {
	if len(rec) != len(header) {
		b := badCell(line, 0, "", Text{ZH: fmt.Sprintf("这一行有%d格，标题行有%d列（文件可能在这里被截断）", len(rec), len(header)),
			EN: fmt.Sprintf("%d cells, the header has %d", len(rec), len(header))})
		return Row{}, &b
	}
	at := func(col int, zh, en string) *BadCell {
		b := badCell(line, col, strings.TrimSpace(header[col-1]), Text{ZH: zh, EN: en})
		return &b
	}
	idno := strings.ToUpper(strings.TrimSpace(rec[0]))
	if why := idNoProblem(idno); why.EN != "" {
		return Row{}, at(1, why.ZH, why.EN)
	}
	name := strings.TrimSpace(rec[1])
	switch {
	case name == "":
		return Row{}, at(2, "姓名是空的", "the name is empty")
	case utf8.RuneCountInString(name) > maxName || textclean.Has(name):
		return Row{}, at(2, fmt.Sprintf("姓名超过%d个字，或含有控制字符", maxName),
			fmt.Sprintf("the name is longer than %d characters or holds control characters", maxName))
	}
	row := Row{IDNo: idno, Name: name}
	for i, l := range labels {
		v := strings.TrimSpace(rec[i+2])
		switch {
		case v == "":
			return Row{}, at(i+3, "内容是空的（没有请写“无”）", "the value is empty (write 无 for none)")
		case utf8.RuneCountInString(v) > maxValue || textclean.Has(v):
			return Row{}, at(i+3, fmt.Sprintf("内容超过%d个字，或含有控制字符", maxValue),
				fmt.Sprintf("the value is longer than %d characters or holds control characters", maxValue))
		case unmaskedID.MatchString(v):
			return Row{}, at(i+3, "内容里有完整的证件号码，请遮盖（只留前6位和后4位）",
				"the value holds a whole ID number: mask it (first 6 and last 4)")
		}
		row.Fields = append(row.Fields, Field{Label: l.Label, Value: v, Private: l.Private})
	}
	return row, nil
}

// checkIDNo says what is wrong with a resident ID number, or "".
func checkIDNo(s string) string { return idNoProblem(s).EN }

// idNoProblem says what is wrong with a resident ID number in both
// languages, or nothing.
func idNoProblem(s string) Text {
	if len(s) != 18 {
		return Text{ZH: "证件号码应为18位", EN: "the ID number must have 18 characters"}
	}
	c, ok := idnumber.CheckDigit(s[:17])
	switch {
	case !ok:
		return Text{ZH: "证件号码应为17位数字加1位校验码", EN: "the ID number must be 17 digits and a check character"}
	case s[17] != c:
		return Text{ZH: "证件号码的校验码不对", EN: "the ID number's check character is wrong"}
	}
	return Text{}
}

// brokenCSV says what encoding/csv found wrong with a line.
func brokenCSV(err error) Text {
	en := "the CSV is broken here: " + err.Error()
	switch {
	case errors.Is(err, csv.ErrQuote):
		return Text{ZH: "引号没有配对（值里的引号要写两个），或文件在这里被截断", EN: en}
	case errors.Is(err, csv.ErrBareQuote):
		return Text{ZH: "值中间有引号：整个值要用引号括起来，值里的引号写两个", EN: en}
	}
	return Text{ZH: "这里的CSV格式不对", EN: en}
}
