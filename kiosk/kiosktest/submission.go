package kiosktest

import (
	"fmt"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/idnumber"
)

// Submission returns the n-th made-up submission for tests and for
// `kioskctl queue fill`: a clearly fake name (测试甲…), an ID number with the
// Xuhui prefix 310104 and a valid ISO 7064 MOD 11-2 check digit, a phone
// number from the 13800 test range and a small fake signature image. It
// describes nobody.
func Submission(n int, id, localReceipt, terminal string, now time.Time) kiosk.Submission {
	birth := time.Date(1940+n%60, time.Month(1+n%12), 1+n%28, 0, 0, 0, 0, time.UTC)
	names := []string{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"}
	sig := make([]byte, 2048)
	copy(sig, "\x89PNG\r\n\x1a\n") // a PNG signature followed by a test pattern
	for i := 8; i < len(sig); i++ {
		sig[i] = byte(i*31 + n)
	}
	return kiosk.Submission{
		ID:           id,
		LocalReceipt: localReceipt,
		Center:       "310104-TEST",
		Terminal:     terminal,
		Item:         "TEST-DISABILITY-SUBSIDY",
		ItemName:     kiosk.Text{ZH: "残疾人补贴申请（测试）", EN: "Disability subsidy (test)"},
		Applicant: kiosk.Identity{
			Card:      kiosk.CardResident,
			Name:      "测试" + names[n%len(names)] + fmt.Sprintf("%d", n),
			Sex:       kiosk.SexFemale,
			Nation:    "汉",
			BirthDate: birth,
			Address:   fmt.Sprintf("上海市徐汇区测试路%d号", n%999+1),
			Number:    IDNumber("310104", birth, n%1000),
			Issuer:    "上海市公安局徐汇分局（测试）",
			ValidFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		},
		Answers:      kiosk.Answers{"phone": fmt.Sprintf("138000%05d", n%100000), "reason": "测试申请"},
		Signature:    sig,
		Lang:         kiosk.LangZH,
		CreatedAt:    now,
		ConsentGiven: true,
	}
}

// IDNumber builds an 18-character resident ID number from an area code, a
// birth date and a 3-digit sequence, with its GB 11643 check character
// computed by kiosk/idnumber.
func IDNumber(area string, birth time.Time, seq int) string {
	body := fmt.Sprintf("%s%s%03d", area, birth.Format("20060102"), seq%1000)
	c, ok := idnumber.CheckDigit(body)
	if !ok {
		panic(fmt.Sprintf("kiosktest.IDNumber: %q is not 17 digits", body))
	}
	return body + string(c)
}
