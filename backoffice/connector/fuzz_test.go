package connector

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParseCSV: whatever the bytes, ParseCSV does not panic, every kept
// row is valid (ID check digit, name, as many fields as labels, no whole
// ID number), rows read = kept + reported, and every reason is said in
// Chinese too.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(goodHeader + DemoJia.IDNo + ",测试甲,4210.50,6222********1234\n"))
	f.Add([]byte("idno,name,a\n" + DemoYi.IDNo + ",\"测\"试\",1\n\"unterminated"))
	f.Add([]byte("\ufeff证件号码,姓名,*金额|Amount\n" + DemoBing.IDNo + ",测试丙,1\n" + DemoBing.IDNo + ",测试丙,2\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		rows, rep, err := ParseCSV(strings.NewReader(string(in)))
		if err != nil {
			var ie *ImportError
			if !errors.Is(err, ErrNotImportable) || !errors.As(err, &ie) || ie.Why.ZH == "" || rows != nil {
				t.Fatalf("error %v with %d rows", err, len(rows))
			}
			return
		}
		if rep.Kept != len(rows) || rep.Read != rep.Kept+len(rep.Bad) {
			t.Fatalf("read %d kept %d bad %d rows %d", rep.Read, rep.Kept, len(rep.Bad), len(rows))
		}
		for _, r := range rows {
			if checkIDNo(r.IDNo) != "" || r.Name == "" || len(r.Fields) == 0 {
				t.Fatalf("kept a bad row: %+v", r)
			}
			for _, fl := range r.Fields {
				if fl.Value == "" || unmaskedID.MatchString(fl.Value) || fl.Label.ZH == "" {
					t.Fatalf("kept a bad field: %+v", fl)
				}
			}
		}
		for _, b := range rep.Bad {
			if b.Line < 1 || b.Reason == "" || b.ReasonZH == "" {
				t.Fatalf("a report without a line or a reason: %+v", b)
			}
		}
	})
}

// FuzzParseAnswer: whatever a department answers, ParseAnswer does not
// panic, and either fails as ErrUnavailable/ErrNoRecord or gives fields
// that are mapped, bounded and hold no whole ID number.
func FuzzParseAnswer(f *testing.F) {
	f.Add([]byte(`{"found": true, "data": {"name": "测试甲", "as_of": "2026-11-30", "monthly": "4,210.50 元", "account": "6222********1234"}}`))
	f.Add([]byte(`{"found": false}`))
	f.Add([]byte(`{"found": true, "data": {"as_of": "2026-11-30T10:00:00+08:00", "monthly": 4210.5, "account": true}}`))
	f.Add([]byte(`{"found": true, "data": {"monthly": [1,2], "account": null}}`))
	f.Add([]byte(`{"found": true, "data": {"monthly": "1`))
	f.Add([]byte(`[]`))
	m := contractMapping
	m.Fields = append(m.Fields, FieldMap{Path: "data.items.0.x", Label: Text{ZH: "其他"}, Optional: true})
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := ParseAnswer(in, m, testNow)
		if err != nil {
			if !errors.Is(err, ErrUnavailable) && !errors.Is(err, ErrNoRecord) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if len(a.Fields) < 2 || len(a.Fields) > 3 || a.AsOf.IsZero() || a.AsOf.Location() != time.UTC {
			t.Fatalf("answer: %+v", a)
		}
		for _, fl := range a.Fields {
			if unmaskedID.MatchString(fl.Value) || len([]rune(fl.Value)) > maxValue {
				t.Fatalf("field %+v", fl)
			}
		}
	})
}
