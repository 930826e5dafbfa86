package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgEnv names the environment variable with the PostgreSQL DSN of the
// tests. With pgRequiredEnv set (CI), a missing DSN fails instead of skipping.
const (
	pgEnv         = "TONGBAN_PG_DSN"
	pgRequiredEnv = "TONGBAN_REQUIRE_PG"
)

const pgSkip = "\n" +
	"  *************************************************************\n" +
	"  *  PostgreSQL store tests SKIPPED: TONGBAN_PG_DSN is not set *\n" +
	"  *  e.g. TONGBAN_PG_DSN='postgres://tongban:tongban@127.0.0.1:5432/tongban_test?sslmode=disable'\n" +
	"  *************************************************************"

func TestMain(m *testing.M) {
	if os.Getenv(pgEnv) == "" {
		fmt.Fprintln(os.Stderr, pgSkip)
	}
	os.Exit(m.Run())
}

// forEachStore runs fn against a fresh SQLite store and, when TONGBAN_PG_DSN
// is set, a fresh PostgreSQL schema.
func forEachStore(t *testing.T, fn func(t *testing.T, st *DB)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "bo.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		fn(t, st)
	})
	t.Run("postgres", func(t *testing.T) {
		st := openTestPostgres(t)
		fn(t, st)
	})
}

// openTestPostgres opens a store in a new schema, dropped after the test.
func openTestPostgres(t testing.TB) *DB {
	dsn := os.Getenv(pgEnv)
	if dsn == "" && os.Getenv(pgRequiredEnv) != "" {
		t.Fatalf("%s is set but %s is not: the PostgreSQL store tests cannot run", pgRequiredEnv, pgEnv)
	}
	if dsn == "" {
		t.Skip(pgSkip)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("%s is set but PostgreSQL is not reachable: %v", pgEnv, err)
	}
	schema := fmt.Sprintf("t_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close(context.Background())
	})
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["search_path"] = schema
	st, err := openPostgresConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

var t0 = time.Date(2026, 7, 1, 2, 30, 0, 0, time.UTC) // 10:30 in Shanghai

func TestEnrolmentTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		for _, tok := range []EnrolmentToken{
			{Hash: "h-ok", Terminal: "T1", Center: "C1", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)},
			{Hash: "h-old", Terminal: "T2", Center: "C1", CreatedAt: t0.Add(-2 * time.Hour), ExpiresAt: t0.Add(-time.Hour)},
		} {
			if err := st.CreateEnrolmentToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.ConsumeEnrolmentToken(ctx, "h-ok", "key-1", t0)
		if err != nil || got.Terminal != "T1" || got.Center != "C1" || !got.UsedAt.Equal(t0) || got.UsedKey != "key-1" || got.Cert != nil {
			t.Fatalf("consume: %+v, %v", got, err)
		}
		for _, tc := range []struct {
			hash, key string
			want      error
		}{
			{"h-ok", "key-2", ErrTokenUsed},
			{"h-ok", "", ErrTokenUsed},
			{"h-old", "key-1", ErrTokenExpired},
			{"h-none", "key-1", ErrNotFound},
		} {
			if _, err := st.ConsumeEnrolmentToken(ctx, tc.hash, tc.key, t0.Add(time.Minute)); !errors.Is(err, tc.want) {
				t.Errorf("consume %s with %q: %v, want %v", tc.hash, tc.key, err, tc.want)
			}
		}
		// The same key again, before and after completion, even once the
		// token has expired: the token, then with its certificate.
		again, err := st.ConsumeEnrolmentToken(ctx, "h-ok", "key-1", t0.Add(time.Minute))
		if err != nil || again.Cert != nil || !again.UsedAt.Equal(t0) {
			t.Fatalf("retry before completion: %+v, %v", again, err)
		}
		tm := Terminal{ID: "T1", Center: "C1", CertSerial: "0a", CertNotAfter: t0.AddDate(0, 2, 0), EnrolledAt: t0}
		if err := st.CompleteEnrolment(ctx, "h-ok", tm, []byte("der-1")); err != nil {
			t.Fatal(err)
		}
		if err := st.CompleteEnrolment(ctx, "h-ok", Terminal{ID: "T1", Center: "C1", CertSerial: "0b"}, []byte("der-2")); !errors.Is(err, ErrTokenUsed) {
			t.Fatalf("second completion: %v", err)
		}
		if got, _ := st.Terminal(ctx, "T1"); got.CertSerial != "0a" {
			t.Fatalf("the second completion changed the terminal: %+v", got)
		}
		again, err = st.ConsumeEnrolmentToken(ctx, "h-ok", "key-1", t0.Add(2*time.Hour))
		if err != nil || string(again.Cert) != "der-1" {
			t.Fatalf("retry after completion and expiry: %+v, %v", again, err)
		}
	})
}

func TestEnrolmentTokenConsumedOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		if err := st.CreateEnrolmentToken(ctx, EnrolmentToken{Hash: "h", Terminal: "T", Center: "C", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for i := range 8 {
			wg.Go(func() {
				if _, err := st.ConsumeEnrolmentToken(ctx, "h", fmt.Sprint("key-", i), t0); err == nil {
					mu.Lock()
					wins++
					mu.Unlock()
				} else if !errors.Is(err, ErrTokenUsed) {
					t.Errorf("consume: %v", err)
				}
			})
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d consumers won, want 1", wins)
		}
	})
}

func TestTerminals(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		if _, err := st.Terminal(ctx, "T1"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing terminal: %v", err)
		}
		for _, serial := range []string{"01", "02"} {
			if err := st.PutTerminal(ctx, Terminal{ID: "T1", Center: "C1", CertSerial: serial, CertNotAfter: t0.AddDate(0, 2, 0), EnrolledAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.Terminal(ctx, "T1")
		if err != nil || got.CertSerial != "02" || !got.CertNotAfter.Equal(t0.AddDate(0, 2, 0)) {
			t.Fatalf("terminal: %+v, %v", got, err)
		}
	})
}

func sub(terminal, id, hash string) Submission {
	return Submission{Terminal: terminal, ClientID: id, LocalReceipt: "L-" + terminal + "-" + id, Center: "C1",
		AffairsCode: "312000374000", AffairsName: "测试事项", PayloadHash: hash, Payload: []byte(`{"x":1}`), CreatedAt: t0.Add(-time.Hour)}
}

func TestSubmissionsExactlyOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		first, err := st.SaveSubmissions(ctx, []Submission{sub("T1", "a", "h1"), sub("T1", "b", "h2"), sub("T2", "a", "h3")}, t0)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for i, s := range first {
			if s.Duplicate || s.Conflict || !strings.HasPrefix(s.OfficialReceipt, "SQ20260701") || len(s.OfficialReceipt) != 19 {
				t.Errorf("item %d: %+v", i, s)
			}
			if seen[s.OfficialReceipt] {
				t.Errorf("receipt %s issued twice", s.OfficialReceipt)
			}
			seen[s.OfficialReceipt] = true
		}
		// A replay a week later: same numbers, nothing stored twice.
		again, err := st.SaveSubmissions(ctx, []Submission{sub("T1", "b", "h2"), sub("T1", "a", "h1"), sub("T1", "c", "h4"), sub("T1", "a", "other")}, t0.AddDate(0, 0, 7))
		if err != nil {
			t.Fatal(err)
		}
		want := []Saved{
			{OfficialReceipt: first[1].OfficialReceipt, Duplicate: true},
			{OfficialReceipt: first[0].OfficialReceipt, Duplicate: true},
			{OfficialReceipt: again[2].OfficialReceipt},
			{OfficialReceipt: first[0].OfficialReceipt, Conflict: true},
		}
		for i := range want {
			if again[i] != want[i] {
				t.Errorf("replay item %d: %+v, want %+v", i, again[i], want[i])
			}
		}
		// The number's date is the day the submission was made, so a resend
		// on a later day keeps the number (see TestOfficialNumbersSurviveRestore).
		if !strings.HasPrefix(again[2].OfficialReceipt, "SQ20260701") {
			t.Errorf("new item a week later: %s", again[2].OfficialReceipt)
		}
		counts, err := st.CountSubmissions(ctx, "T1")
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != 3 || counts["a"] != 1 || counts["b"] != 1 || counts["c"] != 1 {
			t.Errorf("counts: %v", counts)
		}
		got, err := st.SubmissionByReceipt(ctx, first[0].OfficialReceipt)
		if err != nil || got.ClientID != "a" || got.Terminal != "T1" || got.State != StateAccepted || !got.ReceivedAt.Equal(t0) || string(got.Payload) != `{"x":1}` {
			t.Errorf("by official: %+v, %v", got, err)
		}
		got, err = st.SubmissionByReceipt(ctx, "L-T2-a")
		if err != nil || got.OfficialReceipt != first[2].OfficialReceipt {
			t.Errorf("by local: %+v, %v", got, err)
		}
		if _, err := st.SubmissionByReceipt(ctx, "SQ000"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown receipt: %v", err)
		}
	})
}

