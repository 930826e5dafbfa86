package api

import (
	"strings"
	"testing"
)

const testFingerprint = "SM3:0000-1111-2222-3333-4444-5555-6666-7777-8888-9999-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"

func TestEnrolmentCodeRoundTrip(t *testing.T) {
	c := EnrolmentCode{Server: "https://bo.example:8443", Token: "tbe_0123456789abcdef0123456789abcdef", CAFingerprint: testFingerprint}
	s := c.String()
	if !strings.HasPrefix(s, EnrolmentCodePrefix+"?") || !IsEnrolmentCode("  "+strings.ToUpper(s[:5])+s[5:]) {
		t.Fatalf("code %q", s)
	}
	got, err := ParseEnrolmentCode(" " + s + "\r\n") // as a scanner sends it
	if err != nil || got != c {
		t.Fatalf("parsed %+v, %v", got, err)
	}
	if IsEnrolmentCode(c.Token) {
		t.Error("a bare token taken for an enrolment code")
	}
}

func TestEnrolmentCodeRefusedWithThePartNamed(t *testing.T) {
	good := EnrolmentCode{Server: "https://bo.example:8443", Token: "tbr_0123456789abcdef0123456789abcdef", CAFingerprint: testFingerprint}
	with := func(f func(*EnrolmentCode)) string { c := good; f(&c); return c.String() }
	for _, tc := range []struct{ name, code, says string }{
		{"a bare token", good.Token, "not an enrolment code"},
		{"cut after the prefix", EnrolmentCodePrefix, "cut short"},
		{"no fingerprint", with(func(c *EnrolmentCode) { c.CAFingerprint = "" }), "no CA fingerprint"},
		{"short fingerprint", with(func(c *EnrolmentCode) { c.CAFingerprint = "SM3:0000-1111" }), "64 hex digits"},
		{"no token", with(func(c *EnrolmentCode) { c.Token = "" }), "no token"},
		{"not a token", with(func(c *EnrolmentCode) { c.Token = "tbx_0123456789abcdef" }), "not an enrolment token"},
		{"no server", with(func(c *EnrolmentCode) { c.Server = "" }), "no back office address"},
		{"not a URL", with(func(c *EnrolmentCode) { c.Server = "ftp://bo.example" }), "not an https:// address"},
		{"credentials in the URL", with(func(c *EnrolmentCode) { c.Server = "https://a:b@bo.example" }), "not an https:// address"},
		{"twice", good.String() + "&token=" + good.Token, "token 2 times"},
		{"unknown part", good.String() + "&pin=1", `unknown part "pin"`},
		{"damaged", EnrolmentCodePrefix + "?token=%zz", "damaged"},
		{"too long", good.String() + strings.Repeat("x", maxEnrolmentCode), "characters long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseEnrolmentCode(tc.code)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("%q: %v, want %q", tc.code, err, tc.says)
			}
		})
	}
}

// FuzzParseEnrolmentCode: scanned bytes never crash the parser, and a code
// it accepts reads back the same from its own text form.
func FuzzParseEnrolmentCode(f *testing.F) {
	f.Add(EnrolmentCode{Server: "https://bo.example:8443", Token: "tbe_0123456789abcdef", CAFingerprint: testFingerprint}.String())
	f.Add(EnrolmentCodePrefix + "?token=tbe_x&server=https://a&ca=SHA256:" + strings.Repeat("ab", 32))
	f.Add("tbe_0123456789abcdef")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseEnrolmentCode(s)
		if err != nil {
			return
		}
		again, err := ParseEnrolmentCode(c.String())
		if err != nil || again != c {
			t.Fatalf("%q: read back %+v, %v", s, again, err)
		}
	})
}
