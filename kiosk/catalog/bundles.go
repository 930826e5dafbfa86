package catalog

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"

	"github.com/tongban/tongban/kiosk"
)

// The 一件事 bundles live in their own directory: one file per bundle and
// a file of the sources they (and the items added with them) cite.
const (
	dirBundles          = "yjs"
	fileBundleSources   = dirBundles + "/sources.json"
	maxPartsPerBundle   = 8
	bundleCodePrefix    = "yjs-"
	bundleDepartmentMsg = "a bundle needs a department that answers for it"
)

// bundleFile is one services-catalog/yjs/<name>.json: an item's words
// (name, summary, who can apply, what happens after, sources ...) and the
// codes of the items it combines. The loader composes the rest: the one
// form (each field once, however many parts ask it), the materials, the
// needs and the longest promise of its parts.
type bundleFile struct {
	kiosk.Item
	PartCodes []kiosk.ItemCode `json:"parts"`
}

// loadBundleSources adds the sources the bundles cite to the catalog's.
func (l *loader) loadBundleSources(c *Catalog) {
	if _, err := fs.Stat(l.fsys, fileBundleSources); err != nil {
		return
	}
	var more map[string]string
	if !l.decode(fileBundleSources, &more) {
		return
	}
	if c.meta.Sources == nil {
		c.meta.Sources = map[string]string{}
	}
	keys := make([]string, 0, len(more))
	for k := range more {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, dup := c.meta.Sources[k]; dup {
			l.problem(fileBundleSources, k, "source %q is already in catalog.json", k)
			continue
		}
		if more[k] == "" {
			l.problem(fileBundleSources, k, "source %q needs a description", k)
			continue
		}
		c.meta.Sources[k] = more[k]
	}
}

// bundleFiles lists the bundle files (every .json of yjs/ but sources.json).
func bundleFiles(fsys fs.FS) []string {
	ents, err := fs.ReadDir(fsys, dirBundles)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		name := dirBundles + "/" + e.Name()
		if !e.IsDir() && path.Ext(name) == ".json" && name != fileBundleSources {
			out = append(out, name)
		}
	}
	return out
}

// loadBundles decodes and composes the bundles and adds them to the
// catalog's items, where checkItem then checks them like any item.
func (l *loader) loadBundles(c *Catalog) {
	for _, file := range bundleFiles(l.fsys) {
		var b bundleFile
		if !l.decode(file, &b) {
			continue
		}
		it, ok := l.composeBundle(c, file, b)
		if !ok {
			continue
		}
		if _, dup := c.byCode[it.Code]; dup {
			l.problem(file, "code", "duplicate code %q: also an item", it.Code)
			continue
		}
		c.byCode[it.Code] = len(c.items)
		c.items = append(c.items, it)
		c.files = append(c.files, file)
	}
}

