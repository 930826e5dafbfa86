package intake_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/intake"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/uplink"
)

const terminal = "SH-XH-0001"

func openQueue(t *testing.T) *outbox.Outbox {
	t.Helper()
	q, _, err := outbox.Open(filepath.Join(t.TempDir(), "queue.db"), outbox.Options{Key: bytes.Repeat([]byte{7}, outbox.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

func newSubmission(n int) kiosk.Submission {
	return kiosktest.Submission(n, "", "", terminal, time.Now())
}

// TestOwnOfficialNumberWithABacklog is the regression test of "the receipt
// can say queued while the back office is up": with the back office up and
// older submissions pending (more than a batch), the new submission comes
// back confirmed with its own official number. The old Confirm uploaded
// the oldest pending batch instead, so this one stayed queued.
func TestOwnOfficialNumberWithABacklog(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bo, err := backoffice.ListenLocal(ctx, backoffice.LocalOptions{Dir: t.TempDir(), Center: "310104-TEST"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); bo.Wait() }()
	q := openQueue(t)
	var older []kiosk.Submission
	for i := range 3 {
		s, err := q.Add(ctx, newSubmission(i))
		if err != nil {
			t.Fatal(err)
		}
		older = append(older, s)
	}
	c, err := uplink.New(uplink.Config{BaseURL: bo.URL, Terminal: terminal, Center: "310104-TEST", Queue: q, BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	in, err := intake.New(intake.Config{Queue: q, Sender: c, Wait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := in.Accept(ctx, newSubmission(9))
	if err != nil {
		t.Fatal(err)
	}
	if acc.Queued || acc.Official == "" {
		t.Fatalf("accepted %+v: want this submission's official number", acc)
	}
	e, err := q.Find(acc.LocalReceipt)
	if err != nil || e.ID != acc.ID || e.State != kiosk.StateAcknowledged || e.Official != acc.Official {
		t.Errorf("queue entry %+v (%v): want %s acknowledged as %s", e, err, acc.ID, acc.Official)
	}
	if acc.LocalReceipt != older[2].LocalReceipt[:len(older[2].LocalReceipt)-4]+"0004" {
		t.Errorf("local receipt %s does not follow %s", acc.LocalReceipt, older[2].LocalReceipt)
	}
	for _, s := range older {
		if e, _ := q.Get(s.ID); e.State != kiosk.StatePending {
			t.Errorf("older %s is %s; only the new one was to be sent", s.LocalReceipt, e.State)
		}
	}
}

// TestRefusedAtOnce: a back office that refuses the content makes Accept
// fail with KindInvalid; the submission is kept, quarantined for staff.
func TestRefusedAtOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
	}))
	defer srv.Close()
	q := openQueue(t)
	c, err := uplink.New(uplink.Config{BaseURL: srv.URL, Terminal: terminal, Center: "310104-TEST", Queue: q})
	if err != nil {
		t.Fatal(err)
	}
	in, err := intake.New(intake.Config{Queue: q, Sender: c, Refused: func(err error) bool {
		var r *uplink.RefusedError
		return errors.As(err, &r)
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = in.Accept(context.Background(), newSubmission(1))
	if kiosk.KindOf(err) != kiosk.KindInvalid {
		t.Fatalf("Accept: %v, want KindInvalid", err)
	}
	st, err := q.Stats()
	if err != nil || st.Quarantined != 1 || st.Pending != 0 {
		t.Errorf("queue stats %+v, %v: want the submission quarantined", st, err)
	}
}
