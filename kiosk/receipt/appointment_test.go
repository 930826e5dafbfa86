package receipt_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/receipt"
)

// TestAppointmentSlipIsItsOwn: the slip, as the printer prints it, says
// the number, item, place, date with weekday, time and what to bring, and
// nothing of a queue ticket (过号请重新取号, people waiting).
func TestAppointmentSlipIsItsOwn(t *testing.T) {
	for _, p := range profiles() {
		job, err := receipt.Appointment(receipt.SampleAppointment(kiosk.LangZH, sampleSlot), p, printed)
		if err != nil {
			t.Fatal(err)
		}
		pr := newSimPrinter(t, p)
		pr.Process(job)
		text := strings.Join(pr.Lines(), "\n")
		flat := strings.ReplaceAll(strings.ReplaceAll(text, "\n", ""), " ", "")
		for _, want := range []string{"预约凭证", "K7W3QX", "婚姻登记预约", "社区事务受理服务中心", "2026-12-07星期一", "09:30", "本人身份证", "户口簿原件"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s: %q not on the slip:\n%s", p.Name, want, text)
			}
		}
		for _, bad := range []string{"过号", "取号", "等候"} {
			if strings.Contains(flat, bad) {
				t.Errorf("%s: the slip says %q, words of a queue ticket:\n%s", p.Name, bad, text)
			}
		}
	}
	a := receipt.SampleAppointment(kiosk.LangZH, sampleSlot)
	a.ID = ""
	if _, err := receipt.Appointment(a, escpos.Paper58(), printed); err == nil {
		t.Error("a slip without a number was laid out")
	}
	a = receipt.SampleAppointment(kiosk.LangZH, sampleSlot)
	a.Start = time.Time{}
	if _, err := receipt.Appointment(a, escpos.Paper58(), printed); err == nil {
		t.Error("a slip without a time was laid out")
	}
}

// TestAppointmentSlipNamesThePlace: a booking kept at a marriage registry
// prints the registry's name and address as the place, in both languages;
// the center that printed it stays the heading.
func TestAppointmentSlipNamesThePlace(t *testing.T) {
	for _, c := range []struct {
		lang kiosk.Lang
		want []string
	}{
		{kiosk.LangZH, []string{"地点：测试区婚姻登记处", "地址：测试路200号", "社区事务受理服务中心"}},
		{kiosk.LangEN, []string{"Place:Testmarriageregistry", "Address:200TestRoad"}},
	} {
		a := receipt.SampleAppointment(c.lang, sampleSlot)
		a.Place = kiosk.Place{ID: "XH-MR", Kind: kiosk.BookAtMarriageRegistry, Name: kiosk.Text{ZH: "测试区婚姻登记处", EN: "Test marriage registry"},
			Address: kiosk.Text{ZH: "测试路200号", EN: "200 Test Road"}}
		for _, p := range profiles() {
			job, err := receipt.Appointment(a, p, printed)
			if err != nil {
				t.Fatal(err)
			}
			pr := newSimPrinter(t, p)
			pr.Process(job)
			text := strings.Join(pr.Lines(), "\n")
			flat := strings.ReplaceAll(strings.ReplaceAll(text, "\n", ""), " ", "")
			for _, want := range c.want {
				if !strings.Contains(flat, want) {
					t.Errorf("%s %s: %q not on the slip:\n%s", p.Name, c.lang, want, text)
				}
			}
		}
	}
}
