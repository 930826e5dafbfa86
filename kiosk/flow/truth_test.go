package flow

import (
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// The done screen's truth, as a table over the transition function: an
// identity the back office would refuse never reaches 已受理, and a refusal
// that arrives while the done screen is up replaces it.
func TestNoFalseAccepted(t *testing.T) {
	item := kiosk.Item{Code: "x", Actions: []kiosk.Action{kiosk.ActionApply},
		Form: []kiosk.Field{{ID: "phone", Type: kiosk.FieldPhone}}}
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	e := env{now: now, catalog: oneItem(item), forms: onePage{}, reader: true}
	card := kiosk.Identity{Card: kiosk.CardResident, Name: "测试甲", Number: "310104198507150017"}
	unnamed := card
	unnamed.Name = ""
	verifiedCode := kiosk.Identity{Card: kiosk.CardSuishenma, Name: "测试乙", Number: "310104198507150017"}
	toDone := []event{evStart{}, evCardRead{1, card}, evCardPresence{false}, evSelect{"x"}, evApply{},
		evAnswer{"phone", "13800138000"}, evNext{}, evConsent{true}, evConfirm{}, evSigned{[]byte("png")},
		evSubmitted{tag{1, 7}, kiosk.Receipt{LocalReceipt: "R1"}, nil}}

	for _, tc := range []struct {
		name     string
		events   []event
		state    State
		notice   string // the message ID on screen, "" for none
		rejected bool
	}{
		{"a card without a name cannot apply", []event{evStart{}, evCardRead{1, unnamed}, evSelect{"x"}, evApply{}},
			ItemDetail, "submit.identity_incomplete", false},
		{"a verified 随申码 applies", []event{evStart{}, evCardRead{1, verifiedCode}, evSelect{"x"}, evApply{}},
			FormPage, "", false},
		{"a card applies and is accepted", toDone, Done, "", false},
		{"a refusal of another receipt changes nothing", append(toDone[:len(toDone):len(toDone)], evRejected{"R2"}),
			Done, "", false},
		{"a refusal while the done screen is up says so", append(toDone[:len(toDone):len(toDone)], evRejected{"R1"}),
			Done, "", true},
		{"a second refusal after the first keeps saying so", append(toDone[:len(toDone):len(toDone)], evRejected{"R1"}, evTouch{}, evRejected{"R1"}),
			Done, "", true},
		{"a refusal after the visit ended shows nothing", append(toDone[:len(toDone):len(toDone)], evEnd{}, evRejected{"R1"}),
			Attract, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := machine{lang: kiosk.LangZH, v: visitData{answers: kiosk.Answers{}}}
			for _, ev := range tc.events {
				m.step(e, ev)
			}
			v := m.view(e)
			if v.State != tc.state || v.Notice.ID != tc.notice || v.Rejected != tc.rejected {
				t.Errorf("state %v notice %q rejected %v; want %v %q %v", v.State, v.Notice.ID, v.Rejected, tc.state, tc.notice, tc.rejected)
			}
		})
	}
}

// The guards before the signature hold on their own: a review or a
// signature pad reached with an identity the back office would refuse
// (however it got there) goes no further.
func TestRefusedBeforeSigning(t *testing.T) {
	e := env{now: time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC), forms: onePage{}}
	item := kiosk.Item{Code: "x", Actions: []kiosk.Action{kiosk.ActionApply}}
	for _, tc := range []struct {
		state State
		ev    event
	}{{Review, evConfirm{}}, {Sign, evSigned{[]byte("png")}}} {
		m := machine{state: tc.state, v: visitData{answers: kiosk.Answers{}, consent: true, item: &item,
			who: kiosk.Identity{Card: kiosk.CardSuishenma, Number: "SSM-token"}}}
		effs := m.step(e, tc.ev)
		if m.state != tc.state || m.notice.ID != "submit.suishenma_unverified" {
			t.Errorf("%v + %T: went to %v with notice %q", tc.state, tc.ev, m.state, m.notice.ID)
		}
		for _, ef := range effs {
			if w, ok := ef.(work); ok {
				t.Errorf("%v + %T asked for work %v", tc.state, tc.ev, w.kind)
			}
		}
	}
}

// A 随申码's text is never an identity: scanning one only asks the back
// office; until it answers, the visit has nobody identified.
func TestSuishenmaTokenIsNoIdentity(t *testing.T) {
	e := env{now: time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC), forms: onePage{}}
	m := machine{lang: kiosk.LangZH, v: visitData{answers: kiosk.Answers{}}}
	for _, ev := range []event{evStart{}, evScanned{kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "SSM:anything"}},
		evScanned{kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "SSM:anything-else"}}} {
		m.step(e, ev)
	}
	if m.v.who.Present() || m.state != Identify {
		t.Fatalf("after two 随申码 tokens: state %v, identity present %v", m.state, m.v.who.Present())
	}
	m.step(e, evIdentified{t: tag{}, who: kiosk.Identity{Card: kiosk.CardSuishenma, Name: "测试甲", Number: "SSM:anything"}})
	if m.v.who.Present() {
		t.Fatal("an answer that is not the current one's, without an event, was taken")
	}
}