func TestSubmissionsConcurrentReplays(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		receipts := make([][]Saved, 6)
		for g := range receipts {
			wg.Go(func() {
				var batch []Submission
				for i := range 20 {
					batch = append(batch, sub("T1", fmt.Sprint(i), "h"))
				}
				var err error
				receipts[g], err = st.SaveSubmissions(ctx, batch, t0)
				if err != nil {
					t.Errorf("goroutine %d: %v", g, err)
				}
			})
		}
		wg.Wait()
		counts, err := st.CountSubmissions(ctx, "T1")
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != 20 {
			t.Fatalf("stored %d client IDs, want 20", len(counts))
		}
		for id, n := range counts {
			if n != 1 {
				t.Errorf("client %s stored %d times", id, n)
			}
		}
		for g := 1; g < len(receipts); g++ {
			for i := range receipts[g] {
				if receipts[g][i].OfficialReceipt != receipts[0][i].OfficialReceipt {
					t.Errorf("goroutine %d item %d got receipt %s, goroutine 0 got %s", g, i, receipts[g][i].OfficialReceipt, receipts[0][i].OfficialReceipt)
				}
			}
		}
	})
}

func TestIdempotentAnswers(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		if _, err := st.IdempotentAnswer(ctx, "T1", "k"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing: %v", err)
		}
		for _, body := range []string{"first", "second"} {
			if err := st.SaveIdempotentAnswer(ctx, IdempotentAnswer{Terminal: "T1", Key: "k", RequestHash: body, Status: 200, Body: []byte(body), CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		a, err := st.IdempotentAnswer(ctx, "T1", "k")
		if err != nil || string(a.Body) != "first" || a.RequestHash != "first" || a.Status != 200 {
			t.Fatalf("answer: %+v, %v", a, err)
		}
		if _, err := st.IdempotentAnswer(ctx, "T2", "k"); !errors.Is(err, ErrNotFound) {
			t.Errorf("keys leak across terminals: %v", err)
		}
	})
}

func TestTelemetry(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		for i, body := range []string{`{"n":1}`, `{"n":2}`} {
			if err := st.SaveHeartbeat(ctx, Heartbeat{Terminal: "T1", ReceivedAt: t0.Add(time.Duration(i) * time.Minute), Body: []byte(body)}); err != nil {
				t.Fatal(err)
			}
		}
		h, err := st.LatestHeartbeat(ctx, "T1")
		if err != nil || string(h.Body) != `{"n":2}` || !h.ReceivedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("heartbeat: %+v, %v", h, err)
		}
		for _, kind := range []string{"paper-out", "device-fault"} {
			if _, err := st.SaveAlarm(ctx, Alarm{Terminal: "T1", Kind: kind, Device: "printer", RaisedAt: t0, ReceivedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		alarms, err := st.Alarms(ctx, "T1", 10)
		if err != nil || len(alarms) != 2 || alarms[0].Kind != "device-fault" || alarms[1].Kind != "paper-out" {
			t.Fatalf("alarms: %+v, %v", alarms, err)
		}
	})
}

func TestBundles(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		if _, err := st.LatestBundle(ctx, "catalog"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("empty: %v", err)
		}
		steps := []struct {
			kind    string
			version uint64
			want    error
		}{{"catalog", 1, nil}, {"catalog", 3, nil}, {"catalog", 2, ErrNotNewer}, {"catalog", 3, ErrNotNewer}, {"config", 1, nil}}
		for _, s := range steps {
			err := st.PutBundle(ctx, Bundle{Kind: s.kind, Version: s.version, Data: []byte(fmt.Sprint(s.kind, s.version)), PublishedAt: t0})
			if !errors.Is(err, s.want) {
				t.Errorf("put %s %d: %v, want %v", s.kind, s.version, err, s.want)
			}
		}
		b, err := st.LatestBundle(ctx, "catalog")
		if err != nil || b.Version != 3 || string(b.Data) != "catalog3" {
			t.Fatalf("latest: %+v, %v", b, err)
		}
	})
}

func TestTickets(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		steps := []struct {
			center, service string
			at              time.Time
			seq             int
		}{
			{"C1", "A", t0, 1}, {"C1", "A", t0, 2}, {"C1", "B", t0, 1}, {"C2", "A", t0, 1},
			{"C1", "A", t0.Add(13 * time.Hour), 3},   // 23:30 in Shanghai: same day
			{"C1", "A", t0.Add(14 * time.Hour), 1},   // 00:30 the next day
			{"C1", "A", t0.Add(14*time.Hour + 1), 2}, // and counting
		}
		for i, s := range steps {
			tk, err := st.NextTicket(ctx, s.center, s.service, s.at)
			if err != nil || tk.Seq != s.seq || tk.Waiting != s.seq-1 {
				t.Errorf("step %d: %+v, %v; want seq %d", i, tk, err, s.seq)
			}
		}
	})
}

