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
			prev, _ := parseLine(bytes.TrimSuffix(l[1], []byte("\n")))
			forged, _, _ := encodeLine(Entry{Seq: 3, At: prev.At, Kind: StaffAction, Actor: "staff:X"}, prev.hash)
			out := append([][]byte{}, l[:2]...)
			out = append(out, append(forged, '\n'))
			return join(append(out, l[2:]...))
		}, Inserted, 4, "first at line 3"},
		{"replaced with a bad link", func(l [][]byte) []byte {
			forged, _, _ := encodeLine(Entry{Seq: 3, At: time.Now(), Kind: StaffAction}, make([]byte, hashSize))
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
		}, Unreadable, 6, "cut short"},
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

func TestReopenAfterTornWrite(t *testing.T) {
	path, _ := writeLog(t)
	raw, _ := os.ReadFile(path)
	os.WriteFile(path, raw[:len(raw)-30], 0o600) // the last append was cut off
	l, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Append(Event{Kind: StaffLogin, Actor: "staff:S-01"})
	l.Close()
	rep, _ := Verify(path)
	if len(rep.Problems) != 1 || rep.Problems[0].Kind != Unreadable || rep.Problems[0].Line != 6 {
		t.Fatalf("want only the torn line 6 reported, got %v", rep.Problems)
	}
	if rep.LastSeq != 7 {
		t.Errorf("chain continued to %d, want 7 (from entry 5, then opened, then login)", rep.LastSeq)
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
	line, _, _ := encodeLine(e, zeroHash)
	f.Add(line)
	f.Add([]byte("hello"))
	f.Add(append(append([]byte{}, line...), "\n"+string(line)...))
	f.Add([]byte(strings.Repeat("0", 64) + ` {"seq":1,"prev":"zz"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := parseLine(in)
		if err == nil && (p.Seq == 0 || len(p.prev) != hashSize) {
			t.Fatalf("parser accepted an impossible line: %+v", p)
		}
		if _, err := verify(bytes.NewReader(in)); err != nil {
			t.Fatalf("verify of in-memory bytes failed: %v", err)
		}
	})
}
