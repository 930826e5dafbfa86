package audit

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testKey = []byte("0123456789abcdef-test-audit-key")

// keyedLog writes a keyed log: opened, a session, a staff login, a staff
// action, a staff logout, a session end. It returns the path and the
// anchor the back office would hold after the last heartbeat.
func keyedLog(t *testing.T) (string, Anchor) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.log")
	clock := &tick{t: time.Date(2026, 7, 1, 3, 0, 0, 0, time.UTC)}
	l, err := OpenWith(path, Options{Key: testKey, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []Event{
		{Kind: SessionStarted, Actor: "resident", Ref: "sess-1"},
		{Kind: StaffLogin, Actor: "staff:S-01"},
		{Kind: StaffAction, Actor: "staff:S-01", Detail: "reprinted a receipt"},
		{Kind: StaffLogout, Actor: "staff:S-01"},
		{Kind: SessionEnded, Actor: "resident", Ref: "sess-1"},
	} {
		if err := l.Append(ev); err != nil {
			t.Fatal(err)
		}
	}
	seq, head := l.Head()
	l.Close()
	return path, Anchor{Seq: seq, Head: head}
}

// readEntries reads every entry of a log.
func readEntries(t *testing.T, path string) []Entry {
	t.Helper()
	raw, _ := os.ReadFile(path)
	var out []Entry
	for _, ln := range bytes.Split(bytes.TrimSuffix(raw, []byte("\n")), []byte("\n")) {
		p, err := parseLine(ln, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Entry)
	}
	return out
}

// rechain writes entries as a fresh chain, renumbered, sealed with key
// (nil: the old unkeyed algorithm, which anyone can compute).
func rechain(t *testing.T, path string, entries []Entry, key []byte) {
	t.Helper()
	var out []byte
	prev := zeroHash
	for i, e := range entries {
		e.Seq = uint64(i + 1)
		line, hash, err := encodeLine(e, prev, key)
		if err != nil {
			t.Fatal(err)
		}
		out = append(append(out, line...), '\n')
		prev = hash
	}
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
}

func kinds(ps []Problem) []ProblemKind {
	var out []ProblemKind
	for _, p := range ps {
		out = append(out, p.Kind)
	}
	return out
}

func hasKind(ps []Problem, k ProblemKind) bool {
	for _, p := range ps {
		if p.Kind == k {
			return true
		}
	}
	return false
}

// TestKeyedChainFindsWhatTheUnkeyedOneMissed: the attacks of issue 19 on
// a keyed log. Each passed the old Verify ("ok"); each is found with the
// key, and each is named by the back office's anchor.
func TestKeyedChainFindsWhatTheUnkeyedOneMissed(t *testing.T) {
	cases := []struct {
		name      string
		tamper    func(t *testing.T, path string)
		withKey   ProblemKind // "" : the key alone cannot see it
		vsAnchor  ProblemKind
		plainWord string
	}{
		{"tail truncated", func(t *testing.T, path string) {
			raw, _ := os.ReadFile(path)
			lines := bytes.SplitAfter(raw, []byte("\n"))
			os.WriteFile(path, bytes.Join(lines[:3], nil), 0o600)
		}, "", Truncated, "cut off the end"},
		{"staff entries removed and re-chained unkeyed", func(t *testing.T, path string) {
			var keep []Entry
			for _, e := range readEntries(t, path) {
				if !strings.HasPrefix(string(e.Kind), "staff.") {
					keep = append(keep, e)
				}
			}
			rechain(t, path, keep, nil)
		}, Unsealed, Rewritten, "rewritten"},
		{"staff entries removed and re-chained under a guessed key", func(t *testing.T, path string) {
			var keep []Entry
			for _, e := range readEntries(t, path) {
				if !strings.HasPrefix(string(e.Kind), "staff.") {
					keep = append(keep, e)
				}
			}
			rechain(t, path, keep, []byte("not-the-terminal-key"))
		}, Altered, Rewritten, "rewritten"},
		{"entry forged at the end, linking", func(t *testing.T, path string) {
			es := readEntries(t, path)
			raw, _ := os.ReadFile(path)
			lines := bytes.Split(bytes.TrimSuffix(raw, []byte("\n")), []byte("\n"))
			last, _ := parseLine(lines[len(lines)-1], nil)
			forged, _, _ := encodeLine(Entry{Seq: es[len(es)-1].Seq + 1, At: time.Now(), Kind: StaffAction, Actor: "staff:S-02"}, last.hash, []byte("guessed key 0123456"))
			os.WriteFile(path, append(append(raw, forged...), '\n'), 0o600)
		}, Altered, "", "seal"},
		{"entry forged in place, re-chained after it unkeyed", func(t *testing.T, path string) {
			es := readEntries(t, path)
			es[3].Detail = "nothing happened"
			rechain(t, path, es, nil)
		}, Unsealed, Rewritten, "rewritten"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, anchor := keyedLog(t)
			if rep, _ := VerifyWith(path, VerifyOptions{Key: testKey, Anchor: &anchor}); !rep.OK() || !rep.Anchored {
				t.Fatalf("untouched log: %v", rep.Problems)
			}
			c.tamper(t, path)

			rep, err := VerifyWith(path, VerifyOptions{Key: testKey})
			if err != nil {
				t.Fatal(err)
			}
			if c.withKey == "" && !rep.OK() && c.vsAnchor != "" {
				t.Fatalf("with the key alone: %v; a cut tail leaves a whole chain", rep.Problems)
			}
			if c.withKey != "" && !hasKind(rep.Problems, c.withKey) {
				t.Errorf("with the key: %v, want %s", kinds(rep.Problems), c.withKey)
			}
			if c.vsAnchor == "" {
				return
			}
			rep, _ = VerifyWith(path, VerifyOptions{Key: testKey, Anchor: &anchor})
			last := rep.Problems[len(rep.Problems)-1]
			if rep.Anchored || last.Kind != c.vsAnchor || !strings.Contains(last.Message, c.plainWord) {
				t.Errorf("against the anchor: %v, want %s saying %q", rep.Problems, c.vsAnchor, c.plainWord)
			}
			// Without the key (a technician's laptop), the anchor still sees it.
			rep, _ = VerifyWith(path, VerifyOptions{Anchor: &anchor})
			if rep.OK() || rep.Anchored {
				t.Errorf("against the anchor without the key: %v", rep.Problems)
			}
		})
	}
}

