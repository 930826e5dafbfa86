package setup

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// zeroTouch sets the terminal up from the provision file with no
// questions. With Checks, the network and the clock are checked first
// against the file's back office (a failure stops with what to check and
// 重试), and the serial ports are probed and shown (the file names the
// devices, so a device that did not answer is shown, not waited for);
// then the file is applied, each step shown under the checks.
func (z *Wizard) zeroTouch() {
	if z.o.Checks == nil {
		z.progressPage(z.t("zero"), z.o.ProvFile)
		return
	}
	data, err := os.ReadFile(z.o.ProvFile)
	var f *provision.File
	if err == nil {
		f, err = provision.Parse(data, z.o.ProvFile)
	}
	if err != nil {
		// Applying names what is wrong with the file, as without checks.
		z.progressPage(z.t("zero"), z.o.ProvFile)
		return
	}
	ca := ""
	if f.CA != "" {
		ca = filepath.Join(filepath.Dir(z.o.ProvFile), f.CA)
	}
	z.mu.Lock()
	z.results = nil
	z.mu.Unlock()
	lines := container.NewVBox()
	buttons := container.NewHBox()
	z.win.SetContent(container.NewVBox(
		container.NewCenter(big(z.t("title"), 44, true)),
		container.NewCenter(big(z.t("zero"), 30, false)),
		lines, container.NewCenter(buttons),
	))
	show := func(line string) {
		z.mu.Lock()
		z.results = append(z.results, line)
		z.mu.Unlock()
		fyne.Do(func() { lines.Add(big(line, 30, false)); z.relayout() })
	}
	go func() {
		var done []string
		r := z.o.Checks.Net(z.ctx, f.Config.BackOffice, ca)
		if !r.OK() {
			line := "✗ " + z.t("check.network")
			show(line)
			advice := z.t("net." + string(r.Problem))
			if r.Problem == technician.ProblemClock {
				advice = fmt.Sprintf(advice, r.Skew.Round(time.Second))
			}
			fyne.Do(func() {
				why := widget.NewLabel(z.t("failed") + "\n" + advice)
				why.Wrapping = fyne.TextWrapWord
				why.TextStyle = fyne.TextStyle{Bold: true}
				lines.Add(why)
				buttons.Add(z.button("retry", widgets.NewButtonWith(z.t("retry"), widgets.Primary, z.zeroTouch)))
				z.relayout()
			})
			return
		}
		net := z.t("net.ok.nodate")
		if r.SkewKnown {
			net = fmt.Sprintf(z.t("net.ok"), r.Skew.Round(time.Second))
		}
		done = append(done, "✓ "+z.t("check.network")+"  "+net)
		show(done[len(done)-1])
		found, err := z.o.Checks.Detect(z.ctx)
		line := "✓ " + z.t("check.detect") + "  " + fmt.Sprintf(z.t("detect.found"), len(found))
		if err != nil {
			line = "⚠ " + z.t("check.detect") + "  " + z.t("detect.none")
		} else if missing := technician.Assign(found).Missing(); len(missing) > 0 {
			var names []string
			for _, k := range missing {
				names = append(names, z.t("role."+string(k)))
			}
			line = "⚠ " + z.t("check.detect") + "  " + fmt.Sprintf(z.t("detect.found"), len(found)) + "；" + fmt.Sprintf(z.t("zero.missing"), strings.Join(names, "、"))
		}
		done = append(done, line)
		fyne.Do(func() {
			z.mu.Lock()
			z.results = nil
			z.mu.Unlock()
			z.progressPage(z.t("zero"), z.o.ProvFile, done...)
		})
	}()
}
