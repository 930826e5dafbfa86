package outbox

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzVerifyFile: whatever bytes a queue file holds, validating it and
// then verifying it (bbolt's own check and the queue's) never crashes
// the process; what the validator passes, bbolt walks safely. Seeds:
// testdata/fuzz/FuzzVerifyFile (a fresh queue, a queue with records, cut
// and scribbled copies) and a queue built here.
func FuzzVerifyFile(f *testing.F) {
	good := healthyQueueFile(f, 4)
	f.Add(good)
	f.Add(good[:len(good)/2])
	dir := f.TempDir()
	n := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		problem := validateReader(bytes.NewReader(data), int64(len(data)))
		n++
		path := filepath.Join(dir, "queue.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := Verify(path, testKey())
		if err != nil && len(data) > 0 {
			t.Fatalf("Verify: %v", err)
		}
		// Salvage's lenient reader takes the same bytes without crashing.
		readDamaged(path)
		if problem != nil && rep.OK() && len(data) > 0 {
			t.Fatalf("the validator found %q but Verify passed the file", problem)
		}
	})
}
