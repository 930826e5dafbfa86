package catalog

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/rule"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

func loadEmbedded(tb testing.TB) *Catalog {
	tb.Helper()
	c, err := Load(servicescatalog.FS())
	if err != nil {
		tb.Fatalf("embedded catalog: %v", err)
	}
	return c
}

func resident(name, address string, birth time.Time, sex kiosk.Sex) kiosk.Identity {
	return kiosk.Identity{
		Card: kiosk.CardResident, Name: name, Sex: sex, BirthDate: birth, Address: address,
		Number:    kiosktest.IDNumber("310104", birth, 123),
		ValidFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), ValidUntil: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }

func TestEmbeddedCatalog(t *testing.T) {
	c := loadEmbedded(t)
	if c.Len() < 120 {
		t.Errorf("%d items, want at least 120", c.Len())
	}
	depts := 0
	for _, d := range c.Departments() {
		if len(c.ByDepartment(d.Code)) > 0 {
			depts++
		}
	}
	if depts < 10 {
		t.Errorf("%d departments with items, want at least 10", depts)
	}
	for _, ev := range []string{"birth", "school", "employment", "marriage", "elderly", "assistance", "disability", "after-death"} {
		if len(c.ByLifeEvent(ev)) == 0 {
			t.Errorf("life event %s has no items", ev)
		}
	}
	for _, it := range c.Items() {
		if !it.Can(kiosk.ActionApply) {
			continue
		}
		prefilled := map[kiosk.Prefill]bool{}
		for _, f := range it.Form {
			prefilled[f.Prefill] = true
			// Whatever the card tells us is never typed again.
			switch f.ID {
			case "name", "id_number", "birth_date", "sex", "id_address":
				if f.Prefill == "" {
					t.Errorf("%s: field %s is not prefilled from the card", it.Code, f.ID)
				}
			}
		}
		if it.NeedsIdentity() && (!prefilled[kiosk.PrefillName] || !prefilled[kiosk.PrefillIDNumber]) {
			t.Errorf("%s: the form should prefill name and ID number", it.Code)
		}
	}
	if p := c.Popular(3); len(p) != 3 || p[0].Code != "senior-allowance" {
		t.Errorf("Popular(3) = %v", p)
	}
}

