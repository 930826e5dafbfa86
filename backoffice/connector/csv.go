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
// plain words.
type BadCell struct {
	Line   int
	Column int
	Header string // the column's header, when known
	Reason string
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
// UTF-8, too large, no usable header. Nothing of it is kept.
var ErrNotImportable = errors.New("connector: the file cannot be imported")

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
		return nil, Report{}, fmt.Errorf("%w: reading it: %v", ErrNotImportable, err)
	}
	if len(data) > MaxImportBytes {
		return nil, Report{}, fmt.Errorf("%w: it is larger than %d MB; split it", ErrNotImportable, MaxImportBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, Report{}, fmt.Errorf("%w: it is not UTF-8 text (in a spreadsheet, save as \"CSV UTF-8\")", ErrNotImportable)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, Report{}, fmt.Errorf("%w: no header line: %v", ErrNotImportable, err)
	}
	labels, bad := parseHeader(header)
	if len(bad) > 0 {
		return nil, Report{Bad: bad}, fmt.Errorf("%w: the header line is not usable: %s", ErrNotImportable, bad[0].Reason)
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
			rep.Bad = append(rep.Bad, BadCell{Line: pe.Line, Column: pe.Column, Reason: "the CSV is broken here: " + pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, Report{}, fmt.Errorf("%w: %v", ErrNotImportable, err)
		}
		rep.Read++
		if rep.Read > MaxImportRows {
			return nil, Report{}, fmt.Errorf("%w: more than %d rows; split it", ErrNotImportable, MaxImportRows)
		}
		line, _ := cr.FieldPos(0)
		row, cell := parseRow(rec, header, labels, line)
		if cell != nil {
			rep.Bad = append(rep.Bad, *cell)
			continue
		}
		if first, dup := seen[row.IDNo]; dup {
			rep.Bad = append(rep.Bad, BadCell{Line: line, Column: 1, Header: header[0], Reason: fmt.Sprintf("the same ID number is on line %d already", first)})
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
	badAt := func(col int, why string) { bad = append(bad, BadCell{Line: 1, Column: col, Reason: why}) }
	if len(h) < 3 {
		badAt(0, "the header needs idno, name and at least one field column")
		return nil, bad
	}
	if c := strings.TrimSpace(h[0]); c != "idno" && c != "证件号码" {
		badAt(1, "the first column must be idno (证件号码)")
	}
	if c := strings.TrimSpace(h[1]); c != "name" && c != "姓名" {
		badAt(2, "the second column must be name (姓名)")
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
			badAt(col, "the column has no label")
		case utf8.RuneCountInString(c) > maxLabel || textclean.Has(c):
			badAt(col, fmt.Sprintf("the label is longer than %d characters or holds control characters", maxLabel))
		case seen[f.Label.ZH]:
			badAt(col, "two columns have the same label")
		}
		seen[f.Label.ZH] = true
		labels = append(labels, f)
	}
	return labels, bad
}

func parseRow(rec, header []string, labels []Field, line int) (Row, *BadCell) {
	if len(rec) != len(header) {
		return Row{}, &BadCell{Line: line, Reason: fmt.Sprintf("%d cells, the header has %d", len(rec), len(header))}
	}
	at := func(col int, why string) *BadCell {
		return &BadCell{Line: line, Column: col, Header: strings.TrimSpace(header[col-1]), Reason: why}
	}
	idno := strings.ToUpper(strings.TrimSpace(rec[0]))
	if reason := checkIDNo(idno); reason != "" {
		return Row{}, at(1, reason)
	}
	name := strings.TrimSpace(rec[1])
	switch {
	case name == "":
		return Row{}, at(2, "the name is empty")
	case utf8.RuneCountInString(name) > maxName || textclean.Has(name):
		return Row{}, at(2, fmt.Sprintf("the name is longer than %d characters or holds control characters", maxName))
	}
	row := Row{IDNo: idno, Name: name}
	for i, l := range labels {
		v := strings.TrimSpace(rec[i+2])
		switch {
		case v == "":
			return Row{}, at(i+3, "the value is empty (write 无 for none)")
		case utf8.RuneCountInString(v) > maxValue || textclean.Has(v):
			return Row{}, at(i+3, fmt.Sprintf("the value is longer than %d characters or holds control characters", maxValue))
		case unmaskedID.MatchString(v):
			return Row{}, at(i+3, "the value holds a whole ID number: mask it (first 6 and last 4)")
		}
		row.Fields = append(row.Fields, Field{Label: l.Label, Value: v, Private: l.Private})
	}
	return row, nil
}

// checkIDNo says what is wrong with a resident ID number, or "".
func checkIDNo(s string) string {
	if len(s) != 18 {
		return "the ID number must have 18 characters"
	}
	c, ok := idnumber.CheckDigit(s[:17])
	switch {
	case !ok:
		return "the ID number must be 17 digits and a check character"
	case s[17] != c:
		return "the ID number's check character is wrong"
	}
	return ""
}
