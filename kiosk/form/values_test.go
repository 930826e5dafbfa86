package form

import (
	"bytes"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Synthetic identity numbers with computed check characters (no real people).
const (
	idApplicant = "310104195803010015" // 1958-03-01, 徐汇
	idSpouse    = "31010419600715002X" // 1960-07-15
	idChild     = "310115198505120032" // 1985-05-12, 浦东
	idLeapDay   = "310104192802290058" // 1928-02-29
	idPermitHK  = "810000199001010019" // a Hong Kong residence permit number
)

var today = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

func ip(n int) *int { return &n }

// verdict runs a check and reports the canonical value, or "!"+message.
type checkCase struct {
	in   string
	want string // canonical value, or the Chinese message when it starts with "!"
}

func runChecks(t *testing.T, name string, check func(string) (string, kiosk.Text), cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		got, msg := check(c.in)
		if !msg.IsZero() {
			got = "!" + said(t, msg).ZH
			if !speaks(t, msg) {
				t.Errorf("%s(%q): message %q has no English", name, c.in, said(t, msg).ZH)
			}
		}
		if got != c.want {
			t.Errorf("%s(%q) = %q, want %q", name, c.in, got, c.want)
		}
	}
}

func TestCheckPhone(t *testing.T) {
	runChecks(t, "checkPhone", checkPhone, []checkCase{
		{"13812345678", "13812345678"},
		{"138 1234 5678", "13812345678"},
		{"138-1234-5678", "13812345678"},
		{"１３８１２３４５６７８", "13812345678"}, // full-width digits from an IME
		{"+86 199 1234 5678", "19912345678"},
		{"8613812345678", "!请填写11位手机号码，或8位固定电话"}, // 13 digits, no "+"
		{"1381234567890", "!手机号码应为11位数字"},
		{"021-64581234", "021-64581234"},
		{"02164581234", "021-64581234"},
		{"(021)64581234", "021-64581234"},
		{"64581234", "021-64581234"},
		{"1381234567", "!手机号码应为11位数字"},
		{"138123456789", "!手机号码应为11位数字"},
		{"12812345678", "!手机号码应以13到19开头，请核对"},
		{"1381234567a", "!电话号码只能填写数字"},
		{"电话", "!电话号码只能填写数字"},
		{"021-6458123", "!固定电话应为8位数字，可加区号021，例如 021-12345678"},
		{"021-04581234", "!固定电话应为8位数字，可加区号021，例如 021-12345678"},
		{"6458123", "!固定电话应为8位数字，可加区号021，例如 021-12345678"},
		{"010-64581234", "!请填写手机号码，或上海的固定电话"},
		{"12345", "!手机号码应为11位数字"},
		{"45678", "!请填写11位手机号码，或8位固定电话"},
	})
}

func TestCheckIDNumber(t *testing.T) {
	check := func(v string) (string, kiosk.Text) { return checkIDNumber(v, today) }
	runChecks(t, "checkIDNumber", check, []checkCase{
		{idApplicant, idApplicant},
		{idSpouse, idSpouse},
		{"31010419600715002x", idSpouse}, // lower-case x
		{"３１０１０４１９６００７１５００２Ｘ", idSpouse},
		{"310104 19600715 002X", idSpouse},
		{idLeapDay, idLeapDay},
		{idPermitHK, idPermitHK},
		{"11010519491231002X", "11010519491231002X"}, // the example of GB 11643-1999
		{"310104195803010016", "!身份证号码有误，请逐位核对"},
		{"310104195803010025", "!身份证号码有误，请逐位核对"}, // two digits swapped
		{"010104195803010015", "!身份证号码有误，请逐位核对"},
		{"31010419580301001", "!身份证号码应为18位"},
		{"3101041958030100155", "!身份证号码应为18位"},
		{"310104195802300015", "!身份证号码中的出生日期不对，请核对"}, // 30 February
		{"310104192902290015", "!身份证号码中的出生日期不对，请核对"}, // 1929 is not a leap year
		{"310104203001010015", "!身份证号码中的出生日期不对，请核对"}, // born in the future
		{"310104189912310015", "!身份证号码中的出生日期不对，请核对"},
		{"31010419580301001Y", "!身份证号码前17位是数字，最后一位是数字或X"},
		{"3101041958X3010015", "!身份证号码前17位是数字，最后一位是数字或X"},
		{"张测试", "!身份证号码前17位是数字，最后一位是数字或X"},
	})
}

func TestIDCheckCharMatchesStandardExample(t *testing.T) {
	// GB 11643-1999 Annex: 11010519491231002 → X.
	if c := idCheckChar("11010519491231002"); c != 'X' {
		t.Fatalf("check char = %c, want X", c)
	}
}

