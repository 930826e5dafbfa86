package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/kiosk/flow"
)

// TestTechnicianGesture: five taps on the center's name open technician
// mode, four do not, the staff gesture (the clock) never does, and without
// a technician mode the name is no gesture at all.
func TestTechnicianGesture(t *testing.T) {
	const name = "徐汇区测试街道社区事务受理服务中心"
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	opened := 0
	k.u.opt.Technician = func() { opened++ }
	fyne.DoAndWait(k.u.redraw)
	for range 4 {
		k.tap(t, name)
	}
	if opened != 0 {
		t.Fatal("four taps on the center's name opened technician mode")
	}
	k.tap(t, name)
	if opened != 1 {
		t.Fatalf("five taps on the center's name opened technician mode %d times, want 1", opened)
	}
	if st := k.s.View().State; st != flow.Attract {
		t.Fatalf("the technician gesture moved the resident's session to %v", st)
	}
	// Five more start counting again: a second opening, not a stray one.
	for range 4 {
		k.tap(t, name)
	}
	if opened != 1 {
		t.Fatal("the count did not start again after technician mode opened")
	}
	// The staff gesture opens the staff menu's login, never technician mode.
	for range 5 {
		k.u.staffTap()
	}
	if opened != 1 {
		t.Fatal("the staff gesture opened technician mode")
	}

	k2 := newTestKiosk(t, fyne.NewSize(1920, 1080))
	k2.u.mu.Lock()
	var area bool
	walkPlaced(k2.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		if l, ok := labelOf(o); ok && l == name {
			area = true
		}
	})
	k2.u.mu.Unlock()
	if area {
		t.Fatal("without technician mode the center's name is still a tap target")
	}
}
