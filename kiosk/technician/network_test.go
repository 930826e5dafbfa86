package technician

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/backofficetest"
)

// The check against the real back office on loopback, with the terminal's
// clock right, a little off, far off (hours: the back office's certificate
// is then not yet valid by the terminal's clock), and far off the other
// way while the certificate still verifies.
func TestNetCheckClock(t *testing.T) {
	bo := backofficetest.TLS(t)
	for _, tc := range []struct {
		name   string
		offset time.Duration
		want   Problem
	}{
		{"right", 0, ProblemNone},
		{"a minute slow", -time.Minute, ProblemNone},
		{"ten minutes fast", 10 * time.Minute, ProblemClock},
		{"a day slow, before the certificate", -24 * time.Hour, ProblemClock},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NetCheck{CAFile: bo.CAFile, Now: func() time.Time { return time.Now().Add(tc.offset) }}
			r := c.Check(context.Background(), bo.URL)
			if r.Problem != tc.want || !r.Reachable {
				t.Fatalf("problem %q reachable %v (%v), want %q", r.Problem, r.Reachable, r.Err, tc.want)
			}
			if !r.SkewKnown {
				t.Fatal("the back office's time was not read")
			}
			if d := r.Skew + tc.offset; d < -2*time.Second || d > 2*time.Second {
				t.Errorf("skew %s with the clock off by %s", r.Skew, tc.offset)
			}
		})
	}
}

// An address where nothing listens, a name that does not resolve, a
// back office whose certificate another CA signed, and no URL at all: each
// is named, so the screen says what to check.
func TestNetCheckFailures(t *testing.T) {
	bo := backofficetest.TLS(t)
	other := backofficetest.TLS(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "https://" + ln.Addr().String()
	ln.Close()
	for _, tc := range []struct {
		name, url, ca string
		want          Problem
	}{
		{"nothing listens", closed, bo.CAFile, ProblemRefused},
		{"no such name", "https://no-such-host.invalid:8443", bo.CAFile, ProblemDNS},
		{"another CA", other.URL, bo.CAFile, ProblemCertificate},
		{"not a URL", "bo.example:8443", bo.CAFile, ProblemAddress},
		{"plain http", "http://" + bo.URL[len("https://"):], bo.CAFile, ProblemAddress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NetCheck{CAFile: tc.ca, Timeout: 5 * time.Second}.Check(context.Background(), tc.url)
			if r.Problem != tc.want || r.Err == nil {
				t.Fatalf("problem %q (%v), want %q", r.Problem, r.Err, tc.want)
			}
		})
	}
}
