package terminal

import (
	"testing"
)

// TestActorNamesTheStaffMember: the audit's actor of a staff event is the
// person who signed in, not "staff" for everyone.
func TestActorNamesTheStaffMember(t *testing.T) {
	tests := []struct{ kind, ref, want string }{
		{"staff.login", "S0042", "staff:S0042"},
		{"staff.action", "S0043", "staff:S0043"},
		{"staff.login", "shared-code", "staff:shared-code"},
		{"staff.login-failed", "", "staff"},
		{"config.staff-roster", "", "system"},
		{"queue.sent", "XH0123-20261128-0042", "system"},
		{"submission.created", "XH0123-20261128-0042", "resident"},
	}
	for _, tt := range tests {
		if got := actorOf(tt.kind, tt.ref); got != tt.want {
			t.Errorf("actorOf(%q, %q) = %q, want %q", tt.kind, tt.ref, got, tt.want)
		}
	}
}

func TestStaffRoster(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		n       int
		bad     bool
	}{
		{"two credentials", `{"staff":[{"number":"S0042","center":"XH01"},{"number":"S0043","center":"XH01","revoked":true}],"other":1}`, 2, false},
		{"no staff section: nobody", `{"hours":"9-17"}`, 0, false},
		{"not JSON", `center=XH01`, 0, true},
		{"staff not a list", `{"staff":"S0042"}`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := StaffRoster([]byte(tt.payload))
			if (err != nil) != tt.bad || len(got) != tt.n {
				t.Fatalf("StaffRoster = %d, %v; want %d, error %v", len(got), err, tt.n, tt.bad)
			}
		})
	}
}
