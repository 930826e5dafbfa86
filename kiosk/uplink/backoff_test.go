package uplink

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		ceiling time.Duration
	}{
		{0, time.Second}, {1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second},
		{9, 256 * time.Second}, {10, 5 * time.Minute}, {1000, 5 * time.Minute},
	}
	for _, tc := range tests {
		for _, r := range []float64{0, 0.5, 0.999999} {
			b := DefaultBackoff(func() float64 { return r })
			if got := b.Ceiling(tc.attempt); got != tc.ceiling {
				t.Errorf("Ceiling(%d) = %v, want %v", tc.attempt, got, tc.ceiling)
			}
			want := time.Duration(r * float64(tc.ceiling))
			if got := b.Delay(tc.attempt); got != want || got > 5*time.Minute || got < 0 {
				t.Errorf("Delay(%d) with rand %v = %v, want %v", tc.attempt, r, got, want)
			}
		}
	}
}
