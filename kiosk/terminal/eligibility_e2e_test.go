package terminal

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// TestDibaoIncomeAboveStandardRefusedAtReview walks a resident through the
// 低保 application on the whole terminal with a household income per head
// above the city's standard (1650 yuan a month since 2025-07): the rule
// reading that answer refuses at the review, in plain words, and nothing is
// queued. On main the rule was only ever asked with no answers and let the
// application through.
func TestDibaoIncomeAboveStandardRefusedAtReview(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators, the back office and the uplink")
	}
	st := newSimTerminal(t, nil)
	s := st.session
	st.waitState(t, flow.Attract)
	s.Start()
	st.waitState(t, flow.Identify)
	st.sims.Reader.Place(sim.SampleResident())
	st.waitState(t, flow.Browse)
	s.SelectItem("dibao")
	v := st.waitState(t, flow.ItemDetail)
	if !s.CanApply() {
		t.Fatalf("cannot start the 低保 application: %q", v.Notice.ZH)
	}
	s.Apply()

	spouse, _ := json.Marshal([]form.Member{{Name: "测试丙", Relation: "spouse", IDNumber: "310115199003080047",
		Hukou: "shanghai", Employment: "unemployed", Income: "0", Disability: "none"}})
	fillFormWith(t, s, map[string]string{
		"members":              string(spouse),
		"income_per_capita":    "5000",
		"bank_account":         "6222020000001",
		"bank_account_confirm": "6222020000001",
	})
	v = st.waitState(t, flow.Review)
	if w := kiosktest.Words(t, v.Notice); !strings.Contains(w.ZH, "不低于本市低保标准") || w.EN == "" {
		t.Fatalf("review with an income of 5000 a head: notice %q / %q, want the refusal in plain words", w.ZH, w.EN)
	}
	s.SetConsent(true)
	s.Confirm()
	if v := s.View(); v.State != flow.Review || !strings.Contains(kiosktest.Words(t, v.Notice).ZH, "低保标准") {
		t.Fatalf("a refused review went on: state %v, notice %q", v.State, kiosktest.Words(t, v.Notice).ZH)
	}
	entries, err := st.queue.List()
	if err != nil || len(entries) != 0 {
		t.Fatalf("queue holds %d entries (%v), want none", len(entries), err)
	}

	// Corrected to an income below the standard, the application goes on.
	s.Edit("income_per_capita")
	if v := s.View(); v.State != flow.FormPage {
		t.Fatalf("修改 led to %v", v.State)
	}
	s.SetAnswer("income_per_capita", "800")
	fillFormWith(t, s, nil)
	v = st.waitState(t, flow.Review)
	if !v.Notice.IsZero() {
		t.Fatalf("review with an income of 800 a head: notice %q", v.Notice.ZH)
	}
	s.Confirm()
	st.waitState(t, flow.Sign)
}

// fillFormWith is fillForm with some answers given by the test.
func fillFormWith(t *testing.T, s *flow.Session, given map[string]string) {
	t.Helper()
	places, err := form.LoadPlaces()
	if err != nil {
		t.Fatal(err)
	}
	for pages := 0; ; pages++ {
		v := s.View()
		if v.State != flow.FormPage {
			return
		}
		if pages > 20 {
			t.Fatalf("the form never ends: still on page %d of %d", v.Page+1, v.Pages)
		}
		for round := 0; round < 5; round++ {
			filled := 0
			for _, f := range v.Fields {
				if v.Prefilled[f.ID] || v.Answers[f.ID] != "" {
					continue
				}
				a, ok := given[f.ID]
				if !ok {
					if f.Type == kiosk.FieldFamily || f.Type == kiosk.FieldBank {
						t.Fatalf("field %s (%s) needs an answer from the test", f.ID, f.Type)
					}
					a = answerFor(t, f, places)
				}
				s.SetAnswer(f.ID, a)
				filled++
			}
			if filled == 0 {
				break
			}
			v = s.View()
		}
		page := v.Page
		s.Next()
		if after := s.View(); after.State == flow.FormPage && after.Page == page {
			t.Fatalf("page %d not accepted: %q %v", page+1, after.Notice.ZH, after.FieldErrors)
		}
	}
}
