package techmode

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// devicesPage finds the devices again: every port with its USB identity
// and what answered, each role's port (换端口 to correct it), a test per
// role, and saving the assignment.
func (m *Mode) devicesPage() {
	m.page()
	m.w.SetContent(container.NewCenter(m.text(m.t("detecting"), 36, true, black)))
	m.record(audit.TechnicianAction, "devices detected again")
	go func() {
		found, err := m.o.Detect(m.ctx)
		fyne.Do(func() {
			m.found = found
			m.assign = technician.Assign(found)
			if m.o.Assigned != nil {
				// What the configuration says wins where that port is
				// still there; the probe fills in the rest.
				for role, path := range m.o.Assigned() {
					for _, f := range found {
						if f.Port.Path == path {
							m.assign[role] = path
						}
					}
				}
			}
			if err != nil {
				m.notice = m.t("error", err.Error())
			}
			m.showDevices()
		})
	}()
}

func (m *Mode) showDevices() {
	m.page()
	list := container.NewVBox(m.text(m.t("ports"), 30, true, black))
	for _, f := range m.found {
		list.Add(m.text(f.Line(m.speech(), 48), 22, false, black))
	}
	list.Add(m.text(m.t("assigned"), 30, true, black))
	roles := container.NewGridWithColumns(3)
	for _, role := range technician.Roles {
		path := m.assign[role]
		if path == "" {
			path = m.t("none")
		}
		roles.Add(m.text(m.t("role."+string(role))+" → "+path, 24, false, black))
		roles.Add(m.button("port:"+string(role), m.t("next.port"), widgets.Secondary, func() {
			m.assign.Next(role, m.found)
			m.showDevices()
		}))
		roles.Add(m.button("test:"+string(role), m.t("test"), widgets.Secondary, func() { m.testRole(role) }))
	}
	list.Add(roles)
	notice := m.text(m.notice, 26, true, green)
	if m.noticeBad {
		notice.Color = red
	}
	m.notice, m.noticeBad = "", false
	actions := container.NewHBox(
		m.button("back", m.t("back"), widgets.Secondary, m.diagPage),
		m.button("save", m.t("save"), widgets.Primary, m.save),
	)
	m.w.SetContent(container.NewBorder(
		container.NewVBox(container.NewCenter(m.text(m.t("redetect"), 40, true, black)), container.NewCenter(notice)),
		container.NewCenter(actions), nil, nil, container.NewPadded(list)))
}

func (m *Mode) testRole(role kiosk.DeviceKind) {
	name := m.t("role." + string(role))
	m.page()
	m.w.SetContent(container.NewCenter(m.text(m.t("test.running", name), 32, true, black)))
	path := m.assign[role]
	go func() {
		got, err := m.o.Tester.Test(m.ctx, role, path)
		fyne.Do(func() {
			if err != nil {
				m.notice, m.noticeBad = m.t("test.failed", name, err.Error()), true
				m.record(audit.TechnicianAction, "device test failed: "+string(role))
			} else {
				m.notice = m.t("test.ok", name)
				if m.o.Lang == 1 {
					m.notice += ": " + got // the driver's words, English
				}
				m.record(audit.TechnicianAction, "device test passed: "+string(role))
			}
			m.showDevices()
		})
	}()
}

func (m *Mode) save() {
	if missing := m.assign.Missing(); len(missing) > 0 {
		m.notice, m.noticeBad = m.t("error", fmt.Sprint(missing)), true
		m.showDevices()
		return
	}
	if err := m.o.SaveAssignment(m.assign.ConfigLines(m.found)); err != nil {
		m.notice, m.noticeBad = m.t("error", err.Error()), true
	} else {
		m.notice = m.t("saved")
		m.record(audit.TechnicianAction, "device assignment saved")
	}
	m.showDevices()
}

// speech says the probed ports in the technician's language.
func (m *Mode) speech() technician.Speech {
	return technician.Speech{NoUSB: m.t("usb.none"), Silent: m.t("silent"), CannotOpen: m.t("port.error"), Paper: m.t("paper"),
		Role: func(k kiosk.DeviceKind) string { return m.t("role." + string(k)) }, Said: m.said}
}
