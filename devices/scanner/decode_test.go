package scanner

import (
	"errors"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		aim     bool
		text    string
		sym     string
		enc     Encoding
		wantErr error
	}{
		{"ascii", "TB1:XH0123-20261128-0042", false, "TB1:XH0123-20261128-0042", "", EncodingASCII, nil},
		{"utf-8 Chinese", "上海市徐汇区", false, "上海市徐汇区", "", EncodingUTF8, nil},
		{"gb18030 two-byte", "\xb2\xe2\xca\xd4", false, "测试", "", EncodingGB18030, nil},
		{"gb18030 mixed with ascii", "\xc9\xcf\xba\xa3-01", false, "上海-01", "", EncodingGB18030, nil},
		{"gb18030 four-byte", "\x95\x32\x82\x36", false, "\U00020000", "", EncodingGB18030, nil},
		{"utf-8 byte order mark dropped", "\xef\xbb\xbfabc", false, "abc", "", EncodingASCII, nil},
		{"aim prefix split off", "]Q1hello", true, "hello", "]Q1", EncodingASCII, nil},
		{"aim prefix kept when not configured", "]Q1hello", false, "]Q1hello", "", EncodingASCII, nil},
		{"garbage", "\xff\xfe\x80\xff", false, "", "", "", ErrUndecodable},
		{"lone gb lead byte", "abc\x81", false, "", "", "", ErrUndecodable},
		{"replacement character in utf-8", "a\uFFFDb", false, "", "", "", ErrUndecodable},
		{"empty", "", false, "", "", "", ErrUndecodable},
		{"aim prefix only", "]Q1", true, "", "]Q1", "", ErrUndecodable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, sym, enc, err := Decode([]byte(tt.in), tt.aim)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("Decode(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if text != tt.text || sym != tt.sym || enc != tt.enc {
				t.Errorf("Decode(%q) = %q, %q, %q; want %q, %q, %q", tt.in, text, sym, enc, tt.text, tt.sym, tt.enc)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"abc", "上海", "\xb2\xe2\xca\xd4", "\x95\x32\x82\x36", "]Q1x", "\xff", "\xef\xbb\xbf"} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, aim bool) {
		text, _, enc, err := Decode(data, aim)
		if err != nil {
			if text != "" {
				t.Fatalf("error %v with text %q", err, text)
			}
			return
		}
		if text == "" || enc == "" {
			t.Fatalf("Decode(%q) = %q, %q with no error", data, text, enc)
		}
	})
}
