package main

import (
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/scancode"
)

func TestDescribeScan(t *testing.T) {
	at := time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC)
	tests := []struct {
		scan       scanner.Scan
		want       string
		mustNotSee string
	}{
		{scanner.Scan{Text: scancode.ProgressLink("XH0123-20261128-0042", ""), Encoding: scanner.EncodingASCII, At: at}, "progress receipt=XH0123-20261128-0042", ""},
		{scanner.Scan{Text: "SSM:secret-token-123", Encoding: scanner.EncodingASCII, At: at}, "suishenma token of 20 bytes", "secret"},
		{scanner.Scan{Text: "随便什么", Encoding: scanner.EncodingGB18030, At: at}, "other 4 characters", "随便"},
		{scanner.Scan{Err: scanner.ErrTooLong, At: at}, "unreadable", ""},
		{scanner.Scan{Text: "https://tongban.sh.example/q/nope", At: at}, "invalid: 这张回执", ""},
	}
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		got := describeScan(tt.scan, scancode.DefaultRules(), words)
		if !strings.Contains(got, tt.want) || (tt.mustNotSee != "" && strings.Contains(got, tt.mustNotSee)) {
			t.Errorf("describeScan = %q, want %q without %q", got, tt.want, tt.mustNotSee)
		}
	}
}
