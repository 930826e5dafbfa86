package catalog

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban/kiosk"
)

// licenceDocs are the documents the e-licence library (电子证照库) supplies
// for the applicant, by the material name items use, with the library's
// catalog code (catMainCode, reference/catalog.md §1.3): 证照免交, the
// resident need not bring them. A material of one of these names must be
// marked so on every item, or the screens and the receipt would disagree
// from one item to the next.
var licenceDocs = map[string]string{
	"居民身份证":    "310105109000100",
	"户口簿":      "310105105000100",
	"户口簿或户籍证明": "310105105000100",
	"结婚证":      "310105127000101",
	"出生医学证明":   "314910001000500",
}

// licenceCode returns the e-licence catalog code of a material the library
// supplies, by its name ("居民身份证", "结婚证原件").
func licenceCode(m kiosk.Material) (string, bool) {
	code, ok := licenceDocs[strings.TrimSuffix(strings.TrimSpace(m.Name.ZH), "原件")]
	return code, ok
}

// checkMaterials refuses materials the screens and the receipt would tell
// inconsistently: a document the library supplies not marked 免交 (or
// under the wrong code), a 免交 mark without the library's code, and a
// paper filled in or signed on the terminal (在本机) that is not marked so,
// or marked so on an item the resident cannot apply for here.
func (l *loader) checkMaterials(file string, it *kiosk.Item) {
	for i, m := range it.Materials {
		p := fmt.Sprintf("materials[%d]", i)
		if code, ok := licenceCode(m); ok {
			switch {
			case !m.FromLicenceLibrary:
				l.problem(file, p+".from_licence_library", "%s comes from the e-licence library: mark it from_licence_library with code %s", m.Name.ZH, code)
			case m.LicenceCatalogCode != code:
				l.problem(file, p+".licence_catalog_code", "%s is held in the e-licence library under %s, not %q", m.Name.ZH, code, m.LicenceCatalogCode)
			}
		} else if m.FromLicenceLibrary && m.LicenceCatalogCode == "" {
			l.problem(file, p+".licence_catalog_code", "%s is marked as from the e-licence library: name the catalog code it is held under", m.Name.ZH)
		}
		here := strings.Contains(m.Name.ZH, "在本机")
		switch {
		case here && !m.AtTerminal:
			l.problem(file, p+".at_terminal", "%s is filled in or signed on the terminal: mark it at_terminal, so the receipt does not ask for it", m.Name.ZH)
		case m.AtTerminal && !it.Can(kiosk.ActionApply):
			l.problem(file, p+".at_terminal", "%s is signed on the terminal, but residents cannot apply for this item here", m.Name.ZH)
		case m.AtTerminal && m.FromLicenceLibrary:
			l.problem(file, p, "%s cannot be both signed here and taken from the e-licence library", m.Name.ZH)
		}
	}
}
