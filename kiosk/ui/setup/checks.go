package setup

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// Checks are what the set-up checks before enrolling (kiosk/technician).
type Checks struct {
	// Net checks that the back office at url answers and the clock agrees
	// (technician.NetCheck with caFile).
	Net func(ctx context.Context, url, caFile string) technician.NetResult
	// Detect lists and probes every serial port (technician.Detect).
	Detect func(ctx context.Context) ([]technician.Finding, error)
	// Tester runs each role's test on its port.
	Tester technician.Tester
}

// checkState is where the checks stand, kept while the technician goes
// back to correct a field, so that what passed is not done again.
type checkState struct {
	url     string // the address the network was checked against
	plan    *technician.Plan
	net     technician.NetResult
	found   []technician.Finding
	assign  technician.Assignment
	outcome map[technician.Step]string // the last result of each step, in words
	failure map[technician.Step]string // advice for a step that failed
	running bool
}

// checkButtons are the names of the checks page's buttons.
var checkButtons = []string{"retry", "redetect", "back", "next", "port:" + string(kiosk.DeviceIDReader), "port:" + string(kiosk.DevicePrinter), "port:" + string(kiosk.DeviceScanner)}

var stepWords = map[technician.Step]string{
	technician.StepNetwork:  "check.network",
	technician.StepDetect:   "check.detect",
	technician.StepIDReader: "check.idreader",
	technician.StepPrinter:  "check.printer",
	technician.StepScanner:  "check.scanner",
}

var roleOf = map[technician.Step]kiosk.DeviceKind{
	technician.StepIDReader: kiosk.DeviceIDReader,
	technician.StepPrinter:  kiosk.DevicePrinter,
	technician.StepScanner:  kiosk.DeviceScanner,
}

// checksPage runs the checks one after another; a failed one stops them
// with what to check, 重试 (that step again), and for devices 换端口 and
// 重新查找设备 (换端口 tests the role on the next port at once). When all pass, the draft gets the devices' lines and the
// terminal enrols.
func (z *Wizard) checksPage(url, draft string) {
	if z.checks == nil || z.checks.url != url {
		z.checks = &checkState{url: url, plan: technician.NewPlan(technician.SetupSteps...),
			outcome: map[technician.Step]string{}, failure: map[technician.Step]string{}}
	}
	z.draft = draft
	z.runCheck()
}

// CheckLines returns one line per check as the page shows it, for tests.
func (z *Wizard) CheckLines() []string {
	z.mu.Lock()
	defer z.mu.Unlock()
	return append([]string(nil), z.checkLines...)
}

// runCheck runs the current check in the background, then the next, until
// one fails or all pass.
func (z *Wizard) runCheck() {
	c := z.checks
	step, ok := c.plan.Current()
	if !ok {
		if err := z.enrol(z.draft + c.assign.ConfigLines(c.found)); err != nil {
			c.failure[""] = err.Error()
			z.renderChecks()
		}
		return
	}
	c.running = true
	delete(c.failure, step)
	z.renderChecks()
	go func() {
		outcome, advice := z.doCheck(step)
		fyne.Do(func() {
			c.running = false
			var err error
			if advice != "" {
				err = fmt.Errorf("%s", advice)
				c.failure[step] = advice
			}
			c.outcome[step] = outcome
			_ = c.plan.Report(step, err)
			if err != nil {
				z.renderChecks()
				return
			}
			z.runCheck()
		})
	}()
}

// doCheck runs step and returns what happened and, on failure, advice.
func (z *Wizard) doCheck(step technician.Step) (outcome, advice string) {
	c, ch := z.checks, z.o.Checks
	if step != technician.StepNetwork {
		z.scannerFree() // the form's reading of the scanner has let go of its port
	}
	switch step {
	case technician.StepNetwork:
		r := ch.Net(z.ctx, c.url, z.o.CAFile)
		c.net = r
		if r.OK() {
			if r.SkewKnown {
				return fmt.Sprintf(z.t("net.ok"), r.Skew.Round(time.Second)), ""
			}
			return z.t("net.ok.nodate"), ""
		}
		advice = z.t("net." + string(r.Problem))
		if r.Problem == technician.ProblemClock {
			advice = fmt.Sprintf(advice, r.Skew.Round(time.Second))
		}
		return z.t("failed.short"), advice
	case technician.StepDetect:
		found, err := ch.Detect(z.ctx)
		c.found, c.assign = found, technician.Assign(found)
		if err != nil {
			return z.t("failed.short"), z.t("detect.none")
		}
		if m := c.assign.Missing(); len(m) > 0 {
			var names []string
			for _, k := range m {
				names = append(names, z.t("role."+string(k)))
			}
			return fmt.Sprintf(z.t("detect.found"), len(found)), fmt.Sprintf(z.t("detect.missing"), strings.Join(names, "、"))
		}
		return fmt.Sprintf(z.t("detect.found"), len(found)), ""
	}
	role := roleOf[step]
	// The test's own report is the driver's English: the words of the
	// chosen language say it all.
	_, err := ch.Tester.Test(z.ctx, role, c.assign[role])
	if err != nil {
		return z.t("failed.short"), z.t("test."+string(role)+".advice") + "\n(" + err.Error() + ")"
	}
	return z.t("test." + string(role) + ".ok"), ""
}

