package document

import (
	"context"
	"testing"
)

// BenchmarkIssue measures numbering, rendering, signing and recording one
// document (the font subset is embedded anew each time).
func BenchmarkIssue(b *testing.B) {
	iss, _ := testIssuer(b)
	d := sampleDocument()
	ctx := context.Background()
	var size int
	for b.Loop() {
		doc, err := iss.Issue(ctx, d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(doc.PDF)
	}
	b.ReportMetric(float64(size)/1024, "pdf-KiB")
}
