package sim

import (
	"testing"
	"time"

	"github.com/tongban/tongban/internal/ssmtoken"
)

// TestSignedSuishenmaVerifies: the simulated phone's codes verify under
// the development issuer while fresh, are each new, and expire.
func TestSignedSuishenmaVerifies(t *testing.T) {
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	a, err := SignedSuishenma(now)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := SignedSuishenma(now)
	ta, err := ssmtoken.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := ssmtoken.Parse(b)
	if ta.Nonce == tb.Nonce {
		t.Error("two codes share a nonce: the second would be refused as a replay")
	}
	iss := &ssmtoken.DevIssuer().PublicKey
	if err := ta.Verify(iss, now.Add(30*time.Second)); err != nil {
		t.Errorf("fresh code: %v", err)
	}
	if err := ta.Verify(iss, now.Add(SuishenmaLife)); err == nil {
		t.Error("the code is still good after its life")
	}
}
