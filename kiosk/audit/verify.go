package audit

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
)

// ProblemKind classifies what Verify found.
type ProblemKind string

// Kinds of tampering or damage.
const (
	Unreadable ProblemKind = "unreadable" // not a line the log writes (or cut short)
	Altered    ProblemKind = "altered"    // contents do not match the line's hash
	Deleted    ProblemKind = "deleted"    // sequence numbers missing
	Inserted   ProblemKind = "inserted"   // a line that does not belong in the chain
	Reordered  ProblemKind = "reordered"  // entries out of sequence order
	// TornTail is bytes after the last whole entry that are no entry: a
	// write cut short by a power cut. It is not tampering, and it is
	// repairable: the kiosk cuts it back (keeping the bytes aside and
	// recording the repair) when it next opens the log.
	TornTail ProblemKind = "torn tail"
	// Unsealed is an entry after keying began that does not carry a
	// HMAC-SM3 seal (or a keyed log with no sealed entry at all): written
	// by someone without the terminal's audit key.
	Unsealed ProblemKind = "unsealed"
	// Truncated: the log ends before the entry the back office anchored.
	Truncated ProblemKind = "truncated"
	// Rewritten: the anchored entry differs, and the log shows tampering.
	Rewritten ProblemKind = "rewritten"
	// Forked: the anchored entry differs though the chain is whole: this
	// log is another branch (an older copy restored and continued, or
	// re-chained by someone holding the key).
	Forked ProblemKind = "forked"
)

// Problem is one finding, naming the line (1-based) and sequence number.
type Problem struct {
	Line    int
	Seq     uint64 // 0 when the line is unreadable
	Kind    ProblemKind
	Message string
}

func (p Problem) String() string {
	return fmt.Sprintf("line %d: %s: %s", p.Line, p.Kind, p.Message)
}

// Report is the result of Verify.
type Report struct {
	Lines    int
	LastSeq  uint64
	Head     string // hex hash of the last entry: compare with the copy kept elsewhere
	Problems []Problem
	// Sealed counts entries sealed with HMAC-SM3; Unchecked those of them
	// whose seal was not checked because no key was given.
	Sealed, Unchecked int
	// Anchored: an anchor was given and the log holds its entry unchanged.
	Anchored bool
}

// VerifyOptions are VerifyWith's.
type VerifyOptions struct {
	// Key is the terminal's audit key: with it, every sealed entry's
	// HMAC-SM3 is checked, and an unsealed entry after keying began is a
	// problem. Without it only the links and sequence are checked.
	Key []byte
	// Anchor is the back office's anchor of this terminal's chain; nil:
	// none (then cutting entries off the end cannot be seen).
	Anchor *Anchor
}

// OK reports whether the chain is intact.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Tampered reports whether any finding is more than a torn tail: an entry
// altered, deleted, inserted, reordered or unreadable before the last
// whole entry.
func (r Report) Tampered() bool {
	for _, p := range r.Problems {
		if p.Kind != TornTail {
			return true
		}
	}
	return false
}

// Verify reads the log at path and checks every entry's hash, sequence and
// link to the entry before it. An error means the file could not be read;
// tampering is reported in Report.Problems.
func Verify(path string) (Report, error) { return VerifyWith(path, VerifyOptions{}) }

// VerifyWith is Verify with the audit key and the back office's anchor.
func VerifyWith(path string, o VerifyOptions) (Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{}, err
	}
	defer f.Close()
	return verify(f, o)
}

