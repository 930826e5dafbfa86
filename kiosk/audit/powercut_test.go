package audit

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/powercut"
)

// The audit log's power-cut loops (see internal/powercut): a child appends
// entries, acknowledging each once Append returns; the power is cut at a
// random moment; the log must still hold every acknowledged entry once,
// and its chain must verify.

// pcAppend opens the log (continuing the chain, as the kiosk does at each
// start) and appends until killed.
func pcAppend(dir string, rng *rand.Rand, ack func(string)) error {
	l, err := Open(filepath.Join(dir, "audit.log"), nil)
	if err != nil {
		return err
	}
	// A run's name must not repeat across cycles (a six-digit one did,
	// within 1,000 cuts); base 36 keeps it clear of the ID-number check.
	run := strconv.FormatUint(rng.Uint64(), 36)
	for i := 0; ; i++ {
		ref := fmt.Sprintf("pc-r%s-n%d", run, i)
		ev := Event{Kind: StaffAction, Actor: "staff:PC", Ref: ref, Detail: strings.Repeat("x", rng.IntN(400))}
		if err := l.Append(ev); err != nil {
			return err
		}
		ack(ref)
	}
}

// archiveLines bounds the log a check reads: past it, a log that checked
// clean is moved aside and the next start creates a new one.
const archiveLines = 3000

// auditCheck is the loops' Check. It reads only the current log and the
// entries acknowledged since it was started.
func auditCheck(remnantsOK bool, torn, remnants *int) func(string, []string) powercut.Findings {
	from, archived, inArchived := 0, 0, 0
	return func(dir string, acked []string) powercut.Findings {
		f, tc, rc, lines := auditFindings(dir, acked[from:], remnantsOK)
		*torn += tc
		*remnants = inArchived + rc
		if lines > archiveLines && f.Lost+f.Duplicated+f.CheckErrors == 0 {
			archived++
			inArchived += rc
			path := filepath.Join(dir, "audit.log")
			if err := os.Rename(path, fmt.Sprintf("%s.%d", path, archived)); err != nil {
				f.CheckErrors++
				f.Problems = append(f.Problems, err.Error())
			}
			from = len(acked)
		}
		return f
	}
}

// auditFindings reads the log after a cut. Problems Verify reports are
// check errors, except a last line cut short, which must be reported as
// such (torn counts those), and, when remnantsOK, lines cut short by
// earlier cuts that the next Open terminated (remnants counts those).
func auditFindings(dir string, acked []string, remnantsOK bool) (f powercut.Findings, torn, remnants, nlines int) {
	path := filepath.Join(dir, "audit.log")
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if len(acked) > 0 {
			f.Lost = len(acked)
			f.Problems = append(f.Problems, "audit.log is gone")
		}
		return f, 0, 0, 0
	}
	if err != nil {
		f.CheckErrors++
		f.Problems = append(f.Problems, err.Error())
		return f, 0, 0, 0
	}
	rep, err := Verify(path)
	if err != nil {
		f.CheckErrors++
		f.Problems = append(f.Problems, "Verify: "+err.Error())
		return f, 0, 0, 0
	}
	lines := bytes.SplitAfter(raw, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	cutShort := len(raw) > 0 && raw[len(raw)-1] != '\n'
	lastWhole := false
	if cutShort {
		_, perr := parseLine(lines[len(lines)-1], nil)
		lastWhole = perr == nil // torn just before its newline: a whole entry
		if !lastWhole {
			torn++
		}
	}
	detected := false
	for _, p := range rep.Problems {
		switch {
		case cutShort && p.Line == len(lines) && p.Kind == TornTail:
			detected = true
		case remnantsOK && p.Kind == Unreadable && p.Line < len(lines):
			remnants++
		default:
			f.CheckErrors++
			f.Problems = append(f.Problems, "Verify: "+p.String())
		}
	}
	if cutShort && !lastWhole && !detected {
		f.CheckErrors++
		f.Problems = append(f.Problems, "the log's last line is cut short and Verify did not say so")
	}
	count := map[string]int{}
	for _, ln := range lines {
		if p, err := parseLine(bytes.TrimSuffix(ln, []byte("\n")), nil); err == nil && p.selfOK {
			count[p.Ref]++
		}
	}
	for _, a := range acked {
		switch n := count[a]; {
		case n == 0:
			f.Lost++
			f.Problems = append(f.Problems, "acknowledged entry "+a+" is gone")
		case n > 1:
			f.Duplicated++
			f.Problems = append(f.Problems, fmt.Sprintf("entry %s is in the log %d times", a, n))
		}
	}
	return f, torn, remnants, len(lines)
}

