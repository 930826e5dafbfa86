package techmode

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// resetPage refuses at once while submissions wait, saying how many and
// what to do; otherwise it asks for the confirmation typed in full.
func (m *Mode) resetPage() {
	m.page()
	r := m.o.Reset(m.actor)
	back := m.button("back", m.t("back"), widgets.Secondary, m.diagPage)
	var q technician.QueuedError
	if err := r.Check(); err != nil {
		rows := []fyne.CanvasObject{container.NewCenter(m.text(m.t("reset"), 40, true, black)), layout.NewSpacer()}
		if errors.As(err, &q) {
			m.record(audit.TechnicianAction, fmt.Sprintf("reset refused: %d submissions not yet at the back office", q.Total()))
			rows = append(rows, container.NewCenter(m.text(m.t("reset.refused", q.Total()), 34, true, red)))
			for _, part := range []struct {
				key string
				n   int
			}{{"reset.waiting", q.Waiting}, {"reset.quarantine", q.Quarantined}, {"reset.stranded", q.Stranded}} {
				if part.n > 0 {
					rows = append(rows, container.NewCenter(m.text(m.t(part.key, part.n), 26, false, black)))
				}
			}
		} else {
			rows = append(rows, m.wrapped(m.t("error", err.Error())))
		}
		rows = append(rows, layout.NewSpacer(), container.NewCenter(back))
		m.w.SetContent(container.NewVBox(rows...))
		return
	}
	phrase := r.Phrase()
	t := &typed{shown: m.text(" ", 40, true, black)}
	t.shown.TextStyle.Monospace = true
	msg := m.text(m.notice, 26, true, red)
	m.notice, m.noticeBad = "", false
	do := m.button("do", m.t("reset.do"), widgets.Primary, func() {
		err := r.Run(string(t.runes))
		switch {
		case err == nil:
			m.page()
			m.w.SetContent(container.NewCenter(m.text(m.t("reset.done"), 36, true, black)))
			if m.o.Restart != nil {
				m.o.Restart()
			}
		case errors.Is(err, technician.ErrConfirmation):
			m.notice = m.t("reset.mismatch", phrase)
			m.resetPage()
		default:
			m.notice = m.t("error", err.Error())
			m.resetPage()
		}
	})
	m.w.SetContent(container.NewVBox(
		container.NewCenter(m.text(m.t("reset"), 40, true, black)),
		container.NewCenter(m.text(m.t("reset.explain"), 24, false, black)),
		container.NewCenter(m.text(m.t("reset.type", phrase), 30, true, black)),
		container.NewCenter(t.shown),
		container.NewCenter(msg),
		container.NewCenter(m.qwerty(upper{t})),
		container.NewCenter(container.NewHBox(back, do)),
	))
}

// upper types capitals: the phrase is RESET and the terminal's code.
type upper struct{ *typed }

func (u upper) Append(r rune) {
	if r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	}
	u.typed.Append(r)
}

func (m *Mode) wrapped(s string) fyne.CanvasObject {
	m.shown.Shows(s)
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}
