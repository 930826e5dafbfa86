package outbox

import (
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/kiosktest"
)

// FuzzOpenRecord feeds arbitrary stored bytes to the record decoder (data
// key unwrap, SM4-GCM open, JSON) and to the entry decoder: damaged or
// forged bytes must give an error, never a panic, and a forged record must
// never open.
func FuzzOpenRecord(f *testing.F) {
	const id = "01900000-0000-7000-8000-000000000001"
	s := kiosktest.Submission(1, id, "T01-20260701-0001", "T01", time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC))
	wrapped, body, err := sealRecord(keyring{legacy: testKey()}, s)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(wrapped, body)
	f.Add(wrapped[:len(wrapped)-1], body)
	f.Add([]byte{}, []byte{})
	f.Add(wrapped, []byte{1, 2, 3})
	f.Add([]byte{sealVersion}, body[:minBodySize])
	f.Fuzz(func(t *testing.T, wrappedIn, bodyIn []byte) {
		got, err := openRecord(keyring{legacy: testKey()}, id, wrappedIn, bodyIn)
		// Seeds are sealed afresh in each fuzz worker, so only a genuine
		// seal of s can open: anything else that opens is a forgery.
		if err == nil && (got.ID != id || got.Applicant.Number != s.Applicant.Number) {
			t.Fatalf("forged record opened as %s", got.ID)
		}
		_, _ = decodeEntry(id, bodyIn)
	})
}

// FuzzDecodeEntry checks the entry decoder on arbitrary bytes.
func FuzzDecodeEntry(f *testing.F) {
	e := Entry{ID: "x", Seq: 1, LocalReceipt: "T01-20260701-0001", State: "pending"}
	b, _ := encodeEntry(e)
	f.Add(b)
	f.Add([]byte(`{"id":"x","seq":1,"local_receipt":"r","state":"nope"}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := decodeEntry("x", in)
		if err == nil && (got.ID != "x" || !knownState(got.State) || got.Seq == 0) {
			t.Fatalf("decoder accepted an impossible entry %+v", got)
		}
	})
}
