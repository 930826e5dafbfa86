package connector

import (
	"context"
	"time"
)

// DemoResident is a synthetic resident of the demonstration data: a
// clearly fake name and an ID number with a valid check digit that is no
// one's.
type DemoResident struct {
	Name    string
	IDNo    string
	Retired bool // retired residents draw a pension; working ones pay in
}

// The demonstration residents. DemoJia is also the back office's demo
// e-licence holder (backoffice.DemoHolderID).
var (
	DemoJia  = DemoResident{Name: "测试甲", IDNo: "310104195001011235", Retired: true}
	DemoYi   = DemoResident{Name: "测试乙", IDNo: "310115198803152040"}
	DemoBing = DemoResident{Name: "测试丙", IDNo: "310106196208083022", Retired: true}
)

// DemoResidents are everyone the demonstration data knows: the three
// above and the simulator's residents (devices/sim: the simulated phone's
// 随申码 and the sample ID cards), so that make run's visits find records.
var DemoResidents = []DemoResident{
	DemoJia, DemoYi, DemoBing,
	{Name: "测试甲", IDNo: "11010519491231002X", Retired: true}, // sim.SimResident (随申码)
	{Name: "测试甲", IDNo: "310104198507150017"},                // sim.SampleResident
	{Name: "张测试", IDNo: "310101195001010022", Retired: true}, // sim.SampleResidentLongTerm
	{Name: "阿依·测试", IDNo: "310115199003080047"},              // sim.SampleResidentMinority
}

// Departments that answer in the demonstration data.
var (
	srcSocialInsurance = Text{ZH: "上海市社会保险事业管理中心", EN: "Shanghai Social Insurance Administration Center"}
	srcHRSS            = Text{ZH: "上海市人力资源和社会保障局", EN: "Shanghai Human Resources and Social Security Bureau"}
	srcMedical         = Text{ZH: "上海市医疗保障局", EN: "Shanghai Healthcare Security Administration"}
	srcPolice          = Text{ZH: "上海市公安局", EN: "Shanghai Public Security Bureau"}
)

func f(zh, en, v string) Field { return Field{Label: Text{ZH: zh, EN: en}, Value: v} }
func private(zh, en, v string) Field {
	return Field{Label: Text{ZH: zh, EN: en}, Value: v, Private: true}
}
func fields(fs ...Field) []Field { return fs }

// demoItem is one item of the demonstration data: the fields a retired
// and a working resident have (nil: the department has no record).
type demoItem struct {
	item             string
	document         bool
	title            Text
	source           Text
	retired, working []Field
}