func TestCheckBankAccount(t *testing.T) {
	runChecks(t, "checkBankAccount", checkBankAccount, []checkCase{
		{"6222020200112233446", "6222020200112233446"}, // 19 digits, Luhn ok (synthetic)
		{"6222 0202 0011 2233 446", "6222020200112233446"},
		{"622202020011223349", "622202020011223349"}, // 18 digits
		{"6217001234567893", "6217001234567893"},     // 16 digits
		{"4111111111111111", "4111111111111111"},     // the classic Luhn test number
		{"622202020011223344", "!银行卡号有误，请对照银行卡逐位核对"},
		{"6222020200112233441", "!银行卡号有误，请对照银行卡逐位核对"},
		{"6217001234567890", "!银行卡号有误，请对照银行卡逐位核对"},
		{"4111111111111112", "!银行卡号有误，请对照银行卡逐位核对"},
		{"123456789012", "123456789012"}, // 12-digit passbook account: no check
		{"123456789012345", "123456789012345"},
		{"12345678901", "!银行卡号应为12到19位数字"},
		{"12345678901234567890", "!银行卡号应为12到19位数字"},
		{"6222O20200112233446", "!银行卡号只能填写数字"}, // letter O
	})
}

func TestCheckText(t *testing.T) {
	check := func(min, max *int) func(string) (string, kiosk.Text) {
		return func(v string) (string, kiosk.Text) { return checkText(v, min, max) }
	}
	runChecks(t, "checkText", check(nil, nil), []checkCase{
		{"  因病致贫  ", "因病致贫"},
		{"a\x00b", "!含有无法识别的字符，请重新输入"},
		{"a\u200bb", "!含有无法识别的字符，请重新输入"}, // zero-width space
		{"\xff\xfe", "!含有无法识别的字符，请重新输入"},
		{string(bytes.Repeat([]byte("字"), 201)), "!最多填写200个字"},
	})
	runChecks(t, "checkText(2,4)", check(ip(2), ip(4)), []checkCase{
		{"张三", "张三"},
		{"张", "!至少填写2个字"},
		{"张三李四王", "!最多填写4个字"},
	})
}

func TestCheckNumber(t *testing.T) {
	check := func(v string) (string, kiosk.Text) { return checkNumber(v, ip(0), ip(100000)) }
	runChecks(t, "checkNumber", check, []checkCase{
		{"1650", "1650"},
		{"1650.5", "1650.5"},
		{"1,650.50", "1650.5"},
		{"007", "7"},
		{"１６５０", "1650"},
		{"0", "0"},
		{"-0.00", "0"},
		{"-1", "!不能小于0"},
		{"100001", "!不能大于100000"},
		{"1650.555", "!小数点后最多填写两位"},
		{"1e3", "!请填写数字，例如 1650 或 1650.5"},
		{"NaN", "!请填写数字，例如 1650 或 1650.5"},
		{"一千", "!请填写数字，例如 1650 或 1650.5"},
		{"1.", "!请填写数字，例如 1650 或 1650.5"},
		{".5", "!请填写数字，例如 1650 或 1650.5"},
	})
}

func TestCheckDate(t *testing.T) {
	runChecks(t, "checkDate", checkDate, []checkCase{
		{"1958-03-01", "1958-03-01"},
		{"1958-3-1", "1958-03-01"},
		{"1958/3/1", "1958-03-01"},
		{"1958.03.01", "1958-03-01"},
		{"19580301", "1958-03-01"},
		{"1958年3月1日", "1958-03-01"},
		{"2024-02-29", "2024-02-29"},
		{"2023-02-29", "!没有这一天，请核对日期"},
		{"2023-13-01", "!没有这一天，请核对日期"},
		{"1899-12-31", "!日期应在1900年到2100年之间，请核对"},
		{"01/03/1958", "!请按“年-月-日”填写日期，例如 1958-03-01"},
		{"昨天", "!请按“年-月-日”填写日期，例如 1958-03-01"},
	})
}

func TestCheckChoiceAndYesNo(t *testing.T) {
	opts := []kiosk.Option{{Value: "icbc", Label: kiosk.Text{ZH: "工商银行"}}, {Value: "bos", Label: kiosk.Text{ZH: "上海银行"}}}
	runChecks(t, "checkChoice", func(v string) (string, kiosk.Text) { return checkChoice(v, opts) }, []checkCase{
		{"icbc", "icbc"},
		{"bos", "bos"},
		{"工商银行", "!请从下面选一项"},
		{"ICBC", "!请从下面选一项"},
	})
	runChecks(t, "checkYesNo", checkYesNo, []checkCase{
		{"yes", Yes}, {"no", No}, {"是", Yes}, {"否", No}, {"YES", Yes},
		{"maybe", "!请选择“是”或“否”"},
	})
}

func TestLuhn(t *testing.T) {
	for in, want := range map[string]bool{"79927398713": true, "79927398710": false, "0": true, "18": true, "4111111111111111": true} {
		if got := luhnValid(in); got != want {
			t.Errorf("luhnValid(%s) = %v, want %v", in, got, want)
		}
	}
}

