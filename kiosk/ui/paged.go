package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
)

// pagedColumn shows rows top to bottom, as many as the height it is given
// holds, and the rest on further pages behind large 上一页 / 下一页 buttons
// (UX.md §1.5: paging, never a scroll bar). Which rows make a page is
// decided when it is laid out, so a screen never needs more height than the
// panel has, whatever the language, mode or orientation.
type pagedColumn struct {
	widget.BaseWidget
	rows  []fyne.CanvasObject
	page  *int // the page shown, kept by Screens across redraws; -1: the page of focus
	focus int  // the row to show when *page is -1 (a field with an error)
	gap   float32

	prev, next *touchButton
	where      *canvas.Text
	label      func(page, pages int) string
	starts     []int // the first row of each page, from the last layout
}

// paged builds a pagedColumn over rows, on the screen's page state.
func (u *Screens) paged(rows ...fyne.CanvasObject) *pagedColumn {
	sz := u.sz()
	p := &pagedColumn{rows: rows, page: &u.subPage, focus: -1, gap: sz.gap / 2}
	p.prev = u.secondary(u.t("common.prev_page"), func() { p.turn(-1) })
	p.next = u.secondary(u.t("common.next_page"), func() { p.turn(+1) })
	p.where = u.text(" ", sz.body, u.c.secondary, false)
	p.label = func(page, pages int) string {
		return u.t("common.page", map[string]any{"Page": page, "Pages": pages})
	}
	p.ExtendBaseWidget(p)
	return p
}

// Pages reports how many pages the last layout made.
func (p *pagedColumn) Pages() int { return max(1, len(p.starts)) }

func (p *pagedColumn) turn(d int) {
	n := p.Pages()
	cur := p.current()
	if cur+d < 0 || cur+d >= n {
		return
	}
	*p.page = cur + d
	p.Refresh()
}

// current is the page shown, resolving "the page of the focused row".
func (p *pagedColumn) current() int {
	n := p.Pages()
	if *p.page < 0 {
		for i := len(p.starts) - 1; i >= 0; i-- {
			if p.focus >= p.starts[i] {
				return i
			}
		}
		return 0
	}
	return min(*p.page, n-1)
}

func (p *pagedColumn) CreateRenderer() fyne.WidgetRenderer {
	return &pagedRenderer{p: p}
}

type pagedRenderer struct{ p *pagedColumn }

func (r *pagedRenderer) pagerHeight() float32 {
	return max(r.p.prev.MinSize().Height, r.p.where.MinSize().Height)
}

// split makes pages of rows for height h: all on one when they fit,
// otherwise as many a page as fit above the pager.
func (r *pagedRenderer) split(h float32) []int {
	p := r.p
	total := float32(0)
	for i, o := range p.rows {
		if i > 0 {
			total += p.gap
		}
		total += o.MinSize().Height
	}
	if total <= h {
		return []int{0}
	}
	room := h - r.pagerHeight() - p.gap
	starts := []int{0}
	used := float32(0)
	for i, o := range p.rows {
		rh := o.MinSize().Height
		if used > 0 && used+p.gap+rh > room {
			starts = append(starts, i)
			used = 0
		}
		if used > 0 {
			used += p.gap
		}
		used += rh
	}
	return starts
}

func (r *pagedRenderer) Layout(s fyne.Size) {
	p := r.p
	p.starts = r.split(s.Height)
	cur := p.current()
	if *p.page >= 0 {
		*p.page = cur
	}
	end := len(p.rows)
	if cur+1 < len(p.starts) {
		end = p.starts[cur+1]
	}
	y := float32(0)
	for i, o := range p.rows {
		if i < p.starts[cur] || i >= end {
			o.Hide()
			continue
		}
		o.Show()
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(s.Width, h))
		y += h + p.gap
	}
	if len(p.starts) <= 1 {
		p.prev.Hide()
		p.next.Hide()
		p.where.Hide()
		return
	}
	p.prev.Show()
	p.next.Show()
	p.where.Show()
	p.prev.disabled = cur == 0
	p.next.disabled = cur >= len(p.starts)-1
	p.prev.Refresh()
	p.next.Refresh()
	p.where.Text = p.label(cur+1, len(p.starts))
	p.where.Refresh()
	ph := r.pagerHeight()
	top := s.Height - ph
	bs := p.prev.MinSize()
	p.prev.Move(fyne.NewPos(0, top))
	p.prev.Resize(bs)
	ns := p.next.MinSize()
	p.next.Move(fyne.NewPos(s.Width-ns.Width, top))
	p.next.Resize(ns)
	ws := p.where.MinSize()
	p.where.Move(fyne.NewPos((s.Width-ws.Width)/2, top+(ph-ws.Height)/2))
	p.where.Resize(ws)
}

// MinSize is the widest row and the tallest row above the pager: any
// height from there on pages.
func (r *pagedRenderer) MinSize() fyne.Size {
	p := r.p
	var w, h float32
	for _, o := range p.rows {
		m := o.MinSize()
		w = max(w, m.Width)
		h = max(h, m.Height)
	}
	if len(p.rows) > 1 {
		h += p.gap + r.pagerHeight()
		w = max(w, p.prev.MinSize().Width+p.next.MinSize().Width+p.where.MinSize().Width+2*p.gap)
	}
	return fyne.NewSize(w, h)
}

func (r *pagedRenderer) Refresh() { r.Layout(r.p.Size()) }

func (r *pagedRenderer) Objects() []fyne.CanvasObject {
	return append(append([]fyne.CanvasObject{}, r.p.rows...), r.p.prev, r.p.next, r.p.where)
}

func (r *pagedRenderer) Destroy() {}
