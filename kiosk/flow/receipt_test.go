package flow_test

import (
	"slices"
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
)

// TestReceiptStillToBring checks the receipt's 还需携带 list: it never
// names the card just read (the applicant's own, or the agent's for
// 代办), anything filled in or signed on the terminal, or a paper the
// e-licence library supplies; it does name what the resident must still
// bring, and the applicant's card when only the agent's was read or the
// resident identified by 随申码.
func TestReceiptStillToBring(t *testing.T) {
	mat := func(zh string, set func(*kiosk.Material)) kiosk.Material {
		m := kiosk.Material{Name: kiosk.Text{ZH: zh, EN: zh}, Required: true}
		if set != nil {
			set(&m)
		}
		return m
	}
	here := func(m *kiosk.Material) { m.AtTerminal = true }
	library := func(m *kiosk.Material) { m.FromLicenceLibrary, m.LicenceCatalogCode = true, "310105105000100" }
	optional := func(m *kiosk.Material) { m.Required = false }
	it := kiosk.Item{Code: "test-item", Name: kiosk.Text{ZH: "测试事项"}, Materials: []kiosk.Material{
		mat("居民身份证", nil),
		mat("代办人居民身份证原件", nil),
		mat("户口簿或户籍证明", library),
		mat("居民家庭经济状况核对授权书（在本机签名）", here),
		mat("申请表（在本机填写并签名）", here),
		mat("本人实名银行卡", nil),
		mat("医疗费用票据", optional),
		mat("监护人居民身份证", nil),
	}}
	card := kiosk.Identity{Card: kiosk.CardResident, Name: "测试甲", Number: "310104198507150017"}
	ssm := kiosk.Identity{Card: kiosk.CardSuishenma, Name: "测试甲", Number: "310104198507150017", Verification: "ev1"}
	typed := kiosk.Identity{Name: "测试乙", Number: "11010519491231002X"}
	tests := []struct {
		name string
		sub  kiosk.Submission
		want []string
	}{
		{"own card read", kiosk.Submission{Applicant: card},
			[]string{"本人实名银行卡", "监护人居民身份证"}},
		{"随申码, no card read", kiosk.Submission{Applicant: ssm},
			[]string{"居民身份证", "本人实名银行卡", "监护人居民身份证"}},
		{"代办: the agent's card read, the applicant's typed", kiosk.Submission{Applicant: typed, Agent: &kiosk.Agent{Identity: card, Relation: "parent"}},
			[]string{"居民身份证", "本人实名银行卡", "监护人居民身份证"}},
		{"代办 by 随申码: neither card read", kiosk.Submission{Applicant: typed, Agent: &kiosk.Agent{Identity: ssm, Relation: "parent"}},
			[]string{"居民身份证", "代办人居民身份证原件", "本人实名银行卡", "监护人居民身份证"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := flow.ReceiptOf(flow.Terminal{CenterName: "测试中心"}, it, tc.sub, nil)
			var got []string
			for _, m := range r.StillToBring {
				got = append(got, m.ZH)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("still to bring = %q, want %q", got, tc.want)
			}
		})
	}
}
