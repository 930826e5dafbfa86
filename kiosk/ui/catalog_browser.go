package ui

import (
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/catalog"
)

// CatalogBrowser shows a loaded catalog on the browse screens: departments
// with items, life events, popular items and search.
func CatalogBrowser(c *catalog.Catalog) Browser { return catalogBrowser{c} }

type catalogBrowser struct{ c *catalog.Catalog }

func (b catalogBrowser) Popular(n int) []kiosk.Item { return b.c.Popular(n) }

func (b catalogBrowser) Departments() []Group {
	var gs []Group
	for _, d := range b.c.Departments() {
		if len(b.c.ByDepartment(d.Code)) > 0 {
			gs = append(gs, Group{ID: d.Code, Name: d.Name})
		}
	}
	return gs
}

func (b catalogBrowser) InDepartment(id string) []kiosk.Item { return b.c.ByDepartment(id) }

func (b catalogBrowser) LifeEvents() []Group {
	var gs []Group
	for _, e := range b.c.LifeEvents() {
		gs = append(gs, Group{ID: e.ID, Name: e.Name})
	}
	return gs
}

func (b catalogBrowser) ForLifeEvent(id string) []kiosk.Item { return b.c.ByLifeEvent(id) }

func (b catalogBrowser) Search(q string, n int) []kiosk.Item {
	var items []kiosk.Item
	for _, h := range b.c.Search(q, n) {
		items = append(items, h.Item)
	}
	return items
}

// Figures are the item's money figures in force on day on, each with its
// date and source (FigureSource).
func (b catalogBrowser) Figures(it kiosk.Item, on time.Time) []kiosk.ShownFigure {
	return b.c.Figures(it, on)
}
