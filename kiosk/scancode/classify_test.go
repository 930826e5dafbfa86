package scancode

import (
	"errors"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want kiosk.ScannedCode
		bad  bool // a *kiosk.Error of KindInvalid
	}{
		{"progress link", "https://tongban.sh.example/q/XH0123-20261128-0042",
			kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0042"}, false},
		{"progress link, lower case and trailing slash", "HTTPS://TONGBAN.SH.EXAMPLE/q/xh0123-20261128-0042/",
			kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0042"}, false},
		{"progress link with a query", "https://tongban.sh.example/q/XH0123-20261128-0042?src=receipt",
			kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0042"}, false},
		{"bare receipt number", "XH0123-20261128-0042",
			kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0042"}, false},
		{"progress link with a bad date", "https://tongban.sh.example/q/XH0123-20261331-0042", kiosk.ScannedCode{}, true},
		{"progress link without a receipt", "https://tongban.sh.example/q/", kiosk.ScannedCode{}, true},
		{"progress link with extra path", "https://tongban.sh.example/q/XH0123-20261128-0042/more", kiosk.ScannedCode{}, true},
		{"progress link with an escaped slash", "https://tongban.sh.example/q/XH0123%2F20261128-0042", kiosk.ScannedCode{}, true},
		{"appointment link", "https://tongban.sh.example/a/YY20261128-0007",
			kiosk.ScannedCode{Kind: kiosk.ScanAppointment, Appointment: "YY20261128-0007"}, false},
		{"appointment link too short", "https://tongban.sh.example/a/Y1", kiosk.ScannedCode{}, true},
		{"suishenma", "SSM:9f8e7d6c5b4a39281706",
			kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "SSM:9f8e7d6c5b4a39281706"}, false},
		{"suishenma link", "https://ssm.sh.example/c?t=abc123",
			kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "https://ssm.sh.example/c?t=abc123"}, false},
		{"e-certificate", "ECERT:0011223344556677",
			kiosk.ScannedCode{Kind: kiosk.ScanECertificate, Token: "ECERT:0011223344556677"}, false},
		{"web link", "https://www.gov.cn/",
			kiosk.ScannedCode{Kind: kiosk.ScanWebLink, URL: "https://www.gov.cn/"}, false},
		{"other host that looks like ours", "https://tongban.sh.example.evil/q/XH0123-20261128-0042",
			kiosk.ScannedCode{Kind: kiosk.ScanWebLink, URL: "https://tongban.sh.example.evil/q/XH0123-20261128-0042"}, false},
		{"product barcode", "6901234567892", kiosk.ScannedCode{Kind: kiosk.ScanOther}, false},
		{"Chinese text", "上海市徐汇区\r\n第二行", kiosk.ScannedCode{Kind: kiosk.ScanOther}, false},
		{"javascript link is not a web link", "javascript:alert(1)", kiosk.ScannedCode{Kind: kiosk.ScanOther}, false},
		{"staff badge", "TBSTAFF1:S0042:0123456789abcdef0123456789abcdef",
			kiosk.ScannedCode{Kind: kiosk.ScanStaffBadge, StaffNumber: "S0042", Token: "0123456789abcdef0123456789abcdef"}, false},
		{"staff badge, prefix in lower case", "tbstaff1:S0042:0123456789abcdef0123456789abcdef",
			kiosk.ScannedCode{Kind: kiosk.ScanStaffBadge, StaffNumber: "S0042", Token: "0123456789abcdef0123456789abcdef"}, false},
		{"staff badge with a short secret", "TBSTAFF1:S0042:0123456789abcdef", kiosk.ScannedCode{}, true},
		{"staff badge without a number", "TBSTAFF1::0123456789abcdef0123456789abcdef", kiosk.ScannedCode{}, true},
		{"staff badge with a lower-case number", "TBSTAFF1:s0042:0123456789abcdef0123456789abcdef", kiosk.ScannedCode{}, true},
		{"staff badge with extra fields", "TBSTAFF1:S0042:0123456789abcdef0123456789abcdef:XH01", kiosk.ScannedCode{}, true},
		{"staff badge with a non-hex secret", "TBSTAFF1:S0042:0123456789abcdef0123456789abcdeg", kiosk.ScannedCode{}, true},
		{"empty", "  ", kiosk.ScannedCode{}, true},
		{"control characters", "abc\x1b[2J", kiosk.ScannedCode{}, true},
		{"invalid utf-8", "abc\xff", kiosk.ScannedCode{}, true},
		{"too long", strings.Repeat("A", MaxLen+1), kiosk.ScannedCode{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DefaultRules().Classify(tt.in)
			if tt.bad {
				var ke *kiosk.Error
				if !errors.As(err, &ke) || ke.Kind != kiosk.KindInvalid || !bothLanguages(t, ke.Message) {
					t.Fatalf("Classify(%q) = %+v, %v; want a KindInvalid *kiosk.Error with a message", tt.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Classify(%q) error %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Classify(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// testClientID is a made-up UUIDv7 client ID.
const testClientID = "0190a5c4-1b2c-7d3e-8f3a-0c1d2e4b5a69"

func TestProgressLinkRoundTrip(t *testing.T) {
	for _, receipt := range []string{"XH0123-20261128-0042", "PD9-20270101-1", "ABCDEFGHIJKLMNOP-20261231-12345678"} {
		link := ProgressLink(receipt, testClientID)
		got, err := DefaultRules().Classify(link)
		if err != nil || got.Kind != kiosk.ScanProgress || got.Receipt != receipt {
			t.Errorf("Classify(ProgressLink(%q)) = %+v, %v", receipt, got, err)
		}
	}
	// The link carries the progress key: the random part of the client ID.
	if got := ProgressLink("XH0123-20261128-0042", testClientID); got != "https://tongban.sh.example/q/XH0123-20261128-0042?k=8f3a0c1d2e4b5a69" {
		t.Errorf("ProgressLink = %q", got)
	}
	// The QR code of a receipt stays small: the link fits a version 5 QR
	// code (84 bytes at level M) for a typical receipt number.
	if n := len(ProgressLink("XH0123-20261128-0042", testClientID)); n > 84 {
		t.Errorf("progress link is %d bytes; want it to fit a small QR code", n)
	}
	got, err := DefaultRules().Classify(AppointmentBase + "YY20261128-0007")
	if err != nil || got.Kind != kiosk.ScanAppointment || got.Appointment != "YY20261128-0007" {
		t.Errorf("Classify(appointment link) = %+v, %v", got, err)
	}
}

// TestProgressKeyRead: the key in a receipt's QR link reaches the query;
// anything that is not 16 hex digits is no key, and the receipt is read
// all the same.
func TestProgressKeyRead(t *testing.T) {
	for _, tt := range []struct{ in, key string }{
		{ProgressLink("XH0123-20261128-0042", testClientID), "8f3a0c1d2e4b5a69"},
		{"https://tongban.sh.example/q/XH0123-20261128-0042?k=8F3A0C1D2E4B5A69", "8f3a0c1d2e4b5a69"},
		{"https://tongban.sh.example/q/XH0123-20261128-0042?k=8f3a0c1d2e4b5a69#top", "8f3a0c1d2e4b5a69"},
		{"https://tongban.sh.example/q/XH0123-20261128-0042", ""},
		{"https://tongban.sh.example/q/XH0123-20261128-0042?k=short", ""},
		{"https://tongban.sh.example/q/XH0123-20261128-0042?k=8f3a0c1d2e4b5a6z", ""},
		{"https://tongban.sh.example/q/XH0123-20261128-0042?k=%zz", ""},
		{"XH0123-20261128-0042", ""},
	} {
		got, err := DefaultRules().Classify(tt.in)
		if err != nil || got.Kind != kiosk.ScanProgress || got.Receipt != "XH0123-20261128-0042" || got.ProgressKey != tt.key {
			t.Errorf("Classify(%q) = %+v, %v; want key %q", tt.in, got, err, tt.key)
		}
	}
}

func TestRulesAcceptAnOldBase(t *testing.T) {
	r := DefaultRules()
	r.ProgressBases = append(r.ProgressBases, "http://old.example/progress/")
	got, err := r.Classify("http://old.example/progress/XH0123-20261128-0042")
	if err != nil || got.Kind != kiosk.ScanProgress {
		t.Errorf("old base: %+v, %v", got, err)
	}
}

func TestExplainAndUnreadable(t *testing.T) {
	if !bothLanguages(t, Explain(kiosk.ScannedCode{Kind: kiosk.ScanOther})) || kiosktest.Words(t, Explain(kiosk.ScannedCode{Kind: kiosk.ScanWebLink})).ZH != "这是一个网址，本机不打开网页。请用手机扫码查看。" {
		t.Error("no message for codes the kiosk does not act on")
	}
	if !Explain(kiosk.ScannedCode{Kind: kiosk.ScanProgress}).IsZero() {
		t.Error("a progress code needs no explanation")
	}
	cause := errors.New("scanned code is too long")
	err := Unreadable(cause)
	if kiosk.KindOf(err) != kiosk.KindInvalid || !errors.Is(err, cause) || !bothLanguages(t, kiosk.MessageOf(err)) {
		t.Errorf("Unreadable = %v", err)
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"https://tongban.sh.example/q/XH0123-20261128-0042",
		"https://tongban.sh.example/a/YY20261128-0007",
		"XH0123-20261128-0042", "SSM:abc", "ECERT:abc", "https://www.gov.cn/",
		"6901234567892", "上海\r\n", "\x00", "https://tongban.sh.example/q/%zz",
		"https://tongban.sh.example/q/XH0123-20261128-0042?k=8f3a0c1d2e4b5a69", "https://tongban.sh.example/q/XH0123-20261128-0042?k=%zz&k=1#x",
		"TBSTAFF1:S0042:0123456789abcdef0123456789abcdef", "TBSTAFF1:S0042:", "TBSTAFF1:S0042:0123456789abcdef0123456789abcdef\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := DefaultRules().Classify(s)
		if err != nil {
			var ke *kiosk.Error
			if !errors.As(err, &ke) || !bothLanguages(t, ke.Message) {
				t.Fatalf("Classify(%q) error %v is not a *kiosk.Error with a message", s, err)
			}
			if got != (kiosk.ScannedCode{}) {
				t.Fatalf("Classify(%q) returned %+v with an error", s, got)
			}
			return
		}
		switch got.Kind {
		case kiosk.ScanProgress:
			again, err := DefaultRules().Classify(ProgressLink(got.Receipt, testClientID))
			if err != nil || again.Receipt != got.Receipt {
				t.Fatalf("receipt %q does not survive its own link: %+v, %v", got.Receipt, again, err)
			}
		case kiosk.ScanStaffBadge:
			again, err := DefaultRules().Classify(BadgeContent(got.StaffNumber, got.Token))
			if err != nil || again != got {
				t.Fatalf("badge %+v does not survive its own content: %+v, %v", got, again, err)
			}
			if len(got.Token) != 32 || got.StaffNumber == "" {
				t.Fatalf("Classify(%q) took a malformed badge: %+v", s, got)
			}
		case kiosk.ScanAppointment, kiosk.ScanSuishenma, kiosk.ScanECertificate, kiosk.ScanWebLink, kiosk.ScanOther:
		default:
			t.Fatalf("Classify(%q) kind %q", s, got.Kind)
		}
	})
}

// bothLanguages reports whether m says something in Chinese and in English
// once translated.
func bothLanguages(t testing.TB, m kiosk.Text) bool {
	t.Helper()
	w := kiosktest.Words(t, m)
	return w.ZH != "" && w.EN != "" && w.ZH != w.EN
}
