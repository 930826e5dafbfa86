package receipt

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/kiosk"
)

// timeLayout is how times are printed on every document.
const timeLayout = "2006-01-02 15:04"

// centerSuffix is where a long center name breaks, as people read it.
const centerSuffix = "社区事务受理服务中心"

// Acceptance lays out the acceptance receipt (受理回执) for printer p:
// center and terminal, item, receipt numbers, time, the masked applicant,
// the promised time limit, what is still to bring, what happens next, a
// QR code with the progress link and, while the back office has not
// confirmed the submission, a line saying it is queued. words gives the
// printed words in r.Lang.
func Acceptance(r kiosk.Receipt, p escpos.Profile, words Words) ([]byte, error) {
	if r.LocalReceipt == "" {
		return nil, fmt.Errorf("receipt: acceptance receipt without a receipt number")
	}
	if r.ProgressURL == "" {
		return nil, fmt.Errorf("receipt: acceptance receipt %s without a progress link", r.LocalReceipt)
	}
	pg, err := newPage(p)
	if err != nil {
		return nil, err
	}
	w := wordsIn(r.Lang, words)
	pg.centerName(r.CenterName)
	pg.enc.FeedDots(8)
	pg.title(w.titleReceipt)
	if !r.Reprinted.IsZero() {
		pg.field(w.reprinted, r.Reprinted.In(kiosk.Shanghai).Format(timeLayout))
	}
	pg.rule()
	pg.field(w.item, words.Text(r.Lang, r.ItemName))
	pg.field(w.localReceipt, r.LocalReceipt)
	if r.Official != "" {
		pg.field(w.official, r.Official)
	}
	pg.field(w.applicant, r.Applicant)
	pg.field(w.idNumber, r.IDNumber)
	if r.AgentName != "" {
		// 代办: the agent whose card was read, masked like the applicant.
		pg.field(w.agent, r.AgentName)
		pg.field(w.agentIDNumber, r.AgentIDNumber)
	}
	if len(r.Parts) > 0 {
		// 一件事: each part is worked on its own, under its own number.
		pg.enc.Line(strings.TrimRight(w.parts, " "))
		for i, part := range r.Parts {
			pg.field(fmt.Sprintf("  %d. ", i+1), words.Text(r.Lang, part.Name))
			pg.field("     ", part.Number)
		}
	}
	pg.field(w.submitted, r.SubmittedAt.In(kiosk.Shanghai).Format(timeLayout))
	pg.field(w.promise, w.promiseLine(r.Promise))
	pg.field(w.terminal, r.Terminal)
	pg.rule()
	switch len(r.StillToBring) {
	case 0:
		pg.field(w.stillToBring, w.nothing)
	case 1:
		pg.field(w.stillToBring, words.Text(r.Lang, r.StillToBring[0]))
	default:
		pg.enc.Line(strings.TrimRight(w.stillToBring, " "))
		for i, m := range r.StillToBring {
			pg.field(fmt.Sprintf("  %d. ", i+1), words.Text(r.Lang, m))
		}
	}
	if after := words.Text(r.Lang, r.AfterDone); after != "" {
		pg.field(w.afterDone, after)
	}
	if err := pg.qr(r.ProgressURL); err != nil {
		return nil, err
	}
	pg.centered(w.scanProgress)
	if r.Queued {
		pg.enc.FeedDots(8)
		pg.enc.Bold(true)
		pg.centered(w.queued)
		pg.enc.Bold(false)
	}
	pg.enc.FeedDots(8)
	pg.centered(w.keep)
	return pg.finish()
}

// centerName prints the center's name centred, breaking a long name
// before 社区事务受理服务中心 rather than in the middle of a word.
func (pg *page) centerName(name string) {
	if escpos.Columns(name) > pg.profile.Columns && strings.HasSuffix(name, centerSuffix) && name != centerSuffix {
		pg.centered(strings.TrimSuffix(name, centerSuffix))
		pg.centered(centerSuffix)
		return
	}
	pg.centered(name)
}
