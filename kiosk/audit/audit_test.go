package audit

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type tick struct{ t time.Time }

func (c *tick) now() time.Time { c.t = c.t.Add(time.Second); return c.t }

// writeLog makes a log of an audit.opened entry plus five events and
// returns its path and lines.
func writeLog(t *testing.T) (string, [][]byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.log")
	clock := &tick{t: time.Date(2026, 7, 1, 3, 0, 0, 0, time.UTC)}
	l, err := Open(path, clock.now)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []Event{
		{Kind: SessionStarted, Actor: "resident", Ref: "sess-1"},
		{Kind: SubmissionAccepted, Actor: "resident", Ref: "T01-20260701-0001"},
		{Kind: ReceiptPrinted, Actor: "system", Ref: "T01-20260701-0001", Detail: "queued receipt"},
		{Kind: SessionEnded, Actor: "resident", Ref: "sess-1", Detail: "done"},
		{Kind: TechnicianLogin, Actor: "technician:T-007", Detail: "two factors"},
	} {
		if err := l.Append(ev); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	raw, _ := os.ReadFile(path)
	return path, bytes.SplitAfter(bytes.TrimSuffix(raw, []byte("\n")), []byte("\n"))
}

func join(lines [][]byte) []byte {
	var out []byte
	for _, l := range lines {
		out = append(out, l...)
		if !bytes.HasSuffix(l, []byte("\n")) {
			out = append(out, '\n')
		}
	}
	return out
}

func TestVerifyFindsEachKindOfTampering(t *testing.T) {
	cases := []struct {
		name     string
		tamper   func(lines [][]byte) []byte
		kind     ProblemKind
		line     int
		mentions string
	}{
		{"intact", func(l [][]byte) []byte { return join(l) }, "", 0, ""},
		{"altered", func(l [][]byte) []byte {
			l[3] = bytes.Replace(l[3], []byte("0001"), []byte("0002"), 1)
			return join(l)
		}, Altered, 4, "entry 4"},
		{"deleted", func(l [][]byte) []byte {
			return join(append(l[:2:2], l[3:]...))
		}, Deleted, 3, "entry 3 is missing"},
		{"deleted two", func(l [][]byte) []byte {
			return join(append(l[:1:1], l[3:]...))
		}, Deleted, 2, "entries 2 to 3"},
		{"inserted copy", func(l [][]byte) []byte {
			out := append([][]byte{}, l[:3]...)
			out = append(out, l[1])
			return join(append(out, l[3:]...))
		}, Inserted, 4, "first at line 2"},
		{"inserted forgery that links", func(l [][]byte) []byte {
			prev, _ := parseLine(bytes.TrimSuffix(l[1], []byte("\n")), nil)
			forged, _, _ := encodeLine(Entry{Seq: 3, At: prev.At, Kind: StaffAction, Actor: "staff:X"}, prev.hash, nil)
			out := append([][]byte{}, l[:2]...)
			out = append(out, append(forged, '\n'))
			return join(append(out, l[2:]...))
		}, Inserted, 4, "first at line 3"},
		{"replaced with a bad link", func(l [][]byte) []byte {
			forged, _, _ := encodeLine(Entry{Seq: 3, At: time.Now(), Kind: StaffAction}, make([]byte, hashSize), nil)
			l[2] = append(forged, '\n')
			return join(l)
		}, Inserted, 3, "does not link"},
		{"reordered", func(l [][]byte) []byte {
			l[2], l[3] = l[3], l[2]
			return join(l)
		}, Reordered, 3, "entry 3 comes later, at line 4"},
		{"garbage line", func(l [][]byte) []byte {
			l[4] = []byte("hello\n")
			return join(l)
		}, Unreadable, 5, ""},
		{"last line cut", func(l [][]byte) []byte {
			out := join(l)
			return out[:len(out)-20]
		}, TornTail, 6, "power cut"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, lines := writeLog(t)
			if err := os.WriteFile(path, c.tamper(lines), 0o600); err != nil {
				t.Fatal(err)
			}
			rep, err := Verify(path)
			if err != nil {
				t.Fatal(err)
			}
			if c.kind == "" {
				if !rep.OK() || rep.LastSeq != 6 || len(rep.Head) != 64 {
					t.Fatalf("intact log: %+v", rep)
				}
				return
			}
			if rep.OK() {
				t.Fatal("tampering not detected")
			}
			p := rep.Problems[0]
			if p.Kind != c.kind || p.Line != c.line || !strings.Contains(p.Message, c.mentions) {
				t.Errorf("first problem = %v, want %s at line %d mentioning %q (all: %v)", p, c.kind, c.line, c.mentions, rep.Problems)
			}
		})
	}
}

func TestReopenContinuesTheChain(t *testing.T) {
	path, _ := writeLog(t)
	for range 2 {
		l, err := Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Append(Event{Kind: StaffLogin, Actor: "staff:S-01"}); err != nil {
			t.Fatal(err)
		}
		l.Close()
	}
	rep, _ := Verify(path)
	if !rep.OK() || rep.LastSeq != 10 {
		t.Fatalf("after two reopens: %+v", rep)
	}
}

