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
func Verify(path string) (Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{}, err
	}
	defer f.Close()
	return verify(f)
}

func verify(r io.Reader) (Report, error) {
	var rep Report
	var lines []parsedLine
	var bad []bool
	br := bufio.NewReader(r)
	for {
		raw, err := br.ReadBytes('\n')
		if len(raw) > 0 {
			rep.Lines++
			n := rep.Lines
			p, perr := parseLine(bytes.TrimSuffix(raw, []byte("\n")))
			switch {
			case perr != nil:
				msg := perr.Error()
				if !bytes.HasSuffix(raw, []byte("\n")) {
					msg = "the last line is cut short"
				}
				rep.Problems = append(rep.Problems, Problem{Line: n, Kind: Unreadable, Message: msg})
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
	return rep, nil
}

func laterIndex(idx []int, after int) int {
	for _, j := range idx {
		if j > after {
			return j
		}
	}
	return -1
}
