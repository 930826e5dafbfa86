package audit

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm3"
)

// hashSize is the size of an SM3 hash.
const hashSize = sm3.Size

var zeroHash = make([]byte, hashSize)

// chainHash is the hash of an entry: SM3 over the previous hash and the
// entry's JSON exactly as written.
func chainHash(prev, body []byte) []byte {
	h := sm3.New()
	h.Write(prev)
	h.Write(body)
	return h.Sum(nil)
}

// encodeLine builds a log line (without its newline) for e, chaining from prev.
func encodeLine(e Entry, prev []byte) (line, hash []byte, err error) {
	e.Prev = hex.EncodeToString(prev)
	body, err := json.Marshal(e)
	if err != nil {
		return nil, nil, err
	}
	hash = chainHash(prev, body)
	line = make([]byte, 0, 2*hashSize+1+len(body))
	line = hex.AppendEncode(line, hash)
	line = append(line, ' ')
	return append(line, body...), hash, nil
}

// parsedLine is one line as read back.
type parsedLine struct {
	Entry
	hash     []byte // as stored
	prev     []byte // decoded Entry.Prev
	selfOK   bool   // the stored hash matches the line's own contents
	bodyHash []byte // SM3(prev ‖ body) recomputed
}

var errLine = errors.New("not an audit line")

// parseLine reads one line (without its newline). It never panics; bytes
// that are not a line the log could have written give an error.
func parseLine(line []byte) (parsedLine, error) {
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
	p.hash, p.prev = hash, prev
	p.bodyHash = chainHash(prev, body)
	p.selfOK = bytes.Equal(p.bodyHash, hash)
	return p, nil
}
