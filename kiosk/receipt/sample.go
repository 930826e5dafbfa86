package receipt

import (
	"time"

	"github.com/tongban/tongban/kiosk"
)

// The sample documents below hold synthetic data only (测试甲 and a
// made-up ID number with a valid check digit), for kioskctl, tests and
// printer set-up.

// SampleReceipt is an acceptance receipt for a queued submission.
func SampleReceipt(lang kiosk.Lang, at time.Time) kiosk.Receipt {
	return kiosk.Receipt{
		CenterName:   "上海市徐汇区测试街道社区事务受理服务中心",
		Terminal:     "XH0123",
		ItemName:     kiosk.Text{ZH: "老年综合津贴申请", EN: "Senior citizens' allowance"},
		LocalReceipt: "XH0123-20261128-0042",
		SubmittedAt:  at,
		Applicant:    kiosk.MaskName("测试甲"),
		IDNumber:     kiosk.MaskNumber("310104195001010013"),
		Promise:      kiosk.TimeLimit{Days: 30, Unit: "working-days"},
		StillToBring: []kiosk.Text{
			{ZH: "户口簿原件（首页及本人页）", EN: "Household register, original (first page and your page)"},
			{ZH: "本人银行卡", EN: "Your bank card"},
		},
		AfterDone:   kiosk.Text{ZH: "津贴按月发放到您的银行卡，可凭身份证到任一中心查询。", EN: "The allowance is paid monthly to your bank card; ask at any center with your ID card."},
		ProgressURL: "https://tongban.example/q/XH0123-20261128-0042",
		Queued:      true,
		Lang:        lang,
	}
}

// SampleTicket is a counter queue ticket.
func SampleTicket(lang kiosk.Lang, at time.Time) kiosk.Ticket {
	return kiosk.Ticket{
		CenterName: "上海市徐汇区测试街道社区事务受理服务中心",
		Number:     "A023",
		Service:    kiosk.Text{ZH: "社保医保综合窗口", EN: "Social and medical insurance"},
		Waiting:    5,
		IssuedAt:   at,
		Lang:       lang,
	}
}

// SampleAppointment is an appointment slip with what to bring.
func SampleAppointment(lang kiosk.Lang, at time.Time) kiosk.Appointment {
	return kiosk.Appointment{
		ID:         "K7W3QX",
		CenterName: "上海市徐汇区测试街道社区事务受理服务中心",
		Item:       kiosk.Text{ZH: "婚姻登记预约", EN: "Marriage registration"},
		Start:      at,
		Bring: []kiosk.Text{
			{ZH: "户口簿原件", EN: "Household register, original"},
			{ZH: "近期2寸免冠合影照片3张", EN: "Three recent 2-inch photos of you both"},
		},
		Lang: lang,
	}
}

// SampleSelfTest is a self-test page for a terminal with every device online.
func SampleSelfTest(lang kiosk.Lang, at time.Time) kiosk.SelfTest {
	return kiosk.SelfTest{
		CenterName: "上海市徐汇区测试街道社区事务受理服务中心",
		Terminal:   "XH0123",
		Versions: []kiosk.Component{
			{Name: "tongban", Version: "0.1.0"},
			{Name: "catalog", Version: "2026.11.1"},
		},
		Devices: []kiosk.DeviceStatus{
			{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceOnline},
			{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperFull},
			{Kind: kiosk.DeviceScanner, State: kiosk.DeviceNoDevice},
		},
		PrintedAt: at,
		Lang:      lang,
	}
}
