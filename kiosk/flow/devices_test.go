package flow_test

import (
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

func TestDevicesChangedRegatesTheItemOnScreen(t *testing.T) {
	paperOut := false
	noPaper := kiosk.Text{ZH: "打印机缺纸，暂不能办理此事项，请到人工窗口。"}
	clock := kiosktest.NewClock(today)
	reader := kiosktest.NewReader()
	s := flow.New(flow.Deps{Clock: clock, Reader: reader, Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
		Catalog: catalog{allowance.Code: allowance}, Forms: forms{},
		Gate: func(kiosk.Item) (bool, kiosk.Text) {
			if paperOut {
				return false, noPaper
			}
			return true, kiosk.Text{}
		}})
	s.SelectItem(allowance.Code)
	if !s.CanApply() {
		t.Fatal("cannot apply with paper")
	}
	paperOut = true
	s.DevicesChanged(kiosk.TerminalState{Available: true}, kiosk.Text{})
	if s.CanApply() || s.View().Notice != noPaper {
		t.Fatalf("paper out not shown on the item: %+v", s.View().Notice)
	}
	paperOut = false
	s.DevicesChanged(kiosk.TerminalState{Available: true}, kiosk.Text{})
	if !s.CanApply() {
		t.Fatalf("the item did not come back with the paper: %+v", s.View().Notice)
	}
	s.DevicesChanged(kiosk.TerminalState{Available: false, Reason: "hardware"}, kiosk.Text{ZH: "本机暂停服务"})
	if v := s.View(); v.Terminal.Available || v.TerminalWords.IsZero() {
		t.Fatalf("terminal state not in the view: %+v", v)
	}
}
