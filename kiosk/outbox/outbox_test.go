package outbox

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

func TestEnqueueRoundTrip(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	subs := enqueueN(t, q, 3, clock.Now())

	batch, err := q.NextBatch(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(batch) != 3 {
		t.Fatalf("NextBatch returned %d, want 3", len(batch))
	}
	for i, got := range batch {
		want := subs[i]
		if got.ID != want.ID || got.Applicant.Number != want.Applicant.Number ||
			!reflect.DeepEqual(got.Signature, want.Signature) || !got.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("batch[%d] = %s/%s, want %s/%s with its signature", i, got.ID, got.LocalReceipt, want.ID, want.LocalReceipt)
		}
	}
	if again, _ := q.NextBatch(10); len(again) != 0 {
		t.Errorf("NextBatch handed out %d submissions already sending", len(again))
	}
}

func TestEnqueueIsIdempotent(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	s := synthetic(t, q, 1, clock.Now())
	for range 2 {
		if err := q.Enqueue(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := q.List()
	if len(list) != 1 {
		t.Fatalf("two Enqueue calls with one ID stored %d entries", len(list))
	}
}

func TestEnqueueRefusesIncomplete(t *testing.T) {
	q, _ := openTest(t, "", Options{})
	for _, s := range []kiosk.Submission{{}, {ID: "x"}, {LocalReceipt: "r"}} {
		if err := q.Enqueue(context.Background(), s); err == nil {
			t.Errorf("Enqueue(%+v) succeeded", s)
		}
	}
}

func TestStateMachine(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now, Retention: time.Hour})
	subs := enqueueN(t, q, 4, clock.Now())
	if _, err := q.NextBatch(4); err != nil {
		t.Fatal(err)
	}
	a, b, c, d := subs[0].ID, subs[1].ID, subs[2].ID, subs[3].ID
	steps := []struct {
		name string
		do   func() error
		id   string
		want kiosk.SubmissionState
		fail bool
	}{
		{"ack", func() error { return q.Acknowledge(a, "OFF-1") }, a, kiosk.StateAcknowledged, false},
		{"ack again, same number", func() error { return q.Acknowledge(a, "OFF-1") }, a, kiosk.StateAcknowledged, false},
		{"ack again, other number", func() error { return q.Acknowledge(a, "OFF-2") }, a, kiosk.StateAcknowledged, true},
		{"quarantine acked", func() error { return q.Quarantine(a, "bad") }, a, kiosk.StateAcknowledged, true},
		{"quarantine", func() error { return q.Quarantine(b, "身份证号与姓名不符") }, b, kiosk.StateQuarantined, false},
		{"retry quarantined", func() error { return q.Retry(b) }, b, kiosk.StatePending, false},
		{"retry pending", func() error { return q.Retry(b) }, b, kiosk.StatePending, true},
		{"release", func() error { return q.Release([]string{c}) }, c, kiosk.StatePending, false},
		{"unknown id", func() error { return q.Acknowledge("nope", "X") }, d, kiosk.StateSending, true},
		{"official reused", func() error { return q.Acknowledge(d, "OFF-1") }, d, kiosk.StateSending, true},
	}
	for _, st := range steps {
		err := st.do()
		if (err != nil) != st.fail {
			t.Errorf("%s: err = %v, want failure %v", st.name, err, st.fail)
		}
		e, err := q.Get(st.id)
		if err != nil {
			t.Fatalf("%s: Get: %v", st.name, err)
		}
		if e.State != st.want {
			t.Errorf("%s: state %s, want %s", st.name, e.State, st.want)
		}
	}
	// b and c are pending again, FIFO by original order.
	batch, _ := q.NextBatch(10)
	if len(batch) != 2 || batch[0].ID != b || batch[1].ID != c {
		t.Errorf("after retry and release, NextBatch gave %d items, want b then c", len(batch))
	}
	if e, _ := q.Get(b); e.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", e.Attempts)
	}
}

func TestQuarantineKeepsDataAndReason(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now, Retention: -1})
	s := enqueueN(t, q, 1, clock.Now())[0]
	q.NextBatch(1)
	if err := q.Quarantine(s.ID, "材料不全 (missing material)"); err != nil {
		t.Fatal(err)
	}
	if n, _ := q.Purge(clock.Now().Add(1000 * time.Hour)); n != 0 {
		t.Errorf("Purge removed %d quarantined submissions", n)
	}
	e, _ := q.Get(s.ID)
	if e.State != kiosk.StateQuarantined || e.Reason != "材料不全 (missing material)" {
		t.Errorf("entry = %s %q", e.State, e.Reason)
	}
	st, _ := q.Stats()
	if st.Quarantined != 1 {
		t.Errorf("Stats.Quarantined = %d", st.Quarantined)
	}
	if err := q.Retry(s.ID); err != nil {
		t.Fatal(err)
	}
	batch, _ := q.NextBatch(1)
	if len(batch) != 1 || batch[0].Applicant.Number != s.Applicant.Number {
		t.Error("a retried submission lost its data")
	}
}

