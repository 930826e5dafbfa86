package idnumber

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/i18n"
)

func TestCheckDigit(t *testing.T) {
	// Worked examples of reference/devices.md §2.
	for _, n := range []string{"11010519491231002X", "440524188001010014", "810000199408230021",
		"830000199201300022", "310101199001010012", "310104198507150017", "931840198506150111"} {
		if c, ok := CheckDigit(n[:17]); !ok || c != n[17] {
			t.Errorf("CheckDigit(%s) = %c %v, want %c", n[:17], c, ok, n[17])
		}
	}
	for _, bad := range []string{"", "1234567890123456", "1101051949123100A", "110105194912310021"} {
		if _, ok := CheckDigit(bad); ok {
			t.Errorf("CheckDigit(%q) ok", bad)
		}
	}
}

func TestParseCitizen(t *testing.T) {
	tests := []struct {
		in      string
		want    Citizen
		wantErr error
	}{
		{"310104198507150017", Citizen{"310104", date(1985, 7, 15), kiosk.SexMale}, nil},
		{"310101195001010022", Citizen{"310101", date(1950, 1, 1), kiosk.SexFemale}, nil},
		{"11010519491231002x", Citizen{"110105", date(1949, 12, 31), kiosk.SexFemale}, nil}, // lower-case x
		{" 310104198507150017 ", Citizen{"310104", date(1985, 7, 15), kiosk.SexMale}, nil},
		{"310104198507150018", Citizen{}, ErrCheckDigit},
		{"31010419850715001", Citizen{}, ErrFormat},
		{"3101041985071500171", Citizen{}, ErrFormat},
		{"31010419850715001A", Citizen{}, ErrFormat},
		{"3101041985X7150017", Citizen{}, ErrFormat},
		{"310104198513150013", Citizen{}, ErrBirthDate}, // month 13, valid check digit
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCitizen(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				assertPlain(t, err)
				return
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// assertPlain checks a refusal is a kiosk.Error with words in both languages.
func assertPlain(t *testing.T, err error) {
	t.Helper()
	var ke *kiosk.Error
	if !errors.As(err, &ke) || ke.Kind != kiosk.KindInvalid || !bothLanguages(t, ke.Message) {
		t.Errorf("%v is not a kiosk.Error with a message in both languages", err)
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestNumbersOfEveryCardType(t *testing.T) {
	tests := []struct {
		name    string
		id      kiosk.Identity
		wantErr error
	}{
		{"resident", kiosk.Identity{Card: kiosk.CardResident, Number: "310104198507150017", BirthDate: date(1985, 7, 15), Sex: kiosk.SexMale}, nil},
		{"resident, birth differs", kiosk.Identity{Card: kiosk.CardResident, Number: "310104198507150017", BirthDate: date(1985, 7, 16), Sex: kiosk.SexMale}, ErrBirthMismatch},
		{"resident, sex differs", kiosk.Identity{Card: kiosk.CardResident, Number: "310104198507150017", BirthDate: date(1985, 7, 15), Sex: kiosk.SexFemale}, ErrSexMismatch},
		{"resident, bad check digit", kiosk.Identity{Card: kiosk.CardResident, Number: "310104198507150010"}, ErrCheckDigit},
		{"permit HK", kiosk.Identity{Card: kiosk.CardPermitHKMOTW, Number: "810000199001010035", BirthDate: date(1990, 1, 1), Sex: kiosk.SexMale}, nil},
		{"permit MO", kiosk.Identity{Card: kiosk.CardPermitHKMOTW, Number: "820000198805120042", Sex: kiosk.SexFemale}, nil},
		{"permit TW", kiosk.Identity{Card: kiosk.CardPermitHKMOTW, Number: "830000199201300057"}, nil},
		{"permit with a Shanghai number", kiosk.Identity{Card: kiosk.CardPermitHKMOTW, Number: "310104198507150017"}, ErrPrefix},
		{"foreign 2017", kiosk.Identity{Card: kiosk.CardForeignPR2017, Number: "USA310085071501", Nation: "USA"}, nil},
		{"foreign 2017, nationality differs", kiosk.Identity{Card: kiosk.CardForeignPR2017, Number: "USA310085071501", Nation: "CAN"}, ErrPrefix},
		{"foreign 2017, digits short", kiosk.Identity{Card: kiosk.CardForeignPR2017, Number: "USA31008507150"}, ErrFormat},
		{"foreign 2017, lower case", kiosk.Identity{Card: kiosk.CardForeignPR2017, Number: "usa310085071501"}, ErrFormat},
		{"foreign 2023", kiosk.Identity{Card: kiosk.CardForeignPR2023, Number: "931840198506150111"}, nil},
		{"foreign 2023, bad check digit", kiosk.Identity{Card: kiosk.CardForeignPR2023, Number: "931840198506150112"}, ErrCheckDigit},
		{"foreign 2023, not starting with 9", kiosk.Identity{Card: kiosk.CardForeignPR2023, Number: "310104198507150017"}, ErrFormat},
		{"foreign 2023, letters", kiosk.Identity{Card: kiosk.CardForeignPR2023, Number: "9318401985061501A1"}, ErrFormat},
		{"unknown card", kiosk.Identity{Card: kiosk.CardSuishenma, Number: "x"}, ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckIdentity(tt.id)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				assertPlain(t, err)
			}
		})
	}
}

func TestCheckExpiry(t *testing.T) {
	today := date(2026, 11, 28)
	tests := []struct {
		name   string
		until  time.Time
		want   string // Chinese message, empty when valid
		wantEN string // the date in the English message
	}{
		{"long-term", time.Time{}, "", ""},
		{"valid for years", date(2040, 1, 1), "", ""},
		{"last valid day", today, "", ""},
		{"expired yesterday", date(2026, 11, 27), "您的证件已于2026年11月27日过期，请到人工窗口办理，或换领新证后再来。", "27 November 2026"},
		{"expired long ago", date(2020, 1, 1), "您的证件已于2020年1月1日过期，请到人工窗口办理，或换领新证后再来。", "1 January 2020"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckExpiry(kiosk.Identity{ValidUntil: tt.until}, today)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			w := words(t, kiosk.MessageOf(err))
			if !errors.Is(err, ErrExpired) || w.ZH != tt.want {
				t.Errorf("err = %v, message %q", err, w.ZH)
			}
			if !bothLanguages(t, kiosk.MessageOf(err)) || !strings.Contains(w.EN, tt.wantEN) {
				t.Errorf("English message %q, want the date %q", w.EN, tt.wantEN)
			}
		})
	}
}

func FuzzParseCitizen(f *testing.F) {
	for _, s := range []string{"310104198507150017", "11010519491231002X", "", "310104198513150013", "9318401985061501A1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCitizen(s)
		if err == nil && (c.Birth.IsZero() || len(c.Area) != 6) {
			t.Fatalf("accepted %q as %+v", s, c)
		}
		CheckPR2023(s)
		CheckPR2017(s, "")
	})
}

// bothLanguages reports whether m says something in Chinese and in English
// once translated.
func bothLanguages(t testing.TB, m kiosk.Text) bool {
	t.Helper()
	w := words(t, m)
	return w.ZH != "" && w.EN != "" && w.ZH != w.EN
}

// words is m as the resident reads it (kiosktest.Words cannot be used
// here: kiosktest builds its fixtures with this package).
func words(t testing.TB, m kiosk.Text) kiosk.Text {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Resolve(m)
}
