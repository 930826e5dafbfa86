package connector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/tongban/tongban/backoffice/store"
)

// RecordStore is what the store connector needs of the back office's
// database (store.DB), which seals the records at rest.
type RecordStore interface {
	PutDeptRecords(ctx context.Context, recs []store.DeptRecord) error
	DeptRecord(ctx context.Context, center, item, subject string) (store.DeptRecord, error)
}

// Store is the connector over records kept in the back office's own
// database: records a center imported, or the demonstration data. It
// answers queries and documents alike.
type Store struct {
	db      RecordStore
	subject func(idNo string) string
	now     func() time.Time
}

var (
	_ Querier    = (*Store)(nil)
	_ Documenter = (*Store)(nil)
)

// NewStore returns the store connector over db. subject turns an ID
// number into the keyed hash records are kept under (the back office's
// lookup hash), so the database never holds the number itself.
func NewStore(db RecordStore, subject func(idNo string) string, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, subject: subject, now: now}
}

// Query implements Querier.
func (s *Store) Query(ctx context.Context, r Request) (Answer, error) { return s.answer(ctx, r) }

// Document implements Documenter.
func (s *Store) Document(ctx context.Context, r Request) (Answer, error) { return s.answer(ctx, r) }

func (s *Store) answer(ctx context.Context, r Request) (Answer, error) {
	rec, err := s.db.DeptRecord(ctx, r.Center, r.Item, s.subject(r.IDNo))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Answer{}, ErrNoRecord
	case err != nil:
		return Answer{}, fmt.Errorf("%w: the back office's records: %v", ErrUnavailable, err)
	}
	var a Answer
	if err := json.Unmarshal(rec.Data, &a); err != nil {
		return Answer{}, fmt.Errorf("%w: a stored record does not decode: %v", ErrUnavailable, err)
	}
	return a, nil
}

// ImportSpec says what a CSV file holds: one item's records at one center,
// with the title and the department the answers show.
type ImportSpec struct {
	Center string
	Item   string
	Title  Text
	Source Text
	AsOf   time.Time // when the department's data was current; zero: now
}

func (sp ImportSpec) check() error {
	switch {
	case sp.Center == "" || sp.Item == "":
		return errors.New("connector: an import names its center and item")
	case sp.Title.ZH == "" || sp.Source.ZH == "":
		return errors.New("connector: an import names the title and the department (in Chinese at least)")
	}
	return nil
}

// Import reads a CSV file of records (ParseCSV) and keeps its good rows,
// replacing earlier records of the same residents; the report says which
// rows were left out and why.
func (s *Store) Import(ctx context.Context, r io.Reader, sp ImportSpec) (Report, error) {
	if err := sp.check(); err != nil {
		return Report{}, err
	}
	rows, rep, err := ParseCSV(r)
	if err != nil {
		return rep, err
	}
	if err := s.Put(ctx, sp, rows); err != nil {
		return rep, err
	}
	return rep, nil
}

// Put keeps rows as the records of sp's item at sp's center.
func (s *Store) Put(ctx context.Context, sp ImportSpec, rows []Row) error {
	if err := sp.check(); err != nil {
		return err
	}
	asOf := sp.AsOf
	if asOf.IsZero() {
		asOf = s.now()
	}
	now := s.now()
	recs := make([]store.DeptRecord, 0, len(rows))
	for _, row := range rows {
		data, err := json.Marshal(Answer{Title: sp.Title, Source: sp.Source, AsOf: asOf.UTC(), Name: row.Name, Fields: row.Fields})
		if err != nil {
			return err
		}
		recs = append(recs, store.DeptRecord{Center: sp.Center, Item: sp.Item, Subject: s.subject(row.IDNo), Data: data, ImportedAt: now})
	}
	return s.db.PutDeptRecords(ctx, recs)
}

// unmaskedID finds an 18-character ID number written whole.
var unmaskedID = regexp.MustCompile(`[0-9]{17}[0-9Xx]`)
