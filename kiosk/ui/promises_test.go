package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
)

// drawnButton is a button on screen and whether it is greyed.
type drawnButton struct {
	label    string
	disabled bool
}

func (k *testKiosk) buttons() []drawnButton {
	var out []drawnButton
	k.u.mu.Lock()
	defer k.u.mu.Unlock()
	walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		if b, ok := o.(*touchButton); ok && b.Visible() {
			out = append(out, drawnButton{b.label, b.disabled})
		}
	})
	return out
}

// wellTerminal is a terminal whose devices and back office are all well:
// every need is met but a verified face match, which no terminal has.
func wellTerminal() func(kiosk.Item) (bool, kiosk.Text) {
	on := func(k kiosk.DeviceKind) kiosk.DeviceStatus {
		return kiosk.DeviceStatus{Kind: k, State: kiosk.DeviceOnline, Paper: kiosk.PaperFull}
	}
	snap := hardware.Snapshot{BackOffice: true, Terminal: kiosk.TerminalState{Available: true},
		Devices: map[kiosk.DeviceKind]kiosk.DeviceStatus{
			kiosk.DeviceIDReader: on(kiosk.DeviceIDReader), kiosk.DevicePrinter: on(kiosk.DevicePrinter),
			kiosk.DeviceScanner: on(kiosk.DeviceScanner), kiosk.DeviceA4Printer: on(kiosk.DeviceA4Printer),
		}}
	return func(it kiosk.Item) (bool, kiosk.Text) {
		a := snap.Availability(it)
		return a.Available, a.Reason
	}
}

// goldenItems are the item screens this test compares with masters: one
// needing a face match (counter only), one the terminal only guides.
var goldenItems = map[kiosk.ItemCode]string{"pension-card-change": "zh-item-verified", "death-grant": "zh-item-guide"}

// TestEveryItemKeepsItsPromises renders every item of the catalog on a
// terminal with all devices well but no department connected and no face
// match, and fails when a button offers an action the item does not
// declare, a button is live for what this terminal cannot do, a greyed
// action has no reason and no way to the counter, or a text promises
// what the item does not declare (当场办结 or 无需额外材料 on an item
// the terminal only guides, 当场打印 without a print action).
func TestEveryItemKeepsItsPromises(t *testing.T) {
	k := newGatedKiosk(t, fyne.NewSize(1920, 1080), wellTerminal())
	u := k.u
	k.identify(t)
	actionOf := map[string]kiosk.Action{
		u.t("item.apply"): kiosk.ActionApply, u.t("item.run_query"): kiosk.ActionQuery, u.t("query.title"): kiosk.ActionQuery,
		u.t("item.print_document"): kiosk.ActionPrint, u.t("item.book"): kiosk.ActionAppointment, u.t("item.ticket"): kiosk.ActionTicket,
	}
	counted := map[string]int{}
	for _, it := range k.cat.Items() {
		k.s.SelectItem(it.Code)
		waitScreen(t, u, flow.ItemDetail)
		settle(u)
		v := k.s.View()
		if v.Item == nil || v.Item.Code != it.Code {
			t.Fatalf("%s: the item screen shows %v", it.Code, v.Item)
		}
		greyed, live := 0, 0
		for _, b := range k.buttons() {
			a, isAction := actionOf[b.label]
			if !isAction {
				continue
			}
			if !it.Can(a) {
				t.Errorf("%s: a %q button, but the item does not declare %s", it.Code, b.label, a)
			}
			if b.disabled {
				greyed++
				continue
			}
			live++
			switch {
			case a == kiosk.ActionApply && it.Identity == kiosk.IdentityVerified:
				t.Errorf("%s: %q is live, but the item needs a face match this terminal cannot do", it.Code, b.label)
			case a == kiosk.ActionQuery && !flow.IsProgressQuery(it), a == kiosk.ActionPrint:
				t.Errorf("%s: %q is live, but no department is connected here", it.Code, b.label)
			}
		}
		if greyed > 0 {
			counted["greyed"]++
			if v.Notice.IsZero() || !onScreen(u, k.w, u.tr(v.Notice)) {
				t.Errorf("%s: a greyed action without its reason on screen; texts: %s", it.Code, k.texts())
			}
			if !k.canTap(u.t("item.ticket")) && !k.canTap(u.t("item.book")) {
				t.Errorf("%s: a greyed action and no way to the counter; texts: %s", it.Code, k.texts())
			}
		}
		if live == 0 && greyed == 0 {
			t.Errorf("%s: no action at all; texts: %s", it.Code, k.texts())
		}
		texts := k.texts()
		if strings.Contains(texts, u.t("item.on_the_spot")) && !it.Served() {
			t.Errorf("%s: 多久办好 says %q on an item the terminal only guides", it.Code, u.t("item.on_the_spot"))
		}
		if strings.Contains(texts, u.t("item.no_materials")) && (!it.Served() || strings.Contains(texts, "带齐材料")) {
			t.Errorf("%s: %q on an item the terminal only guides or beside 带齐材料", it.Code, u.t("item.no_materials"))
		}
		if strings.Contains(texts, "当场打印") && !it.Can(kiosk.ActionPrint) {
			t.Errorf("%s: 当场打印 without a print action", it.Code)
		}
		if strings.Contains(texts, "显示在屏幕") && !it.Can(kiosk.ActionQuery) {
			t.Errorf("%s: a result on screen without a query action", it.Code)
		}
		if it.Identity == kiosk.IdentityVerified {
			counted["verified"]++
			if !onScreen(u, k.w, u.t("browse.needs_face")) {
				t.Errorf("%s: needs a verified identity, but the screen does not say so; texts: %s", it.Code, texts)
			}
		}
		if name, ok := goldenItems[it.Code]; ok {
			golden.Assert(t, "screens/"+name, k.w.Canvas().Capture(), *update)
		}
		counted["items"]++
		k.s.Back()
		waitScreen(t, u, flow.Browse)
	}
	if counted["items"] != len(k.cat.Items()) || counted["verified"] == 0 {
		t.Errorf("rendered %v of %d items", counted, len(k.cat.Items()))
	}
	t.Logf("rendered %v", counted)
}
