package outbox

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// damage functions turn a healthy queue file into a damaged one.
var damages = []struct {
	name   string
	damage func(t *testing.T, path string)
}{
	{"random bytes", func(t *testing.T, path string) {
		b := make([]byte, 64<<10)
		rand.NewChaCha8([32]byte{1}).Read(b)
		writeFile(t, path, b)
	}},
	{"both meta pages overwritten", func(t *testing.T, path string) {
		overwrite(t, path, 0, bytes.Repeat([]byte{0xff}, 8192))
	}},
	{"truncated", func(t *testing.T, path string) {
		if err := os.Truncate(path, 6000); err != nil {
			t.Fatal(err)
		}
	}},
	{"data pages scribbled", func(t *testing.T, path string) {
		info, _ := os.Stat(path)
		b := make([]byte, int(info.Size())-3*4096)
		rand.NewChaCha8([32]byte{3}).Read(b)
		overwrite(t, path, 3*4096, b)
	}},
	{"another program's bbolt file", func(t *testing.T, path string) {
		os.Remove(path)
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		db.Update(func(tx *bolt.Tx) error {
			b, _ := tx.CreateBucket([]byte("info"))
			return b.Put([]byte("schema"), []byte("99"))
		})
		db.Close()
	}},
}

func TestDamagedFileIsMovedAsideIntact(t *testing.T) {
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			clock := newClock()
			path := filepath.Join(t.TempDir(), "queue.db")
			q, _ := openTest(t, path, Options{Now: clock.Now})
			enqueueN(t, q, 20, clock.Now())
			q.Close()
			d.damage(t, path)
			damaged, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}

			q, rep := openTest(t, path, Options{Now: clock.Now})
			if !rep.Damaged || rep.Problem == "" {
				t.Fatalf("report = %+v, want Damaged with a problem", rep)
			}
			kept, err := os.ReadFile(rep.MovedTo)
			if err != nil || !bytes.Equal(kept, damaged) {
				t.Fatalf("the damaged file was not kept intact at %q: %v", rep.MovedTo, err)
			}
			if err := q.Enqueue(context.Background(), synthetic(t, q, 1, clock.Now())); err != nil {
				t.Fatalf("the fresh queue refuses: %v", err)
			}
			q.Close()
			mustVerify(t, path)
			t.Logf("problem: %s", rep.Problem)
			if rep, err := Verify(rep.MovedTo, testKey()); err != nil || rep.OK() {
				t.Errorf("Verify of the damaged file: %v, problems %v", err, rep.Problems)
			}
		})
	}
}

func TestPanicInCheckIsRecovered(t *testing.T) {
	clock := newClock()
	path := filepath.Join(t.TempDir(), "queue.db")
	q, _ := openTest(t, path, Options{Now: clock.Now})
	enqueueN(t, q, 2, clock.Now())
	q.Close()
	panicky := func(*bolt.DB) error { panic("page 7: unexpected flags") }
	calls := 0
	check := func(db *bolt.DB) error {
		calls++
		if calls == 1 {
			return panicky(db)
		}
		return checkFile(db)
	}
	q2, rep, err := openWith(path, Options{Key: testKey(), Now: clock.Now}, check)
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()
	if !rep.Damaged || !strings.Contains(rep.Problem, "panic") {
		t.Fatalf("report = %+v", rep)
	}
	if _, err := os.Stat(rep.MovedTo); err != nil {
		t.Errorf("moved file: %v", err)
	}
}

func TestLockedFileIsNotTakenForDamage(t *testing.T) {
	q, _ := openTest(t, "", Options{})
	_, rep, err := Open(q.Path(), Options{Key: testKey(), LockTimeout: 50e6})
	if err == nil || rep.Damaged {
		t.Fatalf("second Open of a locked file: %v %+v", err, rep)
	}
	if _, err := os.Stat(q.Path()); err != nil {
		t.Fatal("the locked file was moved")
	}
	if _, err := Verify(q.Path(), testKey()); err == nil {
		t.Error("Verify of a file in use did not say so")
	}
}

func TestMissingBodyIsQuarantinedNotDropped(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	subs := enqueueN(t, q, 3, clock.Now())
	path := q.Path()
	q.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketBodies).Delete([]byte(subs[1].ID)) })
	db.Close()
	if rep, _ := Verify(path, testKey()); rep.OK() {
		t.Error("Verify missed a missing body")
	}
	q, rep := openTest(t, path, Options{Now: clock.Now})
	if rep.Unreadable != 1 || rep.Damaged {
		t.Fatalf("report = %+v", rep)
	}
	e, _ := q.Get(subs[1].ID)
	if e.State != "quarantined" || e.Reason == "" {
		t.Errorf("entry = %s %q", e.State, e.Reason)
	}
	batch, _ := q.NextBatch(10)
	if len(batch) != 2 {
		t.Errorf("%d sendable, want 2", len(batch))
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func overwrite(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}
