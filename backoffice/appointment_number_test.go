package backoffice

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/store"
)

// TestAppointmentNumbersReadAloud: every number is six symbols a person
// can read out without confusing 0/O or 1/I, and begins with a letter (the
// digits are left to a terminal's own numbers).
func TestAppointmentNumbersReadAloud(t *testing.T) {
	seen := map[string]bool{}
	for range 5000 {
		n, err := newAppointmentNumber(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !validAppointmentNumber(n) || strings.ContainsAny(n, "0O1I") || n[0] < 'A' {
			t.Fatalf("number %q", n)
		}
		seen[n] = true
	}
	if len(seen) < 4990 {
		t.Errorf("only %d different numbers in 5000 draws", len(seen))
	}
	for _, bad := range []string{"", "K7W3Q", "K7W3QX9", "27W3QX", "K7W3QO", "k7w3qx", "AP8f3e"} {
		if validAppointmentNumber(bad) {
			t.Errorf("%q is taken for an appointment number", bad)
		}
	}
	// A draw that runs out of randomness says so.
	if _, err := newAppointmentNumber(bytes.NewReader([]byte{8, 9})); err == nil {
		t.Error("a short random source gave a number")
	}
}

// TestAppointmentNumberCollision: a number already given is drawn again,
// twice in a row, and the booking still gets a fresh one.
func TestAppointmentNumberCollision(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	if err := f.srv.SeedDemo(ctx, "XH01"); err != nil {
		t.Fatal(err)
	}
	slots, err := f.st.Slots(ctx, "XH01", time.Time{}, time.Now().AddDate(1, 0, 0))
	if err != nil || len(slots) == 0 {
		t.Fatalf("slots %v %v", len(slots), err)
	}
	same := []byte{8, 9, 10, 11, 12, 13} // "ABCDEF"
	first, err := f.srv.bookNumbered(ctx, bytes.NewReader(same), store.Appointment{SlotID: slots[0].ID, ItemCode: "MZ01", CreatedAt: time.Now()})
	if err != nil || first.ID != "ABCDEF" {
		t.Fatalf("first booking %q %v", first.ID, err)
	}
	src := append(append(append([]byte{}, same...), same...), 14, 15, 16, 17, 18, 19) // taken, taken, "GHJKLM"
	second, err := f.srv.bookNumbered(ctx, bytes.NewReader(src), store.Appointment{SlotID: slots[0].ID, ItemCode: "MZ01", CreatedAt: time.Now()})
	if err != nil || second.ID != "GHJKLM" {
		t.Fatalf("second booking %q %v", second.ID, err)
	}
	if got, err := f.st.Appointment(ctx, "ABCDEF"); err != nil || got.SlotID != slots[0].ID {
		t.Fatalf("the first booking was changed: %+v %v", got, err)
	}
}
