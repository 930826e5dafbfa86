package catalog

import (
	"slices"
	"sort"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/rule"
)

// Catalog is a loaded, validated catalog. It is read-only after Load and safe
// for concurrent use. Items returned by its methods share their slices with
// the catalog: do not modify them.
type Catalog struct {
	meta        Meta
	items       []kiosk.Item // in department order, then most popular first
	files       []string     // files[i] is the file of items[i]
	byCode      map[kiosk.ItemCode]int
	aliases     map[kiosk.ItemCode]kiosk.ItemCode // a merged item's old code: the item it is now
	departments []Department
	lifeEvents  []LifeEvent
	synonyms    []Synonym
	params      map[string]*ParamTable
	rules       map[kiosk.ItemCode][]*rule.Rule
	index       *searchIndex
}

// Meta is catalog.json: the catalog's version and effective date.
type Meta struct {
	Version   string            `json:"version"`
	Effective string            `json:"effective"` // YYYY-MM-DD
	Title     kiosk.Text        `json:"title"`
	Sources   map[string]string `json:"sources"` // reference keys items may cite

	effective time.Time
}

// Department is one entry of departments.json.
type Department struct {
	Code    string     `json:"code"`
	Name    kiosk.Text `json:"name"`
	Hotline string     `json:"hotline,omitempty"`
	Order   int        `json:"order"`
}

// LifeEvent is one entry of life_events.json (出生, 上学, 就业 ...).
type LifeEvent struct {
	ID    string     `json:"id"`
	Name  kiosk.Text `json:"name"`
	Order int        `json:"order"`
}

// Version returns the catalog's version string.
func (c *Catalog) Version() string { return c.meta.Version }

// Effective returns the day the catalog takes effect.
func (c *Catalog) Effective() time.Time { return c.meta.effective }

// Meta returns the catalog's metadata.
func (c *Catalog) Meta() Meta { return c.meta }

// Len returns the number of items.
func (c *Catalog) Len() int { return len(c.items) }

// Items returns every item, by department, most popular first.
func (c *Catalog) Items() []kiosk.Item { return append([]kiosk.Item(nil), c.items...) }

// Item returns the item with code, or the item an old code was merged
// into (its alias): a stored or queued submission, an appointment or a
// bundle naming the old code still finds it.
func (c *Catalog) Item(code kiosk.ItemCode) (kiosk.Item, bool) {
	i, ok := c.at(code)
	if !ok {
		return kiosk.Item{}, false
	}
	return c.items[i], true
}

// File returns the file an item was loaded from, for messages to staff.
func (c *Catalog) File(code kiosk.ItemCode) string {
	if i, ok := c.at(code); ok {
		return c.files[i]
	}
	return ""
}

// Canonical returns the item code that code names now: code itself, or
// the item an old code was merged into. ok is false for no item.
func (c *Catalog) Canonical(code kiosk.ItemCode) (kiosk.ItemCode, bool) {
	i, ok := c.at(code)
	if !ok {
		return "", false
	}
	return c.items[i].Code, true
}

// at is the index of the item with code or alias code.
func (c *Catalog) at(code kiosk.ItemCode) (int, bool) {
	if i, ok := c.byCode[code]; ok {
		return i, true
	}
	if now, ok := c.aliases[code]; ok {
		i, ok := c.byCode[now]
		return i, ok
	}
	return 0, false
}

// Departments returns the departments in browse order.
func (c *Catalog) Departments() []Department { return append([]Department(nil), c.departments...) }

// LifeEvents returns the life events in browse order.
func (c *Catalog) LifeEvents() []LifeEvent { return append([]LifeEvent(nil), c.lifeEvents...) }

// ByDepartment returns a department's items, most popular first.
func (c *Catalog) ByDepartment(code string) []kiosk.Item {
	var out []kiosk.Item
	for _, it := range c.items {
		if it.Department == code {
			out = append(out, it)
		}
	}
	return out
}

// ByLifeEvent returns the items tagged with a life event, most popular first.
func (c *Catalog) ByLifeEvent(id string) []kiosk.Item {
	var out []kiosk.Item
	for _, it := range c.items {
		if slices.Contains(it.LifeEvents, id) {
			out = append(out, it)
		}
	}
	sortByPopularity(out)
	return out
}

// Popular returns the n most popular items (all when n <= 0).
func (c *Catalog) Popular(n int) []kiosk.Item {
	out := c.Items()
	sortByPopularity(out)
	if n > 0 && n < len(out) {
		out = out[:n]
	}
	return out
}

func sortByPopularity(items []kiosk.Item) {
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].Popularity != items[j].Popularity {
			return items[i].Popularity > items[j].Popularity
		}
		return items[i].Code < items[j].Code
	})
}
