package flow_test

import (
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// TestApplyForSomeoneElse walks 代办 through the session: a 38-year-old
// resident, too young for the allowance herself, applies for her
// 80-year-old father. Her card is read; his name and number are typed; the
// relation is declared; the submission names him as the applicant and her
// as the agent, and the receipt shows both masked. An item that must be
// done in person offers no 代办, and an applicant too young is refused at
// the review.
func TestApplyForSomeoneElse(t *testing.T) {
	inPerson := allowance
	inPerson.Code, inPerson.InPerson = "in-person", kiosk.Text{ZH: "须本人办理", EN: "In person only"}
	old := func(_ kiosk.Item, who kiosk.Identity, _ kiosk.Answers, now time.Time) (bool, kiosk.Text) {
		if who.AgeOn(now) >= 65 {
			return true, kiosk.Text{}
		}
		return false, kiosk.Text{ZH: "年满65周岁方可申请", EN: "For residents aged 65 or over"}
	}
	h := newHarnessWith(t, func(d *flow.Deps) {
		d.Forms = form.Rules{Today: func() time.Time { return today }}
		d.Eligible = old
		d.Catalog = catalog{allowance.Code: allowance, inPerson.Code: inPerson}
	})
	h.identify(t, kiosktest.Adult())

	h.s.SelectItem(inPerson.Code)
	if h.s.View().AgentOK {
		t.Error("代办 offered for an item that must be done in person")
	}
	h.s.ApplyForOther()
	if h.s.View().State != flow.ItemDetail {
		t.Fatal("代办 started for an item that must be done in person")
	}

	h.s.Back()
	h.s.SelectItem(allowance.Code)
	if v := h.s.View(); h.s.CanApply() || !v.AgentOK {
		t.Fatalf("the agent herself is too young, yet can apply for someone else: CanApply %v AgentOK %v", h.s.CanApply(), v.AgentOK)
	}
	h.s.ApplyForOther()
	v := h.wait(t, flow.FormPage)
	if !v.Agent || v.Prefilled["name"] || v.Answers["name"] != "" {
		t.Fatalf("the agent's own name prefilled: %+v", v)
	}
	const father = "310104194603150035" // 1946-03-15, synthetic
	h.s.SetAnswer("name", "李测试甲")
	h.s.SetAnswer(form.FieldPrincipalID, "310104194603150036") // check digit wrong
	h.s.SetAnswer(form.FieldAgentRelation, "parent")
	h.s.SetAnswer("phone", "13800138000")
	h.s.Next()
	if v := h.s.View(); v.State != flow.FormPage || v.FieldErrors[form.FieldPrincipalID].IsZero() {
		t.Fatalf("a wrong check digit taken: %v %v", v.State, v.FieldErrors)
	}
	h.s.SetAnswer(form.FieldPrincipalID, kiosktest.Adult().Number) // her own
	h.s.Next()
	if v := h.s.View(); v.State != flow.FormPage || v.FieldErrors[form.FieldPrincipalID].ID != "form.err_agent_self" {
		t.Fatalf("the agent's own number taken as the applicant's: %v %v", v.State, v.FieldErrors)
	}
	h.s.SetAnswer(form.FieldPrincipalID, "310104201003150034") // a 16-year-old
	h.s.Next()
	h.wait(t, flow.Review)
	if h.s.View().Notice.IsZero() {
		t.Fatal("an applicant of 16 not refused at the review")
	}
	h.s.Edit(form.FieldPrincipalID)
	h.wait(t, flow.FormPage)
	h.s.SetAnswer(form.FieldPrincipalID, father)
	h.s.Next()
	h.wait(t, flow.Review)
	h.s.SetConsent(true)
	h.s.Confirm()
	h.wait(t, flow.Sign)
	h.s.Signed([]byte("png"))
	h.wait(t, flow.Done)

	subs := h.queue.Submissions()
	if len(subs) != 1 {
		t.Fatalf("queued %d", len(subs))
	}
	s := subs[0]
	if s.Applicant.Number != father || s.Applicant.Name != "李测试甲" || s.Applicant.Sex != kiosk.SexMale || s.Applicant.AgeOn(today) != 80 {
		t.Errorf("applicant %+v", s.Applicant)
	}
	if s.Agent == nil || s.Agent.Identity.Number != kiosktest.Adult().Number || s.Agent.Relation != "parent" {
		t.Fatalf("agent %+v", s.Agent)
	}
	r := h.printer.Printed()[0]
	if r.Applicant != "李**甲" || r.IDNumber != "310104********0035" || r.AgentName != "李**乙" || r.AgentIDNumber != "310101********2340" {
		t.Errorf("receipt names %q %q, agent %q %q", r.Applicant, r.IDNumber, r.AgentName, r.AgentIDNumber)
	}
}