// TestTornTailRepaired: a write cut short, then more than 64 KiB of
// garbage, then a cut again: each time Verify calls it a torn tail (not
// tampering), Open cuts it back to the last whole entry, keeps the cut
// bytes beside the log and records the repair, and the chain verifies
// whole afterwards with nothing before the tear lost. Before, a torn tail
// failed Verify for good like tampering, and more than 64 KiB of garbage
// stopped the kiosk starting.
func TestTornTailRepaired(t *testing.T) {
	path, _ := writeLog(t)
	raw, _ := os.ReadFile(path)
	garbage := bytes.Repeat([]byte("\x00\xffnot an entry\n"), 100<<10/15)
	tears := []struct {
		name string
		tear func(b []byte) []byte
	}{
		{"last write cut short", func(b []byte) []byte { return b[:len(b)-30] }},
		{"100 KiB of garbage after the last entry", func(b []byte) []byte { return append(b, garbage...) }},
		{"cut short inside a long garbage tail without newlines", func(b []byte) []byte {
			return append(b, bytes.Repeat([]byte{0}, 70<<10)...)
		}},
	}
	want := uint64(5) // entries 1..5 stay whole after the first tear
	for i, tc := range tears {
		cur, _ := os.ReadFile(path)
		if i == 0 {
			cur = raw
		}
		os.WriteFile(path, tc.tear(cur), 0o600)
		rep, err := Verify(path)
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK() || rep.Tampered() {
			t.Fatalf("%s: Verify says %v; want a torn tail, not tampering", tc.name, rep.Problems)
		}
		l, err := Open(path, nil)
		if err != nil {
			t.Fatalf("%s: the log does not open: %v", tc.name, err)
		}
		if err := l.Append(Event{Kind: StaffLogin, Actor: "staff:S-01"}); err != nil {
			t.Fatal(err)
		}
		l.Close()
		rep, _ = Verify(path)
		want += 3 // repaired, opened, login
		if !rep.OK() || rep.LastSeq != want {
			t.Fatalf("%s: after the repair: %+v, want a whole chain to %d", tc.name, rep, want)
		}
		got, _ := os.ReadFile(path)
		if !bytes.Contains(got, []byte(`"kind":"audit.repaired"`)) {
			t.Errorf("%s: the repair is not recorded", tc.name)
		}
	}
	kept, _ := filepath.Glob(path + ".torn-*")
	if len(kept) != len(tears) {
		t.Errorf("%d torn tails kept beside the log, want %d", len(kept), len(tears))
	}
	// Entries before the first tear are all still there, unchanged.
	got, _ := os.ReadFile(path)
	if !bytes.HasPrefix(got, raw[:bytes.LastIndexByte(raw[:len(raw)-30], '\n')+1]) {
		t.Error("entries before the tear changed")
	}
}

// TestGarbageInsideIsTampering: an unreadable line before the last whole
// entry is not a torn tail.
func TestGarbageInsideIsTampering(t *testing.T) {
	path, lines := writeLog(t)
	lines[2] = []byte("hello\n")
	os.WriteFile(path, join(lines), 0o600)
	rep, _ := Verify(path)
	if !rep.Tampered() {
		t.Fatalf("a garbage line inside the chain passed as a torn tail: %v", rep.Problems)
	}
}

func TestAppendRefusesPersonalData(t *testing.T) {
	l, err := Open(filepath.Join(t.TempDir(), "audit.log"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cases := []struct {
		ev Event
		ok bool
	}{
		{Event{Kind: SubmissionAccepted, Ref: "01900000-0000-7000-8000-000000000001"}, true},
		{Event{Kind: SubmissionAccepted, Ref: "T01-20260701-0001"}, true},
		{Event{Kind: StaffAction, Detail: "looked up 31010419400101001X"}, false},
		{Event{Kind: StaffAction, Ref: "310104194001010011"}, false},
		{Event{Kind: StaffAction, Detail: "called 13800012345"}, false},
		{Event{Kind: "nonsense"}, false},
		{Event{Kind: StaffAction, Detail: strings.Repeat("x", 600)}, false},
	}
	for _, c := range cases {
		if err := l.Append(c.ev); (err == nil) != c.ok {
			t.Errorf("Append(%+v) = %v, want ok %v", c.ev, err, c.ok)
		}
	}
}

// FuzzParseLine checks the line parser and Verify on arbitrary bytes.
func FuzzParseLine(f *testing.F) {
	e := Entry{Seq: 1, At: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), Kind: SessionStarted, Actor: "resident"}
	line, _, _ := encodeLine(e, zeroHash, nil)
	f.Add(line)
	f.Add([]byte("hello"))
	keyed, _, _ := encodeLine(e, zeroHash, testKey)
	f.Add(keyed)
	f.Add(append(append([]byte{}, line...), "\n"+string(line)...))
	f.Add([]byte(strings.Repeat("0", 64) + ` {"seq":1,"prev":"zz"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := parseLine(in, nil)
		if err == nil && (p.Seq == 0 || len(p.prev) != hashSize) {
			t.Fatalf("parser accepted an impossible line: %+v", p)
		}
		if _, err := verify(bytes.NewReader(in), VerifyOptions{}); err != nil {
			t.Fatalf("verify of in-memory bytes failed: %v", err)
		}
		anchor := Anchor{Seq: 1, Head: strings.Repeat("0", 64)}
		if _, err := verify(bytes.NewReader(in), VerifyOptions{Key: testKey, Anchor: &anchor}); err != nil {
			t.Fatalf("keyed verify of in-memory bytes failed: %v", err)
		}
	})
}