func verify(r io.Reader, o VerifyOptions) (Report, error) {
	var rep Report
	var lines []parsedLine
	var bad []bool
	br := bufio.NewReader(r)
	for {
		raw, err := br.ReadBytes('\n')
		if len(raw) > 0 {
			rep.Lines++
			n := rep.Lines
			p, perr := parseLine(bytes.TrimSuffix(raw, []byte("\n")), o.Key)
			if perr == nil && p.keyed {
				rep.Sealed++
				if !p.checked {
					rep.Unchecked++
				}
			}
			switch {
			case perr != nil:
				msg := perr.Error()
				if !bytes.HasSuffix(raw, []byte("\n")) {
					msg = "the last line is cut short"
				}
				rep.Problems = append(rep.Problems, Problem{Line: n, Kind: Unreadable, Message: msg})
			case !p.checked:
			case !p.selfOK && p.keyed:
				rep.Problems = append(rep.Problems, Problem{Line: n, Seq: p.Seq, Kind: Altered,
					Message: fmt.Sprintf("entry %d does not carry the terminal's seal: it was changed or forged by someone without the audit key", p.Seq)})
			case !p.selfOK:
				rep.Problems = append(rep.Problems, Problem{Line: n, Seq: p.Seq, Kind: Altered,
					Message: fmt.Sprintf("entry %d was changed: its contents do not match its hash", p.Seq)})
			}
			lines = append(lines, p)
			bad = append(bad, perr != nil)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, err
		}
	}

	// Unreadable lines after the last whole entry are a torn tail.
	lastGood := -1
	for i := range lines {
		if !bad[i] {
			lastGood = i
		}
	}
	for i := range rep.Problems {
		if p := &rep.Problems[i]; p.Kind == Unreadable && p.Line > lastGood+1 {
			p.Kind = TornTail
			p.Message = "after the last whole entry: a write cut short by a power cut (repairable: the kiosk cuts it back when it next starts; " + p.Message + ")"
		}
	}

	// Where does each sequence number occur, and with which hashes?
	where := map[uint64][]int{}
	hashes := map[uint64][][]byte{0: {zeroHash}}
	for i, p := range lines {
		if !bad[i] {
			where[p.Seq] = append(where[p.Seq], i)
			hashes[p.Seq] = append(hashes[p.Seq], p.hash)
		}
	}
	linked := func(p parsedLine) bool {
		for _, h := range hashes[p.Seq-1] {
			if bytes.Equal(h, p.prev) {
				return true
			}
		}
		return false
	}
	expect := uint64(1)
	seen := map[uint64]bool{}
	for i, p := range lines {
		if bad[i] {
			continue
		}
		n := i + 1
		switch {
		case seen[p.Seq]:
			first := where[p.Seq][0] + 1
			rep.Problems = append(rep.Problems, Problem{Line: n, Seq: p.Seq, Kind: Inserted,
				Message: fmt.Sprintf("sequence number %d appears again (first at line %d): a line was inserted", p.Seq, first)})
		case p.Seq < expect:
			rep.Problems = append(rep.Problems, Problem{Line: n, Seq: p.Seq, Kind: Reordered,
				Message: fmt.Sprintf("entry %d comes after entry %d", p.Seq, expect-1)})
		case p.Seq > expect:
			if later := laterIndex(where[expect], i); later >= 0 {
				rep.Problems = append(rep.Problems, Problem{Line: n, Seq: p.Seq, Kind: Reordered,
					Message: fmt.Sprintf("entry %d is here but entry %d comes later, at line %d", p.Seq, expect, later+1)})
			} else {
				missing := fmt.Sprintf("entry %d is", expect)
				if p.Seq-expect > 1 {
					missing = fmt.Sprintf("entries %d to %d are", expect, p.Seq-1)
				}
				rep.Problems = append(rep.Problems, Problem{Line: n, Seq: p.Seq, Kind: Deleted,
					Message: missing + " missing before this line"})
			}
		case !linked(p):
			rep.Problems = append(rep.Problems, Problem{Line: n, Seq: p.Seq, Kind: Inserted,
				Message: fmt.Sprintf("entry %d does not link to entry %d (a line was inserted or replaced)", p.Seq, p.Seq-1)})
		}
		seen[p.Seq] = true
		if p.Seq >= expect {
			expect = p.Seq + 1
		}
		rep.LastSeq = max(rep.LastSeq, p.Seq)
		rep.Head = hex.EncodeToString(p.hash)
	}
	if o.Key != nil {
		rep.Problems = append(rep.Problems, unsealed(lines, bad)...)
		// A sealed audit.keyed entry is the kiosk's own word on what it
		// found at a start.
		for i, p := range lines {
			if !bad[i] && p.keyed && p.selfOK && p.Kind == LogKeyed && p.Ref != keyedMigrated {
				rep.Problems = append(rep.Problems, Problem{Line: i + 1, Seq: p.Seq, Kind: Rewritten,
					Message: fmt.Sprintf("when the kiosk opened the log at entry %d it found: %s", p.Seq, p.Detail)})
			}
		}
	}
	if o.Anchor != nil {
		checkAnchor(&rep, lines, bad, *o.Anchor)
	}
	return rep, nil
}