func (z *Wizard) renderChecks() {
	c := z.checks
	z.mu.Lock()
	for _, n := range checkButtons {
		delete(z.buttons, n)
	}
	z.mu.Unlock()
	cur, _ := c.plan.Current()
	var lines []string
	list := container.NewVBox()
	for _, s := range c.plan.Steps() {
		mark, col := "  ", color.Color(color.Gray{Y: 0x70})
		switch {
		case c.plan.Done(s):
			mark, col = "✓", color.NRGBA{G: 0x80, A: 0xff}
		case s == cur && c.running:
			mark, col = "…", color.Black
		case s == cur && c.failure[s] != "":
			mark, col = "✗", color.NRGBA{R: 0xb0, A: 0xff}
		}
		line := mark + " " + z.t(stepWords[s])
		if o := c.outcome[s]; o != "" && (c.plan.Done(s) || s == cur) && !(s == cur && c.running) {
			line += "  " + o
		}
		if s == cur && c.running {
			line += "  " + z.t("running."+string(s))
		}
		lines = append(lines, line)
		t := big(line, 28, s == cur)
		t.Color = col
		list.Add(t)
	}
	z.mu.Lock()
	z.checkLines = lines
	z.mu.Unlock()

	right := container.NewVBox()
	if len(c.found) > 0 {
		right.Add(big(z.t("ports.title"), 26, true))
		for _, f := range c.found {
			right.Add(big(f.Line(z.speech(), 56), 22, false))
		}
		right.Add(big(z.t("roles.title"), 26, true))
		for _, role := range technician.Roles {
			path := c.assign[role]
			if path == "" {
				path = z.t("role.none")
			}
			right.Add(big(z.t("role."+string(role))+" → "+path, 22, false))
		}
	}
	var buttons []fyne.CanvasObject
	if advice := c.failure[cur]; advice != "" && !c.running {
		why := widget.NewLabel(z.t("failed") + "\n" + advice)
		why.Wrapping = fyne.TextWrapWord
		why.TextStyle = fyne.TextStyle{Bold: true}
		list.Add(why)
		buttons = append(buttons, z.button("retry", widgets.NewButtonWith(z.t("retry"), widgets.Primary, z.runCheck)))
		if role, ok := roleOf[cur]; ok && len(c.found) > 1 {
			buttons = append(buttons, z.button("port:"+string(role), widgets.NewButton(z.t("port.next"), func() {
				c.assign.Next(role, c.found)
				z.runCheck()
			})))
		}
	}
	if !c.running && c.plan.Done(technician.StepDetect) {
		buttons = append(buttons, z.button("redetect", widgets.NewButton(z.t("redetect"), func() {
			c.plan.Redo(technician.StepDetect)
			z.runCheck()
		})))
	}
	if !c.running {
		buttons = append(buttons, z.button("back", widgets.NewButton(z.t("back"), z.formPage)))
	}
	wide := canvas.NewRectangle(color.Transparent)
	wide.SetMinSize(fyne.NewSize(900, 0))
	z.win.SetContent(container.NewVBox(
		container.NewCenter(big(z.t("title"), 44, true)),
		container.NewCenter(big(z.t("checks.heading"), 30, false)),
		container.NewGridWithColumns(2, container.NewVBox(wide, list), right),
		container.NewCenter(container.NewHBox(buttons...)),
	))
}

// speech says the probed ports in the set-up's language.
func (z *Wizard) speech() technician.Speech {
	sp := technician.Speech{NoUSB: z.t("usb.none"), Silent: z.t("port.silent"), CannotOpen: z.t("port.error"), Paper: z.t("paper"),
		Role: func(k kiosk.DeviceKind) string { return z.t("role." + string(k)) }}
	if z.words != nil {
		lang := kiosk.LangZH
		if z.lang == 1 {
			lang = kiosk.LangEN
		}
		l := z.words.NewLocalizer(lang)
		sp.Said = func(id, fallback string) string {
			if s := l.T(id); s != id {
				return s
			}
			return fallback
		}
	}
	return sp
}
