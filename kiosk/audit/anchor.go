package audit

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Anchor is a point of the chain kept outside the terminal: the back
// office stores the (sequence, head) each heartbeat and sync carries.
type Anchor struct {
	Seq  uint64
	Head string // hex hash of entry Seq, lower case
}

func (a Anchor) String() string { return strconv.FormatUint(a.Seq, 10) + ":" + a.Head }

// ParseAnchor reads an anchor written as SEQ:HEAD (the form the back
// office's console and `kioskctl audit verify --anchor` use), HEAD being
// the 64 hex digits of the entry's hash.
func ParseAnchor(s string) (Anchor, error) {
	seqText, head, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return Anchor{}, errors.New("an anchor is SEQ:HEAD, a sequence number, a colon and 64 hex digits")
	}
	seq, err := strconv.ParseUint(seqText, 10, 64)
	if err != nil || seq == 0 {
		return Anchor{}, fmt.Errorf("the anchor's sequence number %q is not a whole number above 0", clipText(seqText, 24))
	}
	head = strings.ToLower(head)
	if b, err := hex.DecodeString(head); err != nil || len(b) != hashSize {
		return Anchor{}, fmt.Errorf("the anchor's head is not %d hex digits", 2*hashSize)
	}
	return Anchor{Seq: seq, Head: head}, nil
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
