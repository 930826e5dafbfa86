package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSealedPayloads(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		key := bytes.Repeat([]byte{7}, SealKeySize)
		if err := st.SealWith(key); err != nil {
			t.Fatal(err)
		}
		plain := []byte(`{"applicant":{"idno":"310104195001011235","fullname":"测试甲"}}`)
		s := sub("T1", "sealed", "h")
		s.Payload, s.NameMasked, s.IDMasked = plain, "测*甲", "310104********1235"
		saved, err := st.SaveSubmissions(ctx, []Submission{s}, t0)
		if err != nil {
			t.Fatal(err)
		}
		var raw []byte
		if err := st.db.QueryRowContext(ctx, `SELECT payload FROM submissions WHERE client_id = 'sealed'`).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("310104195001011235")) || bytes.Contains(raw, []byte("测试甲")) {
			t.Fatal("the stored payload holds the ID number or name in the clear")
		}
		got, err := st.SubmissionByReceipt(ctx, saved[0].OfficialReceipt)
		if err != nil || !bytes.Equal(got.Payload, plain) || got.IDMasked != "310104********1235" {
			t.Fatalf("read back: %q %+v %v", got.Payload, got, err)
		}
		// Another key does not open it.
		if err := st.SealWith(bytes.Repeat([]byte{8}, SealKeySize)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SubmissionByReceipt(ctx, saved[0].OfficialReceipt); !errors.Is(err, ErrSealed) {
			t.Fatalf("wrong key: %v, want ErrSealed", err)
		}
	})
}

func TestSealKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store-sm4.key")
	k1, err := LoadOrCreateSealKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	k2, err := LoadOrCreateSealKey(path)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("reload: %v", err)
	}
	os.Chmod(path, 0o644)
	if _, err := LoadOrCreateSealKey(path); err == nil {
		t.Fatal("a key file readable by others was accepted")
	}
}

func TestListAndMoveSubmissions(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		a, b, c := sub("T1", "a", "1"), sub("T2", "b", "2"), sub("T1", "c", "3")
		c.Center = "C2"
		b.AffairsCode = "other"
		saved, err := st.SaveSubmissions(ctx, []Submission{a, b, c}, t0)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			f    SubmissionFilter
			want int
		}{
			{SubmissionFilter{Center: "C1"}, 2},
			{SubmissionFilter{Center: "C2"}, 1},
			{SubmissionFilter{Center: "C1", Terminal: "T2"}, 1},
			{SubmissionFilter{Center: "C1", Item: "other"}, 1},
			{SubmissionFilter{Center: "C1", State: StateDone}, 0},
			{SubmissionFilter{Center: "C1", From: t0.Add(time.Hour)}, 0},
			{SubmissionFilter{Center: "C1", To: t0.Add(time.Second)}, 2},
		} {
			got, err := st.ListSubmissions(ctx, tc.f)
			if err != nil || len(got) != tc.want {
				t.Errorf("%+v: %d rows, %v; want %d", tc.f, len(got), err, tc.want)
			}
		}
		r := saved[0].OfficialReceipt
		steps := []struct{ from, to string }{{StateAccepted, StateTaken}, {StateTaken, StateInProgress}, {StateInProgress, StateReturned}}
		for _, s := range steps {
			if err := st.SetSubmissionState(ctx, r, s.from, s.to, "材料不全", "Papers missing", "staff1", t0); err != nil {
				t.Fatalf("%s→%s: %v", s.from, s.to, err)
			}
		}
		got, _ := st.SubmissionByReceipt(ctx, r)
		if got.State != StateReturned || got.ReasonEN != "Papers missing" || got.StateBy != "staff1" {
			t.Fatalf("after moves: %+v", got)
		}
		// Final, and a stale "from" is refused.
		if err := st.SetSubmissionState(ctx, r, StateReturned, StateDone, "", "", "x", t0); !errors.Is(err, ErrBadTransition) {
			t.Fatalf("from a final state: %v", err)
		}
		if err := st.SetSubmissionState(ctx, saved[1].OfficialReceipt, StateTaken, StateInProgress, "", "", "x", t0); !errors.Is(err, ErrBadTransition) {
			t.Fatalf("stale from: %v", err)
		}
		counts, err := st.SubmissionCounts(ctx, "C1", "terminal", t0.Add(-time.Hour), t0.Add(time.Hour))
		if err != nil || len(counts) != 2 || counts[0] != (Count{"T1", 1}) {
			t.Fatalf("counts: %+v %v", counts, err)
		}
	})
}

