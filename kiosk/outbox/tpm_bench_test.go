package outbox

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/keystore"
	"github.com/tongban/tongban/kiosk/keystore/keystoretest"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// BenchmarkAddDayKeys is the durable enqueue (Add, numbering included)
// under day keys in files and under day keys sealed by a TPM (swtpm):
// the TPM is asked once per day key, so the resident waits no longer
// (DESIGN.md §7: p99 ≤ 10 ms).
func BenchmarkAddDayKeys(b *testing.B) {
	for _, tc := range []struct {
		name string
		tpm  bool
	}{{"files", false}, {"tpm", true}} {
		b.Run(tc.name, func(b *testing.B) {
			clock := newClock()
			opts := keystore.Options{Now: clock.Now}
			if tc.tpm {
				opts.Sealer = keystoretest.Start(b, b.TempDir()).TPM()
			}
			keys, err := keystore.Open(filepath.Join(b.TempDir(), "keys"), opts)
			if err != nil {
				b.Fatal(err)
			}
			q, _ := openTest(b, "", Options{Now: clock.Now, Epochs: keys, QuotaBytes: 1 << 30})
			s := kiosktest.Submission(1, "", "", "T01", clock.Now())
			lat := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				if _, err := q.Add(context.Background(), s); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			reportLatencies(b, lat)
		})
	}
}
