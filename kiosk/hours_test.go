package kiosk_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, kiosk.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestHoursOpenAndNext(t *testing.T) {
	def := kiosk.DefaultHours()
	sat, err := kiosk.ParseHours("mon-fri,sat 09:00-11:30")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		h    kiosk.Hours
		at   string
		open bool
		next string
	}{
		{"a weekday morning", def, "2026-11-30 09:00", true, "2026-11-30 09:00"},
		{"lunch is closed", def, "2026-11-30 12:00", false, "2026-11-30 13:00"},
		{"the last minute of the afternoon", def, "2026-11-30 16:59", true, "2026-11-30 16:59"},
		{"closing time", def, "2026-11-30 17:00", false, "2026-12-01 09:00"},
		{"late on a Friday waits for Monday", def, "2026-12-04 22:50", false, "2026-12-07 09:00"},
		{"Saturday is closed by default", def, "2026-11-28 10:00", false, "2026-11-30 09:00"},
		{"before dawn", def, "2026-12-01 03:00", false, "2026-12-01 09:00"},
		{"a Saturday morning where configured", sat, "2026-11-28 10:00", true, "2026-11-28 10:00"},
		{"a Saturday afternoon where configured", sat, "2026-11-28 12:00", false, "2026-11-30 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := at(tc.at)
			if got := tc.h.Open(now); got != tc.open {
				t.Errorf("open %v, want %v", got, tc.open)
			}
			if got := tc.h.NextOpen(now); !got.Equal(at(tc.next)) {
				t.Errorf("next open %v, want %s", got.In(kiosk.Shanghai), tc.next)
			}
			// Checked from UTC too: the hours are Shanghai's whatever the zone.
			if got := tc.h.Open(now.UTC()); got != tc.open {
				t.Errorf("open from UTC %v, want %v", got, tc.open)
			}
		})
	}
	if !(kiosk.Hours{}).NextOpen(at("2026-11-30 09:00")).IsZero() {
		t.Error("hours that never open have a next opening")
	}
}

func TestHoursWithin(t *testing.T) {
	def := kiosk.DefaultHours()
	for _, tc := range []struct {
		at   string
		d    time.Duration
		want bool
	}{
		{"2026-11-30 09:00", time.Hour, true},
		{"2026-11-30 11:00", time.Hour, true},
		{"2026-11-30 11:30", time.Hour, false}, // runs into lunch
		{"2026-11-30 12:00", time.Hour, false}, // the lunch hour
		{"2026-11-30 16:00", time.Hour, true},
		{"2026-11-30 16:30", time.Hour, false},
		{"2026-11-28 10:00", time.Hour, false}, // Saturday
		{"2026-11-29 10:00", time.Hour, false}, // Sunday
	} {
		if got := def.Within(at(tc.at), tc.d); got != tc.want {
			t.Errorf("%s for %v: within %v, want %v", tc.at, tc.d, got, tc.want)
		}
	}
}

func TestParseHours(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{"mon-fri 09:00-12:00,13:00-17:00", "mon,tue,wed,thu,fri 09:00-12:00,13:00-17:00", ""},
		{"sat-mon 08:30-24:00", "mon,sat,sun 08:30-24:00", ""},
		{"MON,Wed 09:00-11:30", "mon,wed 09:00-11:30", ""},
		{"mon-fri", "", "days, a space and the spans"},
		{"mon-fry 09:00-12:00", "", "is not a day"},
		{"mon 12:00-09:00", "", "is not a span"},
		{"mon 09:00-12:00,11:00-13:00", "", "is not a span"},
		{"mon 9:00-12:00", "", "is not a span"},
		{"mon 09:00-24:30", "", "is not a span"},
	} {
		h, err := kiosk.ParseHours(tc.in)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want one saying %q", tc.in, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case tc.err == "" && h.String() != tc.want:
			t.Errorf("%q reads as %q, want %q", tc.in, h.String(), tc.want)
		}
	}
}

// FuzzParseHours: hours come from a configuration file, outside bytes.
// Whatever parses writes back to the same hours, and never panics.
func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"mon-fri 09:00-12:00,13:00-17:00", "sat 09:00-11:30", "sun-sat 00:00-24:00", "mon 9-5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := kiosk.ParseHours(s)
		if err != nil {
			return
		}
		again, err := kiosk.ParseHours(h.String())
		if err != nil || !reflect.DeepEqual(again, h) {
			t.Fatalf("%q → %q → %+v, %v", s, h.String(), again, err)
		}
		h.NextOpen(at("2026-11-30 09:00"))
	})
}
