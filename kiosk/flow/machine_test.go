package flow

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// The transition function on its own: no session, no goroutine, no clock,
// no lock. Each row starts from a machine built by a few events, steps one
// event and checks the screen and the effects asked for.

type oneItem kiosk.Item

func (c oneItem) Item(code kiosk.ItemCode) (kiosk.Item, bool) {
	return kiosk.Item(c), code == c.Code
}

type onePage struct{}

func (onePage) Pages(it kiosk.Item, _ kiosk.Identity, _ kiosk.Answers) [][]kiosk.Field {
	if len(it.Form) == 0 {
		return nil
	}
	return [][]kiosk.Field{it.Form}
}
func (onePage) Validate(kiosk.Item, []kiosk.Field, kiosk.Identity, kiosk.Answers) map[string]kiosk.Text {
	return nil
}
func (onePage) Prefill(kiosk.Item, kiosk.Identity) kiosk.Answers { return nil }

// effectsNamed names effects for comparing: the work's kind, the timer's
// purpose.
func effectsNamed(effs []effect) []string {
	var out []string
	for _, e := range effs {
		switch e := e.(type) {
		case armTimer:
			out = append(out, fmt.Sprintf("arm %v", e.d))
		case stopTimer:
			out = append(out, "stop")
		case cancelWork:
			out = append(out, "cancel")
		case endVisit:
			out = append(out, "end-visit")
		case audit:
			out = append(out, "audit "+e.kind)
		case logLine:
		case work:
			out = append(out, "work "+e.kind.String())
		}
	}
	return out
}

func TestMachineTransitions(t *testing.T) {
	item := kiosk.Item{Code: "x", Actions: []kiosk.Action{kiosk.ActionApply},
		Form: []kiosk.Field{{ID: "phone", Type: kiosk.FieldPhone}}}
	now := time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)
	e := env{now: now, catalog: oneItem(item), forms: onePage{}, reader: true}
	who := kiosk.Identity{Card: kiosk.CardResident, Name: "测试甲", Number: "310104198507150017",
		BirthDate: time.Date(1985, 7, 15, 0, 0, 0, 0, time.UTC)}
	idle, done := NormalTiming().Idle, NormalTiming().Done

	for _, tc := range []struct {
		name  string
		setup []event
		ev    event
		state State
		want  []string
	}{
		{"start reads a card", nil, evStart{}, Identify,
			[]string{"audit session.started", "stop", "arm " + idle.String(), "cancel", "work read-card"}},
		{"a card read goes to browse", []event{evStart{}}, evCardRead{1, who}, Browse,
			[]string{"stop"}}, // paused: the card lies on the reader
		{"a failed read reads again and re-arms", []event{evStart{}}, evCardFailed{1, fmt.Errorf("moved")}, Identify,
			[]string{"cancel", "work read-card", "stop", "arm " + idle.String()}},
		{"a stale failed read is dropped", []event{evStart{}, evCardFailed{1, fmt.Errorf("moved")}}, evCardFailed{1, fmt.Errorf("moved")}, Identify,
			nil},
		{"lifting the card arms the timer", []event{evStart{}, evCardRead{1, who}}, evCardPresence{false}, Browse,
			[]string{"stop", "arm " + idle.String()}},
		{"the idle timer shows the countdown", []event{evStart{}}, evTimer{1, fireCountdown}, Identify,
			[]string{"arm 1s"}},
		{"a stale timer does nothing", []event{evStart{}, evTouch{}}, evTimer{1, fireCountdown}, Identify,
			nil},
		{"the last tick ends the visit", []event{evStart{}, evTimer{1, fireCountdown}}, evTimer{1, fireEnd}, Attract,
			[]string{"cancel", "end-visit", "audit session.ended", "stop"}},
		{"signing submits", []event{evStart{}, evCardRead{1, who}, evCardPresence{false}, evSelect{"x"}, evApply{}, evAnswer{"phone", "13800138000"}, evNext{}, evConsent{true}, evConfirm{}},
			evSigned{[]byte("png")}, Submitting, []string{"stop", "work submit"}},
		{"done waits for its own timer", []event{evStart{}, evCardRead{1, who}, evCardPresence{false}, evSelect{"x"}, evApply{}, evAnswer{"phone", "13800138000"}, evNext{}, evConsent{true}, evConfirm{}, evSigned{[]byte("png")}},
			evSubmitted{tag{1, 7}, kiosk.Receipt{LocalReceipt: "R1"}, nil}, Done, []string{"stop", "arm " + done.String()}},
		{"a result of another screen is dropped", []event{evStart{}, evCardRead{1, who}, evCardPresence{false}, evSelect{"x"}, evApply{}, evAnswer{"phone", "13800138000"}, evNext{}, evConsent{true}, evConfirm{}, evSigned{[]byte("png")}},
			evSubmitted{tag{1, 6}, kiosk.Receipt{LocalReceipt: "R1"}, nil}, Submitting, nil},
		{"end wipes and cancels", []event{evStart{}, evCardRead{1, who}}, evEnd{}, Attract,
			[]string{"cancel", "end-visit", "audit session.ended", "stop"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := machine{lang: kiosk.LangZH, v: visitData{answers: kiosk.Answers{}}}
			for _, ev := range tc.setup {
				m.step(e, ev)
			}
			got := effectsNamed(m.step(e, tc.ev))
			if m.state != tc.state {
				t.Errorf("state %v, want %v (notice %q)", m.state, tc.state, m.notice.ZH)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("effects %q, want %q", got, tc.want)
			}
			if m.state == Attract && (m.v.who.Present() || m.inVisit || len(m.v.answers) > 0) {
				t.Errorf("attract still holds the visit: %+v", m.v)
			}
		})
	}
}
