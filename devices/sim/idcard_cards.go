package sim

import (
	"encoding/binary"
	"unicode/utf16"
)

// SyntheticCard is a made-up identity document for the simulated reader.
// Every string is written into the 256-byte text block as UCS-2LE, padded
// with spaces, at the offsets of its card type (reference/devices.md §1.6).
// All sample cards are fake people with valid check digits.
type SyntheticCard struct {
	Type        byte   // ' ' resident, 'J', 'I' or 'Y'
	Name        string // Chinese name
	NameEN      string // I and Y cards
	Sex         string // "0", "1", "2" or "9"
	Nation      string // resident: GB 3304 code
	Nationality string // I and Y cards: alpha-3
	Birth       string // YYYYMMDD
	Address     string
	Number      string
	Issuer      string
	ValidFrom   string // YYYYMMDD
	ValidUntil  string // YYYYMMDD or 长期
	PassNumber  string // J
	IssueCount  string // J
	Renewals    string // Y
	CardVersion string // I
	Authority   string // I

	AppendedAddress string // answered to 30 03; empty gives 91
	Photo           []byte // nil gives 1024 patterned bytes
	Fingerprint     []byte // 0, 512 or 1024 bytes
}

// put writes s as UCS-2LE into b[off:off+n], padded with spaces.
func put(b []byte, off, n int, s string) {
	u := utf16.Encode([]rune(s))
	for i := 0; i < n/2; i++ {
		c := uint16(' ')
		if i < len(u) {
			c = u[i]
		}
		binary.LittleEndian.PutUint16(b[off+2*i:], c)
	}
}

// TextBlock lays the card out as the SAM returns it.
func (c SyntheticCard) TextBlock() []byte {
	b := make([]byte, 256)
	put(b, 0, 256, "")
	if c.Type == 'I' {
		put(b, 0, 120, c.NameEN)
		put(b, 120, 2, c.Sex)
		put(b, 122, 30, c.Number)
		put(b, 152, 6, c.Nationality)
		put(b, 158, 30, c.Name)
		put(b, 188, 16, c.ValidFrom)
		put(b, 204, 16, c.ValidUntil)
		put(b, 220, 16, c.Birth)
		put(b, 236, 4, c.CardVersion)
		put(b, 240, 8, c.Authority)
		put(b, 248, 2, "I")
		return b
	}
	put(b, 0, 30, c.Name)
	put(b, 30, 2, c.Sex)
	put(b, 36, 16, c.Birth)
	put(b, 122, 36, c.Number)
	put(b, 158, 30, c.Issuer)
	put(b, 188, 16, c.ValidFrom)
	put(b, 204, 16, c.ValidUntil)
	switch c.Type {
	case 'J':
		put(b, 52, 70, c.Address)
		put(b, 220, 18, c.PassNumber)
		put(b, 238, 4, c.IssueCount)
		put(b, 248, 2, "J")
	case 'Y':
		put(b, 32, 4, c.Renewals)
		en := []rune(c.NameEN)
		put(b, 52, 70, string(en[:min(len(en), 35)]))
		if len(en) > 35 {
			put(b, 220, 22, string(en[35:]))
		}
		put(b, 242, 6, c.Nationality)
		put(b, 248, 2, "Y")
	default:
		put(b, 32, 4, c.Nation)
		put(b, 52, 70, c.Address)
	}
	return b
}

// photo is the card's WLT bytes: the given ones or a fixed pattern.
func (c SyntheticCard) photo() []byte {
	if c.Photo != nil {
		return c.Photo
	}
	p := make([]byte, 1024)
	copy(p, "WLT")
	for i := 3; i < len(p); i++ {
		p[i] = byte(i * 7)
	}
	return p
}

// The sample cards: one of every type, plus the variants the validation
// cares about. Names are clearly fake; numbers carry valid check digits.

// SampleResident is a resident ID card of a man born in 1985.
func SampleResident() SyntheticCard {
	return SyntheticCard{
		Type: ' ', Name: "测试甲", Sex: "1", Nation: "01", Birth: "19850715",
		Address: "上海市徐汇区测试路100弄1号101室", Number: "310104198507150017",
		Issuer: "上海市公安局徐汇分局", ValidFrom: "20200101", ValidUntil: "20400101",
	}
}