func TestUsersLockoutSessionsAudit(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		u := User{Username: "s1", DisplayName: "测试乙", Role: RoleStaff, Center: "C1", PasswordHash: "h", CreatedAt: t0}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateUser(ctx, u); !errors.Is(err, ErrExists) {
			t.Fatalf("duplicate user: %v", err)
		}
		for i := 1; i <= 10; i++ {
			n, until, err := st.LoginFailed(ctx, "s1", 10, 15*time.Minute, t0)
			if err != nil {
				t.Fatal(err)
			}
			if i < 10 && (n != i || !until.IsZero()) {
				t.Fatalf("failure %d: %d %v", i, n, until)
			}
			if i == 10 && !until.Equal(t0.Add(15*time.Minute)) {
				t.Fatalf("10th failure: locked until %v", until)
			}
		}
		got, _ := st.User(ctx, "s1")
		if !got.LockedUntil.Equal(t0.Add(15 * time.Minute)) {
			t.Fatalf("user lock: %+v", got)
		}
		ss := Session{TokenHash: "th", Username: "s1", CSRF: "c", CreatedAt: t0, LastSeen: t0}
		if err := st.CreateSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
		st.TouchSession(ctx, "th", t0.Add(time.Minute))
		st.EndSession(ctx, "th", t0.Add(2*time.Minute))
		st.TouchSession(ctx, "th", t0.Add(3*time.Minute))
		back, err := st.Session(ctx, "th")
		if err != nil || !back.LastSeen.Equal(t0.Add(time.Minute)) || !back.EndedAt.Equal(t0.Add(2*time.Minute)) {
			t.Fatalf("session: %+v %v", back, err)
		}
		for i, act := range []string{"login", "submission.move"} {
			st.AppendAudit(ctx, AuditEntry{At: t0.Add(time.Duration(i) * time.Second), Username: "s1", Role: RoleStaff, Action: act, Target: "x", Remote: "127.0.0.1"})
		}
		log, err := st.AuditLog(ctx, 0, 0)
		if err != nil || len(log) != 2 || log[0].Action != "submission.move" || log[1].Remote != "127.0.0.1" {
			t.Fatalf("audit: %+v %v", log, err)
		}
	})
}

func TestCounterQueue(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		for i := range 3 {
			tk, err := st.NextTicket(ctx, "C1", "A", t0.Add(time.Duration(i)*time.Minute))
			if err != nil || tk.Waiting != i {
				t.Fatalf("ticket %d: %+v %v", i, tk, err)
			}
		}
		day := ShanghaiDay(t0)
		first, err := st.CallNext(ctx, "C1", day, "", "3", t0.Add(10*time.Minute))
		if err != nil || first.Number() != "A001" || first.Counter != "3" {
			t.Fatalf("call: %+v %v", first, err)
		}
		second, _ := st.CallNext(ctx, "C1", day, "A", "4", t0.Add(11*time.Minute))
		if second.Number() != "A002" {
			t.Fatalf("second call: %+v", second)
		}
		if _, err := st.SetTicket(ctx, "C1", day, "A", 1, "serve", "3", t0.Add(12*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetTicket(ctx, "C1", day, "A", 1, "serve", "3", t0.Add(12*time.Minute)); !errors.Is(err, ErrBadTransition) {
			t.Fatalf("serve twice: %v", err)
		}
		if tk, err := st.SetTicket(ctx, "C1", day, "A", 2, "recall", "4", t0.Add(13*time.Minute)); err != nil || tk.Calls != 2 {
			t.Fatalf("recall: %+v %v", tk, err)
		}
		st.SetTicket(ctx, "C1", day, "A", 3, "skip", "4", t0.Add(14*time.Minute))
		if _, err := st.CallNext(ctx, "C1", day, "", "3", t0); !errors.Is(err, ErrQueueEmpty) {
			t.Fatalf("empty queue: %v", err)
		}
		called, _ := st.Called(ctx, "C1", day, 10)
		if len(called) != 2 || called[0].Number() != "A002" {
			t.Fatalf("hall: %+v", called)
		}
	})
}

