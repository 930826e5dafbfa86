package receipt_test

import (
	"testing"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/receipt"
)

// receiptBudget is DESIGN.md §7: a receipt with a QR code, on the wire,
// using the printer's own QR command.
const receiptBudget = 2048

// wireSeconds is the time bytes take at 115200 baud, 8N1 (10 bits a byte).
func wireSeconds(n int) float64 { return float64(n*10) / 115200 }

// BenchmarkReceiptBytes lays out the acceptance receipt with the native QR
// command and with a raster QR code, and reports bytes per receipt, the
// ratio raster/native, the wire time at 115200 baud and the native size
// against the 2 KB budget.
func BenchmarkReceiptBytes(b *testing.B) {
	for _, p := range []escpos.Profile{escpos.Paper58(), escpos.Paper80()} {
		for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
			b.Run(p.Name+"-"+string(lang), func(b *testing.B) {
				r := receipt.SampleReceipt(lang, sampleTime)
				raster := p
				raster.NativeQR = false
				var native, rast []byte
				var err error
				for b.Loop() {
					if native, err = receipt.Acceptance(r, p, printed); err != nil {
						b.Fatal(err)
					}
					if rast, err = receipt.Acceptance(r, raster, printed); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(native)), "native-B/receipt")
				b.ReportMetric(float64(len(rast)), "raster-B/receipt")
				b.ReportMetric(float64(len(rast))/float64(len(native)), "raster/native")
				b.ReportMetric(wireSeconds(len(native))*1000, "native-wire-ms")
				b.ReportMetric(wireSeconds(len(rast))*1000, "raster-wire-ms")
				b.ReportMetric(float64(len(native))/receiptBudget, "native/budget")
				if len(native) > receiptBudget {
					b.Errorf("native receipt is %d bytes, over the %d-byte budget", len(native), receiptBudget)
				}
			})
		}
	}
}
