package uplink

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/kiosk"
)

// Config wires a Client. BaseURL, Terminal, Center and Queue are required.
type Config struct {
	BaseURL  string       // https://backoffice:8443, or http://127.0.0.1:PORT in dev mode
	HTTP     *http.Client // nil: a client with a 30 s timeout (use Identity.HTTPClient for mutual TLS)
	Terminal string
	Center   string
	Version  string // the terminal software version, for heartbeats
	Queue    Queue

	Clock  kiosk.Clock    // nil: the system clock
	Rand   func() float64 // nil: math/rand/v2; the jitter of the backoff
	Logger *slog.Logger   // nil: discard

	BatchSize int // items per upload; 0: 50 (the server's maximum)

	// Bundles: installed under BundleDir (catalog.bundle, config.bundle)
	// when signed by one of BundleKeys, newer than the installed one, and
	// taken by CheckBundle (nil: any); OnBundle is then called with the
	// payload. A bundle CheckBundle refuses is not installed: an alarm
	// (bundle-refused) tells staff, and the same version is not fetched
	// again. BundleDir "" disables.
	BundleDir   string
	BundleKeys  []bundle.PublicKey
	CheckBundle func(kind bundle.Kind, version uint64, payload []byte) error
	OnBundle    func(kind bundle.Kind, version uint64, payload []byte) error

	Devices func() []kiosk.DeviceStatus // for heartbeats and alarms; nil: none
	// AuditHead is the audit chain's last (sequence, hex hash), sent with
	// every heartbeat and every batch so the back office anchors it
	// (kiosk/audit Log.Head); nil: not sent.
	AuditHead func() (seq uint64, head string)
	// SignAudit signs each audit head sent, an SM2 checkpoint
	// (Identity.CheckpointSigner); nil: heads go unsigned.
	SignAudit func(seq uint64, head string) ([]byte, error)
	// CheckAuditAnchor is told, once per run, the highest audit head the
	// back office anchored before (from the first heartbeat answer that
	// carries one), so the terminal can check its log still holds it;
	// nil: not checked.
	CheckAuditAnchor func(seq uint64, head string)
	State            func() kiosk.TerminalState // nil: available
	// Display makes the display copy (label → value) of a submission's
	// form, as the resident saw it. It must be deterministic. Nil: the
	// answers by field ID.
	Display func(kiosk.Submission) map[string]string
	// Seal, when set, puts each submission item in an SM2 envelope for the
	// back office (Identity.Sealer); nil sends items in clear inside TLS.
	Seal func(clientID string, item []byte) ([]byte, error)

	HeartbeatEvery time.Duration // 0: 60 s
	AlarmEvery     time.Duration // 0: HeartbeatEvery; Alarm wakes the loop sooner
	// Reachable, when set, is told after each request whether the back
	// office answered (a network failure or a 5xx is not an answer), so
	// the terminal can grey out online-only items.
	Reachable func(ok bool)
	PollEvery time.Duration // 0: 5 min
	SyncEvery time.Duration // 0: 30 s; Notify wakes the loop sooner

	// OnConnected, when set, is told the items connected to department
	// services at this center whenever a heartbeat's answer changes them
	// (Connected returns the latest at any time).
	OnConnected func(kiosk.Connected)
}