func TestParams(t *testing.T) {
	c := loadEmbedded(t)
	tests := []struct {
		on   time.Time
		want float64
	}{
		{date(2016, 3, 31), 790},
		{date(2020, 3, 31), 0}, // the steps of 2016-2019 are not in a source: unknown
		{date(2020, 4, 1), 1240},
		{date(2021, 7, 1), 1330},
		{date(2022, 7, 1), 0},
		{date(2024, 6, 30), 1510},
		{date(2025, 6, 30), 0},
		{date(2025, 7, 1), 1650},
	}
	for _, tc := range tests {
		got, err := c.Param("dibao_standard", tc.on)
		if tc.want == 0 {
			if err == nil {
				t.Errorf("dibao_standard on %s = %v, want an error (a step not known)", tc.on.Format(time.DateOnly), got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("dibao_standard on %s = %v, %v; want %v", tc.on.Format(time.DateOnly), got, err, tc.want)
		}
	}
	// A day whose standard is not known: the terminal does not refuse
	// on a figure it does not have; the counter decides.
	adult := kiosk.Identity{Card: kiosk.CardResident, Name: "测试甲", Number: "310104198507150017", BirthDate: date(1985, 7, 15), Address: "上海市黄浦区测试路1号"}
	if v, err := c.Eligible("dibao", adult, kiosk.Answers{"income_per_capita": "1600"}, date(2025, 6, 30)); err != nil || v.Status == NotEligible {
		t.Errorf("dibao in the unknown 2024 step: %+v, %v; want not refused", v, err)
	}
	if got, err := c.Param("dibao_minor_standard", date(2021, 7, 1)); err != nil || got != 1730 {
		t.Errorf("dibao_minor_standard on 2021-07-01 = %v, %v; want 1730", got, err)
	}
	if _, err := c.Param("dibao_standard", date(2010, 1, 1)); err == nil {
		t.Error("a date before the first value should be an error")
	}
	tiers := []struct {
		age  int
		want float64
		ok   bool
	}{{64, 0, false}, {65, 75, true}, {69, 75, true}, {70, 150, true}, {80, 180, true}, {99, 350, true}, {100, 600, true}}
	for _, tc := range tiers {
		got, ok, err := c.Tier("senior_allowance", date(2026, 1, 1), tc.age)
		if err != nil || ok != tc.ok || got != tc.want {
			t.Errorf("senior_allowance at %d = %v, %v, %v; want %v, %v", tc.age, got, ok, err, tc.want, tc.ok)
		}
	}
}

func TestEligibility(t *testing.T) {
	c := loadEmbedded(t)
	birth := date(1961, 6, 15)
	shanghai := "上海市徐汇区测试路1号"
	tests := []struct {
		name    string
		item    kiosk.ItemCode
		id      kiosk.Identity
		answers kiosk.Answers
		today   time.Time
		want    Status
		reason  string // part of the reason when not eligible
	}{
		// 敬老卡 and 老年综合津贴: 65, with application from the month before.
		{"day before 65th birthday: pre-application month", "senior-allowance", resident("测试甲", shanghai, birth, kiosk.SexFemale), nil, date(2026, 6, 14), Eligible, ""},
		{"65th birthday", "senior-allowance", resident("测试甲", shanghai, birth, kiosk.SexFemale), nil, date(2026, 6, 15), Eligible, ""},
		{"one month before, first day", "senior-card", resident("测试甲", shanghai, birth, kiosk.SexFemale), nil, date(2026, 5, 15), Eligible, ""},
		{"one month and a day before", "senior-card", resident("测试甲", shanghai, birth, kiosk.SexFemale), nil, date(2026, 5, 14), NotEligible, "前一个月"},
		{"not Shanghai hukou", "senior-allowance", resident("测试乙", "江苏省南京市测试路2号", birth, kiosk.SexMale), nil, date(2026, 7, 1), NotEligible, "本市户籍"},
		{"J permit holder has no hukou", "senior-allowance", func() kiosk.Identity {
			id := resident("测试丙", "", birth, kiosk.SexMale)
			id.Card, id.Number = kiosk.CardPermitHKMOTW, kiosktest.IDNumber("810000", birth, 456)
			return id
		}(), nil, date(2026, 7, 1), NotEligible, "本市户籍"},
		{"J permit holder may apply for a residence-type item", "flexible-employment-nonhukou", func() kiosk.Identity {
			id := resident("测试丙", "", date(1990, 1, 1), kiosk.SexMale)
			id.Card, id.Number = kiosk.CardPermitHKMOTW, kiosktest.IDNumber("810000", date(1990, 1, 1), 456)
			return id
		}(), nil, date(2026, 7, 1), Eligible, ""},
		{"expired card", "senior-allowance", func() kiosk.Identity {
			id := resident("测试甲", shanghai, birth, kiosk.SexFemale)
			id.ValidUntil = date(2026, 6, 30)
			return id
		}(), nil, date(2026, 7, 1), NotEligible, "过有效期"},
		{"card valid through its last day", "senior-allowance", func() kiosk.Identity {
			id := resident("测试甲", shanghai, birth, kiosk.SexFemale)
			id.ValidUntil = date(2026, 7, 1)
			return id
		}(), nil, date(2026, 7, 1), Eligible, ""},
		{"no identity", "senior-allowance", kiosk.Identity{}, nil, date(2026, 7, 1), NotEligible, "身份证"},
		{"query item needs no identity", "relief-calculator", kiosk.Identity{}, nil, date(2026, 7, 1), Eligible, ""},
		// Rules on answers wait for the form.
		{"dibao before the form", "dibao", resident("测试丁", shanghai, date(1980, 1, 1), kiosk.SexMale), nil, date(2026, 7, 1), Undecided, ""},
		{"dibao income below the standard", "dibao", resident("测试丁", shanghai, date(1980, 1, 1), kiosk.SexMale), kiosk.Answers{"income_per_capita": "1000"}, date(2026, 7, 1), Eligible, ""},
		{"dibao income above the 2025 standard", "dibao", resident("测试丁", shanghai, date(1980, 1, 1), kiosk.SexMale), kiosk.Answers{"income_per_capita": "1700"}, date(2026, 7, 1), NotEligible, "低保标准"},
		{"dibao: same income was below the 2020 standard's successor", "dibao", resident("测试丁", shanghai, date(1980, 1, 1), kiosk.SexMale), kiosk.Answers{"income_per_capita": "1600"}, date(2025, 7, 1), Eligible, ""},
		{"marriage age, man of 21", "marriage-appointment", resident("张测试", shanghai, date(2005, 1, 1), kiosk.SexMale), kiosk.Answers{"reg_type": "marry"}, date(2026, 7, 1), NotEligible, "法定婚龄"},
		{"marriage age, woman of 21", "marriage-appointment", resident("李测试", shanghai, date(2005, 1, 1), kiosk.SexFemale), kiosk.Answers{"reg_type": "marry", "partner_id": kiosktest.IDNumber("310104", date(2000, 1, 1), 123)}, date(2026, 7, 1), Eligible, ""},
		{"suishenma: hukou unknown", "senior-allowance", kiosk.Identity{Card: kiosk.CardSuishenma, Number: "token-1", BirthDate: birth}, nil, date(2026, 7, 1), Undecided, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := c.Eligible(tc.item, tc.id, tc.answers, tc.today)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != tc.want {
				t.Fatalf("status %v, want %v (reason %q, rule %q, waiting %v)", v.Status, tc.want, v.Reason.ZH, v.Rule, v.Waiting)
			}
			if tc.want == NotEligible {
				reason, instead := kiosktest.Words(t, v.Reason), kiosktest.Words(t, v.Instead)
				if !strings.Contains(reason.ZH+instead.ZH, tc.reason) {
					t.Errorf("reason %q %q does not mention %q", reason.ZH, instead.ZH, tc.reason)
				}
				// The resident reads the reason, then where to go instead.
				msg := kiosktest.Words(t, kiosk.MessageOf(v.Err()))
				if msg.ZH != reason.ZH+instead.ZH || (reason.EN != "" && !strings.HasPrefix(msg.EN, reason.EN)) {
					t.Errorf("message %+v, want %q then %q", msg, reason.ZH, instead.ZH)
				}
				if kiosk.KindOf(v.Err()) != kiosk.KindNotEligible {
					t.Errorf("Err() = %v, want a KindNotEligible error with a message", v.Err())
				}
			} else if v.Err() != nil {
				t.Errorf("Err() = %v for an OK verdict", v.Err())
			}
		})
	}
	if _, err := c.Eligible("no-such-item", kiosk.Identity{}, nil, date(2026, 1, 1)); err == nil {
		t.Error("unknown item should be an error")
	}
}

func TestAgeOnBirthdayEdge(t *testing.T) {
	age := func(id kiosk.Identity, today time.Time) float64 {
		t.Helper()
		v, known, _ := facts{id: id, today: today}.value("age")
		if !known || v.Type() != rule.Number {
			t.Fatalf("age of %s on %s unknown", id.BirthDate, today)
		}
		n, _ := strconv.ParseFloat(v.String(), 64)
		return n
	}
	id := resident("测试甲", "上海市", date(1961, 6, 15), kiosk.SexFemale)
	if got := age(id, date(2026, 6, 14)); got != 64 {
		t.Errorf("age the day before the 65th birthday = %v", got)
	}
	if got := age(id, date(2026, 6, 15)); got != 65 {
		t.Errorf("age on the 65th birthday = %v", got)
	}
	// Born on 29 February: 65 on 1 March of a common year.
	leap := resident("测试戊", "上海市", date(1960, 2, 29), kiosk.SexMale)
	if got := age(leap, date(2025, 2, 28)); got != 64 {
		t.Errorf("age on 28 Feb = %v, want 64", got)
	}
	if got := age(leap, date(2025, 3, 1)); got != 65 {
		t.Errorf("age on 1 Mar = %v, want 65", got)
	}
}
