package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestDeptRecords: stored, read back, replaced by a later import, a
// subject without a record is ErrNotFound, and another center's record
// is not this center's.
func TestDeptRecords(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		at := time.Date(2026, 7, 1, 2, 0, 0, 0, time.UTC)
		r := DeptRecord{Center: "XH01", Item: "pension-received", Subject: "h1", Data: []byte(`{"name":"测试甲"}`), ImportedAt: at}
		if err := st.PutDeptRecords(ctx, []DeptRecord{r, {Center: "XH01", Item: "pension-received", Subject: "h2", Data: []byte(`{}`), ImportedAt: at}}); err != nil {
			t.Fatal(err)
		}
		got, err := st.DeptRecord(ctx, "XH01", "pension-received", "h1")
		if err != nil || string(got.Data) != string(r.Data) || !got.ImportedAt.Equal(at) {
			t.Fatalf("read back: %+v %v", got, err)
		}
		r.Data = []byte(`{"name":"测试乙"}`)
		if err := st.PutDeptRecords(ctx, []DeptRecord{r}); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.DeptRecord(ctx, "XH01", "pension-received", "h1"); string(got.Data) != string(r.Data) {
			t.Errorf("not replaced: %s", got.Data)
		}
		if _, err := st.DeptRecord(ctx, "XH02", "pension-received", "h1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("another center's record: %v", err)
		}
		if _, err := st.DeptRecord(ctx, "XH01", "pension-received", "h3"); !errors.Is(err, ErrNotFound) {
			t.Errorf("no record: %v", err)
		}
	})
}

// TestIssuedDocuments: recorded once, found by number and by digest.
func TestIssuedDocuments(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		d := IssuedDocument{Number: "7K2M-Q9XD-4RTA-0VHC", Digest: "abc", Item: "hukou-certificate", Center: "XH01", Data: []byte(`{"subject":"测*甲"}`), IssuedAt: time.Unix(1780000000, 0).UTC()}
		if err := st.PutDocument(ctx, d); err != nil {
			t.Fatal(err)
		}
		if err := st.PutDocument(ctx, d); !errors.Is(err, ErrExists) {
			t.Errorf("a number recorded twice: %v", err)
		}
		for _, get := range []func() (IssuedDocument, error){
			func() (IssuedDocument, error) { return st.DocumentByNumber(ctx, d.Number) },
			func() (IssuedDocument, error) { return st.DocumentByDigest(ctx, d.Digest) },
		} {
			got, err := get()
			if err != nil || got.Number != d.Number || string(got.Data) != string(d.Data) || !got.IssuedAt.Equal(d.IssuedAt) {
				t.Errorf("read back: %+v %v", got, err)
			}
		}
		if _, err := st.DocumentByNumber(ctx, "0000-0000-0000-0000"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown number: %v", err)
		}
	})
}

// TestDeptRecordsSealed: a sealing store keeps no record's personal data
// in clear in the file, reads it back, and a store opened with other keys
// cannot read it.
func TestDeptRecordsSealed(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "data", "bo.db")
	ctx := context.Background()
	st, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SealWithKeys(KeyDir(filepath.Join(root, "keys"))); err != nil {
		t.Fatal(err)
	}
	data := []byte(`{"name":"` + clearName + `","idno":"` + clearIDNo + `"}`)
	if err := st.PutDeptRecords(ctx, []DeptRecord{{Center: "XH01", Item: "medical-profile", Subject: "h1", Data: data, ImportedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutDocument(ctx, IssuedDocument{Number: "7K2M-Q9XD-4RTA-0VHC", Digest: "d", Item: "x", Center: "XH01", Data: data, IssuedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.DeptRecord(ctx, "XH01", "medical-profile", "h1"); err != nil || !bytes.Equal(got.Data, data) {
		t.Fatalf("read back: %s %v", got.Data, err)
	}
	st.Close()
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(filepath.Dir(path), e.Name()))
		for what, clear := range clearTexts() {
			if bytes.Contains(b, clear) {
				t.Errorf("%s holds %s in clear", e.Name(), what)
			}
		}
	}
	st, err = OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SealWithKeys(KeyDir(filepath.Join(root, "other-keys"))); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeptRecord(ctx, "XH01", "medical-profile", "h1"); !errors.Is(err, ErrSealed) {
		t.Errorf("opened with other keys: %v", err)
	}
	if _, err := st.DocumentByNumber(ctx, "7K2M-Q9XD-4RTA-0VHC"); !errors.Is(err, ErrSealed) {
		t.Errorf("document opened with other keys: %v", err)
	}
}
