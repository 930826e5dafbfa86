package terminal

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/form"
)

// TestAgentApplicationReachesTheBackOffice walks a 代办 application on the
// whole terminal to the real back office on loopback: 测试甲's card is
// read, and he applies for the social security card of his daughter 测试丁
// (typed: name, ID number). The receipt names both, masked; the back
// office holds one submission whose applicant is the daughter and whose
// agent is the card holder, with the relation declared.
func TestAgentApplicationReachesTheBackOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators, the back office and the uplink")
	}
	const (
		daughter     = "310104201501010026" // synthetic, born 2015-01-01
		daughterName = "测试丁"
	)
	card := sim.SampleResident()
	st := newSimTerminal(t, nil)
	s := st.session
	st.waitState(t, flow.Attract)
	s.Start()
	st.waitState(t, flow.Identify)
	st.sims.Reader.Place(card)
	st.waitState(t, flow.Browse)
	s.SelectItem(e2eItem)
	v := st.waitState(t, flow.ItemDetail)
	if !v.AgentOK {
		t.Fatalf("no 代办 for %s: %q", e2eItem, v.Notice.ZH)
	}
	s.ApplyForOther()
	st.waitState(t, flow.FormPage)

	// The applicant's fields come first: the item's own name and number
	// fields, or the ones 代办 adds.
	agentForm, _ := form.ForAgent(catalogItem(t, e2eItem))
	given := map[string]string{form.FieldAgentRelation: "child"}
	for _, f := range agentForm.Form[:3] {
		switch {
		case f.ID == form.FieldAgentRelation:
		case f.Type == "id-number":
			given[f.ID] = daughter
		default:
			given[f.ID] = daughterName
		}
	}
	fillFormWith(t, s, given)
	st.waitState(t, flow.Review)
	s.SetConsent(true)
	s.Confirm()
	st.waitState(t, flow.Sign)
	s.Signed(smallPNG(t))
	done := st.waitState(t, flow.Done)

	r := done.Receipt
	if r == nil || r.Official == "" {
		t.Fatalf("receipt %+v: want the back office's official number", r)
	}
	if r.IDNumber != "310104********0026" || r.AgentName != "测*甲" || r.AgentIDNumber != "310104********0017" {
		t.Errorf("receipt names applicant %q %q, agent %q %q", r.Applicant, r.IDNumber, r.AgentName, r.AgentIDNumber)
	}
	eventually(t, "receipt printed with the agent", func() (bool, string) {
		text := strings.Join(st.sims.Printer.Lines(), "\n")
		return strings.Contains(text, "代办人") && strings.Contains(text, "310104********0017") && strings.Contains(text, "310104********0026"), text
	})
	text := strings.Join(st.sims.Printer.Lines(), "\n")
	for _, secret := range []string{card.Number, daughter, daughterName, card.Name} {
		if strings.Contains(text, secret) {
			t.Errorf("the receipt prints %q in clear", secret)
		}
	}

	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(st.cfg.DataDir, "backoffice", "backoffice.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := backoffice.SealStore(db, filepath.Join(st.cfg.DataDir, "backoffice", "keys")); err != nil {
		t.Fatal(err)
	}
	sub, err := db.SubmissionByReceipt(ctx, r.Official)
	if err != nil {
		t.Fatal(err)
	}
	var held api.SubmissionItem
	if err := json.Unmarshal(sub.Payload, &held); err != nil {
		t.Fatal(err)
	}
	if held.Applicant.IDNo != daughter || held.Applicant.FullName != daughterName || held.Applicant.Birthday != "2015-01-01" {
		t.Errorf("back office applicant %+v, want the daughter", held.Applicant)
	}
	if held.Agent == nil || held.Agent.IDNo != card.Number || held.Agent.FullName != card.Name || held.Agent.Relation != "child" {
		t.Errorf("back office agent %+v, want the card holder as agent of his child", held.Agent)
	}
	if held.Affairs.FormData.Fields[form.FieldAgentRelation] != "child" {
		t.Errorf("the declared relation is not among the answers: %v", held.Affairs.FormData.Fields)
	}
}