// composeBundle builds the bundle's item from its file and its parts.
func (l *loader) composeBundle(c *Catalog, file string, b bundleFile) (kiosk.Item, bool) {
	bad := func(field, format string, args ...any) { l.problem(file, field, format, args...) }
	it := b.Item
	ok := true
	if len(it.Code) < len(bundleCodePrefix) || string(it.Code[:len(bundleCodePrefix)]) != bundleCodePrefix {
		bad("code", "a bundle's code begins with %q, so it is never taken for an item", bundleCodePrefix)
		ok = false
	}
	if len(it.Form) > 0 {
		bad("form", "a bundle's form is composed from its parts' forms; declare the fields in the part items")
		ok = false
	}
	if !it.Can(kiosk.ActionApply) {
		bad("actions", "a bundle is applied for here: its actions include apply")
		ok = false
	}
	if it.Department == "" {
		bad("department", bundleDepartmentMsg)
	}
	switch {
	case len(b.PartCodes) < 2:
		bad("parts", "a bundle combines at least two items")
		return it, false
	case len(b.PartCodes) > maxPartsPerBundle:
		bad("parts", "a bundle combines at most %d items", maxPartsPerBundle)
		return it, false
	}
	var parts []kiosk.Item
	seen := map[kiosk.ItemCode]bool{}
	for i, code := range b.PartCodes {
		p := fmt.Sprintf("parts[%d]", i)
		idx, found := c.byCode[code]
		switch {
		case !found:
			bad(p, "no item %q", code)
			ok = false
			continue
		case seen[code]:
			bad(p, "item %q is listed twice", code)
			ok = false
			continue
		}
		seen[code] = true
		part := c.items[idx]
		switch {
		case !part.Can(kiosk.ActionApply) || len(part.Form) == 0:
			bad(p, "item %q is not applied for at the terminal: a part must be (say where to go for it in after_done)", code)
			ok = false
		case part.Identity == kiosk.IdentityVerified:
			bad(p, "item %q needs a verified identity, which this terminal cannot give: it cannot be a part", code)
			ok = false
		}
		parts = append(parts, part)
	}
	if !ok {
		return it, false
	}
	form, owners, clash := mergeForms(parts)
	for _, m := range clash {
		bad("parts", "%s", m)
		ok = false
	}
	it.Form = form
	for _, part := range parts {
		it.Parts = append(it.Parts, kiosk.Part{Item: part.Code, Name: part.Name, Affairs: part.Codes.Affairs, Fields: owners[part.Code]})
		for _, n := range part.Needs {
			if !slices.Contains(it.Needs, n) {
				it.Needs = append(it.Needs, n)
			}
		}
		if longer(part.Promise, it.Promise) {
			it.Promise = part.Promise
		}
		if it.InPerson.IsZero() && !part.InPerson.IsZero() {
			// A part that may not be applied for on someone's behalf
			// keeps the whole bundle in person.
			it.InPerson = part.InPerson
		}
	}
	if len(it.Materials) == 0 {
		names := map[string]bool{}
		for _, part := range parts {
			for _, m := range part.Materials {
				if !names[m.Name.ZH] {
					names[m.Name.ZH] = true
					it.Materials = append(it.Materials, m)
				}
			}
		}
	}
	return it, ok
}

// mergeForms combines the parts' forms into one: each field ID once, in
// the order first asked, the signature and consent rows last. owners
// says which field IDs each part takes. A field ID two parts use for
// different questions (another type, other options) is a clash: the
// resident would answer one question for two.
func mergeForms(parts []kiosk.Item) ([]kiosk.Field, map[kiosk.ItemCode][]string, []string) {
	var body, tail []kiosk.Field
	first := map[string]kiosk.Field{}
	from := map[string]kiosk.ItemCode{}
	owners := map[kiosk.ItemCode][]string{}
	var clash []string
	for _, part := range parts {
		for _, f := range part.Form {
			owners[part.Code] = append(owners[part.Code], f.ID)
			if g, ok := first[f.ID]; ok {
				if !sameQuestion(f, g) {
					clash = append(clash, fmt.Sprintf("field %q of %s is another question than %q of %s: rename one", f.ID, part.Code, g.ID, from[f.ID]))
				}
				continue
			}
			first[f.ID], from[f.ID] = f, part.Code
			if f.Type == kiosk.FieldSignature || f.Type == kiosk.FieldConsent {
				tail = append(tail, f)
			} else {
				body = append(body, f)
			}
		}
	}
	return append(body, tail...), owners, clash
}

// sameQuestion reports whether two fields with one ID can be answered
// once for both: the same type, prefill and choices. Labels and help may
// differ in wording.
func sameQuestion(a, b kiosk.Field) bool {
	if a.Type != b.Type || a.Prefill != b.Prefill || a.Confirms != b.Confirms || a.Centre != b.Centre || len(a.Options) != len(b.Options) {
		return false
	}
	for i := range a.Options {
		if a.Options[i].Value != b.Options[i].Value {
			return false
		}
	}
	return true
}

// longer reports whether promise a takes longer than b (same unit, or
// any unit against a zero promise).
func longer(a, b kiosk.TimeLimit) bool {
	unit := func(t kiosk.TimeLimit) string {
		if t.Unit == "" {
			return kiosk.UnitWorkingDays
		}
		return t.Unit
	}
	if b.Days == 0 {
		return a.Days > 0
	}
	return unit(a) == unit(b) && a.Days > b.Days
}

// Bundles returns the 一件事 bundles, in browse order.
func (c *Catalog) Bundles() []kiosk.Item {
	var out []kiosk.Item
	for _, it := range c.items {
		if it.Bundle() {
			out = append(out, it)
		}
	}
	return out
}
