package uplink

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"unicode/utf8"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/kiosk"
)

// Heartbeat reports the terminal's state and learns the server's time and
// bundle versions. Device alarms go on their own schedule: DeliverAlarms.
func (c *Client) Heartbeat(ctx context.Context) (api.HeartbeatResponse, error) {
	mark := c.markSettled() // before the back office counts what it holds
	resp, err := c.sendHeartbeat(ctx)
	if a := resp.AuditAnchor; err == nil && a != nil && c.cfg.CheckAuditAnchor != nil && c.anchorTold.CompareAndSwap(false, true) {
		c.cfg.CheckAuditAnchor(a.Seq, a.Head)
	}
	if err == nil && resp.Held != nil {
		if err := c.checkHeld(mark, *resp.Held); err != nil {
			c.log.Error("checking what the back office holds", "err", err)
		}
	}
	return resp, err
}

// sendHeartbeat is Heartbeat without looking at what the back office holds.
func (c *Client) sendHeartbeat(ctx context.Context) (api.HeartbeatResponse, error) {
	var devices []kiosk.DeviceStatus
	if c.cfg.Devices != nil {
		devices = c.cfg.Devices()
	}
	state := kiosk.TerminalState{Available: true}
	if c.cfg.State != nil {
		state = c.cfg.State()
	}
	c.mu.Lock()
	hb := api.Heartbeat{
		Terminal: c.cfg.Terminal, Version: c.cfg.Version, SentAt: c.clock.Now().UTC(), QueueDepth: c.q.Depth(),
		CatalogVersion: c.installed[bundle.KindCatalog], ConfigVersion: c.installed[bundle.KindConfig],
		Devices: []api.DeviceStatus{}, Available: state.Available, UnavailableCause: state.Reason,
		Audit: c.auditHead(),
	}
	if !c.lastSync.IsZero() {
		t := c.lastSync.UTC()
		hb.LastSyncAt = &t
	}
	c.mu.Unlock()
	for _, d := range devices {
		hb.Devices = append(hb.Devices, api.DeviceStatus{Kind: string(d.Kind), State: string(d.State), Paper: string(d.Paper), Detail: d.Detail})
	}
	sent := c.clock.Now()
	var resp api.HeartbeatResponse
	if _, _, err := c.do(ctx, http.MethodPost, "/v1/heartbeats", hb, &resp); err != nil {
		return resp, err
	}
	// The server stamped its time somewhere in the round trip; take the
	// middle. Good to a fraction of a second, which is all skew needs.
	mid := sent.Add(c.clock.Now().Sub(sent) / 2)
	skew := resp.ServerTime.Sub(mid)
	c.mu.Lock()
	c.skew, c.skewKnown = skew, true
	c.mu.Unlock()
	c.learnConnected(resp.Connected)
	if skew > maxQuietSkew || skew < -maxQuietSkew {
		c.log.Warn("terminal clock differs from the back office", "skew", skew.Round(1e9))
	}
	return resp, nil
}

// auditHead is the audit chain's head to anchor, or nil.
func (c *Client) auditHead() *api.AuditHead {
	if c.cfg.AuditHead == nil {
		return nil
	}
	seq, head := c.cfg.AuditHead()
	if seq == 0 {
		return nil
	}
	h := &api.AuditHead{Seq: seq, Head: head}
	if c.cfg.SignAudit != nil {
		sig, err := c.cfg.SignAudit(seq, head)
		if err != nil {
			// Unsigned, the back office does not anchor it; the next one
			// is signed again.
			c.log.Error("signing the audit checkpoint", "err", err)
		}
		h.Signature = sig
	}
	return h
}

// maxAlarmDetail is the longest alarm detail sent, in bytes (the back
// office takes up to 1024).
const maxAlarmDetail = 500

// clip cuts s to at most n bytes, on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// maxQuietSkew is how far the clocks may differ before it is logged.
const maxQuietSkew = 2 * 60 * 1e9

// alarmFor says which alarm a device status calls for, if any.
func alarmFor(d kiosk.DeviceStatus) (api.AlarmKind, bool) {
	switch {
	case d.Kind.Printer() && (d.Paper == kiosk.PaperOut || d.Paper == kiosk.PaperJammed):
		return api.AlarmPaperOut, true
	case d.State == kiosk.DeviceHardwareError:
		return api.AlarmDeviceFault, true
	}
	return "", false
}

// Alarm queues an alarm for staff (a damaged queue, a refused bundle):
// DeliverAlarms sends it, Run retrying until it is delivered. Detail is
// plain words, no personal data. It never blocks.
func (c *Client) Alarm(kind api.AlarmKind, device, detail string) {
	c.mu.Lock()
	c.alarms = append(c.alarms, api.Alarm{Terminal: c.cfg.Terminal, Kind: kind, Device: device, Detail: clip(detail, maxAlarmDetail), RaisedAt: c.clock.Now().UTC()})
	c.mu.Unlock()
	select {
	case c.alarmNow <- struct{}{}:
	default:
	}
}

// DeliverAlarms sends the alarms queued with Alarm and one for each device
// that has newly run out of paper or failed (once per episode: the next
// fault after the device was fine alarms anew). What is not delivered
// stays for the next call; the first failure is returned.
func (c *Client) DeliverAlarms(ctx context.Context) error {
	var devices []kiosk.DeviceStatus
	if c.cfg.Devices != nil {
		devices = c.cfg.Devices()
	}
	now := map[string]bool{}
	var first error
	for _, d := range devices {
		kind, ok := alarmFor(d)
		if !ok {
			continue
		}
		key := string(kind) + "/" + string(d.Kind)
		now[key] = true
		c.mu.Lock()
		done := c.raised[key]
		c.mu.Unlock()
		if done {
			continue
		}
		if err := c.RaiseAlarm(ctx, kind, string(d.Kind), d.Detail); err != nil {
			first = cmp.Or(first, err)
			continue
		}
		c.mu.Lock()
		c.raised[key] = true
		c.mu.Unlock()
	}
	// An episode ends when the device is fine again; the next fault alarms anew.
	c.mu.Lock()
	for key := range c.raised {
		if !now[key] {
			delete(c.raised, key)
		}
	}
	queued := c.alarms
	c.alarms = nil
	c.mu.Unlock()
	var left []api.Alarm
	for i, a := range queued {
		if first != nil && ctx.Err() != nil {
			left = append(left, queued[i:]...)
			break
		}
		_, _, err := c.do(ctx, http.MethodPost, "/v1/alarms", a, nil)
		switch {
		case err == nil:
		case !Transient(err) && !errors.Is(err, context.Canceled):
			// Refused for what it says: sending it again cannot help.
			c.log.Error("alarm refused by the back office; dropped", "kind", a.Kind, "err", err)
		default:
			first = cmp.Or(first, err)
			left = append(left, a)
		}
	}
	if len(left) > 0 {
		c.mu.Lock()
		c.alarms = append(left, c.alarms...)
		c.mu.Unlock()
	}
	return first
}

// RaiseAlarm tells the staff that the terminal needs a person: paper out, a
// device fault, or a damaged queue. Detail is plain words, no personal data.
func (c *Client) RaiseAlarm(ctx context.Context, kind api.AlarmKind, device, detail string) error {
	a := api.Alarm{Terminal: c.cfg.Terminal, Kind: kind, Device: device, Detail: detail, RaisedAt: c.clock.Now().UTC()}
	_, _, err := c.do(ctx, http.MethodPost, "/v1/alarms", a, nil)
	return err
}
