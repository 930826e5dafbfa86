package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk/staffdesk"
)

func TestStaffHash(t *testing.T) {
	var out bytes.Buffer
	if err := staffCode.print(strings.NewReader("135790\n"), &out); err != nil {
		t.Fatal(err)
	}
	h := strings.TrimSpace(strings.TrimPrefix(out.String(), "staff.code_hash = "))
	d, err := staffdesk.New(staffdesk.Config{CodeHash: h})
	if err != nil {
		t.Fatalf("the printed hash %q does not configure a desk: %v", h, err)
	}
	if _, ok := d.Check("135790"); !ok {
		t.Error("the code does not open the desk its hash configured")
	}
	if err := staffCode.print(strings.NewReader("12\n"), &out); err == nil {
		t.Error("a 2-digit code was hashed")
	}
}