// TestForkIsNamed: a copy of the log taken earlier and continued (a
// restored backup) is whole under the key, and is another branch than the
// one anchored.
func TestForkIsNamed(t *testing.T) {
	path, _ := keyedLog(t)
	old, _ := os.ReadFile(path)
	l, _ := OpenWith(path, Options{Key: testKey})
	l.Append(Event{Kind: StaffLogin, Actor: "staff:S-01"})
	seq, head := l.Head()
	l.Close()
	os.WriteFile(path, old, 0o600) // restored from the copy...
	l, _ = OpenWith(path, Options{Key: testKey})
	l.Append(Event{Kind: SessionStarted, Actor: "resident", Ref: "sess-2"}) // ...and continued
	l.Close()
	rep, _ := VerifyWith(path, VerifyOptions{Key: testKey, Anchor: &Anchor{seq, head}})
	if len(rep.Problems) != 1 || rep.Problems[0].Kind != Forked || !strings.Contains(rep.Problems[0].Message, "another branch") {
		t.Fatalf("restored and continued: %v, want one forked", rep.Problems)
	}
}

// TestUnkeyedLogMigrates: an old unkeyed log is continued keyed; its prefix
// verifies as before, the change is an entry, and everything after it is
// sealed. Reopening does not record the change again.
func TestUnkeyedLogMigrates(t *testing.T) {
	path, _ := writeLog(t) // 6 unkeyed entries
	for i := range 2 {
		l, err := OpenWith(path, Options{Key: testKey, NewKey: i == 0})
		if err != nil {
			t.Fatal(err)
		}
		if l.Finding() != "" {
			t.Errorf("start %d: finding %q on an honest migration", i, l.Finding())
		}
		l.Append(Event{Kind: StaffLogin, Actor: "staff:S-01"})
		l.Close()
	}
	es := readEntries(t, path)
	var keyedAt []uint64
	for _, e := range es {
		if e.Kind == LogKeyed {
			keyedAt = append(keyedAt, e.Seq)
		}
	}
	if len(keyedAt) != 1 || keyedAt[0] != 7 {
		t.Fatalf("audit.keyed entries at %v, want one at 7", keyedAt)
	}
	rep, _ := VerifyWith(path, VerifyOptions{Key: testKey})
	if !rep.OK() || rep.LastSeq != 11 || rep.Sealed != 5 || rep.Unchecked != 0 {
		t.Fatalf("migrated log: %+v", rep)
	}
	// An unkeyed line written after the migration is found.
	raw, _ := os.ReadFile(path)
	last, _ := parseLine(bytes.TrimSuffix(raw[bytes.LastIndexByte(raw[:len(raw)-1], '\n')+1:], []byte("\n")), nil)
	extra, _, _ := encodeLine(Entry{Seq: 12, At: time.Now(), Kind: StaffAction}, last.hash, nil)
	os.WriteFile(path, append(append(raw, extra...), '\n'), 0o600)
	rep, _ = VerifyWith(path, VerifyOptions{Key: testKey})
	if len(rep.Problems) != 1 || rep.Problems[0].Kind != Unsealed || rep.Problems[0].Seq != 12 {
		t.Fatalf("unkeyed entry after keying: %v", rep.Problems)
	}
	// Without the key the seals go unchecked, and say so.
	rep, _ = Verify(path)
	if rep.Unchecked != 5 {
		t.Errorf("unchecked = %d, want 5", rep.Unchecked)
	}
}

