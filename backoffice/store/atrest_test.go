package store

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Synthetic personal data (a made-up resident: valid check digit, clearly
// fake name) that must never be found in the database in clear.
var (
	clearName      = "测试甲乙"
	clearIDNo      = "310104195001011235"
	clearPhone     = "13912345678"
	clearSignature = "PNG-SIGNATURE-OF-测试甲乙"
)

func personalSubmission(n string) Submission {
	s := sub("SH-XH-0001", "0190a5c4-0000-7000-8000-00000000000"+n, "h"+n)
	s.Payload = []byte(`{"applicant":{"idno":"` + clearIDNo + `","fullname":"` + clearName + `","cellno":"` + clearPhone + `"}}`)
	s.Signature = []byte(clearSignature)
	s.NameMasked, s.IDMasked = "测***", "310104********1235"
	return s
}

// clearTexts are the forms personal data could take in a file or a row:
// as written, and (PostgreSQL shows BYTEA as hex) hex-encoded.
func clearTexts() map[string][]byte {
	out := map[string][]byte{}
	for _, s := range []string{clearName, clearIDNo, clearPhone, clearSignature} {
		out[s] = []byte(s)
		out[s+" (hex)"] = []byte(hex.EncodeToString([]byte(s)))
	}
	return out
}

// TestSQLiteFileHoldsNoClearData: the SQLite file and its WAL, read as a
// thief who copied them would, hold no name, ID number, phone or
// signature; the files are 0600 and the directory the store makes 0700.
// Sequence: save, grep while open, close, widen the file's mode, reopen
// and read back, grep again.
func TestSQLiteFileHoldsNoClearData(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	keys := KeyDir(filepath.Join(root, "keys"))
	path := filepath.Join(dir, "backoffice.db")

	grep := func(when string) {
		t.Helper()
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			for what, clear := range clearTexts() {
				if bytes.Contains(b, clear) {
					t.Errorf("%s: %s holds %s in clear", when, e.Name(), what)
				}
			}
			fi, _ := e.Info()
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s has mode %v, want 0600", when, e.Name(), fi.Mode().Perm())
			}
		}
		if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: the database directory: %v %v, want 0700", when, fi.Mode().Perm(), err)
		}
	}

	ctx := context.Background()
	st, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SealWithKeys(keys); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveSubmissions(ctx, []Submission{personalSubmission("1"), personalSubmission("2")}, t0); err != nil {
		t.Fatal(err)
	}
	grep("open")
	st.Close()
	grep("closed")
	// A file left world-readable (as the store once made it) is narrowed.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}

	st, err = OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SealWithKeys(keys); err != nil {
		t.Fatal(err)
	}
	got, err := st.SubmissionByReceipt(ctx, personalSubmission("1").LocalReceipt)
	if err != nil || !bytes.Contains(got.Payload, []byte(clearIDNo)) || string(got.Signature) != clearSignature {
		t.Fatalf("read back: %q %q %v", got.Payload, got.Signature, err)
	}
	grep("reopened")
}

// TestPostgresRowsHoldNoClearData: the same on PostgreSQL, whose files
// the test cannot read: every row of the submissions table, as text.
func TestPostgresRowsHoldNoClearData(t *testing.T) {
	st := openTestPostgres(t)
	ctx := context.Background()
	if err := st.SealWithKeys(KeyDir(t.TempDir())); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveSubmissions(ctx, []Submission{personalSubmission("1")}, t0); err != nil {
		t.Fatal(err)
	}
	rows, err := st.db.QueryContext(ctx, `SELECT s::text FROM submissions s`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var row string
		if err := rows.Scan(&row); err != nil {
			t.Fatal(err)
		}
		n++
		for what, clear := range clearTexts() {
			if strings.Contains(row, string(clear)) {
				t.Errorf("a submissions row holds %s in clear", what)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d rows", n)
	}
}

// TestSignatureSealedApart: the signature opens only with its own key;
// whoever holds the payload key reads the form but not the signature.
func TestSignatureSealedApart(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		dir := t.TempDir()
		if err := st.SealWithKeys(KeyDir(dir)); err != nil {
			t.Fatal(err)
		}
		s := personalSubmission("1")
		if _, err := st.SaveSubmissions(ctx, []Submission{s}, t0); err != nil {
			t.Fatal(err)
		}
		payloadKey, _ := KeyDir(dir).DataKey(PurposePayload)
		signatureKey, _ := KeyDir(dir).DataKey(PurposeSignature)
		if bytes.Equal(payloadKey, signatureKey) {
			t.Fatal("the payload and signature keys are the same")
		}
		// Only the payload key: the signature does not open.
		if err := st.SealWithKeys(fixedKeys{PurposePayload: payloadKey, PurposeSignature: make([]byte, SealKeySize)}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SubmissionByReceipt(ctx, s.LocalReceipt); !errors.Is(err, ErrSealed) {
			t.Errorf("with the payload key only: %v, want ErrSealed", err)
		}
		// Both keys: both open.
		if err := st.SealWithKeys(KeyDir(dir)); err != nil {
			t.Fatal(err)
		}
		got, err := st.SubmissionByReceipt(ctx, s.LocalReceipt)
		if err != nil || string(got.Signature) != clearSignature || bytes.Contains(got.Payload, []byte(clearSignature)) {
			t.Errorf("read back: %q / %q, %v", got.Payload, got.Signature, err)
		}
	})
}

// TestKeyDirRefusesReadableKeys: a key file others can read is refused,
// and the key directory is 0700.
func TestKeyDirRefusesReadableKeys(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	k1, err := KeyDir(dir).DataKey(PurposePayload)
	if err != nil {
		t.Fatal(err)
	}
	if k2, err := KeyDir(dir).DataKey(PurposePayload); err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("the key changed on reload: %v", err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("key directory mode %v", fi.Mode().Perm())
	}
	os.Chmod(filepath.Join(dir, "store-payload.sm4key"), 0o644)
	if _, err := KeyDir(dir).DataKey(PurposePayload); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a readable key file: %v", err)
	}
}
