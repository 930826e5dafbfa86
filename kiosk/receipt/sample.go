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

// SampleResult is a printed query result: a pension with a masked account.
func SampleResult(lang kiosk.Lang, at time.Time) kiosk.ResultSlip {
	r := kiosk.QueryResult{
		Item:   "pension-status",
		Title:  kiosk.Text{ZH: "个人享受城镇基本养老金情况", EN: "Your basic urban pension"},
		Source: kiosk.Text{ZH: "上海市社会保险事业管理中心（测试数据）", EN: "Shanghai Social Insurance Centre (test data)"},
		AsOf:   at.AddDate(0, 0, -2),
		Fields: []kiosk.ResultField{
			{Label: kiosk.Text{ZH: "姓名", EN: "Name"}, Value: "测试甲", Private: true},
			{Label: kiosk.Text{ZH: "身份证号码", EN: "ID number"}, Value: "310104195001010013", Private: true},
			{Label: kiosk.Text{ZH: "月养老金", EN: "Monthly pension"}, Value: "4,321.00元"},
			{Label: kiosk.Text{ZH: "发放银行账号", EN: "Paid to account"}, Value: "6222020000001234567", Private: true},
			{Label: kiosk.Text{ZH: "开始领取", EN: "Paid since"}, Value: "2010-02"},
		},
	}
	return kiosk.ResultSlip{
		CenterName: "上海市徐汇区测试街道社区事务受理服务中心",
		Result:     r.Masked(),
		PrintedAt:  at,
		Lang:       lang,
	}
}