// TestUnsealedTailUnderAnExistingKey: a keyed log rewritten with the old
// unkeyed algorithm (every staff entry removed) is not taken for an old
// log to migrate when the kiosk's key existed already: the kiosk records
// what it found, sealed, says so (Finding), and Verify reports it.
func TestUnsealedTailUnderAnExistingKey(t *testing.T) {
	path, _ := keyedLog(t)
	var keep []Entry
	for _, e := range readEntries(t, path) {
		if !strings.HasPrefix(string(e.Kind), "staff.") {
			keep = append(keep, e)
		}
	}
	rechain(t, path, keep, nil)
	l, err := OpenWith(path, Options{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if !strings.Contains(l.Finding(), "rewritten by someone without the key") {
		t.Errorf("Finding = %q", l.Finding())
	}
	rep, _ := VerifyWith(path, VerifyOptions{Key: testKey})
	if !hasKind(rep.Problems, Rewritten) {
		t.Errorf("Verify: %v, want rewritten", rep.Problems)
	}
}

// TestOpenUnderAnotherKeyIsRecorded: a log sealed under one key opened
// under another (the key replaced) records that, instead of chaining on as
// if nothing happened.
func TestOpenUnderAnotherKeyIsRecorded(t *testing.T) {
	path, _ := keyedLog(t)
	l, err := OpenWith(path, Options{Key: []byte("another key, 16+ bytes")})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	es := readEntries(t, path)
	if e := es[len(es)-2]; e.Kind != LogKeyed || !strings.Contains(e.Detail, "not sealed with this terminal's audit key") {
		t.Fatalf("entry before the last: %+v", e)
	}
	if _, err := OpenWith(path, Options{Key: []byte("short")}); err == nil {
		t.Error("a 5-byte key was taken")
	}
}

func TestParseAnchor(t *testing.T) {
	head := strings.Repeat("ab", 32)
	cases := []struct {
		in   string
		want Anchor
		err  string
	}{
		{"12:" + head, Anchor{12, head}, ""},
		{" 12:" + strings.ToUpper(head) + "\n", Anchor{12, head}, ""},
		{"12" + head, Anchor{}, "SEQ:HEAD"},
		{"0:" + head, Anchor{}, "above 0"},
		{"-1:" + head, Anchor{}, "whole number"},
		{"12:" + head[:62], Anchor{}, "64 hex digits"},
		{"12:" + head[:62] + "zz", Anchor{}, "64 hex digits"},
	}
	for _, c := range cases {
		got, err := ParseAnchor(c.in)
		if c.err == "" && (err != nil || got != c.want) {
			t.Errorf("ParseAnchor(%q) = %v, %v", c.in, got, err)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ParseAnchor(%q) error %v, want one saying %q", c.in, err, c.err)
		}
	}
}

func FuzzParseAnchor(f *testing.F) {
	f.Add("12:" + strings.Repeat("ab", 32))
	f.Add("1:")
	f.Add(":::")
	f.Add("18446744073709551616:" + strings.Repeat("0", 64))
	f.Fuzz(func(t *testing.T, in string) {
		a, err := ParseAnchor(in)
		if err != nil {
			return
		}
		if a.Seq == 0 || len(a.Head) != 64 || a.Head != strings.ToLower(a.Head) {
			t.Fatalf("accepted an impossible anchor %q → %+v", in, a)
		}
		if b, err := ParseAnchor(a.String()); err != nil || b != a {
			t.Fatalf("round trip of %v: %v, %v", a, b, err)
		}
	})
}

// TestTwoWritersKeepOneChain: the kiosk and kioskctl append to the same
// log, interleaved; each picks the chain up from the file's end, so the
// chain stays one, in order, with nothing lost. Before, the second writer
// chained from its own stale head and the log showed an insertion.
func TestTwoWritersKeepOneChain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	kiosk, err := OpenWith(path, Options{Key: testKey, NewKey: true})
	if err != nil {
		t.Fatal(err)
	}
	defer kiosk.Close()
	tool, err := OpenWith(path, Options{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		w, actor := kiosk, "resident"
		if i%3 == 1 {
			w, actor = tool, "technician:T-007"
		}
		if err := w.Append(Event{Kind: TechnicianAction, Actor: actor, Ref: "step"}); err != nil {
			t.Fatal(err)
		}
	}
	tool.Close()
	kiosk.Append(Event{Kind: SessionStarted, Actor: "resident"})
	rep, _ := VerifyWith(path, VerifyOptions{Key: testKey})
	if !rep.OK() || rep.LastSeq != 9 {
		t.Fatalf("two writers: %+v", rep)
	}
	if seq, _ := kiosk.Head(); seq != 9 {
		t.Errorf("kiosk's head at %d, want 9", seq)
	}
}
