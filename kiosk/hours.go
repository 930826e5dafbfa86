package kiosk

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Hours are when a center's counters serve residents: the weekdays they
// open and the spans of each such day, in Shanghai time. Tickets are
// issued only while they are open and appointments are offered only
// inside them.
type Hours struct {
	Days  [7]bool // by time.Weekday: Days[time.Monday] and so on
	Spans []Span  // earliest first, not overlapping
}

// Span is one opening span of a day, in minutes after midnight: From
// included, To excluded (09:00-12:00 is From 540, To 720).
type Span struct{ From, To int }

// DefaultHours are the counters' hours when the configuration names none:
// Monday to Friday, 09:00-12:00 and 13:00-17:00 (closed over lunch).
func DefaultHours() Hours {
	h, _ := ParseHours("mon-fri 09:00-12:00,13:00-17:00")
	return h
}

var weekdayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseHours reads hours written as days and spans, for example
// "mon-fri 09:00-12:00,13:00-17:00" or "mon,wed,sat 09:00-11:30". Days
// are three-letter English names, a range (mon-fri) or a list; spans are
// HH:MM-HH:MM, 24:00 allowed as an end, earliest first.
func ParseHours(s string) (Hours, error) {
	var h Hours
	days, spans, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return Hours{}, fmt.Errorf("hours %q: write the days, a space and the spans, e.g. mon-fri 09:00-12:00,13:00-17:00", s)
	}
	for d := range strings.SplitSeq(days, ",") {
		from, to, isRange := strings.Cut(d, "-")
		a, b := dayIndex(from), dayIndex(to)
		if !isRange {
			b = a
		}
		if a < 0 || b < 0 {
			return Hours{}, fmt.Errorf("hours %q: %q is not a day (mon, tue, wed, thu, fri, sat, sun)", s, d)
		}
		for i := a; ; i = (i + 1) % 7 {
			h.Days[i] = true
			if i == b {
				break
			}
		}
	}
	last := -1
	for sp := range strings.SplitSeq(strings.TrimSpace(spans), ",") {
		from, to, ok := strings.Cut(strings.TrimSpace(sp), "-")
		a, aerr := clockMinutes(from)
		b, berr := clockMinutes(to)
		if !ok || aerr != nil || berr != nil || a >= b || a < last {
			return Hours{}, fmt.Errorf("hours %q: %q is not a span such as 09:00-12:00, later than the one before", s, sp)
		}
		h.Spans = append(h.Spans, Span{a, b})
		last = b
	}
	return h, nil
}

func dayIndex(name string) int {
	for i, n := range weekdayNames {
		if strings.EqualFold(strings.TrimSpace(name), n) {
			return i
		}
	}
	return -1
}

func clockMinutes(s string) (int, error) {
	hh, mm, ok := strings.Cut(strings.TrimSpace(s), ":")
	h, herr := strconv.Atoi(hh)
	m, merr := strconv.Atoi(mm)
	if !ok || len(hh) != 2 || len(mm) != 2 || herr != nil || merr != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day such as 09:00", s)
	}
	return h*60 + m, nil
}

// IsZero reports whether no hours were given.
func (h Hours) IsZero() bool { return len(h.Spans) == 0 }

// String writes the hours back as ParseHours reads them.
func (h Hours) String() string {
	var days []string
	for i := range 7 {
		if h.Days[(i+1)%7] { // Monday first
			days = append(days, weekdayNames[(i+1)%7])
		}
	}
	var spans []string
	for _, s := range h.Spans {
		spans = append(spans, fmt.Sprintf("%02d:%02d-%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60))
	}
	return strings.Join(days, ",") + " " + strings.Join(spans, ",")
}

// WorkingDay reports whether the counters open at all on t's day.
func (h Hours) WorkingDay(t time.Time) bool {
	return h.Days[t.In(Shanghai).Weekday()] && len(h.Spans) > 0
}

// Open reports whether the counters are open at t.
func (h Hours) Open(t time.Time) bool {
	t = t.In(Shanghai)
	if !h.WorkingDay(t) {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	for _, s := range h.Spans {
		if m >= s.From && m < s.To {
			return true
		}
	}
	return false
}

// Within reports whether the whole of [start, start+d) lies in one span
// of a working day: an appointment slot the counters can keep.
func (h Hours) Within(start time.Time, d time.Duration) bool {
	t := start.In(Shanghai)
	if !h.WorkingDay(t) {
		return false
	}
	from := t.Hour()*60 + t.Minute()
	to := from + int((d+time.Minute-1)/time.Minute)
	for _, s := range h.Spans {
		if from >= s.From && to <= s.To {
			return true
		}
	}
	return false
}

// NextOpen is when the counters open next after t (t itself when they
// are open); the zero time when they never open.
func (h Hours) NextOpen(t time.Time) time.Time {
	if h.Open(t) {
		return t
	}
	l := t.In(Shanghai)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, Shanghai)
	for d := range 8 {
		dd := day.AddDate(0, 0, d)
		if !h.WorkingDay(dd) {
			continue
		}
		for _, s := range h.Spans {
			if at := dd.Add(time.Duration(s.From) * time.Minute); at.After(t) {
				return at
			}
		}
	}
	return time.Time{}
}
