package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
)

// Thresholds of the alarms the console raises by itself.
const (
	queueAlarmDepth = 50
	skewAlarm       = 2 * time.Minute
)

// terminalView is one terminal as the fleet page shows it.
type terminalView struct {
	ID, Center, District string
	Online, Revoked      bool
	Never                bool
	Age                  time.Duration
	Enrolled             time.Time
	HB                   api.Heartbeat
	Oldest               time.Duration // of the oldest unsent submission; 0: none
	Skew                 string
	skew                 time.Duration
}

// district is the district code in a terminal code (SH-XH-0001 → XH).
func district(terminal string) string {
	parts := strings.Split(terminal, "-")
	if len(parts) >= 3 {
		return parts[1]
	}
	return ""
}

func (c *Console) views(ctx context.Context) ([]terminalView, error) {
	rows, err := c.st.Fleet(ctx)
	if err != nil {
		return nil, err
	}
	now := c.now()
	out := make([]terminalView, 0, len(rows))
	for _, r := range rows {
		v := terminalView{ID: r.ID, Center: r.Center, District: district(r.ID), Revoked: !r.RevokedAt.IsZero(), Never: r.HeartbeatAt.IsZero(), Enrolled: r.EnrolledAt, Skew: "—"}
		if !v.Never {
			v.Age = now.Sub(r.HeartbeatAt)
			v.Online = v.Age < c.silent && !v.Revoked
			if err := json.Unmarshal(r.Heartbeat, &v.HB); err == nil {
				if !v.HB.SentAt.IsZero() {
					v.skew = v.HB.SentAt.Sub(r.HeartbeatAt)
					v.Skew = fmt.Sprintf("%+.0fs", v.skew.Seconds())
				}
				if v.HB.OldestPendingAt != nil {
					v.Oldest = max(now.Sub(*v.HB.OldestPendingAt), time.Second)
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

type versionCount struct {
	Version string
	N       int
}

type fleetData struct {
	Center, District string
	Terminals        []terminalView
	Alarms           []store.Alarm
	State            string
	Versions         []versionCount
}

func (c *Console) fleet(q *req) {
	v := q.r.URL.Query()
	d := fleetData{Center: centerOf(q), District: strings.TrimSpace(v.Get("district")), State: v.Get("state")}
	all, err := c.views(q.r.Context())
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	mine := map[string]bool{}
	versions := map[string]int{}
	for _, t := range all {
		if (d.Center != "" && t.Center != d.Center) || (d.District != "" && t.District != d.District) {
			continue
		}
		if q.user.Role != store.RoleOperator && t.Center != q.user.Center {
			continue
		}
		mine[t.ID] = true
		d.Terminals = append(d.Terminals, t)
		if !t.Never {
			versions[fmt.Sprintf("%s / %d / %d", t.HB.Version, t.HB.CatalogVersion, t.HB.ConfigVersion)]++
		}
	}
	for k, n := range versions {
		d.Versions = append(d.Versions, versionCount{k, n})
	}
	sort.Slice(d.Versions, func(i, j int) bool { return d.Versions[i].Version < d.Versions[j].Version })
	alarms, err := c.st.ListAlarms(q.r.Context(), d.State, 200)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	for _, a := range alarms {
		if mine[a.Terminal] {
			d.Alarms = append(d.Alarms, a)
		}
	}
	c.render(q, http.StatusOK, "fleet", "fleet.title", d)
}

func (c *Console) alarmAction(q *req) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	action := q.r.PathValue("action")
	if err != nil || (action != "ack" && action != "resolve") {
		c.fail(q, http.StatusBadRequest, "err.input")
		return
	}
	// Staff and directors may handle only their own center's alarms.
	if q.user.Role != store.RoleOperator {
		alarms, err := c.st.ListAlarms(q.r.Context(), "", 1000)
		if err != nil {
			c.storeFailed(q, err)
			return
		}
		ok := false
		for _, a := range alarms {
			if a.ID == id {
				t, err := c.st.Terminal(q.r.Context(), a.Terminal)
				ok = err == nil && t.Center == q.user.Center
			}
		}
		if !ok {
			c.fail(q, http.StatusForbidden, "err.forbidden")
			return
		}
	}
	if action == "ack" {
		err = c.st.AckAlarm(q.r.Context(), id, q.user.Username, c.now())
	} else {
		err = c.st.ResolveAlarm(q.r.Context(), id, q.user.Username, c.now())
	}
	switch {
	case errors.Is(err, store.ErrBadTransition):
		c.fail(q, http.StatusConflict, "err.alarm")
		return
	case err != nil:
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "alarm."+action, strconv.FormatInt(id, 10), "")
	back(q, Prefix+"fleet", "ok.alarm")
}

func (c *Console) revoke(q *req) {
	id := q.r.PathValue("id")
	err := c.st.RevokeTerminal(q.r.Context(), id, c.now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.fail(q, http.StatusNotFound, "err.notfound")
		return
	case err != nil:
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "terminal.revoke", id, "")
	back(q, Prefix+"fleet", "ok.revoked")
}

// SystemUser is who the console names when it resolves an alarm by itself.
const SystemUser = "(system)"

// CheckAlarms raises the alarms no terminal can raise for itself: silent
// for longer than SilentAfter, a device gone, a growing queue, a skewed
// clock. Each kind is raised once per terminal until resolved; SystemUser
// resolves a silent alarm once the terminal is heard from again, and a
// device-gone alarm once it reports every device back. It returns how many
// it raised.
func (c *Console) CheckAlarms(ctx context.Context) (int, error) {
	views, err := c.views(ctx)
	if err != nil {
		return 0, err
	}
	now := c.now()
	n := 0
	raise := func(t terminalView, kind, device, detail string) error {
		ok, err := c.st.RaiseAlarmOnce(ctx, store.Alarm{Terminal: t.ID, Kind: kind, Device: device, Detail: detail, RaisedAt: now, ReceivedAt: now})
		if ok {
			n++
			c.log.Warn("ALARM", "terminal", t.ID, "kind", kind)
		}
		return err
	}
	for _, t := range views {
		if t.Revoked {
			continue
		}
		if t.Never {
			// Enrolled, and never heard from since.
			if now.Sub(t.Enrolled) > c.silent {
				if err := raise(t, "silent", "", alarmDetail("silent.since", "")); err != nil {
					return n, err
				}
			}
			continue
		}
		if !t.Online {
			if err := raise(t, "silent", "", alarmDetail("silent.for", fmt.Sprintf("%ds", int(t.Age.Seconds())))); err != nil {
				return n, err
			}
			continue
		}
		// Heard from again: its silent alarm is over.
		if _, err := c.st.ResolveAlarmsOf(ctx, t.ID, "silent", SystemUser, now); err != nil {
			return n, err
		}
		// A device the terminal no longer finds (unplugged, dead): the
		// terminal itself alarms only on faults and paper.
		if gone := goneDevices(t.HB.Devices); len(gone) > 0 {
			if err := raise(t, "device-gone", strings.Join(gone, ", "), alarmDetail("gone", "")); err != nil {
				return n, err
			}
		} else if _, err := c.st.ResolveAlarmsOf(ctx, t.ID, "device-gone", SystemUser, now); err != nil {
			return n, err
		}
		if t.HB.QueueDepth >= queueAlarmDepth {
			if err := raise(t, "queue-growing", "", alarmDetail("queue", strconv.Itoa(t.HB.QueueDepth))); err != nil {
				return n, err
			}
		}
		if t.skew > skewAlarm || t.skew < -skewAlarm {
			if err := raise(t, "clock-skew", "", alarmDetail("skew", t.Skew)); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// alarmDetail is the detail of an alarm the console raises: a word key
// and its one argument, put in the reader's language when shown (see
// detailWords). A terminal's own details are plain words, shown as sent.
func alarmDetail(key, arg string) string { return "@" + key + " " + arg }

// goneDevices lists the kinds of the devices a heartbeat reports missing
// (the states kiosk.DeviceNoDevice and kiosk.DeviceOffline on the wire).
func goneDevices(devs []api.DeviceStatus) []string {
	var gone []string
	for _, d := range devs {
		if d.State == "no-device" || d.State == "offline" {
			gone = append(gone, d.Kind)
		}
	}
	return gone
}

// Watch runs CheckAlarms every interval until ctx ends.
func (c *Console) Watch(ctx context.Context, interval time.Duration) {
	tk := time.NewTicker(interval)
	defer tk.Stop()
	for {
		if _, err := c.CheckAlarms(ctx); err != nil && ctx.Err() == nil {
			c.log.Error("alarm check", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tk.C:
		}
	}
}
