package outbox

import (
	"bytes"
	"context"
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
	bolt "go.etcd.io/bbolt"
)

// readWithKey is what a thief who took the disk with the terminal key beside
// it reads: every record of the file at path opened with key, as the JSON
// that was sealed. The queue must be closed.
func readWithKey(tb testing.TB, path string, key []byte) map[string][]byte {
	tb.Helper()
	return readWith(tb, path, keyring{legacy: key})
}

// readWith is readWithKey with whatever keys are left (epochs included).
func readWith(tb testing.TB, path string, ring keyring) map[string][]byte {
	tb.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	out := map[string][]byte{}
	err = db.View(func(tx *bolt.Tx) error {
		keys := tx.Bucket(bucketKeys)
		return tx.Bucket(bucketBodies).ForEach(func(k, body []byte) error {
			dek, err := ring.unwrap(string(k), keys.Get(k))
			if err != nil {
				return nil // not readable with this key
			}
			plain, err := open(dek, "body", string(k), body)
			if err == nil {
				out[string(k)] = plain
			}
			return nil
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestQueueHoldsOnlySentFields: the card read gives an address, an issuing
// authority, validity dates and an English name, none of which a submission
// sends; the queue keeps none of them, while what it sends (name, number)
// is still there to send. Both ways into the queue are checked: Add (the
// terminal) and Enqueue (tools and salvage).
func TestQueueHoldsOnlySentFields(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	viaEnqueue := enqueueN(t, q, 1, clock.Now())[0]
	full := synthetic(t, q, 7, clock.Now())
	full.Applicant.NameEN = "CESHI TEST-ENGLISH-NAME"
	full.Applicant.ReaderSAM = "05.01-20240101-0000000042-0000000007"
	agent := kiosktest.Submission(8, "", "", "T01", clock.Now()).Applicant
	agent.Address = "上海市徐汇区测试代办路8号"
	full.Agent = &kiosk.Agent{Identity: agent, Relation: "child"}
	viaAdd, err := q.Add(context.Background(), full)
	if err != nil {
		t.Fatal(err)
	}
	if viaAdd.Applicant.Address == "" {
		t.Fatal("Add should return the whole submission to the caller (the receipt is printed from it)")
	}
	batch, err := q.NextBatch(10)
	if err != nil || len(batch) != 2 {
		t.Fatalf("NextBatch = %d, %v", len(batch), err)
	}
	for _, s := range batch {
		if s.Applicant.Address != "" || s.Applicant.Issuer != "" || s.Applicant.NameEN != "" || !s.Applicant.ValidFrom.IsZero() {
			t.Errorf("the queue gives back card fields it never sends: %+v", s.Applicant)
		}
		if s.Applicant.Name == "" || s.Applicant.Number == "" || s.Applicant.BirthDate.IsZero() {
			t.Errorf("the queue lost fields it sends: %+v", s.Applicant)
		}
		if s.ID != viaAdd.ID {
			continue
		}
		if s.Applicant.ReaderSAM != full.Applicant.ReaderSAM {
			t.Errorf("the queue lost the reader's SAM ID, which is sent: %q", s.Applicant.ReaderSAM)
		}
		switch {
		case s.Agent == nil:
			t.Error("the queue lost the 代办 agent, who is sent")
		case s.Agent.Identity.Address != "" || s.Agent.Identity.Issuer != "":
			t.Errorf("the queue keeps the agent's card fields it never sends: %+v", s.Agent.Identity)
		case s.Agent.Identity.Number != agent.Number || s.Agent.Relation != "child":
			t.Errorf("the queue lost the agent's sent fields: %+v", s.Agent)
		}
	}
	q.Close()

	plain := readWithKey(t, q.Path(), testKey())
	for _, s := range []kiosk.Submission{viaEnqueue, viaAdd} {
		got, ok := plain[s.ID]
		if !ok {
			t.Fatalf("submission %s does not open with the key: the test reads nothing", s.ID)
		}
		if !bytes.Contains(got, []byte(s.Applicant.Number)) {
			t.Errorf("%s: the ID number is missing from the record, so the test proves nothing", s.ID)
		}
		for what, v := range map[string]string{
			"address": s.Applicant.Address, "issuer": s.Applicant.Issuer,
		} {
			if bytes.Contains(got, []byte(v)) {
				t.Errorf("%s: the queued record holds the card's %s", s.ID, what)
			}
		}
		if bytes.Contains(got, []byte("valid_from\":\"2020")) {
			t.Errorf("%s: the queued record holds the card's validity dates", s.ID)
		}
	}
	if bytes.Contains(plain[viaAdd.ID], []byte("测试代办路")) {
		t.Error("the queued record holds the agent's address")
	}
	if bytes.Contains(plain[viaAdd.ID], []byte("TEST-ENGLISH-NAME")) {
		t.Error("the queued record holds the card's English name")
	}
}
