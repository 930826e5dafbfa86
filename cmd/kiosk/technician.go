package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/i18n"
	sys "github.com/tongban/tongban/kiosk/install"
	"github.com/tongban/tongban/kiosk/staffdesk"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/terminal"
	installui "github.com/tongban/tongban/kiosk/ui/install"
	"github.com/tongban/tongban/kiosk/ui/techmode"
)

// techEntry is technician mode on the kiosk's window: the attract screen's
// technician gesture opens it over the resident screens, and leaving puts
// them back.
type techEntry struct {
	ctx        context.Context
	w          fyne.Window
	cfg        config.Config
	configPath string // the configuration file, for a saved device assignment
	t          *terminal.Terminal
	log        *slog.Logger
	gate       *technician.Gate // one for the kiosk's run: the lockout outlasts a visit
	list       technician.Lister
	open       technician.Opener
	sticks     func() []string // the USB sticks' mount points (/proc/mounts)
	restart    func()          // after a reset: the kiosk stops, its service starts it into set-up
	redraw     func()          // the resident screens, drawn again on leaving
	installer  installService  // the root install service (kiosk/install), for the install screen
	lang       int             // technician mode's language, 0 Chinese, 1 English
	installing *installui.Screen
	shown      *techmode.Mode
	words      *i18n.Catalog // the screens' words, for the devices' states
	techWait   time.Duration // how long a device test waits for a card or a code; 0: 30 s
}

// simTechnicianCode opens technician mode on a simulated terminal.
const simTechnicianCode = "tech-246810"

// newTechEntry is technician mode for the running terminal, or nil (with
// the reason logged) when the configuration has no technician.code_hash
// or it is not a usable one.
func newTechEntry(ctx context.Context, w fyne.Window, cfg config.Config, configPath string, t *terminal.Terminal, log *slog.Logger, restart func()) *techEntry {
	hash := cfg.TechnicianCodeHash
	if hash == "" && cfg.Simulate {
		// A simulated terminal (make run) has technician mode on a known
		// code, as it has the staff menu on 246810.
		var err error
		if hash, err = staffdesk.HashCode(simTechnicianCode, 10_000); err != nil {
			log.Error("no technician mode on the simulated terminal", "err", err)
			return nil
		}
	}
	cred, err := technician.NewSecretHash(hash, cfg.StaffCodeHash)
	if err != nil {
		log.Info("no technician mode on this terminal", "why", err.Error())
		return nil
	}
	return &techEntry{
		ctx: ctx, w: w, cfg: cfg, configPath: configPath, t: t, log: log, restart: restart,
		gate:   &technician.Gate{Cred: cred, Audit: t.Audit(), Now: time.Now},
		list:   serialport.List,
		open:   technician.OpenSerial,
		sticks: mountedSticks,
		// The kiosk runs unprivileged: the install screen asks the root
		// service on its socket (tongban-install.socket).
		installer: sys.NewRemote(sys.SocketPath),
	}
}

// installService is the install screen's installer with its reboot
// (sys.Remote).
type installService interface {
	sys.Installer
	Reboot(ctx context.Context) error
}

// openInstall shows the install-to-disk screen in place of technician
// mode, for actor; its 返回 goes back to the diagnostics, and its
// 重新启动 after a verified install asks the service to reboot.
func (e *techEntry) openInstall(actor string, back func()) {
	e.log.Info("technician mode: install to the internal disk opened")
	e.installing = installui.Show(e.ctx, e.w, installui.Options{
		Lang: e.lang, Installer: e.installer, Audit: e.t.Audit(), Actor: actor,
		Restart: e.installer.Reboot,
		Leave: func() {
			e.installing = nil
			back()
		},
	})
}

// Open shows technician mode's login over the resident screens (on the
// UI goroutine: the gesture's tap).
func (e *techEntry) Open() {
	prev := e.w.Content()
	lang := 0
	if e.t.Session().View().Lang == kiosk.LangEN {
		lang = 1
	}
	e.lang = lang
	e.log.Info("technician mode opened")
	opener := e.t.TechnicianOpener(e.list, e.open)
	o := techmode.Options{
		Lang:  lang,
		Words: e.words,
		Gate:  e.gate,
		Collect: func(ctx context.Context) technician.Diagnostics {
			return technician.Collect(ctx, e.t.TechnicianSources(e.list))
		},
		Sticks: e.sticks,
		Export: technician.Export,
		Detect: e.t.TechnicianDetect(e.list, e.open, 300*time.Millisecond),
		Assigned: func() technician.Assignment {
			return e.t.ConfiguredPorts(e.list)
		},
		Tester: e.t.TechnicianTester(technician.SerialTester{Open: opener, Wait: e.techWait, SelfTest: func() kiosk.SelfTest {
			v, _ := e.t.Catalog()
			return kiosk.SelfTest{CenterName: e.cfg.CenterName, Terminal: e.cfg.Terminal,
				Versions: []kiosk.Component{{Name: "Tongban", Version: version}, {Name: "catalog", Version: v}}, PrintedAt: time.Now()}
		}}, e.techWait),
		SaveAssignment: func(lines string) error {
			return technician.SaveAssignment(e.configPath, lines, func(conf []byte) error {
				c := config.DefaultConfig()
				if err := config.ParseConfigFile(&c, bytes.NewReader(conf), e.configPath); err != nil {
					return err
				}
				return c.Validate()
			})
		},
		Reset:   e.t.TechnicianReset,
		Audit:   e.t.Audit(),
		Restart: e.restart,
		Leave: func() {
			e.log.Info("technician mode left")
			e.t.HoldForTechnician(false)
			e.shown = nil
			e.w.SetContent(prev)
			if e.redraw != nil {
				e.redraw()
			}
		},
	}
	if e.installer != nil {
		o.Install = e.openInstall
	}
	// While technician mode is on the screen, a code shown to the scanner
	// (a technician's test) never reaches the resident session beneath.
	e.t.HoldForTechnician(true)
	e.shown = techmode.Show(e.ctx, e.w, o)
}

// mountedSticks are the USB sticks mounted now (/proc/mounts).
func mountedSticks() []string {
	data, err := os.ReadFile("/proc/mounts")
	if err != nil {
		return nil
	}
	return technician.Sticks(bytes.NewReader(data))
}