// unsealed finds, given the key, entries written without it: after the
// first sealed entry every entry must be sealed, and a log with no sealed
// entry at all was never opened by a kiosk holding the key, or was
// rewritten by someone without it.
func unsealed(lines []parsedLine, bad []bool) []Problem {
	var out []Problem
	first := -1
	for i, p := range lines {
		switch {
		case bad[i]:
		case p.keyed && first < 0:
			first = i
		case !p.keyed && first >= 0:
			out = append(out, Problem{Line: i + 1, Seq: p.Seq, Kind: Unsealed,
				Message: fmt.Sprintf("entry %d is not sealed with the audit key, though sealing began at entry %d (line %d): it was written by someone without the key", p.Seq, lines[first].Seq, first+1)})
		}
	}
	if first < 0 && len(lines) > 0 {
		out = append(out, Problem{Line: len(lines), Kind: Unsealed,
			Message: "no entry is sealed with the audit key: the log was rewritten by someone without the key, or no kiosk holding the key has opened it since keying was introduced"})
	}
	return out
}

// checkAnchor compares the log with the back office's anchor.
func checkAnchor(rep *Report, lines []parsedLine, bad []bool, a Anchor) {
	tampered := rep.Tampered()
	at := -1
	for i, p := range lines {
		if bad[i] || p.Seq != a.Seq {
			continue
		}
		if hex.EncodeToString(p.hash) == a.Head {
			rep.Anchored = true
			return
		}
		at = i
	}
	short := a.Head[:min(12, len(a.Head))]
	switch {
	case at < 0 && rep.LastSeq < a.Seq && tampered:
		rep.Problems = append(rep.Problems, Problem{Line: rep.Lines, Seq: a.Seq, Kind: Rewritten,
			Message: fmt.Sprintf("the back office anchored entry %d (head %s…) but the log ends at entry %d and shows tampering: entries were removed and the rest rewritten", a.Seq, short, rep.LastSeq)})
	case at < 0 && rep.LastSeq < a.Seq:
		rep.Problems = append(rep.Problems, Problem{Line: rep.Lines, Seq: a.Seq, Kind: Truncated,
			Message: fmt.Sprintf("the back office anchored entry %d (head %s…) but the log ends at entry %d: entries %d to %d were cut off the end (or entries were removed and the rest re-chained)", a.Seq, short, rep.LastSeq, rep.LastSeq+1, a.Seq)})
	case at < 0:
		rep.Problems = append(rep.Problems, Problem{Line: rep.Lines, Seq: a.Seq, Kind: Rewritten,
			Message: fmt.Sprintf("the back office anchored entry %d (head %s…) and the log has no such entry: the log was rewritten", a.Seq, short)})
	case tampered:
		rep.Problems = append(rep.Problems, Problem{Line: at + 1, Seq: a.Seq, Kind: Rewritten,
			Message: fmt.Sprintf("entry %d is not the one the back office anchored (head %s…): the log was rewritten (see the problems above)", a.Seq, short)})
	default:
		rep.Problems = append(rep.Problems, Problem{Line: at + 1, Seq: a.Seq, Kind: Forked,
			Message: fmt.Sprintf("entry %d is not the one the back office anchored (head %s…), yet the chain is whole: this log is another branch of the terminal's history (an older copy restored and continued, or re-chained by someone holding the audit key)", a.Seq, short)})
	}
}

func laterIndex(idx []int, after int) int {
	for _, j := range idx {
		if j > after {
			return j
		}
	}
	return -1
}
