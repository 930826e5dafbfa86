package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

	"github.com/tongban/tongban/kiosk"
)

type browseTab int

const (
	tabPopular browseTab = iota
	tabDepartment
	tabLifeEvent
	tabSearch
)

// browseState is where the resident is in the catalog; it survives a visit
// to an item and back, and is reset for each session.
type browseState struct {
	tab       browseTab
	group     string     // the department or life event chosen
	groupName kiosk.Text // its name
	page      int
	query     string
	spelling  string // pinyin letters typed but no character chosen yet
}

func (u *Screens) browseScreen() fyne.CanvasObject {
	greet := u.t("browse.title")
	if g := u.view.Greeting; g != "" {
		greet = u.t("browse.title_named", map[string]any{"Name": g})
	}
	// Searching on a portrait panel, the keyboard takes the lower half:
	// the greeting stays in the top row (set smaller) to leave the results
	// their room.
	u.compactTitle = u.browse.tab == tabSearch && !u.landscape()
	u.titleHeight = u.titleExtra(greet)
	tabs := []struct {
		t     browseTab
		label string
	}{
		{tabPopular, u.t("browse.tab_popular")},
		{tabDepartment, u.t("browse.tab_department")},
		{tabLifeEvent, u.t("browse.tab_life_event")},
		{tabSearch, u.t("browse.tab_search")},
	}
	cols := len(tabs)
	if !u.landscape() || u.browse.tab == tabSearch {
		cols = 2 // four tabs do not fit across a portrait panel, or beside a keyboard
	}
	row := container.NewGridWithColumns(cols)
	for _, tb := range tabs {
		tb := tb
		set := func() { u.browse = browseState{tab: tb.t}; u.redraw() }
		if u.browse.tab == tb.t {
			row.Add(u.primary(tb.label, set))
		} else {
			row.Add(u.secondary(tb.label, set))
		}
	}
	var content fyne.CanvasObject
	b := u.opt.Browser
	switch {
	case b == nil:
		content = u.para(u.t("browse.catalog_unavailable"), u.c.errorText)
	case u.browse.tab == tabPopular:
		content = u.itemGrid(b.Popular(60))
	case u.browse.tab == tabDepartment && u.browse.group == "":
		content = u.groupGrid(b.Departments())
	case u.browse.tab == tabDepartment:
		content = u.itemGrid(b.InDepartment(u.browse.group))
	case u.browse.tab == tabLifeEvent && u.browse.group == "":
		content = u.groupGrid(b.LifeEvents())
	case u.browse.tab == tabLifeEvent:
		content = u.itemGrid(b.ForLifeEvent(u.browse.group))
	default:
		var beside, below fyne.CanvasObject
		content, beside, below = u.searchPanel()
		if beside != nil {
			return u.frame(greet, container.NewBorder(nil, nil, nil, beside, container.NewBorder(row, nil, nil, nil, container.NewPadded(content))), true)
		}
		return u.frame(greet, container.NewBorder(row, below, nil, nil, container.NewPadded(content)), true)
	}
	return u.frame(greet, container.NewBorder(row, nil, nil, nil, container.NewPadded(content)), true)
}

// groupGrid shows departments or life events as tiles.
func (u *Screens) groupGrid(groups []Group) fyne.CanvasObject {
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = u.tr(g.Name)
	}
	u.fitTiles(names)
	grid := container.NewGridWithColumns(u.columns())
	for _, g := range u.pageOf(len(groups)) {
		g := groups[g]
		grid.Add(newTile(u.tr(g.Name), "", "", u.tileSizes(), u.tileLines, u.touched(func() {
			u.browse.group, u.browse.groupName, u.browse.page = g.ID, g.Name, 0
			u.redraw()
		})))
	}
	return container.NewBorder(nil, u.pager(len(groups)), nil, nil, container.NewVBox(grid))
}

// itemGrid shows service items as tiles, greyed with the reason when they
// cannot be served now.
func (u *Screens) itemGrid(items []kiosk.Item) fyne.CanvasObject {
	sz := u.sz()
	if len(items) == 0 {
		return u.para(u.t("browse.search_none"), u.c.secondary)
	}
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = u.tr(it.Name)
	}
	u.fitTiles(names)
	grid := container.NewGridWithColumns(u.columns())
	for _, i := range u.pageOf(len(items)) {
		it := items[i]
		reason := ""
		if u.opt.Gate != nil {
			if ok, _ := u.opt.Gate(it); !ok {
				// The whole reason does not fit a tile's line: the tile says
				// so in short, and the item's screen gives the reason and
				// where to go instead.
				reason = u.t("browse.unavailable")
			}
		}
		grid.Add(newTile(u.tr(it.Name), u.tr(it.Summary), reason, u.tileSizes(), u.tileLines, u.touched(func() { u.s.SelectItem(it.Code) })))
	}
	var top fyne.CanvasObject
	if u.browse.group != "" {
		top = container.NewHBox(u.secondary(u.t("browse.all_groups"), func() {
			u.browse.group, u.browse.page = "", 0
			u.redraw()
		}), u.text(u.tr(u.browse.groupName), sz.button, u.c.text, true))
	}
	if u.browse.tab == tabSearch && !u.landscape() {
		// Over the keyboard a portrait panel has room for one row: the
		// page buttons stand beside it rather than under it.
		prev, next := u.pageButtons(len(items))
		return container.NewBorder(top, nil, prev, next, container.NewVBox(grid))
	}
	return container.NewBorder(top, u.pager(len(items)), nil, nil, container.NewVBox(grid))
}