var demoItems = []demoItem{
	{item: "pension-received", title: Text{ZH: "个人享受城镇基本养老金情况", EN: "Pension received statement"}, source: srcSocialInsurance,
		retired: fields(f("本月养老金", "This month's pension", "4,210.50 元"), f("其中基本养老金", "Basic pension", "3,980.00 元"),
			f("其中增发", "Supplement", "230.50 元"), f("发放月份", "Month paid", "2026-11"), f("首次领取", "First paid", "2010-02"),
			f("发放银行", "Bank", "中国工商银行"), private("银行账号", "Account number", "6222********1234"))},
	{item: "pension-contribution-record", title: Text{ZH: "参加个人城镇基本养老保险缴费情况", EN: "Pension contribution record"}, source: srcSocialInsurance,
		working: fields(f("参保状态", "Status", "正常缴费"), f("累计缴费年限", "Years paid", "12年3个月"), f("本年缴费月数", "Months paid this year", "11"),
			f("本年缴费基数", "Contribution base", "8,500.00 元/月"), private("个人账户累计储存额", "Personal account balance", "96,420.18 元")),
		retired: fields(f("参保状态", "Status", "已退休"), f("累计缴费年限", "Years paid", "31年0个月"), f("本年缴费月数", "Months paid this year", "0"),
			f("本年缴费基数", "Contribution base", "无"), private("个人账户累计储存额", "Personal account balance", "0.00 元"))},
	{item: "medical-profile", title: Text{ZH: "医保个人信息", EN: "Medical-insurance profile"}, source: srcMedical,
		retired: fields(f("参保类型", "Scheme", "城镇职工基本医疗保险（退休）"), f("参保状态", "Status", "正常"), f("参保区", "District", "徐汇区"),
			private("当年账户余额", "This year's account", "1,250.00 元"), private("历年账户余额", "Earlier years' account", "8,300.00 元")),
		working: fields(f("参保类型", "Scheme", "城镇职工基本医疗保险（在职）"), f("参保状态", "Status", "正常"), f("参保区", "District", "浦东新区"),
			private("当年账户余额", "This year's account", "2,860.40 元"), private("历年账户余额", "Earlier years' account", "5,112.00 元"))},
	{item: "residence-points-query", title: Text{ZH: "居住证积分查询", EN: "Residence-permit points query"}, source: srcHRSS,
		working: fields(f("当前积分", "Points", "125"), f("标准分值", "Standard", "120"), f("是否达到标准分值", "Standard reached", "是"),
			f("积分通知书有效期至", "Notice valid until", "2028-03-31"), f("受理单位", "Handled by", "浦东新区居住证积分受理点"))},
	{item: "social-security-card-info", title: Text{ZH: "社保卡个人信息查询", EN: "Social-security card info"}, source: srcHRSS,
		retired: fields(f("卡状态", "Card status", "正常使用"), f("卡类型", "Card type", "第三代社会保障卡"), f("发卡日期", "Issued", "2022-05-16"),
			f("合作银行", "Bank", "中国工商银行"), private("社会保障卡号", "Card number", "B1****23X")),
		working: fields(f("卡状态", "Card status", "正常使用"), f("卡类型", "Card type", "第三代社会保障卡"), f("发卡日期", "Issued", "2023-01-09"),
			f("合作银行", "Bank", "交通银行"), private("社会保障卡号", "Card number", "B7****51Q"))},
	{item: "ytd-medical-spending", title: Text{ZH: "年度累计医疗费用信息查询", EN: "Year-to-date medical spending"}, source: srcMedical,
		retired: fields(f("年度累计医疗费用", "Spent this year", "12,380.40 元"), f("统筹基金支付", "Paid by the pool", "9,904.32 元"),
			f("个人账户支付", "Paid from the account", "1,250.00 元"), f("个人现金支付", "Paid in cash", "1,226.08 元"), f("起付标准", "Deductible", "700.00 元")),
		working: fields(f("年度累计医疗费用", "Spent this year", "3,410.00 元"), f("统筹基金支付", "Paid by the pool", "1,960.00 元"),
			f("个人账户支付", "Paid from the account", "980.00 元"), f("个人现金支付", "Paid in cash", "470.00 元"), f("起付标准", "Deductible", "1,500.00 元"))},
	{item: "hukou-certificate", document: true, title: Text{ZH: "户籍证明", EN: "Hukou certificate"}, source: srcPolice,
		retired: fields(f("户籍地址", "Registered address", "上海市徐汇区测试路1弄1号"), f("与户主关系", "Relation to head", "户主"),
			f("民族", "Ethnicity", "汉族"), f("户口登记日期", "Registered", "1950-01-15"), f("登记机关", "Registered by", "上海市公安局徐汇分局测试派出所")),
		working: fields(f("户籍地址", "Registered address", "上海市浦东新区样例路2号"), f("与户主关系", "Relation to head", "子"),
			f("民族", "Ethnicity", "汉族"), f("户口登记日期", "Registered", "1988-04-02"), f("登记机关", "Registered by", "上海市公安局浦东分局样例派出所"))},
	{item: "social-insurance-rights-record", document: true, title: Text{ZH: "社会保险个人权益记录单", EN: "Social-insurance rights record"}, source: srcSocialInsurance,
		working: fields(f("养老保险累计缴费月数", "Pension months paid", "147"), f("医疗保险累计缴费月数", "Medical months paid", "147"),
			f("失业保险累计缴费月数", "Unemployment months paid", "147"), f("当前参保单位", "Employer", "测试科技有限公司"), f("记录截至", "Up to", "2026-11")),
		retired: fields(f("养老保险累计缴费月数", "Pension months paid", "372"), f("医疗保险累计缴费月数", "Medical months paid", "372"),
			f("失业保险累计缴费月数", "Unemployment months paid", "0"), f("当前参保单位", "Employer", "无（已退休）"), f("记录截至", "Up to", "2026-11"))},
	{item: "pension-annual-statement", document: true, title: Text{ZH: "上年度养老保险个人权益记录单", EN: "Annual pension rights statement"}, source: srcSocialInsurance,
		working: fields(f("年度", "Year", "2025"), f("年度缴费月数", "Months paid", "12"), f("年度缴费基数", "Contribution base", "8,200.00 元/月"),
			f("个人缴纳", "Paid by you", "7,872.00 元"), private("年末个人账户储存额", "Account at year end", "87,012.66 元"))},
}

// rows are the item's records of the demonstration residents.
func (it demoItem) rows() []Row {
	var out []Row
	for _, who := range DemoResidents {
		fs := it.working
		if who.Retired {
			fs = it.retired
		}
		if fs != nil {
			out = append(out, Row{IDNo: who.IDNo, Name: who.Name, Fields: fs})
		}
	}
	return out
}

// LoadDemo stores the demonstration data at each center: records of the
// synthetic residents for the queries and documents DemoConfig connects.
// It can run again: it replaces the same records.
func (s *Store) LoadDemo(ctx context.Context, centers ...string) error {
	asOf := s.now().Add(-24 * time.Hour).Truncate(24 * time.Hour)
	for _, c := range centers {
		for _, it := range demoItems {
			if err := s.Put(ctx, ImportSpec{Center: c, Item: it.item, Title: it.title, Source: it.source, AsOf: asOf}, it.rows()); err != nil {
				return err
			}
		}
	}
	return nil
}

// DemoConfig connects the demonstration data's items, at every center, to
// the store connector named "demo".
func DemoConfig() Config {
	cfg := Config{
		Connectors: map[string]ConnectorConfig{"demo": {Kind: KindStore}},
		Centers:    map[string]CenterConfig{AnyCenter: {Queries: map[string]string{}, Documents: map[string]string{}}},
	}
	for _, it := range demoItems {
		if it.document {
			cfg.Centers[AnyCenter].Documents[it.item] = "demo"
		} else {
			cfg.Centers[AnyCenter].Queries[it.item] = "demo"
		}
	}
	return cfg
}
