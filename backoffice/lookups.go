package backoffice

import (
	"context"
	"crypto/hmac"
	"encoding/hex"

	"github.com/emmansun/gmsm/sm3"

	"github.com/tongban/tongban/backoffice/store"
)

// LookupRecord is one e-licence lookup: who asked (the terminal), when,
// for which item, about whom (a keyed pseudonym, never the number).
type LookupRecord = store.LookupRecord

// LookupLog keeps the lookups so a resident can ask who looked them up.
// The back office's store is one (durable, so a restart forgets nobody's
// lookups).
type LookupLog interface {
	RecordLookup(ctx context.Context, r LookupRecord) error
	LookupsOf(ctx context.Context, pseudonym string) ([]LookupRecord, error)
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
