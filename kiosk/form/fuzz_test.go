package form

import (
	"regexp"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// The fuzzers feed outside text (what a resident types, what a catalog file
// says, what the signature pad hands over) to every parser and check. None
// may panic; every accepted value must come back unchanged when checked
// again (canonical forms are fixed points) and have the promised shape.

// fuzzCanonical checks that an accepted value is a fixed point of check and
// matches shape, and that a refusal carries both languages.
func fuzzCanonical(t *testing.T, in string, check func(string) (string, kiosk.Text), shape *regexp.Regexp) {
	got, msg := check(in)
	if !msg.IsZero() {
		if !speaks(t, msg) || got != "" {
			t.Fatalf("refusal of %q: value %q, message %+v", in, got, msg)
		}
		return
	}
	if shape != nil && !shape.MatchString(got) {
		t.Fatalf("%q accepted as %q, which is not of shape %s", in, got, shape)
	}
	again, msg := check(got)
	if !msg.IsZero() || again != got {
		t.Fatalf("%q → %q → %q (%s): not a fixed point", in, got, again, msg.ID)
	}
}

func FuzzCheckPhone(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138 1234 5678", "021-64581234", "64581234", "(021)6458-1234", "１３８", "010-1234", "", "+86", "861"} {
		f.Add(s)
	}
	shape := regexp.MustCompile(`^(1[3-9]\d{9}|021-[2-9]\d{7})$`)
	f.Fuzz(func(t *testing.T, in string) { fuzzCanonical(t, in, checkPhone, shape) })
}

func FuzzCheckIDNumber(f *testing.F) {
	for _, s := range []string{idApplicant, idSpouse, "31010419600715002x", idPermitHK, "310104195802300015", "3101041958030100", "ＸＸ", ""} {
		f.Add(s)
	}
	shape := regexp.MustCompile(`^[1-9]\d{16}[\dX]$`)
	f.Fuzz(func(t *testing.T, in string) {
		check := func(v string) (string, kiosk.Text) { return checkIDNumber(v, today) }
		fuzzCanonical(t, in, check, shape)
		if got, msg := check(in); msg.IsZero() && idCheckChar(got[:17]) != got[17] {
			t.Fatalf("%q accepted with a wrong check character", in)
		}
	})
}

func FuzzCheckBankAccount(f *testing.F) {
	for _, s := range []string{"6222020200112233446", "6222 0202 0011 2233 446", "123456789012", "4111111111111112", "-", ""} {
		f.Add(s)
	}
	shape := regexp.MustCompile(`^\d{12,19}$`)
	f.Fuzz(func(t *testing.T, in string) {
		fuzzCanonical(t, in, checkBankAccount, shape)
		if got, msg := checkBankAccount(in); msg.IsZero() && len(got) >= 16 && !luhnValid(got) {
			t.Fatalf("%q accepted without passing Luhn", in)
		}
	})
}

func FuzzCheckDate(f *testing.F) {
	for _, s := range []string{"1958-03-01", "1958/3/1", "19580301", "1958年3月1日", "2023-02-29", "0000-00-00", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		fuzzCanonical(t, in, checkDate, regexp.MustCompile(`^(19\d\d|20\d\d|2100)-\d\d-\d\d$`))
	})
}

func FuzzCheckNumber(f *testing.F) {
	for _, s := range []string{"1650", "1,650.50", "-1", "007", "1e3", "NaN", "0.001", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		check := func(v string) (string, kiosk.Text) { return checkNumber(v, ip(-1000), ip(1000000)) }
		fuzzCanonical(t, in, check, regexp.MustCompile(`^-?\d+(\.\d{1,2})?$`))
	})
}

func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"因病支出较大", "  a  ", "\x00", "\u200b", "\xff", "　全角　"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		check := func(v string) (string, kiosk.Text) { return checkText(v, ip(1), ip(50)) }
		fuzzCanonical(t, in, check, nil)
	})
}

func FuzzCheckAddress(f *testing.F) {
	f.Add("徐汇区", "田林街道", "测试路1号")
	f.Add("310115", "张江镇", "")
	f.Add("", "", "")
	f.Add("崇明区", "横沙乡", "\x00")
	places := mustPlaces(f)
	f.Fuzz(func(t *testing.T, district, street, detail string) {
		got, probs := checkAddress(Address{district, street, detail}, places)
		for _, p := range probs {
			if !speaks(t, p.msg) {
				t.Fatalf("problem without words: %+v", p)
			}
		}
		if len(probs) == 0 {
			if !places.hasTown(got.District, got.Street) {
				t.Fatalf("accepted %+v outside the dictionary", got)
			}
			if again, probs := checkAddress(got, places); len(probs) != 0 || again != got {
				t.Fatalf("%+v is not a fixed point", got)
			}
		}
	})
}

