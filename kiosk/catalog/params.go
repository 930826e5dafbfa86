package catalog

import (
	"fmt"
	"sort"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// ParamTable is a dated parameter: a money figure or threshold that changes
// by notice (低保 standard, 老年综合津贴 tiers). A change of standard is a new
// entry with its effective date, not a code change.
type ParamTable struct {
	Name  string     `json:"name"`
	Label kiosk.Text `json:"label"`
	Unit  string     `json:"unit"`
	Key   string     `json:"key,omitempty"` // what tiers are keyed by, e.g. "age"
	// Adjusted is how often the figure is set anew: "yearly" tables are
	// not shown from a value more than 15 months old (a 2019 amount is
	// not today's).
	Adjusted string       `json:"adjusted,omitempty"`
	Values   []ParamValue `json:"values"`
}

// ParamValue is the value of a table from a date on: a single Value, or
// Tiers by a key such as age.
type ParamValue struct {
	From     string   `json:"from"` // YYYY-MM-DD, effective from this day
	Value    *float64 `json:"value,omitempty"`
	Tiers    []Tier   `json:"tiers,omitempty"`
	Sources  []string `json:"sources,omitempty"`
	Inferred []string `json:"inferred,omitempty"`
	// Unknown marks a step whose value the catalog does not have (a
	// yearly adjustment not yet found in a source): from this day the
	// parameter has no known value until the next entry.
	Unknown bool `json:"unknown,omitempty"`

	from time.Time
}

// Tier is the value for keys from Min up to the next tier's Min.
type Tier struct {
	Min   int     `json:"min"`
	Value float64 `json:"value"`
}

// paramFile is parameters.json.
type paramFile struct {
	Tables []ParamTable `json:"tables"`
}

// Param returns the value of table name in force on day on.
func (c *Catalog) Param(name string, on time.Time) (float64, error) {
	v, err := c.paramValue(name, on)
	if err != nil {
		return 0, err
	}
	if v.Value == nil {
		return 0, fmt.Errorf("parameter %s is tiered by %s: use Tier", name, c.params[name].Key)
	}
	return *v.Value, nil
}

// Tier returns the tiered value of table name in force on day on for key
// (e.g. an age). ok is false when key is below the first tier.
func (c *Catalog) Tier(name string, on time.Time, key int) (value float64, ok bool, err error) {
	v, err := c.paramValue(name, on)
	if err != nil {
		return 0, false, err
	}
	if len(v.Tiers) == 0 {
		return 0, false, fmt.Errorf("parameter %s has no tiers", name)
	}
	for i := len(v.Tiers) - 1; i >= 0; i-- {
		if key >= v.Tiers[i].Min {
			return v.Tiers[i].Value, true, nil
		}
	}
	return 0, false, nil
}

// ParamTables returns the parameter tables by name.
func (c *Catalog) ParamTables() []ParamTable {
	out := make([]ParamTable, 0, len(c.params))
	for _, t := range c.params {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (c *Catalog) paramValue(name string, on time.Time) (*ParamValue, error) {
	t, ok := c.params[name]
	if !ok {
		return nil, fmt.Errorf("no parameter table %q", name)
	}
	day := dayOf(on)
	for i := len(t.Values) - 1; i >= 0; i-- {
		if !t.Values[i].from.After(day) {
			if t.Values[i].Unknown {
				return nil, fmt.Errorf("parameter %s from %s is not known to the catalog", name, t.Values[i].From)
			}
			return &t.Values[i], nil
		}
	}
	return nil, fmt.Errorf("parameter %s has no value before %s", name, day.Format(time.DateOnly))
}

// dayOf returns the calendar day of t (in t's location) as midnight UTC.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
