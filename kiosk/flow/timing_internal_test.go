package flow

import "testing"

// Every state has its timer in the one table.
func TestEveryStateHasATimeout(t *testing.T) {
	for st := Attract; st.String() != "unknown"; st++ {
		if int(st) >= len(timeouts) {
			t.Fatalf("state %v has no entry in timeouts", st)
		}
	}
	if len(timeouts) != len(stateNames) {
		t.Fatalf("timeouts has %d entries for %d states", len(timeouts), len(stateNames))
	}
	for _, st := range []State{Attract, Submitting} {
		if timeouts[st] != idleNone {
			t.Errorf("%v has a timer: it must wait (attract) or be bounded by its effect (submitting)", st)
		}
	}
}
