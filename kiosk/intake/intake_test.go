package intake

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// fakeQueue records the order of calls in log and stores in memory.
type fakeQueue struct {
	log *[]string
	err error
	n   int
}

func (q *fakeQueue) Add(ctx context.Context, s kiosk.Submission) (kiosk.Submission, error) {
	*q.log = append(*q.log, "add")
	if q.err != nil {
		return kiosk.Submission{}, q.err
	}
	q.n++
	s.ID, s.LocalReceipt = fmt.Sprintf("id-%d", q.n), fmt.Sprintf("T01-20260701-%04d", q.n)
	return s, nil
}

type fakeSender struct {
	log      *[]string
	official string
	err      error
	hang     bool
}

func (f *fakeSender) Send(ctx context.Context, s kiosk.Submission) (string, error) {
	*f.log = append(*f.log, "send "+s.LocalReceipt)
	if f.hang {
		<-ctx.Done()
		return "", ctx.Err()
	}
	return f.official, f.err
}

var errRefused = errors.New("refused: 422")

func TestAccept(t *testing.T) {
	full := &kiosk.Error{Op: "outbox.Add", Kind: kiosk.KindQueueFull, Message: kiosk.Text{ZH: "满了", EN: "full"}}
	tests := []struct {
		name     string
		addErr   error
		sender   *fakeSender
		want     kiosk.Accepted
		wantKind kiosk.ErrorKind // when an error is wanted
		wantLog  []string
	}{
		{"confirmed at once", nil, &fakeSender{official: "XH-2026-1"},
			kiosk.Accepted{ID: "id-1", LocalReceipt: "T01-20260701-0001", Official: "XH-2026-1"}, 0,
			[]string{"add", "audit submission.accepted id-1", "send T01-20260701-0001"}},
		{"back office down: queued", nil, &fakeSender{err: errors.New("connection refused")},
			kiosk.Accepted{ID: "id-1", LocalReceipt: "T01-20260701-0001", Queued: true}, 0,
			[]string{"add", "audit submission.accepted id-1", "send T01-20260701-0001"}},
		{"back office never answers: queued within the wait", nil, &fakeSender{hang: true},
			kiosk.Accepted{ID: "id-1", LocalReceipt: "T01-20260701-0001", Queued: true}, 0,
			[]string{"add", "audit submission.accepted id-1", "send T01-20260701-0001"}},
		{"no uplink: queued", nil, nil,
			kiosk.Accepted{ID: "id-1", LocalReceipt: "T01-20260701-0001", Queued: true}, 0,
			[]string{"add", "audit submission.accepted id-1"}},
		{"content refused: the resident is told", nil, &fakeSender{err: errRefused},
			kiosk.Accepted{}, kiosk.KindInvalid,
			[]string{"add", "audit submission.accepted id-1", "send T01-20260701-0001"}},
		{"queue full: nothing else happens", full, &fakeSender{official: "never"},
			kiosk.Accepted{}, kiosk.KindQueueFull,
			[]string{"add"}},
		{"queue fails: internal", errors.New("disk on fire"), &fakeSender{official: "never"},
			kiosk.Accepted{}, kiosk.KindInternal,
			[]string{"add"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log []string
			cfg := Config{
				Queue:   &fakeQueue{log: &log, err: tt.addErr},
				Refused: func(err error) bool { return errors.Is(err, errRefused) },
				Audit:   func(kind, ref, detail string) { log = append(log, "audit "+kind+" "+ref) },
				Wait:    50 * time.Millisecond,
			}
			if tt.sender != nil {
				tt.sender.log = &log
				cfg.Sender = tt.sender
			}
			in, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := in.Accept(context.Background(), kiosk.Submission{ID: "caller's", LocalReceipt: "caller's", Terminal: "T01"})
			if tt.want == (kiosk.Accepted{}) {
				if err == nil || kiosk.KindOf(err) != tt.wantKind {
					t.Fatalf("Accept = %+v, %v; want an error of kind %d", got, err, tt.wantKind)
				}
				if msg := kiosktest.Words(t, kiosk.MessageOf(err)); tt.wantKind == kiosk.KindInvalid && (!strings.Contains(msg.ZH, "人工窗口") || msg.EN == msg.ZH) {
					t.Errorf("refusal message %+v: want plain words sending the resident to the counter", msg)
				}
			} else if err != nil || got != tt.want {
				t.Fatalf("Accept = %+v, %v; want %+v", got, err, tt.want)
			}
			if strings.Join(log, "; ") != strings.Join(tt.wantLog, "; ") {
				t.Errorf("calls %q, want %q", log, tt.wantLog)
			}
		})
	}
}

func TestNewNeedsAQueue(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Error("an intake without a queue was made")
	}
}