// pageButtons are the pager's 上一页 and 下一页 alone, or nils when one
// page holds everything.
func (u *Screens) pageButtons(n int) (fyne.CanvasObject, fyne.CanvasObject) {
	per := u.perPage()
	pages := (n + per - 1) / per
	if pages <= 1 {
		return nil, nil
	}
	prev := u.secondary(u.t("common.prev_page"), func() { u.browse.page--; u.redraw() })
	next := u.secondary(u.t("common.next_page"), func() { u.browse.page++; u.redraw() })
	prev.disabled = u.browse.page == 0
	next.disabled = u.browse.page >= pages-1
	return prev, next
}

func (u *Screens) columns() int {
	switch {
	case u.browse.tab == tabSearch:
		return 1 // beside the keyboard, or between the page buttons above it
	case !u.landscape():
		return 2
	}
	// 长者模式 too: three columns of two rows make UX.md's 6 a page where
	// two columns would make 4 (and 2 with English names on two lines).
	return 3
}

// pageOf returns the indexes shown on the current browse page.
func (u *Screens) pageOf(n int) []int {
	per := u.perPage()
	pages := (n + per - 1) / per
	if u.browse.page >= pages {
		u.browse.page = max(0, pages-1)
	}
	var idx []int
	for i := u.browse.page * per; i < n && i < (u.browse.page+1)*per; i++ {
		idx = append(idx, i)
	}
	return idx
}

// pager is 上一页 / 第 N 页 共 M 页 / 下一页: large buttons, no scrolling.
func (u *Screens) pager(n int) fyne.CanvasObject {
	per := u.perPage()
	pages := (n + per - 1) / per
	if pages <= 1 {
		return layout.NewSpacer()
	}
	prev, next := u.pageButtons(n)
	where := u.text(u.t("common.page", map[string]any{"Page": u.browse.page + 1, "Pages": pages}), u.sz().body, u.c.secondary, false)
	return container.NewHBox(prev, layout.NewSpacer(), container.NewCenter(where), layout.NewSpacer(), next)
}

// fitTiles sets how the tiles of a list show names (u.tileLines,
// u.tileSize): wrapped over as many lines as the longest name needs at the
// tile's width, never cut ("Senior comprehensive allow…" helps nobody),
// the same for every tile so that rows line up and a page's height is
// known before layout. When those lines would leave fewer tiles a page
// than UX.md asks (long English names in 长者模式), the names are set a
// step smaller, never below 80 % of body text.
func (u *Screens) fitTiles(names []string) {
	sz := u.sz()
	width := u.tileTextWidth()
	style := fyne.TextStyle{Bold: true}
	linesAt := func(size float32) int {
		lines := 1
		for _, n := range names {
			lines = max(lines, len(wrapLines(n, size, width, style)))
		}
		return lines
	}
	u.tileSize, u.tileLines = sz.button, linesAt(sz.button)
	want := min(sz.perPage, len(names))
	for size := sz.button * 0.9; u.perPage() < want && size >= sz.body*0.8; size *= 0.9 {
		u.tileSize, u.tileLines = size, linesAt(size)
	}
	if u.perPage() < want {
		u.tileSize, u.tileLines = sz.button, linesAt(sz.button)
	}
}

// tileSizes are the sizes a browse tile is drawn with: its name at
// u.tileSize.
func (u *Screens) tileSizes() sizes {
	sz := u.sz()
	if u.tileSize > 0 {
		sz.button = u.tileSize
	}
	return sz
}

// tileTextWidth is the width a tile's name has (a little less than the
// tile gives it, so that the name's lines counted here are never fewer
// than those the tile draws).
func (u *Screens) tileTextWidth() float32 {
	sz := u.sz()
	pad := theme.Padding()
	side := 2 * sz.gap
	if !u.landscape() {
		side = sz.gap
	}
	room := u.screenSize().Width - 2*side - 2*pad // the frame's margins, the grid's padding
	if u.browse.tab == tabSearch && u.landscape() {
		room /= 2 // beside the keyboard
	}
	cols := float32(u.columns())
	return (room-(cols-1)*pad)/cols - 2*sz.gap - 8
}

// perPage is how many tiles a page shows: UX.md's 12 (6 in 长者模式), or
// one row while the search keyboard takes the lower half of the panel.
func (u *Screens) perPage() int {
	if u.browse.tab == tabSearch && !u.landscape() {
		return u.columns() // one row above the keyboard
	}
	// UX.md's 12 (6 in 长者模式), or as many rows as the panel's height
	// holds: long English names take two lines, and portrait has one column.
	sz := u.sz()
	tileH := newTile("Hg", "Hg", "", u.tileSizes(), max(u.tileLines, 1), nil).MinSize().Height + theme.Padding() // a sample tile: only its height counts
	tabRows := float32(1)
	if !u.landscape() || u.browse.tab == tabSearch {
		tabRows = 2
	}
	// The title bar, the tabs and the pager, each a target high, and the
	// frame's margins: what the tiles cannot have.
	reserved := max(sz.target, sz.heading*1.35) + tabRows*(sz.target+2*theme.Padding()) + sz.target + 2*sz.gap + 3*theme.Padding()
	if u.browse.group != "" {
		reserved += sz.target + sz.gap // the row naming the department or life event
	}
	reserved += u.titleHeight // a long greeting under the top row
	if u.browse.tab == tabSearch {
		reserved += fyne.MeasureText("Hg", sz.button, fyne.TextStyle{Bold: true}).Height + 4*theme.Padding() + sz.gap // the search box
	}
	rows := max(1, int((u.screenSize().Height-reserved)/tileH))
	return min(sz.perPage, rows*u.columns())
}
