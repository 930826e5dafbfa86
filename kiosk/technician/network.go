package technician

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Problem names what a network and clock check found wrong, so that the
// screen can say what to check in plain words.
type Problem string

// Problems of the network and clock check.
const (
	ProblemNone        Problem = ""
	ProblemAddress     Problem = "address"     // the back office's address is not a URL
	ProblemDNS         Problem = "dns"         // the name does not resolve
	ProblemRefused     Problem = "refused"     // nothing listens there
	ProblemTimeout     Problem = "timeout"     // no answer in time: cable, Wi-Fi, firewall
	ProblemCertificate Problem = "certificate" // the back office is not the one the CA vouches for
	ProblemClock       Problem = "clock"       // the terminal's clock is too far from the back office's
	ProblemNoAnswer    Problem = "no-answer"   // connected, but no HTTP answer
)

// DefaultMaxSkew is how far the terminal's clock may be from the back
// office's: certificates, signed bundles and the audit trail's times all
// rely on it.
const DefaultMaxSkew = 2 * time.Minute

// NetCheck checks that the back office answers and that the terminal's
// clock agrees with the back office's.
type NetCheck struct {
	CAFile  string           // the back office's CA (PEM); "" trusts the system's roots
	Now     func() time.Time // the terminal's clock; also what TLS checks certificates against
	MaxSkew time.Duration    // 0: DefaultMaxSkew
	Timeout time.Duration    // 0: 10 s
}

// NetResult is what the check found.
type NetResult struct {
	Reachable bool          // the back office answered over HTTPS
	SkewKnown bool          // the back office said its time (Date)
	Skew      time.Duration // the back office's time minus the terminal's
	Problem   Problem
	Err       error // the underlying failure, for the details line
}

// OK reports whether the back office is reachable and the clock sane.
func (r NetResult) OK() bool { return r.Problem == ProblemNone }

// Check asks the back office at base for its time. A certificate refused as
// expired or not yet valid is a clock problem when the back office's time
// (asked again without trusting the certificate, for the time only) is far
// from the terminal's.
func (c NetCheck) Check(ctx context.Context, base string) NetResult {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return NetResult{Problem: ProblemAddress, Err: fmt.Errorf("%q is not an https:// address of the back office", base)}
	}
	now := c.Now
	if now == nil {
		now = time.Now
	}
	roots, err := c.roots()
	if err != nil {
		return NetResult{Problem: ProblemCertificate, Err: err}
	}
	date, err := c.askTime(ctx, u, &tls.Config{RootCAs: roots, Time: now, MinVersion: tls.VersionTLS12}, now)
	var inv x509.CertificateInvalidError
	if errors.As(err, &inv) && inv.Reason == x509.Expired {
		// The certificate is outside its validity by the terminal's
		// clock: ask for the time only, trusting nothing else.
		d, err2 := c.askTime(ctx, u, &tls.Config{InsecureSkipVerify: true, Time: now}, now) //nolint:gosec // the time only, to advise on the clock
		if err2 == nil && d.known && abs(d.skew) > c.maxSkew() {
			return NetResult{Reachable: true, SkewKnown: true, Skew: d.skew, Problem: ProblemClock, Err: err}
		}
		return NetResult{Reachable: true, Problem: ProblemCertificate, Err: err}
	}
	if err != nil {
		return NetResult{Problem: classifyNet(err), Err: err}
	}
	r := NetResult{Reachable: true, SkewKnown: date.known, Skew: date.skew}
	if date.known && abs(date.skew) > c.maxSkew() {
		r.Problem = ProblemClock
		r.Err = fmt.Errorf("the terminal's clock is %s from the back office's (at most %s is allowed)", abs(date.skew).Round(time.Second), c.maxSkew())
	}
	return r
}

func (c NetCheck) maxSkew() time.Duration {
	if c.MaxSkew > 0 {
		return c.MaxSkew
	}
	return DefaultMaxSkew
}

func (c NetCheck) roots() (*x509.CertPool, error) {
	if c.CAFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, fmt.Errorf("the back office's CA certificate cannot be read: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no certificate", c.CAFile)
	}
	return pool, nil
}

type serverTime struct {
	known bool
	skew  time.Duration
}

func (c NetCheck) askTime(ctx context.Context, u *url.URL, cfg *tls.Config, now func() time.Time) (serverTime, error) {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	tr := &http.Transport{TLSClientConfig: cfg, DisableKeepAlives: true, Proxy: nil}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: timeout}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u.Scheme+"://"+u.Host+"/", nil)
	if err != nil {
		return serverTime{}, err
	}
	sent := now()
	resp, err := client.Do(req)
	if err != nil {
		return serverTime{}, err
	}
	resp.Body.Close()
	got := now()
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return serverTime{}, nil
	}
	// The back office stamped its time between sent and got; the Date
	// header has whole seconds.
	mid := sent.Add(got.Sub(sent) / 2)
	return serverTime{known: true, skew: d.Sub(mid.Truncate(time.Second))}, nil
}

func classifyNet(err error) Problem {
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	switch {
	case errors.As(err, &dns):
		return ProblemDNS
	case errors.As(err, &cert), errors.As(err, &unknown), errors.As(err, &host):
		return ProblemCertificate
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return ProblemTimeout
	case strings.Contains(err.Error(), "connection refused"):
		return ProblemRefused
	}
	return ProblemNoAnswer
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// ProblemNotEnrolled is a terminal with no enrolled identity: it has no
// back office to ask.
const ProblemNotEnrolled Problem = "not-enrolled"

// Answered is the running terminal's own request to the back office (a
// heartbeat over its mutual TLS) as the check's result: err is how the
// request ended, skew the clock difference it measured.
func Answered(err error, skew time.Duration, skewKnown bool, maxSkew time.Duration) NetResult {
	if maxSkew <= 0 {
		maxSkew = DefaultMaxSkew
	}
	if err != nil {
		return NetResult{Problem: classifyNet(err), Err: err, Skew: skew, SkewKnown: skewKnown}
	}
	r := NetResult{Reachable: true, SkewKnown: skewKnown, Skew: skew}
	if skewKnown && abs(skew) > maxSkew {
		r.Problem = ProblemClock
		r.Err = fmt.Errorf("the terminal's clock is %s from the back office's (at most %s is allowed)", abs(skew).Round(time.Second), maxSkew)
	}
	return r
}
