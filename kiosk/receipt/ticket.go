package receipt

import (
	"fmt"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/kiosk"
)

// Ticket lays out a counter queue ticket (取号单) for printer p: the
// center, the number in large print, the service, how many wait ahead, the
// time and what to do, in words from words.
func Ticket(t kiosk.Ticket, p escpos.Profile, words Words) ([]byte, error) {
	if t.Number == "" {
		return nil, fmt.Errorf("receipt: queue ticket without a number")
	}
	pg, err := newPage(p)
	if err != nil {
		return nil, err
	}
	w := wordsIn(t.Lang, words)
	pg.centerName(t.CenterName)
	pg.enc.FeedDots(8)
	pg.title(w.titleTicket)
	pg.rule()
	pg.big(t.Number, 4)
	pg.enc.FeedDots(8)
	pg.centered(w.waitingLine(t.Waiting))
	pg.rule()
	pg.field(w.service, words.Text(t.Lang, t.Service))
	pg.field(w.issued, t.IssuedAt.In(kiosk.Shanghai).Format(timeLayout))
	pg.rule()
	pg.text(w.ticketNote)
	return pg.finish()
}
