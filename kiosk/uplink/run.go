package uplink

import (
	"context"
	"errors"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
)

// Run keeps the terminal in sync until ctx ends: it drains the queue (at
// once on Notify, else every SyncEvery), sends a heartbeat every
// HeartbeatEvery and polls for bundles every PollEvery or as soon as a
// heartbeat shows a newer version. Failures are logged and retried; Run
// returns only ctx's error.
func (c *Client) Run(ctx context.Context) error {
	every := func(d, def time.Duration) time.Duration {
		if d <= 0 {
			return def
		}
		return d
	}
	syncEvery := every(c.cfg.SyncEvery, 30*time.Second)
	hbEvery := every(c.cfg.HeartbeatEvery, time.Minute)
	pollEvery := every(c.cfg.PollEvery, 5*time.Minute)

	tick := make(chan string, 4)
	after := func(d time.Duration, what string) {
		c.clock.AfterFunc(d, func() {
			select {
			case tick <- what:
			case <-ctx.Done():
			}
		})
	}
	after(0, "heartbeat")
	after(0, "poll")
	syncPending := false // at most one sync timer at a time
	scheduleSync := func(d time.Duration) {
		if !syncPending {
			syncPending = true
			after(d, "sync")
		}
	}
	queueAttempt := 0
	for {
		if _, err := c.Drain(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// The local queue failed: tell the staff once, wait, try again.
			queueAttempt++
			c.log.Error("queue failed", "err", err)
			if errors.Is(err, ErrQueue) && queueAttempt == 1 {
				if aerr := c.RaiseAlarm(ctx, api.AlarmQueueDamaged, "queue", "the offline queue reported an error"); aerr != nil {
					c.log.Warn("alarm not delivered", "err", aerr)
				}
			}
			scheduleSync(c.backoff.Delay(queueAttempt))
		} else {
			queueAttempt = 0
			scheduleSync(syncEvery)
		}
	wait:
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-c.wake:
				break wait
			case what := <-tick:
				switch what {
				case "sync":
					syncPending = false
					break wait
				case "heartbeat":
					resp, err := c.Heartbeat(ctx)
					if c.cfg.Reachable != nil {
						c.cfg.Reachable(err == nil)
					}
					if err != nil {
						c.log.Info("heartbeat failed", "err", err)
					} else if resp.CatalogVersion > c.InstalledVersion(bundle.KindCatalog) || resp.ConfigVersion > c.InstalledVersion(bundle.KindConfig) {
						c.pollBundles(ctx)
					}
					after(hbEvery, "heartbeat")
				case "poll":
					c.pollBundles(ctx)
					after(pollEvery, "poll")
				}
			}
		}
	}
}

func (c *Client) pollBundles(ctx context.Context) {
	if c.cfg.BundleDir == "" {
		return
	}
	for _, k := range []bundle.Kind{bundle.KindConfig, bundle.KindCatalog} {
		if _, err := c.UpdateBundle(ctx, k); err != nil && ctx.Err() == nil {
			c.log.Info("bundle update failed", "kind", k, "err", err)
		}
	}
}
