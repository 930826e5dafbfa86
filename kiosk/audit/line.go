package audit

import (
	"bytes"
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm3"
)

// hashSize is the size of an SM3 hash (and of an HMAC-SM3).
const hashSize = sm3.Size

var zeroHash = make([]byte, hashSize)

// macHMACSM3 names the keyed chain in an entry's "mac" field. An entry
// without the field is of the old unkeyed chain (SM3 only).
const macHMACSM3 = "hmac-sm3"

// chainHash is the hash of an entry: over the previous hash and the entry's
// JSON exactly as written; HMAC-SM3 under key when key is not nil (a keyed
// entry), plain SM3 otherwise (an entry of the old unkeyed chain).
func chainHash(key, prev, body []byte) []byte {
	if key != nil {
		m := hmac.New(sm3.New, key)
		m.Write(prev)
		m.Write(body)
		return m.Sum(nil)
	}
	h := sm3.New()
	h.Write(prev)
	h.Write(body)
	return h.Sum(nil)
}

// encodeLine builds a log line (without its newline) for e, chaining from
// prev; sealed with key when key is not nil.
func encodeLine(e Entry, prev, key []byte) (line, hash []byte, err error) {
	e.Prev = hex.EncodeToString(prev)
	e.MAC = ""
	if key != nil {
		e.MAC = macHMACSM3
	}
	body, err := json.Marshal(e)
	if err != nil {
		return nil, nil, err
	}
	hash = chainHash(key, prev, body)
	line = make([]byte, 0, 2*hashSize+1+len(body))
	line = hex.AppendEncode(line, hash)
	line = append(line, ' ')
	return append(line, body...), hash, nil
}

// parsedLine is one line as read back.
type parsedLine struct {
	Entry
	hash  []byte // as stored
	prev  []byte // decoded Entry.Prev
	keyed bool   // sealed with HMAC-SM3 (Entry.MAC)
	// selfOK: the stored hash matches the line's own contents. For a keyed
	// line it is known only with the key (checked false otherwise).
	selfOK  bool
	checked bool
}

var errLine = errors.New("not an audit line")

// parseLine reads one line (without its newline), checking keyed lines
// under key when it is not nil. It never panics; bytes that are not a line
// the log could have written give an error.
func parseLine(line, key []byte) (parsedLine, error) {
	var p parsedLine
	sp := bytes.IndexByte(line, ' ')
	if sp != 2*hashSize {
		return p, fmt.Errorf("%w: no hash at the start", errLine)
	}
	hash, err := hex.DecodeString(string(line[:sp]))
	if err != nil {
		return p, fmt.Errorf("%w: hash is not hex", errLine)
	}
	body := line[sp+1:]
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p.Entry); err != nil {
		return p, fmt.Errorf("%w: %v", errLine, err)
	}
	if dec.More() {
		return p, fmt.Errorf("%w: trailing data", errLine)
	}
	prev, err := hex.DecodeString(p.Prev)
	if err != nil || len(prev) != hashSize {
		return p, fmt.Errorf("%w: previous hash is not %d bytes of hex", errLine, hashSize)
	}
	if p.Seq == 0 {
		return p, fmt.Errorf("%w: sequence number 0", errLine)
	}
	switch p.MAC {
	case "":
	case macHMACSM3:
		p.keyed = true
	default:
		return p, fmt.Errorf("%w: unknown mac %q", errLine, p.MAC)
	}
	p.hash, p.prev = hash, prev
	switch {
	case !p.keyed:
		p.selfOK, p.checked = bytes.Equal(chainHash(nil, prev, body), hash), true
	case key != nil:
		p.selfOK, p.checked = hmac.Equal(chainHash(key, prev, body), hash), true
	}
	return p, nil
}
