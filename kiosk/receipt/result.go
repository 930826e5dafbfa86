package receipt

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/kiosk"
)

// Result lays out a query result (查询结果) for printer p: the center, the
// result's title, its lines with Private values masked (whatever the
// caller passed: masking a masked value changes nothing), the department
// that answered, the date its data was current, and when it was printed.
// It carries no name of the slip's owner beyond what the result shows.
func Result(s kiosk.ResultSlip, p escpos.Profile, words Words) ([]byte, error) {
	r := s.Result
	if r.Title.IsZero() {
		return nil, fmt.Errorf("receipt: query result without a title")
	}
	if len(r.Fields) == 0 {
		return nil, fmt.Errorf("receipt: query result %q without a line", r.Title.ZH)
	}
	pg, err := newPage(p)
	if err != nil {
		return nil, err
	}
	lang := s.Lang
	if lang != kiosk.LangEN {
		lang = kiosk.LangZH
	}
	say := func(t kiosk.Text) string { return words.Text(lang, t) }
	colon := "："
	if lang == kiosk.LangEN {
		colon = ": "
	}
	pg.centerName(s.CenterName)
	pg.enc.FeedDots(8)
	pg.title(say(kiosk.Msg("receipt.title_result")))
	pg.rule()
	pg.enc.Bold(true)
	pg.text(say(r.Title))
	pg.enc.Bold(false)
	pg.enc.FeedDots(8)
	for _, f := range r.Fields {
		pg.field(strings.TrimSpace(say(f.Label))+colon, f.Shown())
	}
	pg.rule()
	if !r.Source.IsZero() {
		pg.field(say(kiosk.Msg("receipt.source")), say(r.Source))
	}
	if !r.AsOf.IsZero() {
		pg.field(say(kiosk.Msg("receipt.as_of")), r.AsOf.In(kiosk.Shanghai).Format("2006-01-02"))
	}
	pg.field(say(kiosk.Msg("receipt.printed_at")), s.PrintedAt.In(kiosk.Shanghai).Format(timeLayout))
	pg.rule()
	pg.text(say(kiosk.Msg("receipt.result_note")))
	return pg.finish()
}
