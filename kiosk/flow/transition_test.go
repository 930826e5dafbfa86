package flow_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// TestTransitions is the session's transitions as a table: from a screen
// reached by a few events, one event leads to a screen and hands the
// driver these effects. Everything runs on the test's goroutine: the
// effects wait in the model's list, the clock stands still.
func TestTransitions(t *testing.T) {
	elder := func(m *model) { m.readCard(kiosktest.Elder()) }
	adult := func(m *model) { m.readCard(kiosktest.Adult()) }
	start := func(m *model) { m.s.Start() }
	sel := func(c kiosk.ItemCode) func(*model) { return func(m *model) { m.s.SelectItem(c) } }
	apply := func(m *model) { m.s.Apply() }
	answer := func(f, v string) func(*model) { return func(m *model) { m.s.SetAnswer(f, v) } }
	next := func(m *model) { m.s.Next() }
	consent := func(m *model) { m.s.SetConsent(true) }
	confirm := func(m *model) { m.s.Confirm() }
	sign := func(m *model) { m.s.Signed([]byte("png")) }
	printerOut := func(m *model) {
		m.w.printerOK = false
		m.s.DevicesChanged(kiosk.TerminalState{Available: true}, kiosk.Text{})
	}
	toReview := []func(*model){start, elder, sel(modelOpen.Code), apply, answer("phone", "13800138000"), next, next}

	for _, tc := range []struct {
		name    string
		setup   []func(*model)
		event   func(*model)
		state   flow.State
		effects []flow.EffectKind // handed to the driver by the event
		notice  string            // part of the notice; "" for none
	}{
		{"start asks for a card", nil, start, flow.Identify, []flow.EffectKind{flow.EffectReadCard}, ""},
		{"a card read greets", []func(*model){start}, elder, flow.Browse, nil, ""},
		{"a failed read reads again", []func(*model){start}, func(m *model) { m.failCard() }, flow.Identify, []flow.EffectKind{flow.EffectReadCard}, "读卡失败"},
		{"a 随申码 is sent to the back office, not taken", []func(*model){start}, func(m *model) {
			m.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "SSM:t"})
		}, flow.Identify, []flow.EffectKind{flow.EffectIdentify}, ""},
		{"a progress code queries", nil, func(m *model) {
			m.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "R1"})
		}, flow.Query, []flow.EffectKind{flow.EffectQuery}, ""},
		{"a refused item says why", []func(*model){start, adult}, sel(modelSenior.Code), flow.ItemDetail, nil, refusedSenior.ZH},
		{"a gated item says why", []func(*model){start, elder, printerOut}, sel(modelPrinted.Code), flow.ItemDetail, nil, noPrinter.ZH},
		{"apply opens the form", []func(*model){start, elder, sel(modelOpen.Code)}, apply, flow.FormPage, nil, ""},
		{"apply refused stays", []func(*model){start, adult, sel(modelSenior.Code)}, apply, flow.ItemDetail, nil, refusedSenior.ZH},
		{"a wrong phone stays on the page", []func(*model){start, elder, sel(modelOpen.Code), apply, answer("phone", "1380")}, next, flow.FormPage, nil, "红字"},
		{"an item without a form goes to review", []func(*model){start, elder, sel(modelNoForm.Code)}, apply, flow.Review, nil, ""},
		{"an income above the line is refused at review",
			[]func(*model){start, elder, sel(modelIncome.Code), apply, answer("phone", "13800138000"), answer("income", "5000")},
			next, flow.Review, nil, refusedIncome.ZH},
		{"no consent, no signing", toReview, confirm, flow.Review, nil, "表示同意"},
		{"consent leads to signing", append(slices.Clone(toReview), consent), confirm, flow.Sign, nil, ""},
		{"signing submits", append(slices.Clone(toReview), consent, confirm), sign, flow.Submitting, []flow.EffectKind{flow.EffectSubmit}, ""},
		{"an empty signature is refused", append(slices.Clone(toReview), consent, confirm), func(m *model) { m.s.Signed(nil) }, flow.Sign, nil, "签名"},
		{"a ticket is taken", []func(*model){start, elder, func(m *model) { m.s.OpenTickets() }}, func(m *model) { m.s.TakeTicket(kiosk.Msg("ticket.general_counter")) }, flow.Ticket, []flow.EffectKind{flow.EffectTicket}, ""},
		{"no ticket before a business is chosen", []func(*model){start, elder}, func(m *model) { m.s.TakeTicket(kiosk.Msg("ticket.general_counter")) }, flow.Browse, nil, ""},
		{"booking lists slots", []func(*model){start, elder, sel(modelSenior.Code)}, func(m *model) { m.s.OpenAppointment() }, flow.Appointment, []flow.EffectKind{flow.EffectSlots}, ""},
		{"staff login reports", []func(*model){func(m *model) { m.s.OpenStaff() }}, func(m *model) { m.s.StaffCode("246810") }, flow.StaffMenu, []flow.EffectKind{flow.EffectStaffReport}, ""},
		{"back from identify ends", []func(*model){start}, func(m *model) { m.s.Back() }, flow.Attract, nil, ""},
		{"end from the form ends", []func(*model){start, elder, sel(modelOpen.Code), apply}, func(m *model) { m.s.End() }, flow.Attract, nil, "取走"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newModel(t, seeded(1))
			for _, f := range tc.setup {
				f(m)
			}
			n := len(m.emitted)
			tc.event(m)
			v := m.s.View()
			if v.State != tc.state {
				t.Fatalf("state %v, want %v (notice %q)", v.State, tc.state, v.Notice.ZH)
			}
			got := m.emitted[n:]
			if !slices.Equal(got, tc.effects) {
				t.Errorf("effects %v, want %v", got, tc.effects)
			}
			if (tc.notice == "") != (v.Notice.IsZero()) || !strings.Contains(zh(t, v.Notice), tc.notice) {
				t.Errorf("notice %q, want %q", v.Notice.ZH, tc.notice)
			}
			if err := m.check(v); err != nil {
				t.Errorf("invariant: %v", err)
			}
		})
	}
}

// readCard completes the card read under way with id.
func (m *model) readCard(id kiosk.Identity) {
	m.t.Helper()
	reads := m.live(flow.EffectReadCard)
	if len(reads) != 1 {
		m.t.Fatalf("%d card reads running", len(reads))
	}
	m.w.next = kiosktest.CardResult{ID: id}
	m.run(reads[0])
}

// failCard fails the card read under way.
func (m *model) failCard() {
	m.t.Helper()
	reads := m.live(flow.EffectReadCard)
	if len(reads) != 1 {
		m.t.Fatalf("%d card reads running", len(reads))
	}
	m.w.next = kiosktest.CardResult{Err: &kiosk.Error{Kind: kiosk.KindCardMoved, Message: kiosk.Text{ZH: "读卡失败"}}}
	m.run(reads[0])
}