func TestAlarmsFleetRevoke(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		st.PutTerminal(ctx, Terminal{ID: "T1", Center: "C1", CertSerial: "01", EnrolledAt: t0})
		for range 2 {
			st.RaiseAlarmOnce(ctx, Alarm{Terminal: "T1", Kind: "silent", RaisedAt: t0, ReceivedAt: t0})
		}
		open, _ := st.ListAlarms(ctx, AlarmOpen, 10)
		if len(open) != 1 {
			t.Fatalf("silent alarm raised %d times, want once", len(open))
		}
		if err := st.AckAlarm(ctx, open[0].ID, "op1", t0); err != nil {
			t.Fatal(err)
		}
		if err := st.AckAlarm(ctx, open[0].ID, "op1", t0); !errors.Is(err, ErrBadTransition) {
			t.Fatalf("ack twice: %v", err)
		}
		st.ResolveAlarm(ctx, open[0].ID, "op2", t0)
		all, _ := st.ListAlarms(ctx, "", 10)
		if all[0].State != AlarmResolved || all[0].AckedBy != "op1" || all[0].ResolvedBy != "op2" {
			t.Fatalf("alarm: %+v", all[0])
		}
		if raised, _ := st.RaiseAlarmOnce(ctx, Alarm{Terminal: "T1", Kind: "silent"}); !raised {
			t.Fatal("after resolving, a new alarm of the kind was not raised")
		}
		st.SaveHeartbeat(ctx, Heartbeat{Terminal: "T1", ReceivedAt: t0, Body: []byte(`{}`)})
		fleet, err := st.Fleet(ctx)
		if err != nil || len(fleet) != 1 || !fleet[0].HeartbeatAt.Equal(t0) {
			t.Fatalf("fleet: %+v %v", fleet, err)
		}
		if err := st.RevokeTerminal(ctx, "T1", t0); err != nil {
			t.Fatal(err)
		}
		if tm, _ := st.Terminal(ctx, "T1"); !tm.RevokedAt.Equal(t0) {
			t.Fatalf("revoked: %+v", tm)
		}
	})
}

// TestAuditLogAppendOnly: the database itself refuses to change or delete
// a line of the audit trail, on both engines, and goes on taking new ones.
func TestAuditLogAppendOnly(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		add := func(action string) {
			t.Helper()
			if err := st.AppendAudit(ctx, AuditEntry{At: t0, Username: "s1", Role: RoleStaff, Action: action, Target: "x", Remote: "127.0.0.1"}); err != nil {
				t.Fatal(err)
			}
		}
		add("login")
		for _, q := range []string{
			`UPDATE audit_log SET username = 'someone-else'`,
			`DELETE FROM audit_log`,
		} {
			if _, err := st.db.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", q, err)
			}
		}
		if st.dialect.name == "postgres" {
			if _, err := st.db.ExecContext(ctx, `TRUNCATE audit_log`); err == nil {
				t.Error("TRUNCATE audit_log was allowed")
			}
		}
		add("logout")
		log, err := st.AuditLog(ctx, 0, 0)
		if err != nil || len(log) != 2 || log[1].Username != "s1" || log[0].Action != "logout" {
			t.Fatalf("after refused changes: %+v %v", log, err)
		}
	})
}

func TestStatements(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"CREATE TABLE a (x INT); CREATE INDEX b ON a (x)", 2},
		{"CREATE TRIGGER t BEFORE UPDATE ON a BEGIN SELECT RAISE(ABORT, 'no'); END; CREATE TABLE c (x INT)", 2},
		{"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END $$; SELECT 1", 2},
		{"ALTER TABLE a ADD COLUMN began BIGINT; ALTER TABLE a ADD COLUMN end_at BIGINT", 2},
	} {
		if got := statements(tc.in); len(got) != tc.want {
			t.Errorf("%q: %d statements %q, want %d", tc.in, len(got), got, tc.want)
		}
	}
}

func TestSetLockAndEndSessionsOf(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		if err := st.CreateUser(ctx, User{Username: "s1", DisplayName: "测试乙", Role: RoleStaff, Center: "C1", PasswordHash: "h", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetLock(ctx, "nobody", t0); !errors.Is(err, ErrNotFound) {
			t.Fatalf("SetLock of no user: %v", err)
		}
		st.LoginFailed(ctx, "s1", 10, time.Minute, t0)
		far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := st.SetLock(ctx, "s1", far); err != nil {
			t.Fatal(err)
		}
		if u, _ := st.User(ctx, "s1"); !u.LockedUntil.Equal(far) || u.Failed != 0 {
			t.Fatalf("locked: %+v", u)
		}
		st.SetLock(ctx, "s1", time.Time{})
		if u, _ := st.User(ctx, "s1"); !u.LockedUntil.IsZero() {
			t.Fatalf("unlocked: %+v", u)
		}
		for _, h := range []string{"a", "b"} {
			st.CreateSession(ctx, Session{TokenHash: h, Username: "s1", CSRF: "c", CreatedAt: t0, LastSeen: t0})
		}
		st.EndSession(ctx, "a", t0.Add(time.Minute))
		if err := st.EndSessionsOf(ctx, "s1", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		a, _ := st.Session(ctx, "a")
		b, _ := st.Session(ctx, "b")
		if !a.EndedAt.Equal(t0.Add(time.Minute)) || !b.EndedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("sessions: %+v %+v", a, b)
		}
	})
}
