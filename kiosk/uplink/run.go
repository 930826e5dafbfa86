package uplink

import (
	"context"
	"errors"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
)

// Run keeps the terminal in touch with the back office until ctx ends. It
// is one loop over four jobs, each on its own schedule with its own
// backoff, each run in its own goroutine and never twice at once, so a job
// that hangs or fails delays no other:
//
//   - heartbeat every HeartbeatEvery (retried sooner after a failure,
//     never later than its period);
//   - alarms every AlarmEvery: device alarms and those raised with Alarm,
//     each delivered once and retried until delivered;
//   - bundle polls every PollEvery, or as soon as a heartbeat shows a newer
//     version;
//   - drain attempts every SyncEvery or at once on Notify, sending batches
//     until the queue is empty; after a failure the next attempt waits a
//     full-jitter backoff (or the server's Retry-After).
//
// Every request tells Reachable whether the back office answered. Run
// returns only ctx's error.
func (c *Client) Run(ctx context.Context) error {
	every := func(d, def time.Duration) time.Duration {
		if d <= 0 {
			return def
		}
		return d
	}
	hbEvery := every(c.cfg.HeartbeatEvery, time.Minute)
	jobs := []*job{
		{name: "heartbeat", every: hbEvery, capped: true, run: func(ctx context.Context) (time.Duration, error) {
			resp, err := c.Heartbeat(ctx)
			if err == nil && (resp.CatalogVersion > c.InstalledVersion(bundle.KindCatalog) || resp.ConfigVersion > c.InstalledVersion(bundle.KindConfig)) {
				c.pollSoon()
			}
			return 0, err
		}},
		{name: "alarms", every: every(c.cfg.AlarmEvery, hbEvery), capped: true, run: func(ctx context.Context) (time.Duration, error) {
			return 0, c.DeliverAlarms(ctx)
		}},
		{name: "bundles", every: every(c.cfg.PollEvery, 5*time.Minute), run: func(ctx context.Context) (time.Duration, error) {
			return 0, c.pollBundles(ctx)
		}},
		{name: "drain", every: every(c.cfg.SyncEvery, 30*time.Second), run: c.drainAttempt},
	}
	byName := map[string]*job{}
	for _, j := range jobs {
		byName[j.name] = j
	}
	due := make(chan *job, len(jobs))
	done := make(chan *job, len(jobs))
	schedule := func(j *job, d time.Duration) {
		if j.timer != nil {
			j.timer.Stop()
		}
		j.timer = c.clock.AfterFunc(d, func() {
			select {
			case due <- j:
			case <-ctx.Done():
			}
		})
	}
	start := func(j *job) {
		if j.running {
			j.again = true
			return
		}
		j.running, j.again = true, false
		go func() {
			j.wait, j.err = j.run(ctx)
			select {
			case done <- j:
			case <-ctx.Done():
			}
		}()
	}
	for _, j := range jobs {
		schedule(j, 0)
	}
	defer func() {
		for _, j := range jobs {
			if j.timer != nil {
				j.timer.Stop()
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-c.wake:
			start(byName["drain"])
		case <-c.pollNow:
			start(byName["bundles"])
		case <-c.alarmNow:
			start(byName["alarms"])
		case j := <-due:
			start(j)
		case j := <-done:
			j.running = false
			if ctx.Err() != nil {
				return ctx.Err()
			}
			schedule(j, c.next(j))
			if j.again {
				start(j)
			}
		}
	}
}

// job is one of Run's schedules. Only Run's goroutine touches its fields,
// except wait and err, which the job's goroutine sets before handing the
// job back on a channel.
type job struct {
	name    string
	every   time.Duration
	capped  bool // retry no later than every: a cheap call that must keep going
	run     func(ctx context.Context) (wait time.Duration, err error)
	timer   interface{ Stop() bool }
	running bool
	again   bool // asked for while running: run once more when done
	attempt int  // failures in a row
	wait    time.Duration
	err     error
}

// next is how long j waits before its next run, after the run just done.
func (c *Client) next(j *job) time.Duration {
	if j.err == nil {
		j.attempt = 0
		return j.every
	}
	j.attempt++
	d := c.backoff.Delay(j.attempt)
	if j.wait > d {
		d = min(j.wait, c.backoff.Cap)
	}
	if j.capped {
		d = min(d, j.every)
	}
	c.log.Info("back-office job failed; will retry", "job", j.name, "attempt", j.attempt, "wait", d.Round(time.Millisecond), "err", j.err)
	return d
}

// drainAttempt sends batches until the queue has nothing left or a send
// fails. A failing local queue raises an alarm once per episode.
func (c *Client) drainAttempt(ctx context.Context) (time.Duration, error) {
	for {
		st, err := c.SyncOnce(ctx)
		var se *StatusError
		switch {
		case errors.Is(err, ErrQueue):
			if !c.queueFailing.Swap(true) {
				c.Alarm(api.AlarmQueueDamaged, "queue", "the offline queue reported an error")
			}
			return 0, err
		case err != nil && itemCaused(err):
			continue // isolating or halving: resend at once
		case err != nil:
			var wait time.Duration
			if errors.As(err, &se) {
				wait = se.RetryAfter
			}
			return wait, err
		}
		c.queueFailing.Store(false)
		if st.Sent == 0 {
			return 0, nil
		}
	}
}

// pollSoon asks Run for a bundle poll now. It never blocks.
func (c *Client) pollSoon() {
	select {
	case c.pollNow <- struct{}{}:
	default:
	}
}

// pollBundles fetches every bundle kind once and returns the first failure.
func (c *Client) pollBundles(ctx context.Context) error {
	if c.cfg.BundleDir == "" {
		return nil
	}
	var first error
	for _, k := range []bundle.Kind{bundle.KindConfig, bundle.KindCatalog} {
		if _, err := c.UpdateBundle(ctx, k); err != nil && ctx.Err() == nil {
			c.log.Info("bundle update failed", "kind", k, "err", err)
			if first == nil {
				first = err
			}
		}
	}
	return first
}
