package hardware

import (
	"context"
	"errors"
	"fmt"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
)

// supervise finds, confirms and watches one device until ctx ends.
func (m *Manager) supervise(ctx context.Context, d *device) {
	kind := d.spec.Kind
	if d.spec.Watch != nil {
		d.spec.Watch(ctx, func(st kiosk.DeviceStatus) {
			st.Kind = kind
			m.setStatus(st)
		})
		return
	}
	failures := 0
	for ctx.Err() == nil {
		path, err := m.find(d.spec.Port)
		if err != nil {
			m.setStatus(kiosk.DeviceStatus{Kind: kind, State: kiosk.DeviceNoDevice, Detail: "未找到设备：" + d.spec.Port.String()})
			m.sleep(ctx, m.cfg.Backoff.next(failures), nil)
			failures++
			continue
		}
		conn, err := m.cfg.Open(path, d.spec.Mode)
		if err != nil {
			m.setStatus(openFailure(kind, path, err))
			m.sleep(ctx, m.cfg.Backoff.next(failures), nil)
			failures++
			continue
		}
		st, err := d.spec.check(conn)
		if err != nil {
			conn.Close()
			m.setStatus(kiosk.DeviceStatus{Kind: kind, State: kiosk.DeviceOffline, Detail: "设备没有应答：" + path})
			m.sleep(ctx, m.cfg.Backoff.next(failures), nil)
			failures++
			continue
		}
		failures = 0
		d.use <- struct{}{}
		d.conn = conn
		<-d.use
		m.setStatus(st)

		lost := m.watch(ctx, d, conn)

		d.use <- struct{}{}
		d.conn = nil
		conn.Close()
		<-d.use
		if ctx.Err() != nil {
			return
		}
		m.log.Info("device lost", "kind", kind, "error", lost)
		if _, err := m.find(d.spec.Port); err != nil {
			m.setStatus(kiosk.DeviceStatus{Kind: kind, State: kiosk.DeviceNoDevice, Detail: "设备已断开：" + path})
		} else {
			m.setStatus(kiosk.DeviceStatus{Kind: kind, State: kiosk.DeviceOffline, Detail: "设备没有应答：" + path})
		}
		// Look again at once: a replug is often quicker than the backoff.
	}
}

// watch keeps an online device under observation and returns why it was
// lost, or nil when ctx ended.
func (m *Manager) watch(ctx context.Context, d *device, conn serialport.Line) error {
	if d.spec.Attach != nil {
		err := d.spec.Attach(ctx, conn)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			err = errors.New("reader stopped")
		}
		return err
	}
	for {
		m.sleep(ctx, m.cfg.PollInterval, d.poke)
		if ctx.Err() != nil {
			return nil
		}
		d.use <- struct{}{}
		st, err := d.spec.check(conn)
		<-d.use
		if err != nil {
			return err
		}
		m.setStatus(st)
	}
}

// find returns the path of the port that is the configured device.
func (m *Manager) find(match serialport.Match) (string, error) {
	if !match.ByUSB() {
		if !m.cfg.Exists(match.Path) {
			return "", fmt.Errorf("%w: %s", errNoPort, match.Path)
		}
		return match.Path, nil
	}
	ports, err := m.cfg.List()
	if err != nil {
		return "", err
	}
	found := serialport.Find(ports, match)
	switch len(found) {
	case 0:
		return "", fmt.Errorf("%w: %s", errNoPort, match)
	case 1:
		return found[0].Path, nil
	}
	// Two adapters share the identity and the configuration does not say
	// which: take the first, and say so for the technician.
	m.log.Warn("several ports match; set serial_number or physical_path", "match", match.String(), "first", found[0].Path)
	return found[0].Path, nil
}

// openFailure is the status for a port that is there but does not open.
func openFailure(kind kiosk.DeviceKind, path string, err error) kiosk.DeviceStatus {
	switch {
	case errors.Is(err, serialport.ErrNotFound):
		return kiosk.DeviceStatus{Kind: kind, State: kiosk.DeviceNoDevice, Detail: "未找到设备：" + path}
	case errors.Is(err, serialport.ErrBusy):
		return kiosk.DeviceStatus{Kind: kind, State: kiosk.DeviceHardwareError, Detail: "端口被其他程序占用：" + path}
	case errors.Is(err, serialport.ErrPermission):
		return kiosk.DeviceStatus{Kind: kind, State: kiosk.DeviceHardwareError, Detail: "没有权限打开端口：" + path}
	}
	return kiosk.DeviceStatus{Kind: kind, State: kiosk.DeviceHardwareError, Detail: "端口打不开：" + path}
}
