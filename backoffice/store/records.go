package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DeptRecord is what a department told the back office about one
// resident for one item at one center (the store connector's data,
// imported from a CSV file or the demonstration data).
type DeptRecord struct {
	Center  string
	Item    string
	Subject string // a keyed hash of the resident's ID number, made by the caller
	// Data is the answer (personal data): sealed at rest when the store
	// seals (SealWithKeys).
	Data       []byte
	ImportedAt time.Time
}

// PutDeptRecords stores records in one transaction, each replacing the
// record of the same center, item and subject.
func (s *DB) PutDeptRecords(ctx context.Context, recs []DeptRecord) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range recs {
			data, sealed := r.Data, 0
			if s.seal != nil {
				var err error
				if data, err = s.seal.sealValue(PurposeRecord, r.Center, r.Item+"|"+r.Subject, r.Data); err != nil {
					return err
				}
				sealed = 1
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO dept_records (center, item, subject, data, sealed, imported_at)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (center, item, subject)
				DO UPDATE SET data = excluded.data, sealed = excluded.sealed, imported_at = excluded.imported_at`,
				r.Center, r.Item, r.Subject, data, sealed, micros(r.ImportedAt)); err != nil {
				return fmt.Errorf("store: department record: %w", err)
			}
		}
		return nil
	})
}

// DeptRecord returns the record of a subject for an item at a center, or
// ErrNotFound.
func (s *DB) DeptRecord(ctx context.Context, center, item, subject string) (DeptRecord, error) {
	r := DeptRecord{Center: center, Item: item, Subject: subject}
	var sealed int
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT data, sealed, imported_at FROM dept_records WHERE center = $1 AND item = $2 AND subject = $3`,
		center, item, subject).Scan(&r.Data, &sealed, &at)
	if err != nil {
		return DeptRecord{}, notFound(err)
	}
	r.ImportedAt = fromMicros(at)
	if sealed == 1 {
		if r.Data, err = s.seal.openValue(PurposeRecord, center, item+"|"+subject, r.Data); err != nil {
			return DeptRecord{}, err
		}
	}
	return r, nil
}

// IssuedDocument is the record of a document the back office issued: its
// number, the digest of its PDF, and what it certified as printed (Data,
// sealed at rest when the store seals).
type IssuedDocument struct {
	Number   string
	Digest   string
	Item     string
	Center   string
	Data     []byte
	IssuedAt time.Time
}

// PutDocument records an issued document; a number is recorded once
// (ErrExists).
func (s *DB) PutDocument(ctx context.Context, d IssuedDocument) error {
	data, sealed := d.Data, 0
	if s.seal != nil {
		var err error
		if data, err = s.seal.sealValue(PurposeDocument, d.Center, d.Number, d.Data); err != nil {
			return err
		}
		sealed = 1
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO documents (doc_number, digest, item, center, data, sealed, issued_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (doc_number) DO NOTHING`,
		d.Number, d.Digest, d.Item, d.Center, data, sealed, micros(d.IssuedAt))
	if err != nil {
		return fmt.Errorf("store: document: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrExists
	}
	return nil
}

// DocumentByNumber returns an issued document's record, or ErrNotFound.
func (s *DB) DocumentByNumber(ctx context.Context, number string) (IssuedDocument, error) {
	return s.document(ctx, `doc_number = $1`, number)
}

// DocumentByDigest returns the record of the document whose PDF has this
// digest, or ErrNotFound.
func (s *DB) DocumentByDigest(ctx context.Context, digest string) (IssuedDocument, error) {
	return s.document(ctx, `digest = $1`, digest)
}

func (s *DB) document(ctx context.Context, where, arg string) (IssuedDocument, error) {
	var d IssuedDocument
	var sealed int
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT doc_number, digest, item, center, data, sealed, issued_at FROM documents WHERE `+where+` LIMIT 1`, arg).
		Scan(&d.Number, &d.Digest, &d.Item, &d.Center, &d.Data, &sealed, &at)
	if err != nil {
		return IssuedDocument{}, notFound(err)
	}
	d.IssuedAt = fromMicros(at)
	if sealed == 1 {
		if d.Data, err = s.seal.openValue(PurposeDocument, d.Center, d.Number, d.Data); err != nil {
			return IssuedDocument{}, err
		}
	}
	return d, nil
}
