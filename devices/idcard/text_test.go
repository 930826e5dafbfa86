package idcard_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/sim"
)

func day(s string) time.Time {
	d, err := time.Parse("20060102", s)
	if err != nil {
		panic(err)
	}
	return d
}

// Each card type decodes to the fields its layout carries.
func TestParseTextEveryCardType(t *testing.T) {
	tests := []struct {
		name string
		card sim.SyntheticCard
		want idcard.Text
	}{
		{"resident", sim.SampleResident(), idcard.Text{
			Type: idcard.TypeResident, Name: "测试甲", Sex: idcard.SexMale, Nation: "01", Birth: day("19850715"),
			Address: "上海市徐汇区测试路100弄1号101室", Number: "310104198507150017", Issuer: "上海市公安局徐汇分局",
			ValidFrom: day("20200101"), ValidUntil: day("20400101"),
		}},
		{"resident long-term", sim.SampleResidentLongTerm(), idcard.Text{
			Type: idcard.TypeResident, Name: "张测试", Sex: idcard.SexFemale, Nation: "01", Birth: day("19500101"),
			Address: "上海市黄浦区测试街道200号", Number: "310101195001010022", Issuer: "上海市公安局黄浦分局",
			ValidFrom: day("20100101"), LongTerm: true,
		}},
		{"resident minority name with middle dot", sim.SampleResidentMinority(), idcard.Text{
			Type: idcard.TypeResident, Name: "阿依·测试", Sex: idcard.SexFemale, Nation: "05", Birth: day("19900308"),
			Address: "上海市浦东新区测试大道300号", Number: "310115199003080047", Issuer: "上海市公安局浦东分局",
			ValidFrom: day("20180601"), ValidUntil: day("20380601"),
		}},
		{"J Hong Kong", sim.SamplePermitHK(), idcard.Text{
			Type: idcard.TypePermitHKMOTW, Name: "港测试", Sex: idcard.SexMale, Birth: day("19900101"),
			Address: "上海市静安区测试路10号", Number: "810000199001010035", Issuer: "上海市公安局静安分局",
			ValidFrom: day("20260101"), ValidUntil: day("20310101"), PassNumber: "H00000000", IssueCount: "01",
		}},
		{"J Taiwan", sim.SamplePermitTW(), idcard.Text{
			Type: idcard.TypePermitHKMOTW, Name: "台测试", Sex: idcard.SexMale, Birth: day("19920130"),
			Address: "上海市闵行区测试路30号", Number: "830000199201300057", Issuer: "上海市公安局闵行分局",
			ValidFrom: day("20230701"), ValidUntil: day("20280701"), PassNumber: "00000000", IssueCount: "02",
		}},
		{"I 2017 foreign", sim.SampleForeign2017(), idcard.Text{
			Type: idcard.TypeForeignPR2017, Name: "测试阿尔法", NameEN: "TEST, ALPHA", Sex: idcard.SexMale,
			Nationality: "USA", Birth: day("19850715"), Number: "USA310085071501",
			ValidFrom: day("20190101"), ValidUntil: day("20290101"), CardVersion: "01", Authority: "3100",
		}},
		{"Y 2023 foreign, long English name", sim.SampleForeign2023(), idcard.Text{
			Type: idcard.TypeForeignPR2023, Name: "测试贝塔", NameEN: "TESTPERSON-LONGFAMILYNAME, BETA GAMMA DELTA",
			Sex: idcard.SexMale, Nationality: "USA", Birth: day("19850615"), Number: "931840198506150111",
			Issuer: "国家移民管理局", ValidFrom: day("20240101"), ValidUntil: day("20340101"), Renewals: "00",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := idcard.ParseText(tt.card.TextBlock())
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ParseText =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// The published bytes: 长期 is 7F 95 1F 67, a resident card may carry 0
// rather than a space at 248, and padding may be NULs.
func TestParseTextPublishedEncodings(t *testing.T) {
	block := sim.SampleResident().TextBlock()
	copy(block[204:], []byte{0x7F, 0x95, 0x1F, 0x67})
	for i := 208; i < 220; i++ {
		block[i] = 0
	}
	block[248], block[249] = 0, 0
	got, err := idcard.ParseText(block)
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != idcard.TypeResident || !got.LongTerm || !got.ValidUntil.IsZero() {
		t.Errorf("got type %v long-term %v until %v", got.Type, got.LongTerm, got.ValidUntil)
	}
}

func TestParseTextRejects(t *testing.T) {
	put := func(b []byte, off int, s string) []byte {
		for i, r := range s {
			binary.LittleEndian.PutUint16(b[off+2*i:], uint16(r))
		}
		return b
	}
	tests := []struct {
		name  string
		block []byte
	}{
		{"short block", make([]byte, 255)},
		{"unknown card type", put(sim.SampleResident().TextBlock(), 248, "Q")},
		{"birth date not a date", put(sim.SampleResident().TextBlock(), 36, "19851345")},
		{"valid-from blank", put(sim.SampleResident().TextBlock(), 188, "        ")},
		{"I card birth not a date", put(sim.SampleForeign2017().TextBlock(), 220, "ABCDEFGH")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := idcard.ParseText(tt.block); !errors.Is(err, idcard.ErrBadText) {
				t.Errorf("err = %v, want ErrBadText", err)
			}
		})
	}
}

func TestParseBaseAndFingerprint(t *testing.T) {
	c := sim.SampleResident()
	c.Fingerprint = bytes.Repeat([]byte{0xF1}, 512)
	text := c.TextBlock()
	photo := bytes.Repeat([]byte{0x57}, 1024)
	base := append(append([]byte{0x01, 0x00, 0x04, 0x00}, text...), photo...)
	card, err := idcard.ParseBase(base)
	if err != nil || card.Number != c.Number || !bytes.Equal(card.Photo, photo) || card.Fingerprint != nil {
		t.Fatalf("ParseBase: %v, %+v", err, card)
	}
	withFP := append(append(append([]byte{0x01, 0x00, 0x04, 0x00, 0x02, 0x00}, text...), photo...), c.Fingerprint...)
	card, err = idcard.ParseWithFingerprint(withFP)
	if err != nil || !bytes.Equal(card.Fingerprint, c.Fingerprint) {
		t.Fatalf("ParseWithFingerprint: %v", err)
	}
	for name, data := range map[string][]byte{
		"empty":            nil,
		"text length 255":  append([]byte{0x00, 0xFF, 0x04, 0x00}, base[4:]...),
		"photo cut short":  base[:len(base)-1],
		"photo length lie": append([]byte{0x01, 0x00, 0x04, 0x01}, base[4:]...),
	} {
		if _, err := idcard.ParseBase(data); !errors.Is(err, idcard.ErrBadText) {
			t.Errorf("%s: err = %v, want ErrBadText", name, err)
		}
	}
	if _, err := idcard.ParseAddress([]byte{0x20}); !errors.Is(err, idcard.ErrBadText) {
		t.Errorf("odd address: err = %v", err)
	}
}

type fakeDecoder struct{ got []byte }

func (d *fakeDecoder) DecodeWLT(wlt []byte) (image.Image, error) {
	d.got = wlt
	return image.NewRGBA(image.Rect(0, 0, 102, 126)), nil
}

func TestDecodePhotoNeedsADecoder(t *testing.T) {
	c := &idcard.Card{Photo: make([]byte, 1024)}
	if _, err := c.DecodePhoto(nil); !errors.Is(err, idcard.ErrNoPhotoDecoder) {
		t.Errorf("err = %v, want ErrNoPhotoDecoder", err)
	}
	d := &fakeDecoder{}
	if img, err := c.DecodePhoto(d); err != nil || img.Bounds().Dx() != 102 || len(d.got) != 1024 {
		t.Errorf("DecodePhoto = %v, %v", img, err)
	}
}

func TestSAMIDString(t *testing.T) {
	var id idcard.SAMID
	le := binary.LittleEndian
	le.PutUint16(id[0:], 5)
	le.PutUint16(id[2:], 1)
	le.PutUint32(id[4:], 20240101)
	le.PutUint32(id[8:], 42)
	le.PutUint32(id[12:], 7)
	if got, want := id.String(), "05.01-20240101-0000000042-0000000007"; got != want {
		t.Errorf("SAMID = %q, want %q", got, want)
	}
}

func TestCodes(t *testing.T) {
	for code, want := range map[string]string{"01": "汉族", "05": "维吾尔族", "46": "德昂族", "36": "毛南族", "56": "基诺族", "97": "其他", "98": "外国血统中国籍人士"} {
		if got, ok := idcard.NationName(code); !ok || got != want {
			t.Errorf("NationName(%s) = %q %v, want %q", code, got, ok, want)
		}
	}
	for _, bad := range []string{"", "00", "57", "99", "1"} {
		if _, ok := idcard.NationName(bad); ok {
			t.Errorf("NationName(%q) ok", bad)
		}
	}
	for s, want := range map[idcard.Sex]string{"0": "未知", "1": "男", "2": "女", "9": "未说明", "3": ""} {
		if got := s.Name(); got != want {
			t.Errorf("Sex(%q).Name() = %q, want %q", s, got, want)
		}
	}
}

// TestParseTextStripsControls: a forged card whose name and address carry
// a right-to-left override, isolates and control characters reads without
// them, so neither the screen, the receipt nor the back office shows the
// text reordered.
func TestParseTextStripsControls(t *testing.T) {
	field := func(b []byte, off, n int, s string) {
		u := []rune(s)
		for i := 0; i < n/2; i++ {
			r := ' '
			if i < len(u) {
				r = u[i]
			}
			binary.LittleEndian.PutUint16(b[off+2*i:], uint16(r))
		}
	}
	b := sim.SampleResident().TextBlock()
	field(b, 0, 30, "测试\u202E甲\x01乙")
	field(b, 52, 70, "上海市\u2066徐汇区\u2069\x1b路\u200F1号")
	field(b, 158, 30, "\u202D上海市公安局\u202C")
	text, err := idcard.ParseText(b)
	if err != nil {
		t.Fatal(err)
	}
	if text.Name != "测试甲乙" || text.Address != "上海市徐汇区路1号" || text.Issuer != "上海市公安局" {
		t.Errorf("name %q, address %q, issuer %q", text.Name, text.Address, text.Issuer)
	}
}