// Client talks to the back office for one terminal.
type Client struct {
	cfg      Config
	base     string
	http     *http.Client
	q        Queue
	clock    kiosk.Clock
	log      *slog.Logger
	backoff  Backoff
	verifier *bundle.Verifier
	wake     chan struct{} // Notify: drain now
	pollNow  chan struct{} // a heartbeat saw a newer bundle
	alarmNow chan struct{} // Alarm: deliver now

	queueFailing atomic.Bool // the queue alarm of this episode is raised
	anchorTold   atomic.Bool // CheckAuditAnchor was called
	checking     sync.Mutex  // held by checkHeld: one check at a time

	reachMu               sync.Mutex
	reachable, reachKnown bool // last told to Config.Reachable

	mu        sync.Mutex
	batchSize int // current size: halved after a 413 or a timeout
	fullSize  int // the configured size batchSize grows back to
	fitted    int // batches in a row that went through whole at batchSize
	// shortfall is how many fewer submissions the back office may hold
	// than the queue acknowledged without it being news: those purged here
	// before a loss was found (see checkHeld).
	shortfall int64
	resends   uint64 // losses found and resent by checkHeld
	isolate   int    // items still to send one by one after a refused batch
	skew      time.Duration
	skewKnown bool
	lastSync  time.Time
	installed map[bundle.Kind]uint64
	refused   map[bundle.Kind]uint64 // the newest version CheckBundle refused
	floors    map[bundle.Kind]floor  // rollback floors (floor.go)
	raised    map[string]bool        // alarms already raised, by kind+device
	alarms    []api.Alarm            // queued by Alarm, not yet delivered
	// connected: what the latest heartbeat's answer said is connected at
	// this center (departments.go).
	connected      kiosk.Connected
	connectedKnown bool
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" || cfg.Terminal == "" || cfg.Center == "" || cfg.Queue == nil {
		return nil, errors.New("uplink: BaseURL, Terminal, Center and Queue are required")
	}
	c := &Client{cfg: cfg, base: strings.TrimRight(cfg.BaseURL, "/"), http: cfg.HTTP, q: cfg.Queue, clock: cfg.Clock, log: cfg.Logger,
		wake: make(chan struct{}, 1), pollNow: make(chan struct{}, 1), alarmNow: make(chan struct{}, 1), installed: map[bundle.Kind]uint64{}, refused: map[bundle.Kind]uint64{}, floors: map[bundle.Kind]floor{}, raised: map[string]bool{}}
	if c.http == nil {
		c.http = &http.Client{Timeout: 30 * time.Second}
	}
	if c.clock == nil {
		c.clock = kiosk.SystemClock{}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	r := cfg.Rand
	if r == nil {
		r = rand.Float64
	}
	c.backoff = DefaultBackoff(r)
	c.batchSize = cfg.BatchSize
	if c.batchSize <= 0 || c.batchSize > api.MaxBatchItems {
		c.batchSize = api.MaxBatchItems
	}
	c.fullSize = c.batchSize
	c.verifier = bundle.NewVerifier(cfg.BundleKeys...)
	if cfg.BundleDir != "" {
		for _, k := range []bundle.Kind{bundle.KindCatalog, bundle.KindConfig} {
			f, ferr := loadFloor(cfg.BundleDir, k)
			if ferr != nil {
				c.log.Warn("rollback floor unreadable; the installed bundle sets it", "kind", k, "err", ferr)
			}
			if e, err := LoadInstalled(cfg.BundleDir, c.verifier, k); err == nil {
				c.installed[k] = e.Version
				f = f.raise(floor{Version: e.Version, CreatedAt: e.CreatedAt})
			} else if !errors.Is(err, ErrNoBundle) {
				c.log.Warn("installed bundle refused; will fetch again", "kind", k, "err", err)
			}
			c.floors[k] = f
			if ferr != nil && f.Version > 0 {
				if err := saveFloor(cfg.BundleDir, k, f); err != nil {
					c.log.Warn("rollback floor not rewritten", "kind", k, "err", err)
				}
			}
		}
	}
	return c, nil
}

// CloseIdleConnections closes the connections kept open for the next
// request: call it once Run has returned, when the terminal stops.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// Notify wakes the Run loop to send what was just queued. It never blocks.
func (c *Client) Notify() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Skew is the server's clock minus the terminal's, as measured at the last
// heartbeat, and whether it has been measured.
func (c *Client) Skew() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skew, c.skewKnown
}

// LastSync is when the queue last reached the back office (zero: never
// since the kiosk started), for technician mode's diagnostics.
func (c *Client) LastSync() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastSync
}

// sleep waits d on the injected clock, or until ctx ends.
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	done := make(chan struct{})
	t := c.clock.AfterFunc(d, func() { close(done) })
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}

// reached tells the terminal whether the back office answered, when it
// changed since the last request.
func (c *Client) reached(ok bool) {
	if c.cfg.Reachable == nil {
		return
	}
	// Held while telling, so reports from concurrent requests arrive in
	// the order they were decided.
	c.reachMu.Lock()
	defer c.reachMu.Unlock()
	if !c.reachKnown || c.reachable != ok {
		c.reachKnown, c.reachable = true, ok
		c.cfg.Reachable(ok)
	}
}

// StatusError is a non-2xx answer of the back office.
type StatusError struct {
	Status     int
	Problem    api.Problem
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	if e.Problem.Code != "" {
		return fmt.Sprintf("back office answered %d %s: %s", e.Status, e.Problem.Code, e.Problem.Message)
	}
	return fmt.Sprintf("back office answered %d", e.Status)
}

// Transient reports whether err may go away by itself: a network failure,
// a timeout, 408, 429 or a 5xx.
func Transient(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status == http.StatusRequestTimeout || se.Status == http.StatusTooManyRequests || se.Status >= 500
	}
	return err != nil && !errors.Is(err, context.Canceled)
}

// do sends a JSON request and decodes a 2xx JSON answer into out (if not
// nil). Other statuses come back as *StatusError.
func (c *Client) do(ctx context.Context, method, path string, in, out any, hdr ...string) (int, http.Header, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return 0, nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set(api.TerminalHeader, c.cfg.Terminal)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			c.reached(false)
		}
		return 0, nil, err
	}
	// A 5xx is a back office that cannot serve; anything else answered.
	c.reached(resp.StatusCode < 500)
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, bundle.MaxSize+1))
	if err != nil {
		return resp.StatusCode, resp.Header, fmt.Errorf("reading the answer: %w", err)
	}
	if resp.StatusCode == http.StatusNotModified {
		return resp.StatusCode, resp.Header, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		se := &StatusError{Status: resp.StatusCode}
		var eb api.ErrorBody
		if json.Unmarshal(data, &eb) == nil {
			se.Problem = eb.Error
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			se.RetryAfter = time.Duration(s) * time.Second
		}
		return resp.StatusCode, resp.Header, se
	}
	if out != nil {
		if raw, ok := out.(*[]byte); ok {
			*raw = data
		} else if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, resp.Header, fmt.Errorf("the answer is not the JSON expected: %w", err)
		}
	}
	return resp.StatusCode, resp.Header, nil
}