// TestPowerCutAudit: without torn writes, the chain verifies after every
// cut with nothing acknowledged lost. The control appends without fsync.
func TestPowerCutAudit(t *testing.T) {
	powercut.Run(t, powercut.Target{
		Name:     "audit log",
		Child:    pcAppend,
		NewCheck: func() func(string, []string) powercut.Findings { return auditCheck(false, new(int), new(int)) },
		Delay:    50 * time.Millisecond,
		Control: func(dir string, rng *rand.Rand, ack func(string)) error {
			f, err := os.OpenFile(filepath.Join(dir, "audit.log"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
			if err != nil {
				return err
			}
			l := &Log{now: nil, f: f, head: zeroHash}
			if _, _, err := l.readTail(); err != nil {
				return err
			}
			run := strconv.FormatUint(rng.Uint64(), 36)
			for i := 0; ; i++ {
				ref := fmt.Sprintf("pc-r%s-n%d", run, i)
				line, hash, err := encodeLine(Entry{Seq: l.seq + 1, Kind: StaffAction, Ref: ref}, l.head, nil)
				if err != nil {
					return err
				}
				if _, err := f.Write(append(line, '\n')); err != nil { // no fsync
					return err
				}
				l.seq, l.head = l.seq+1, hash
				ack(ref)
			}
		},
	})
}

// TestPowerCutAuditTornTail: with torn writes, every cut that leaves the
// last entry cut short is detected by Verify, and nothing acknowledged is
// lost or duplicated after the next Open continues the chain. Open cuts
// a torn tail back to the last whole entry and records the repair, so no
// cut-short line may ever be left inside the log: one is a check error.
func TestPowerCutAuditTornTail(t *testing.T) {
	torn, remnants := 0, 0
	r := powercut.Run(t, powercut.Target{
		Name:     "audit torn tail",
		Child:    pcAppend,
		NewCheck: func() func(string, []string) powercut.Findings { return auditCheck(false, &torn, &remnants) },
		Delay:    50 * time.Millisecond,
		Torn:     true,
		Note: func() string {
			return fmt.Sprintf("none; %d torn tails, all detected, %d left unrepaired", torn, remnants)
		},
	})
	// How many cuts tear the last entry depends on timing (about one in
	// eight here); internal/powercut's TestTornWriteKeepsAPrefix proves the
	// torn-write mode itself.
	t.Logf("%d of %d cuts left the last entry cut short, each detected; %d cut-short lines were left inside the log (terminated by Open, not repaired)", torn, r.Cycles, remnants)
}

// TestOpenAfterACutBeforeTheNewline: a power cut that keeps all of the
// last entry but its newline (a torn write one byte short) leaves a whole
// entry. The next start must continue from it: before, Open dropped it
// from the chain, wrote the next entry with the same sequence number, and
// Verify reported the log as tampered with ("a line was inserted") for
// good. Then a second cut, this time mid-entry, is detected and the
// chain still verifies up to it.
func TestOpenAfterACutBeforeTheNewline(t *testing.T) {
	path, lines := writeLog(t) // six entries
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bytes.TrimSuffix(raw, []byte("\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	reopenAndAppend := func() {
		t.Helper()
		l, err := Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Append(Event{Kind: StaffAction, Actor: "staff:PC", Ref: "after-the-cut"}); err != nil {
			t.Fatal(err)
		}
		l.Close()
	}
	reopenAndAppend()
	rep, err := Verify(path)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.LastSeq != uint64(len(lines))+2 {
		t.Fatalf("after a cut one byte short: last seq %d (want %d), problems %v", rep.LastSeq, len(lines)+2, rep.Problems)
	}
	// The second cut keeps half of the last entry.
	raw, _ = os.ReadFile(path)
	last := bytes.LastIndexByte(raw[:len(raw)-1], '\n') + 1
	if err := os.WriteFile(path, raw[:last+(len(raw)-last)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	rep, _ = Verify(path)
	if len(rep.Problems) != 1 || rep.Problems[0].Kind != TornTail {
		t.Fatalf("a cut mid-entry: %v", rep.Problems)
	}
	// The next start cuts the torn entry back and records the repair:
	// the chain is whole again, one entry (the torn one) shorter, plus
	// audit.repaired, audit.opened and the new entry.
	reopenAndAppend()
	rep, _ = Verify(path)
	if !rep.OK() {
		t.Errorf("after the second cut and a restart: %v", rep.Problems)
	}
	if rep.LastSeq != uint64(len(lines))+4 {
		t.Errorf("after the second cut: last seq %d, want %d", rep.LastSeq, len(lines)+4)
	}
}
