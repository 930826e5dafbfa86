package catalog

import (
	"fmt"

	"github.com/tongban/tongban/kiosk"
)

// checkAliases records the old codes of merged items (one item per
// application: 敬老卡 into 老年综合津贴). An alias must be a well-formed
// code, not the code of an item still in the catalog (its file should have
// gone with the merge), and name one item only.
func (l *loader) checkAliases(c *Catalog) {
	for i, it := range c.items {
		for ai, a := range it.Aliases {
			field := fmt.Sprintf("aliases[%d]", ai)
			switch {
			case !l.patterns.code.MatchString(string(a)):
				l.problem(c.files[i], field, "alias %q: use lower-case letters, digits and hyphens", a)
			case a == it.Code:
				l.problem(c.files[i], field, "alias %q is the item's own code", a)
			case c.hasCode(a):
				l.problem(c.files[i], field, "alias %q is still an item of its own (%s): remove that file once merged", a, c.File(a))
			case c.aliases[a] != "":
				l.problem(c.files[i], field, "alias %q is also an alias of %s", a, c.aliases[a])
			default:
				c.aliases[a] = it.Code
			}
		}
	}
}

func (c *Catalog) hasCode(code kiosk.ItemCode) bool { _, ok := c.byCode[code]; return ok }

// Aliases returns the old codes merged into items, each with the item's
// code now.
func (c *Catalog) Aliases() map[kiosk.ItemCode]kiosk.ItemCode {
	out := make(map[kiosk.ItemCode]kiosk.ItemCode, len(c.aliases))
	for a, now := range c.aliases {
		out[a] = now
	}
	return out
}
