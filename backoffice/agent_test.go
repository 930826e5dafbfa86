package backoffice

import (
	"encoding/json"
	"testing"

	"github.com/tongban/tongban/backoffice/api"
)

// TestAgentBlockChecked: a 代办 submission carries the agent beside the
// applicant; the back office takes a well-formed one and keeps it in the
// payload, and refuses one whose agent is incomplete, has a wrong check
// digit, or is the applicant.
func TestAgentBlockChecked(t *testing.T) {
	const agentID = "310101198806122340"
	withAgent := func(change func(*api.Agent)) api.SubmissionItem {
		it := sampleItem("XH0123", uid(7))
		a := &api.Agent{Applicant: api.Applicant{IDType: "1", IDNo: agentID, FullName: "李测试乙", Sex: "2"}, Relation: "parent"}
		if change != nil {
			change(a)
		}
		it.Agent = a
		return it
	}
	cases := []struct {
		name   string
		it     api.SubmissionItem
		refuse bool
	}{
		{"a well-formed agent", withAgent(nil), false},
		{"no relation", withAgent(func(a *api.Agent) { a.Relation = "" }), true},
		{"no name", withAgent(func(a *api.Agent) { a.FullName = "" }), true},
		{"a wrong check digit", withAgent(func(a *api.Agent) { a.IDNo = "310101198806122341" }), true},
		{"the applicant as their own agent", withAgent(nil), true},
	}
	cases[4].it.Agent.IDNo = cases[4].it.Applicant.IDNo
	for _, c := range cases {
		raw, err := json.Marshal(c.it)
		if err != nil {
			t.Fatal(err)
		}
		d := decodeItem(raw, "XH0123", nil)
		if (d.reject != "") != c.refuse {
			t.Errorf("%s: reject %q", c.name, d.reject)
			continue
		}
		if c.refuse {
			continue
		}
		var stored api.SubmissionItem
		if err := json.Unmarshal(d.sub.Payload, &stored); err != nil || stored.Agent == nil || stored.Agent.IDNo != agentID || stored.Agent.Relation != "parent" {
			t.Errorf("%s: stored agent %+v (%v)", c.name, stored.Agent, err)
		}
	}
}
