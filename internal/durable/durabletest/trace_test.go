package durabletest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tongban/tongban/internal/durable"
)

// TestDurableTellsApart is the positive control: a plain os.WriteFile is
// reported, the durable helper passes, and a rename without the folder's
// fsync is reported.
func TestDurableTellsApart(t *testing.T) {
	dir := t.TempDir()
	plain, good, nodir := filepath.Join(dir, "plain"), filepath.Join(dir, "good"), filepath.Join(dir, "nodir")
	calls := Trace(t, func() {
		if err := os.WriteFile(plain, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := durable.WriteFile(good, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		f, _ := os.Create(nodir + ".tmp")
		f.WriteString("x")
		f.Sync()
		f.Close()
		os.Rename(nodir+".tmp", nodir)
	})
	if why := Durable(calls, plain); why == "" {
		t.Errorf("os.WriteFile passed as durable")
	}
	if why := Durable(calls, good); why != "" {
		t.Errorf("durable.WriteFile: %s", why)
	}
	if why := Durable(calls, nodir); why == "" {
		t.Errorf("a rename without the folder's fsync passed as durable")
	}
}

func TestParse(t *testing.T) {
	out := `123 openat(AT_FDCWD</r>, "/d/.k.tmp-1", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 3</d/.k.tmp-1>
123 fsync(3</d/.k.tmp-1>) = 0
124 renameat2(AT_FDCWD</r>, "/d/.k.tmp-1", AT_FDCWD</r>, "/d/k", 0) = 0
124 fsync(4</d>) = 0
124 fsync(5</d/x>) = -1 EIO (Input/output error)
`
	calls := Parse(out)
	if len(calls) != 4 {
		t.Fatalf("parsed %d calls, want 4 (the failed fsync left out): %+v", len(calls), calls)
	}
	if calls[2].Old != "/d/.k.tmp-1" || calls[2].New != "/d/k" {
		t.Errorf("rename parsed as %+v", calls[2])
	}
	if why := Durable(calls, "/d/k"); why != "" {
		t.Error(why)
	}
}