// SampleResidentLongTerm is a resident card valid 长期, of a woman born in 1950,
// with an appended address.
func SampleResidentLongTerm() SyntheticCard {
	return SyntheticCard{
		Type: ' ', Name: "张测试", Sex: "2", Nation: "01", Birth: "19500101",
		Address: "上海市黄浦区测试街道200号", Number: "310101195001010022",
		Issuer: "上海市公安局黄浦分局", ValidFrom: "20100101", ValidUntil: "长期",
		AppendedAddress: "上海市黄浦区新测试路8号",
	}
}

// SampleResidentMinority is a resident card whose name holds a middle dot.
func SampleResidentMinority() SyntheticCard {
	return SyntheticCard{
		Type: ' ', Name: "阿依·测试", Sex: "2", Nation: "05", Birth: "19900308",
		Address: "上海市浦东新区测试大道300号", Number: "310115199003080047",
		Issuer: "上海市公安局浦东分局", ValidFrom: "20180601", ValidUntil: "20380601",
	}
}

// SampleResidentExpired is a resident card that expired in 2020.
func SampleResidentExpired() SyntheticCard {
	return SyntheticCard{
		Type: ' ', Name: "测试乙", Sex: "1", Nation: "01", Birth: "19700220",
		Address: "上海市徐汇区测试路5号", Number: "310104197002200010",
		Issuer: "上海市公安局徐汇分局", ValidFrom: "20000101", ValidUntil: "20200101",
	}
}

// SamplePermitHK is a Hong Kong residents' residence permit (J card).
func SamplePermitHK() SyntheticCard {
	return SyntheticCard{
		Type: 'J', Name: "港测试", Sex: "1", Birth: "19900101",
		Address: "上海市静安区测试路10号", Number: "810000199001010035",
		Issuer: "上海市公安局静安分局", ValidFrom: "20260101", ValidUntil: "20310101",
		PassNumber: "H00000000", IssueCount: "01",
	}
}

// SamplePermitMO is a Macau residents' residence permit (J card).
func SamplePermitMO() SyntheticCard {
	return SyntheticCard{
		Type: 'J', Name: "澳测试", Sex: "2", Birth: "19880512",
		Address: "上海市长宁区测试路20号", Number: "820000198805120042",
		Issuer: "上海市公安局长宁分局", ValidFrom: "20220301", ValidUntil: "20270301",
		PassNumber: "M00000000", IssueCount: "00",
	}
}

// SamplePermitTW is a Taiwan residents' residence permit (J card).
func SamplePermitTW() SyntheticCard {
	return SyntheticCard{
		Type: 'J', Name: "台测试", Sex: "1", Birth: "19920130",
		Address: "上海市闵行区测试路30号", Number: "830000199201300057",
		Issuer: "上海市公安局闵行分局", ValidFrom: "20230701", ValidUntil: "20280701",
		PassNumber: "00000000", IssueCount: "02",
	}
}

// SampleForeign2017 is a 2017-edition foreign permanent residence card (I card).
func SampleForeign2017() SyntheticCard {
	return SyntheticCard{
		Type: 'I', NameEN: "TEST, ALPHA", Name: "测试阿尔法", Sex: "1",
		Number: "USA310085071501", Nationality: "USA", Birth: "19850715",
		ValidFrom: "20190101", ValidUntil: "20290101", CardVersion: "01", Authority: "3100",
	}
}

// SampleForeign2023 is a 2023-edition foreign permanent residence card (Y
// card) whose English name is longer than 35 characters.
func SampleForeign2023() SyntheticCard {
	return SyntheticCard{
		Type: 'Y', Name: "测试贝塔", NameEN: "TESTPERSON-LONGFAMILYNAME, BETA GAMMA DELTA", Sex: "1",
		Birth: "19850615", Number: "931840198506150111", Nationality: "USA",
		Issuer: "国家移民管理局", ValidFrom: "20240101", ValidUntil: "20340101", Renewals: "00",
	}
}

// SampleCards are the sample cards by name, for `kioskctl devsim --card`.
func SampleCards() map[string]SyntheticCard {
	return map[string]SyntheticCard{
		"resident":          SampleResident(),
		"resident-longterm": SampleResidentLongTerm(),
		"resident-minority": SampleResidentMinority(),
		"resident-expired":  SampleResidentExpired(),
		"permit-hk":         SamplePermitHK(),
		"permit-mo":         SamplePermitMO(),
		"permit-tw":         SamplePermitTW(),
		"foreign-2017":      SampleForeign2017(),
		"foreign-2023":      SampleForeign2023(),
	}
}