func TestCheckAddress(t *testing.T) {
	places := mustPlaces(t)
	cases := []struct {
		name  string
		in    Address
		want  Address
		probs []string // parts with problems
	}{
		{"complete", Address{"徐汇区", "田林街道", "田林路100弄1号101室"}, Address{"徐汇区", "田林街道", "田林路100弄1号101室"}, nil},
		{"district by code", Address{"310115", "张江镇", "祖冲之路1号"}, Address{"浦东新区", "张江镇", "祖冲之路1号"}, nil},
		{"a 乡 in 崇明", Address{"崇明区", "横沙乡", "新民镇路1号"}, Address{"崇明区", "横沙乡", "新民镇路1号"}, nil},
		{"no district", Address{"", "", "某路1号"}, Address{"", "", "某路1号"}, []string{PartDistrict}},
		{"not in Shanghai", Address{"朝阳区", "", "某路1号"}, Address{"朝阳区", "", "某路1号"}, []string{PartDistrict}},
		{"street of another district", Address{"徐汇区", "张江镇", "祖冲之路1号"}, Address{"徐汇区", "张江镇", "祖冲之路1号"}, []string{PartStreet}},
		{"no street, no detail", Address{"黄浦区", "", ""}, Address{"黄浦区", "", ""}, []string{PartStreet, PartDetail}},
		{"detail too long", Address{"黄浦区", "外滩街道", string(bytes.Repeat([]byte("号"), 101))}, Address{}, []string{PartDetail}},
	}
	for _, c := range cases {
		got, probs := checkAddress(c.in, places)
		var parts []string
		for _, p := range probs {
			parts = append(parts, p.part)
		}
		if !equalStrings(parts, c.probs) {
			t.Errorf("%s: problems %v, want %v", c.name, probs, c.probs)
		}
		if c.probs == nil && got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestCheckMembers(t *testing.T) {
	spouse := Member{Name: "李测试", Relation: "spouse", IDNumber: idSpouse}
	child := Member{Name: "张小测", Relation: "child", IDNumber: "310115198505120032"}
	cases := []struct {
		name  string
		in    []Member
		min   *int
		max   *int
		probs []string // "part#member"
	}{
		{"two members", []Member{spouse, child}, nil, nil, nil},
		{"lower-case x is fine", []Member{{Name: "李测试", Relation: "spouse", IDNumber: "31010419600715002x"}}, nil, nil, nil},
		{"no name", []Member{{Relation: "spouse", IDNumber: idSpouse}}, nil, nil, []string{"name#1"}},
		{"unknown relation", []Member{{Name: "李测试", Relation: "friend", IDNumber: idSpouse}}, nil, nil, []string{"relation#1"}},
		{"bad id", []Member{spouse, {Name: "张小测", Relation: "child", IDNumber: "310115198505120033"}}, nil, nil, []string{"id_number#2"}},
		{"same id twice", []Member{spouse, child, {Name: "王测试", Relation: "other", IDNumber: idChild}}, nil, nil, []string{"id_number#3"}},
		{"the applicant", []Member{{Name: "张测试", Relation: "other", IDNumber: idApplicant}}, nil, nil, []string{"id_number#1"}},
		{"too few", []Member{spouse}, ip(2), nil, []string{"#0"}},
		{"too many", []Member{spouse, child}, nil, ip(1), []string{"#0"}},
		{"everything wrong", []Member{{}}, nil, nil, []string{"name#1", "relation#1", "id_number#1"}},
	}
	for _, c := range cases {
		_, probs := checkMembers(c.in, kiosk.Field{Type: kiosk.FieldFamily, Min: c.min, Max: c.max}, idApplicant, today)
		var got []string
		for _, p := range probs {
			got = append(got, p.part+"#"+itoa(p.member))
		}
		if !equalStrings(got, c.probs) {
			t.Errorf("%s: problems %v, want %v", c.name, probs, c.probs)
		}
	}
}

func TestCheckSignature(t *testing.T) {
	good := pngBytes(t, 600, 200)
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"a signature", good, ""},
		{"nothing", nil, "请在签名框内签名"},
		{"not a PNG", []byte("GIF89a......"), "签名没有保存好，请重写一次"},
		{"truncated PNG", good[:20], "签名没有保存好，请重写一次"},
		{"too large", append(append([]byte(nil), good...), make([]byte, signatureMaxBytes)...), "签名没有保存好，请重写一次"},
	}
	for _, c := range cases {
		if got := said(t, checkSignature(c.in)).ZH; got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// --- helpers ---

func mustPlaces(t testing.TB) *Places {
	t.Helper()
	p, err := LoadPlaces()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for x := 10; x < w-10; x++ {
		img.Pix[(h/2)*img.Stride+x] = 0xff
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
