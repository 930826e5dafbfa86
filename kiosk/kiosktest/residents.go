package kiosktest

import (
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Synthetic residents: the numbers carry valid GB 11643 check digits and the
// names are plainly fake. None of them is a real person.

// Elder is a 71-year-old resident of Xuhui (born 1955-03-08).
func Elder() kiosk.Identity {
	return kiosk.Identity{
		Card: kiosk.CardResident, Name: "张测试", Sex: kiosk.SexMale, Nation: "汉",
		BirthDate: time.Date(1955, 3, 8, 0, 0, 0, 0, time.UTC),
		Address:   "上海市徐汇区测试路1号", Number: "310104195503081233",
		Issuer:    "上海市公安局徐汇分局",
		ValidFrom: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

// Adult is a 38-year-old resident of Huangpu (born 1988-06-12).
func Adult() kiosk.Identity {
	return kiosk.Identity{
		Card: kiosk.CardResident, Name: "李测试乙", Sex: kiosk.SexFemale, Nation: "汉",
		BirthDate: time.Date(1988, 6, 12, 0, 0, 0, 0, time.UTC),
		Address:   "上海市黄浦区样例街2号", Number: "310101198806122340",
		Issuer:    "上海市公安局黄浦分局",
		ValidFrom: time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC), ValidUntil: time.Date(2038, 5, 1, 0, 0, 0, 0, time.UTC),
	}
}