func FuzzCheckMembers(f *testing.F) {
	f.Add("李测试", "spouse", idSpouse, "张小测", "child", idChild)
	f.Add("", "", "", "", "", "")
	f.Add("李测试", "spouse", idSpouse, "李测试", "spouse", idSpouse)
	f.Add("李测试", "spouse", "", "张小测", "child", "p310012345")
	f.Add("李测试", "spouse", "", "张小测", "child", "P31001234")
	fl := kiosk.Field{ID: "members", Type: kiosk.FieldFamily, Member: &kiosk.MemberSpec{BirthCert: true}}
	f.Fuzz(func(t *testing.T, n1, r1, i1, n2, r2, i2 string) {
		// An identifier of 10 characters is tried as a birth-certificate
		// number, anything else as an ID number.
		member := func(n, r, i string) Member {
			if len(i) == 10 {
				return Member{Name: n, Relation: r, BirthCert: i}
			}
			return Member{Name: n, Relation: r, IDNumber: i}
		}
		in := []Member{member(n1, r1, i1), member(n2, r2, i2)}
		got, probs := checkMembers(in, fl, idApplicant, today)
		for _, p := range probs {
			if p.member < 1 || p.member > 2 || !speaks(t, p.msg) {
				t.Fatalf("bad problem %+v", p)
			}
		}
		if len(probs) == 0 {
			if got[0].Identifier() == got[1].Identifier() {
				t.Fatalf("accepted the same ID twice: %+v", got)
			}
			for _, m := range got {
				if (m.IDNumber == "") == (m.BirthCert == "") {
					t.Fatalf("accepted a member with not exactly one identifier: %+v", m)
				}
			}
			if _, again := checkMembers(got, fl, idApplicant, today); len(again) != 0 {
				t.Fatalf("%+v is not a fixed point: %v", got, again)
			}
		}
	})
}

func FuzzCheckSignature(f *testing.F) {
	good := pngBytes(f, 60, 20)
	f.Add(good)
	f.Add(good[:33])
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if msg := checkSignature(b); !msg.IsZero() && !speaks(t, msg) {
			t.Fatalf("message without English: %+v", msg)
		}
	})
}

func FuzzParsePlaces(f *testing.F) {
	f.Add([]byte(districtsJSON))
	f.Add([]byte(`{"districts":[{"code":"1","name":{"zh":"甲"},"towns":["a"]}]}`))
	f.Add([]byte(`{"districts":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlaces(data)
		if err != nil {
			return
		}
		for _, d := range p.Districts() {
			for _, s := range p.Streets(d.Code) {
				if !p.hasTown(d.Name.ZH, s) {
					t.Fatalf("%s lists %s but does not have it", d.Name.ZH, s)
				}
			}
		}
	})
}

// FuzzFormSet types arbitrary text into every simple field of the sample
// form: whatever is typed, the form pages, validates, displays and either
// submits valid answers or says what is wrong.
func FuzzFormSet(f *testing.F) {
	f.Add("married", "yes", "13812345678", "1650", "2026-03-01", "6222020200112233446")
	f.Add("", "", "", "", "", "")
	f.Add("single", "no", "x", "-1", "2023-02-29", "1")
	places := mustPlaces(f)
	words := catalogWords(f)
	f.Fuzz(func(t *testing.T, marital, hasIncome, phone, income, since, account string) {
		form, err := New(sampleFields(), elder(), Config{Today: today, Places: places})
		if err != nil {
			t.Fatal(err)
		}
		for id, v := range map[string]string{"marital": marital, "has_income": hasIncome, "phone": phone, "income": income, "since": since, "account": account, "reason": phone + income} {
			if err := form.Set(id, v); err != nil {
				t.Fatalf("Set(%s): %v", id, err)
			}
		}
		pages := form.Pages()
		if len(pages) == 0 {
			t.Fatal("no pages")
		}
		for i := range pages {
			if _, err := form.Next(i); err != nil && len(ErrorsOf(err)) == 0 {
				t.Fatalf("page %d: an error without field errors: %v", i, err)
			}
		}
		_ = form.Display(kiosk.LangEN, words)
		ans, err := form.Answers()
		if (err == nil) != (form.Validate() == nil) || (err == nil && ans == nil) {
			t.Fatalf("Answers and Validate disagree: %v", err)
		}
		for _, e := range ErrorsOf(err) {
			if e.Field == "" || !speaks(t, e.Message) {
				t.Fatalf("an error without a field or words: %+v", e)
			}
		}
	})
}