func TestAppointments(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		start := t0.Add(24 * time.Hour)
		for i, id := range []string{"s1", "s2"} {
			if err := st.PutSlot(ctx, Slot{ID: id, Center: "C1", Service: "marriage", Start: start.Add(time.Duration(i) * time.Hour), Capacity: 2}); err != nil {
				t.Fatal(err)
			}
		}
		book := func(id, slot string) (Appointment, error) {
			return st.Book(ctx, Appointment{ID: id, SlotID: slot, ItemCode: "MZ01", HolderHash: "hh", CreatedAt: t0})
		}
		a1, err := book("a1", "s1")
		if err != nil || a1.State != AppointmentBooked || a1.Slot.Booked != 1 || !a1.Slot.Start.Equal(start) {
			t.Fatalf("book: %+v, %v", a1, err)
		}
		if _, err := book("a2", "s1"); err != nil {
			t.Fatal(err)
		}
		if _, err := book("a3", "s1"); !errors.Is(err, ErrSlotFull) {
			t.Fatalf("third booking: %v, want full", err)
		}
		if _, err := book("a4", "nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown slot: %v", err)
		}
		c, err := st.CancelAppointment(ctx, "a1", t0)
		if err != nil || c.State != AppointmentCancelled || c.Slot.Booked != 1 {
			t.Fatalf("cancel: %+v, %v", c, err)
		}
		if _, err := st.CancelAppointment(ctx, "a1", t0); !errors.Is(err, ErrAlreadyCancelled) {
			t.Fatalf("cancel twice: %v", err)
		}
		if _, err := st.CancelAppointment(ctx, "zz", t0); !errors.Is(err, ErrNotFound) {
			t.Fatalf("cancel unknown: %v", err)
		}
		if _, err := book("a3", "s1"); err != nil {
			t.Fatalf("booking the freed place: %v", err)
		}
		slots, err := st.Slots(ctx, "C1", start, start.Add(24*time.Hour))
		if err != nil || len(slots) != 2 || slots[0].ID != "s1" || slots[0].Booked != 2 || slots[1].Booked != 0 {
			t.Fatalf("slots: %+v, %v", slots, err)
		}
		got, err := st.Appointment(ctx, "a2")
		if err != nil || got.SlotID != "s1" || got.ItemCode != "MZ01" || got.Slot.Center != "C1" {
			t.Fatalf("appointment: %+v, %v", got, err)
		}
	})
}

func TestLicences(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		ls := []Licence{
			{CertUUID: "u2", HolderType: "居民身份证", HolderHash: "h1", CatMain: "HKB", Name: "居民户口簿", ValidStart: "2020-01-01"},
			{CertUUID: "u1", HolderType: "居民身份证", HolderHash: "h1", CatMain: "CJZ", Name: "残疾人证", ValidStart: "2021-01-01", ValidEnd: "2031-01-01"},
			{CertUUID: "u3", HolderType: "居民身份证", HolderHash: "h2", CatMain: "HKB", Name: "居民户口簿"},
		}
		for _, l := range ls {
			if err := st.PutLicence(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.Licences(ctx, "居民身份证", "h1")
		if err != nil || len(got) != 2 || got[0].CertUUID != "u1" || got[0].ValidEnd != "2031-01-01" || got[1].Name != "居民户口簿" {
			t.Fatalf("licences: %+v, %v", got, err)
		}
		if got, _ := st.Licences(ctx, "统一社会信用代码", "h1"); len(got) != 0 {
			t.Errorf("holder type ignored: %+v", got)
		}
	})
}

func TestMigrationsReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bo.db")
	ctx := context.Background()
	for range 2 {
		st, err := OpenSQLite(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		var v int
		if err := st.db.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil || v != SchemaVersion() {
			t.Fatalf("schema version %d, %v", v, err)
		}
		st.Close()
	}
	// A database from a newer program is refused, not damaged.
	st, _ := OpenSQLite(ctx, path)
	st.db.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)`)
	st.Close()
	if _, err := OpenSQLite(ctx, path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("newer schema: %v", err)
	}
}

// TestOfficialNumbersSurviveRestore: the store is restored from a backup
// that lacks its newest submissions. Numbers were a counter, so the
// restored store gave new submissions numbers that already belonged to
// the lost ones. Now no number is ever given to two submissions, and a
// lost submission sent again gets the number it had.
func TestOfficialNumbersSurviveRestore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bo.db")
	ctx := context.Background()
	st, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveSubmissions(ctx, []Submission{sub("T1", "old", "h0")}, t0); err != nil {
		t.Fatal(err)
	}
	st.Close()
	backup, _ := os.ReadFile(path)
	st, _ = OpenSQLite(ctx, path)
	var lost []Submission
	for i := range 100 {
		lost = append(lost, sub("T1", fmt.Sprintf("lost-%d", i), "h"))
	}
	first, err := st.SaveSubmissions(ctx, lost, t0)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := st.Held(ctx, "T1"); n != 101 {
		t.Errorf("held %d, want 101", n)
	}
	st.Close()
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	if err := os.WriteFile(path, backup, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err = OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, _ := st.Held(ctx, "T1"); n != 1 {
		t.Fatalf("after the restore held %d, want 1", n)
	}
	given := map[string]bool{}
	for _, s := range first {
		given[s.OfficialReceipt] = true
	}
	var fresh []Submission
	for i := range 100 {
		fresh = append(fresh, sub("T1", fmt.Sprintf("new-%d", i), "h"))
	}
	saved, err := st.SaveSubmissions(ctx, fresh, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range saved {
		if given[s.OfficialReceipt] {
			t.Fatalf("new submission %d got %s, the number of a submission the restore lost", i, s.OfficialReceipt)
		}
	}
	again, err := st.SaveSubmissions(ctx, lost, t0.AddDate(0, 0, 3))
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		if again[i].OfficialReceipt != first[i].OfficialReceipt || again[i].Duplicate {
			t.Errorf("lost submission %d resent: %+v, had %s", i, again[i], first[i].OfficialReceipt)
		}
	}
}

// TestResendOfSubmissionStoredBeforeTheDigest: a submission stored by a
// server that hashed the re-encoded item is a duplicate when it comes again
// with that hash as its earlier one, not a conflict.
func TestResendOfSubmissionStoredBeforeTheDigest(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		first, err := st.SaveSubmissions(ctx, []Submission{sub("T9", "x", "old-style")}, t0)
		if err != nil {
			t.Fatal(err)
		}
		again := sub("T9", "x", "digest")
		again.EarlierHash = "old-style"
		saved, err := st.SaveSubmissions(ctx, []Submission{again, sub("T9", "x", "different")}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if !saved[0].Duplicate || saved[0].OfficialReceipt != first[0].OfficialReceipt {
			t.Errorf("resend with the earlier hash: %+v", saved[0])
		}
		if !saved[1].Conflict {
			t.Errorf("different content: %+v", saved[1])
		}
	})
}

func TestSetPool(t *testing.T) {
	st, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, n := range []int{4, 1} {
		st.SetPool(Pool{MaxOpen: n, MaxIdle: n})
		if got := st.db.Stats().MaxOpenConnections; got != n {
			t.Errorf("after SetPool(MaxOpen %d) the pool allows %d", n, got)
		}
	}
}

// The newest certificate seen in use only moves forward, only for the
// current enrolment, and a new enrolment starts afresh.
func TestCertificateInUse(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		if err := st.PutTerminal(ctx, Terminal{ID: "T1", Center: "C1", CertSerial: "0a", CertNotAfter: t0.AddDate(0, 2, 0), EnrolledAt: t0}); err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			enrolment string
			at, want  time.Time
		}{
			{"0a", t0, t0},
			{"0a", t0.Add(40 * 24 * time.Hour), t0.Add(40 * 24 * time.Hour)},
			{"0a", t0.Add(time.Hour), t0.Add(40 * 24 * time.Hour)},           // older: no change
			{"0b", t0.Add(50 * 24 * time.Hour), t0.Add(40 * 24 * time.Hour)}, // another enrolment: no change
		} {
			if err := st.CertificateInUse(ctx, "T1", step.enrolment, step.at); err != nil {
				t.Fatal(err)
			}
			if got, _ := st.Terminal(ctx, "T1"); !got.CertInUse.Equal(step.want) {
				t.Fatalf("after %s at %v: in use %v, want %v", step.enrolment, step.at, got.CertInUse, step.want)
			}
		}
		if err := st.PutTerminal(ctx, Terminal{ID: "T1", Center: "C1", CertSerial: "0c", CertNotAfter: t0.AddDate(0, 2, 0), EnrolledAt: t0}); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Terminal(ctx, "T1"); !got.CertInUse.IsZero() {
			t.Fatalf("a new enrolment kept %v", got.CertInUse)
		}
	})
}