func TestRetentionPurge(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now, Retention: 24 * time.Hour})
	subs := enqueueN(t, q, 3, clock.Now())
	q.NextBatch(3)
	start := clock.Now()
	q.Acknowledge(subs[0].ID, "OFF-A")
	clock.Advance(2 * time.Hour)
	q.Acknowledge(subs[1].ID, "OFF-B")

	cases := []struct {
		after time.Duration
		want  int
		state [3]kiosk.SubmissionState
	}{
		{23 * time.Hour, 0, [3]kiosk.SubmissionState{kiosk.StateAcknowledged, kiosk.StateAcknowledged, kiosk.StateSending}},
		{24 * time.Hour, 1, [3]kiosk.SubmissionState{kiosk.StatePurged, kiosk.StateAcknowledged, kiosk.StateSending}},
		{26 * time.Hour, 1, [3]kiosk.SubmissionState{kiosk.StatePurged, kiosk.StatePurged, kiosk.StateSending}},
	}
	for _, c := range cases {
		n, err := q.Purge(start.Add(c.after))
		if err != nil || n != c.want {
			t.Errorf("Purge(+%v) = %d, %v; want %d", c.after, n, err, c.want)
		}
		for i, s := range subs {
			if e, _ := q.Get(s.ID); e.State != c.state[i] {
				t.Errorf("after +%v: %d is %s, want %s", c.after, i, e.State, c.state[i])
			}
		}
	}
	// A purged submission is still found by either receipt number.
	st, err := q.Status(context.Background(), "OFF-A")
	if err != nil || st.State != kiosk.StatePurged || st.LocalReceipt != subs[0].LocalReceipt {
		t.Errorf("Status(OFF-A) = %+v, %v", st, err)
	}
	if _, err := q.Status(context.Background(), "T01-19990101-0001"); kiosk.KindOf(err) != kiosk.KindInvalid {
		t.Errorf("Status of an unknown receipt: %v", err)
	}
	q.Close()
	rep := mustVerify(t, q.Path())
	if rep.ByState[kiosk.StatePurged] != 2 {
		t.Errorf("Verify counts %d purged", rep.ByState[kiosk.StatePurged])
	}
}

func TestLocalReceiptNumbers(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	day1 := clock.Now()
	day2 := day1.Add(24 * time.Hour)
	want := []struct {
		now  time.Time
		want string
	}{
		{day1, "T01-20260701-0001"},
		{day1, "T01-20260701-0002"},
		{day2, "T01-20260702-0001"},
		{day1, "T01-20260701-0003"}, // clock set back: the day's counter continues
	}
	for _, w := range want {
		got, err := q.NextLocalReceipt("T01", w.now)
		if err != nil || got != w.want {
			t.Errorf("NextLocalReceipt = %q, %v; want %q", got, err, w.want)
		}
	}
	if _, err := q.NextLocalReceipt("bad/code", day1); err == nil {
		t.Error("a terminal code with a slash was accepted")
	}
	// The counter is durable across reopen.
	path := q.Path()
	q.Close()
	q2, _ := openTest(t, path, Options{Now: clock.Now})
	if got, _ := q2.NextLocalReceipt("T01", day1); got != "T01-20260701-0004" {
		t.Errorf("after reopen: %q", got)
	}
}

func TestResumeSendingAfterRestart(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	enqueueN(t, q, 5, clock.Now())
	q.NextBatch(3)
	path := q.Path()
	q.Close()
	q2, rep := openTest(t, path, Options{Now: clock.Now})
	if rep.Resumed != 3 || rep.Damaged {
		t.Errorf("report = %+v, want 3 resumed", rep)
	}
	batch, _ := q2.NextBatch(10)
	if len(batch) != 5 {
		t.Errorf("after restart %d pending, want 5", len(batch))
	}
}

func TestWrongKeyIsRefusedAndFileKept(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	enqueueN(t, q, 2, clock.Now())
	path := q.Path()
	q.Close()
	other := make([]byte, KeySize)
	_, rep, err := Open(path, Options{Key: other})
	if !errors.Is(err, errWrongKey) || rep.Damaged {
		t.Fatalf("Open with another key: %v %+v", err, rep)
	}
	mustVerify(t, path)
}

func TestStatsAndList(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	subs := enqueueN(t, q, 3, clock.Now())
	q.NextBatch(1)
	st, err := q.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 2 || st.Sending != 1 || st.FileBytes == 0 || st.UsedBytes <= 0 || !st.OldestUnsent.Equal(subs[0].CreatedAt) {
		t.Errorf("Stats = %+v", st)
	}
	list, _ := q.List()
	for i, e := range list {
		if e.ID != subs[i].ID || e.LocalReceipt != subs[i].LocalReceipt {
			t.Errorf("List[%d] = %s, want %s", i, e.ID, subs[i].ID)
		}
	}
}

// TestDefaultGracePurgesWithinMinutes: with no Retention given, personal data
// of an acknowledged submission is shredded minutes after the
// acknowledgement, not days later; the receipt and state remain.
func TestDefaultGracePurgesWithinMinutes(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	subs := enqueueN(t, q, 1, clock.Now())
	q.NextBatch(1)
	q.Acknowledge(subs[0].ID, "OFF-G")
	acked := clock.Now()
	steps := []struct {
		after time.Duration
		want  kiosk.SubmissionState
	}{
		{time.Minute, kiosk.StateAcknowledged},
		{30 * time.Minute, kiosk.StatePurged},
		{time.Hour, kiosk.StatePurged},
	}
	for _, s := range steps {
		if _, err := q.Purge(acked.Add(s.after)); err != nil {
			t.Fatal(err)
		}
		if e, _ := q.Get(subs[0].ID); e.State != s.want {
			t.Errorf("+%v after the acknowledgement: %s, want %s", s.after, e.State, s.want)
		}
	}
	st, err := q.Status(context.Background(), "OFF-G")
	if err != nil || st.State != kiosk.StatePurged || st.LocalReceipt != subs[0].LocalReceipt {
		t.Errorf("Status(OFF-G) after purge = %+v, %v", st, err)
	}
}
