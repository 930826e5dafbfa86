package techmode

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// diagPage collects the diagnostics (the back office check can take
// seconds) and shows them with the technician's actions.
func (m *Mode) diagPage() {
	m.page()
	m.w.SetContent(container.NewCenter(m.text(m.t("title")+" · "+m.t("diag")+" …", 36, true, black)))
	go func() {
		d := m.o.Collect(m.ctx)
		fyne.Do(func() { m.showDiag(d) })
	}()
}

func (m *Mode) showDiag(d technician.Diagnostics) {
	m.page()
	left := container.NewVBox(m.text(m.t("devices"), 30, true, black))
	for _, dev := range d.Devices {
		var col color.Color = black
		if !(kiosk.DeviceStatus{Kind: dev.Kind, State: dev.State, Paper: dev.Paper}).Usable() {
			col = red
		}
		line := m.t("device", m.t("role."+string(dev.Kind)), m.said("device.state."+string(dev.State), string(dev.State)))
		if dev.Paper != "" {
			line += m.t("paper", m.said("device.paper."+string(dev.Paper), string(dev.Paper)))
		}
		left.Add(m.text(line, 26, false, col))
		var where []string
		if dev.Port != "" {
			where = append(where, dev.Port)
		}
		if dev.USBID != "" {
			where = append(where, "USB "+dev.USBID)
		}
		if dev.Serial != "" {
			where = append(where, "S/N "+dev.Serial)
		}
		if dev.Detail != "" {
			where = append(where, dev.Detail)
		}
		if len(where) > 0 {
			// Clipped: a long port path (/dev/serial/by-id/…) or a
			// driver's message never widens the page past the panel.
			left.Add(m.text("    "+clip(strings.Join(where, "  "), 64), 20, false, grey))
		}
	}
	right := container.NewVBox(m.text(m.t("diag"), 30, true, black))
	q := d.Queue
	if q.Waiting > 0 {
		right.Add(m.text(m.t("queue", q.Waiting, m.age(d.TakenAt, q.OldestWaiting), q.Quarantined), 24, false, black))
	} else {
		right.Add(m.text(m.t("queue.none", q.Quarantined), 24, false, black))
	}
	if d.LastSync.IsZero() {
		right.Add(m.text(m.t("sync.never"), 24, false, red))
	} else {
		right.Add(m.text(m.t("sync", d.LastSync.Local().Format("2006-01-02 15:04:05")), 24, false, black))
	}
	bo := d.BackOffice
	skew := time.Duration(bo.SkewSeconds * float64(time.Second)).Round(time.Second)
	switch {
	case bo.Problem == technician.ProblemClock:
		right.Add(m.text(m.t("bo.clock", skew), 24, false, red))
	case !bo.Reachable:
		right.Add(m.text(m.t("bo.down", m.problem(bo.Problem)), 24, false, red))
	default:
		right.Add(m.text(m.t("bo.ok", skew), 24, false, black))
	}
	var versions []string
	for _, v := range d.Versions {
		versions = append(versions, v.Name+" "+v.Version)
	}
	right.Add(m.text(m.t("versions", strings.Join(versions, m.t("sep"))), 24, false, black))
	right.Add(m.text(m.t("disk", bytesIn(d.Disk.FreeBytes), bytesIn(d.Disk.TotalBytes)), 24, false, black))
	for _, p := range d.Problems {
		right.Add(m.text(clip(p, 64), 20, false, red))
	}
	notice := m.text(m.notice, 26, true, green)
	if m.noticeBad {
		notice.Color = red
	}
	m.notice, m.noticeBad = "", false
	var install fyne.CanvasObject = layout.NewSpacer()
	if m.o.Install != nil {
		install = m.button("install", m.t("install"), widgets.Secondary, func() {
			m.record(audit.TechnicianAction, "install to the internal disk opened")
			m.o.Install(m.actor, m.diagPage)
		})
	}
	actions := container.NewGridWithColumns(3,
		m.button("export", m.t("export"), widgets.Primary, func() { m.chooseStick(d) }),
		m.button("redetect", m.t("redetect"), widgets.Secondary, m.devicesPage),
		m.button("refresh", m.t("refresh"), widgets.Secondary, m.diagPage),
		m.button("reset", m.t("reset"), widgets.Secondary, m.resetPage),
		install,
		m.button("leave", m.t("leave"), widgets.Secondary, m.leave),
	)
	m.w.SetContent(container.NewBorder(
		container.NewVBox(container.NewCenter(m.text(m.t("title")+" · "+d.Terminal, 40, true, black)), container.NewCenter(notice)),
		container.NewPadded(actions), nil, nil,
		container.NewPadded(container.NewGridWithColumns(2, left, right)),
	))
}

// chooseStick exports to the one stick plugged in, or lets the technician
// choose among several; with none it says to plug one in.
func (m *Mode) chooseStick(d technician.Diagnostics) {
	if m.o.Sticks == nil {
		m.export("", d)
		return
	}
	sticks := m.o.Sticks()
	switch len(sticks) {
	case 0:
		m.record(audit.TechnicianAction, "diagnostics export failed: no USB stick")
		m.notice, m.noticeBad = m.t("nostick"), true
		m.showDiag(d)
		return
	case 1:
		m.export(sticks[0], d)
		return
	}
	m.page()
	list := container.NewVBox(container.NewCenter(m.text(m.t("choose.stick"), 36, true, black)))
	for i, dir := range sticks {
		list.Add(container.NewCenter(m.button(fmt.Sprintf("stick:%d", i), dir, widgets.Secondary, func() { m.export(dir, d) })))
	}
	list.Add(container.NewCenter(m.button("back", m.t("back"), widgets.Secondary, func() { m.showDiag(d) })))
	m.w.SetContent(container.NewCenter(list))
}

func (m *Mode) export(dir string, d technician.Diagnostics) {
	path, err := m.o.Export(dir, d)
	if err != nil {
		m.record(audit.TechnicianAction, "diagnostics export failed")
		m.notice, m.noticeBad = m.t("error", err.Error()), true
	} else {
		m.record(audit.TechnicianAction, "diagnostics exported")
		if m.notice == "" {
			m.notice = m.t("exported", path)
		}
	}
	m.showDiag(d)
}

// age says how long ago t was, from now, in minutes or hours.
func (m *Mode) age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	if d < time.Hour {
		return m.t("minutes", int(d.Minutes()))
	}
	return m.t("hours", d.Hours())
}

// problem says what the back office check found, in words.
func (m *Mode) problem(p technician.Problem) string {
	if w, ok := words["problem."+string(p)]; ok {
		return w[m.o.Lang]
	}
	return string(p)
}

func bytesIn(n uint64) string {
	const gib = 1 << 30
	if n >= gib {
		return fmt.Sprintf("%.1f GiB", float64(n)/gib)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

// clip shortens s to n characters, ending in "…" when cut.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
