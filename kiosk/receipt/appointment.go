package receipt

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/kiosk"
)

// Appointment lays out an appointment slip (预约凭证) for printer p: the
// center, the appointment number in large print (read out at the
// counter), the item, the place (a registry's or hospital's name and
// address, when it is not the center), the date with its weekday and the time,
// what to bring, and what to do on the day. It is not a queue ticket: no
// "过号请重新取号", no waiting count.
func Appointment(a kiosk.Appointment, p escpos.Profile, words Words) ([]byte, error) {
	if a.ID == "" {
		return nil, fmt.Errorf("receipt: appointment slip without a number")
	}
	if a.Start.IsZero() {
		return nil, fmt.Errorf("receipt: appointment slip %s without a time", a.ID)
	}
	pg, err := newPage(p)
	if err != nil {
		return nil, err
	}
	lang := a.Lang
	if lang != kiosk.LangEN {
		lang = kiosk.LangZH
	}
	say := func(t kiosk.Text) string { return words.Text(lang, t) }
	start := a.Start.In(kiosk.Shanghai)
	pg.centerName(a.CenterName)
	pg.enc.FeedDots(8)
	pg.title(say(kiosk.Msg("receipt.title_appointment")))
	pg.rule()
	pg.centered(say(kiosk.Msg("receipt.appointment_number")))
	pg.big(a.ID, 3)
	pg.enc.FeedDots(8)
	pg.rule()
	pg.field(say(kiosk.Msg("receipt.item")), words.Text(lang, a.Item))
	pg.field(say(kiosk.Msg("receipt.place")), words.Text(lang, a.PlaceName()))
	if !a.Place.Address.IsZero() {
		pg.field(say(kiosk.Msg("receipt.address")), words.Text(lang, a.Place.Address))
	}
	pg.field(say(kiosk.Msg("receipt.date")), start.Format("2006-01-02")+" "+say(kiosk.Msg(fmt.Sprintf("weekday.%d", int(start.Weekday())))))
	pg.enc.Bold(true)
	pg.field(say(kiosk.Msg("receipt.time")), start.Format("15:04"))
	pg.enc.Bold(false)
	pg.rule()
	switch len(a.Bring) {
	case 0:
		pg.field(say(kiosk.Msg("receipt.bring")), say(kiosk.Msg("receipt.bring_id_card")))
	default:
		pg.enc.Line(strings.TrimRight(say(kiosk.Msg("receipt.bring")), " "))
		pg.field("  1. ", say(kiosk.Msg("receipt.bring_id_card")))
		for i, m := range a.Bring {
			pg.field(fmt.Sprintf("  %d. ", i+2), words.Text(lang, m))
		}
	}
	pg.rule()
	pg.text(say(kiosk.Msg("receipt.appointment_note")))
	pg.enc.FeedDots(8)
	pg.centered(say(kiosk.Msg("receipt.keep_slip")))
	return pg.finish()
}
