// Package catalog loads and validates the service items, evaluates their
// eligibility rules, and searches and browses them.
//
//   - Load(fsys) reads a catalog tree (the embedded servicescatalog.FS(), a
//     directory, or a verified bundle: any fs.FS) strictly. Unknown fields,
//     duplicate codes, dangling references, form fields without labels and
//     rules that do not parse are reported together, each as file:line: field.
//   - Eligibility rules (kiosk.Rule.When) are written in a small language
//     parsed here (see Expr): `age >= 65 && hukou == shanghai`. Form-field
//     visibility (kiosk.Field.VisibleIf) is checked with the form engine's
//     parser (kiosk/form), the one that shows and hides fields on the kiosk.
//     Eligible evaluates an item's rules before the form starts, from the
//     identity (age from the birth date against today, card type, hukou from
//     the card's address, card expiry) and from answers once there are some;
//     a failing rule gives the reason in plain words and where to go instead.
//   - Money figures and thresholds live in dated parameter tables (Param,
//     Tier): a new 低保 standard is a data change with an effective date.
//   - Search matches Chinese substrings, full pinyin and initials (via package
//     kiosk/pinyin), English, the residents' own words (item keywords) and
//     forgives one wrong character; ByDepartment, ByLifeEvent and Popular
//     serve the browse tabs.
//
// The package knows no UI, storage or network. Signing and verifying catalog
// bundles belongs to the back office and uplink; they hand Load an fs.FS.
package catalog
