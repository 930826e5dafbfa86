package form

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/tongban/tongban/kiosk"
)

// districtsJSON (a string, so nothing can change it) is the dictionary of Shanghai's 16 districts and their
// streets and towns (街道、镇、乡). See doc.go for its source and date.
//
//go:embed districts.json
var districtsJSON string

// District is one of Shanghai's districts with its streets and towns.
type District struct {
	Code  string     `json:"code"` // GB/T 2260 code, e.g. "310104"
	Name  kiosk.Text `json:"name"` // e.g. 徐汇区 / Xuhui
	Towns []string   `json:"towns"`
}

// Places is the address dictionary a form checks district and street
// answers against. Load it once at start-up with LoadPlaces and pass it to
// every form; it is read-only and safe for concurrent use.
type Places struct {
	Source string // where the list comes from, for the About screen
	AsOf   string // date of the list, YYYY-MM-DD
	// CentreSuffix names a street's or town's community affairs centre
	// after it: 社区事务受理服务中心.
	CentreSuffix string
	districts    []District
	byName       map[string]int // district name or code → index
	towns        []map[string]bool
}

// LoadPlaces parses the embedded dictionary of Shanghai's districts.
func LoadPlaces() (*Places, error) { return ParsePlaces([]byte(districtsJSON)) }

// ParsePlaces parses a dictionary in the format of districts.json, refusing
// unknown fields, empty names and duplicates.
func ParsePlaces(data []byte) (*Places, error) {
	var raw struct {
		Source    string     `json:"source"`
		AsOf      string     `json:"as_of"`
		Centre    string     `json:"centre_suffix"`
		Districts []District `json:"districts"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("form: districts dictionary: %w", err)
	}
	if len(raw.Districts) == 0 {
		return nil, fmt.Errorf("form: districts dictionary: no districts")
	}
	p := &Places{Source: raw.Source, AsOf: raw.AsOf, CentreSuffix: raw.Centre, byName: map[string]int{}}
	for i, d := range raw.Districts {
		if d.Code == "" || d.Name.ZH == "" || len(d.Towns) == 0 {
			return nil, fmt.Errorf("form: districts dictionary: district %d needs a code, a name and towns", i+1)
		}
		for _, key := range []string{d.Code, d.Name.ZH} {
			if _, dup := p.byName[key]; dup {
				return nil, fmt.Errorf("form: districts dictionary: %s appears twice", key)
			}
			p.byName[key] = i
		}
		towns := make(map[string]bool, len(d.Towns))
		for _, t := range d.Towns {
			if t == "" || towns[t] {
				return nil, fmt.Errorf("form: districts dictionary: %s: empty or repeated town %q", d.Name.ZH, t)
			}
			towns[t] = true
		}
		p.districts = append(p.districts, d)
		p.towns = append(p.towns, towns)
	}
	return p, nil
}

// Districts returns the districts in the dictionary's order (a copy).
func (p *Places) Districts() []District {
	out := make([]District, len(p.districts))
	for i, d := range p.districts {
		d.Towns = append([]string(nil), d.Towns...)
		out[i] = d
	}
	return out
}

// District finds a district by its Chinese name ("徐汇区") or code ("310104").
func (p *Places) District(nameOrCode string) (District, bool) {
	i, ok := p.byName[nameOrCode]
	if !ok {
		return District{}, false
	}
	d := p.districts[i]
	d.Towns = append([]string(nil), d.Towns...)
	return d, true
}

// Streets returns the streets and towns of a district (by name or code), or
// nil when there is no such district.
func (p *Places) Streets(district string) []string {
	d, ok := p.District(district)
	if !ok {
		return nil
	}
	return d.Towns
}

// hasTown reports whether town is a street or town of district.
func (p *Places) hasTown(district, town string) bool {
	i, ok := p.byName[district]
	return ok && p.towns[i][town]
}

// districtIn finds the district named in a free-text address such as the
// one on an ID card ("上海市徐汇区漕溪北路…"), or "" when none is.
func (p *Places) districtIn(address string) string {
	best, at := "", -1
	for _, d := range p.districts {
		if i := strings.Index(address, d.Name.ZH); i >= 0 && (at < 0 || i < at) {
			best, at = d.Name.ZH, i
		}
	}
	return best
}

// InDistrictOrder returns a choice's options in the dictionary's order of
// districts (GB/T 2260, the official order) when every option names a
// district (by its Chinese label), so that every district list a resident
// meets has the same order, whatever order the catalog wrote; other
// choices come back as they are. opts is not changed.
func (p *Places) InDistrictOrder(opts []kiosk.Option) []kiosk.Option {
	if p == nil || len(opts) < 2 {
		return opts
	}
	rank := make([]int, len(opts))
	for i, o := range opts {
		r, ok := p.byName[o.Label.ZH]
		if !ok {
			return opts
		}
		rank[i] = r
	}
	idx := make([]int, len(opts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return rank[idx[a]] < rank[idx[b]] })
	out := make([]kiosk.Option, len(opts))
	for i, j := range idx {
		out[i] = opts[j]
	}
	return out
}
