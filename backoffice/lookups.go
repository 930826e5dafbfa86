package backoffice

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"sync"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// LookupRecord is one e-licence lookup: who asked (the terminal), when,
// for which item, about whom (a keyed pseudonym, never the number).
type LookupRecord struct {
	At        time.Time
	Terminal  string
	ItemCode  string
	Pseudonym string
	Found     int
}

// LookupLog keeps the lookups so a resident can ask who looked them up.
type LookupLog interface {
	RecordLookup(ctx context.Context, r LookupRecord) error
	LookupsOf(ctx context.Context, pseudonym string) ([]LookupRecord, error)
}

// MemLookupLog is a LookupLog in memory (development and tests; a
// deployment gives the back office a durable one).
type MemLookupLog struct {
	mu sync.Mutex
	rs []LookupRecord
}

// NewMemLookupLog returns an empty log.
func NewMemLookupLog() *MemLookupLog { return &MemLookupLog{} }

// RecordLookup implements LookupLog.
func (l *MemLookupLog) RecordLookup(_ context.Context, r LookupRecord) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rs = append(l.rs, r)
	return nil
}

// LookupsOf implements LookupLog.
func (l *MemLookupLog) LookupsOf(_ context.Context, p string) ([]LookupRecord, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []LookupRecord
	for _, r := range l.rs {
		if r.Pseudonym == p {
			out = append(out, r)
		}
	}
	return out, nil
}

// pseudonym is the keyed pseudonym (HMAC-SM3) under which a resident's
// lookups are logged: a different key domain than lookupHash, so the log
// cannot be joined to the licence table.
func (s *Server) pseudonym(idNo string) string {
	m := hmac.New(sm3.New, s.hkey)
	m.Write([]byte("lookup-log\x00"))
	m.Write([]byte(idNo))
	return hex.EncodeToString(m.Sum(nil))
}

// WhoLookedUp answers a resident who asks who looked them up in the
// e-licence library: every lookup of this ID number, by terminal and item.
// The console and a counter clerk call it after checking the resident's
// identity in person.
func (s *Server) WhoLookedUp(ctx context.Context, idNo string) ([]LookupRecord, error) {
	return s.lookups.LookupsOf(ctx, s.pseudonym(idNo))
}
