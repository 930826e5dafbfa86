package store

import (
	"context"
	"errors"
	"testing"
)

func bundleSub(terminal, id string) Submission {
	s := sub(terminal, id, "h-"+id)
	s.Parts = []Part{
		{No: 1, AffairsCode: "child-medical-enrolment", AffairsName: "未成年子女参加居民医保登记"},
		{No: 2, AffairsCode: "child-social-security-card", AffairsName: "新生儿社会保障卡申领"},
		{No: 3, AffairsCode: "childcare-subsidy", AffairsName: "育儿补贴申领"},
	}
	return s
}

// TestBundlePartsWorkedSeparately: a bundle's parts are stored once, each
// with its own number; returning one leaves the others; a resend after
// staff moved them stores nothing twice and moves nothing back.
func TestBundlePartsWorkedSeparately(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		saved, err := st.SaveSubmissions(ctx, []Submission{bundleSub("T1", "a"), sub("T1", "b", "h-b")}, t0)
		if err != nil {
			t.Fatal(err)
		}
		official := saved[0].OfficialReceipt
		parts, err := st.Parts(ctx, "T1", "a")
		if err != nil || len(parts) != 3 {
			t.Fatalf("parts = %+v, %v", parts, err)
		}
		for i, p := range parts {
			if p.No != i+1 || p.Receipt != PartReceipt(official, i+1) || p.State != StateAccepted {
				t.Errorf("part %d: %+v", i+1, p)
			}
		}
		if single, _ := st.Parts(ctx, "T1", "b"); len(single) != 0 {
			t.Errorf("a submission of one item has parts: %+v", single)
		}

		// Staff take part 1, return part 2, ask more for part 3.
		steps := []struct {
			no       int
			from, to string
		}{{1, StateAccepted, StateTaken}, {2, StateAccepted, StateReturned}, {1, StateTaken, StateInProgress}}
		for _, s := range steps {
			if err := st.SetPartState(ctx, official, s.no, s.from, s.to, "原因", "why", "staff-1", t0.Add(1)); err != nil {
				t.Fatalf("part %d %s→%s: %v", s.no, s.from, s.to, err)
			}
		}
		// A returned part is final; a stale move is refused.
		if err := st.SetPartState(ctx, official, 2, StateReturned, StateTaken, "", "", "staff-1", t0); !errors.Is(err, ErrBadTransition) {
			t.Errorf("returned part moved on: %v", err)
		}
		if err := st.SetPartState(ctx, official, 3, StateTaken, StateInProgress, "", "", "staff-1", t0); !errors.Is(err, ErrBadTransition) {
			t.Errorf("stale move of part 3: %v", err)
		}
		if err := st.SetPartState(ctx, official, 9, StateAccepted, StateTaken, "", "", "staff-1", t0); !errors.Is(err, ErrNotFound) {
			t.Errorf("no part 9: %v", err)
		}

		// The terminal did not hear the answer and sends it all again, twice.
		for range 2 {
			again, err := st.SaveSubmissions(ctx, []Submission{bundleSub("T1", "a")}, t0.AddDate(0, 0, 1))
			if err != nil || !again[0].Duplicate || again[0].OfficialReceipt != official {
				t.Fatalf("resend: %+v, %v", again, err)
			}
		}
		parts, _ = st.Parts(ctx, "T1", "a")
		want := []string{StateInProgress, StateReturned, StateAccepted}
		if len(parts) != 3 {
			t.Fatalf("after resends: %d parts", len(parts))
		}
		for i, p := range parts {
			if p.State != want[i] {
				t.Errorf("part %d after resends: %s, want %s", i+1, p.State, want[i])
			}
		}
		if parts[1].ReasonZH != "原因" || parts[1].StateBy != "staff-1" {
			t.Errorf("returned part lost its reason: %+v", parts[1])
		}
		// Filtering by a part's item finds the bundle; by another, not.
		for item, want := range map[string]int{"childcare-subsidy": 1, "312000374000": 2, "senior-card": 0} {
			rows, err := st.ListSubmissions(ctx, SubmissionFilter{Center: "C1", Item: item})
			if err != nil || len(rows) != want {
				t.Errorf("list by %s: %d rows, %v; want %d", item, len(rows), err, want)
			}
		}
		// The bundle as a whole is in progress: one part worked on, one
		// returned, one waiting.
		whole, err := st.SubmissionByReceipt(ctx, official)
		if err != nil || whole.State != StateInProgress {
			t.Errorf("the bundle itself: %+v, %v", whole.State, err)
		}
	})
}

func TestBundleState(t *testing.T) {
	for _, tc := range []struct {
		parts []string
		want  string
	}{
		{nil, StateAccepted},
		{[]string{StateAccepted, StateAccepted}, StateAccepted},
		{[]string{StateTaken, StateAccepted}, StateInProgress},
		{[]string{StateReturned, StateAccepted}, StateInProgress},
		{[]string{StateNeedMore, StateDone}, StateInProgress},
		{[]string{StateDone, StateReturned}, StateDone},
		{[]string{StateReturned, StateReturned}, StateReturned},
		{[]string{StateDone, StateDone}, StateDone},
	} {
		if got := BundleState(tc.parts); got != tc.want {
			t.Errorf("BundleState(%v) = %s, want %s", tc.parts, got, tc.want)
		}
	}
}
