// Package catalog loads and validates the service items, evaluates their
// eligibility rules, and searches and browses them.
//
//   - Load(fsys) reads a catalog tree (the embedded servicescatalog.FS(), a
//     directory, or a verified bundle: any fs.FS) strictly. Unknown fields,
//     duplicate codes, dangling references, form fields without labels and
//     rules that do not parse are reported together, each as file:line: field.
//   - Eligibility rules (kiosk.Rule.When) and form-field visibility
//     (kiosk.Field.VisibleIf) are written in the one rule language of
//     package kiosk/rule: `age >= 65 && hukou == "shanghai"`. Load parses
//     and checks both against the names each side supplies (see
//     eligibility.go for the facts and parameters, kiosk/form for the
//     answers); an unknown name or a type mismatch is a load problem with
//     its file, line, field and column. Eligible evaluates an item's rules
//     before the form starts, from the identity (age from the birth date
//     against today, card type, hukou from the card's address, card expiry),
//     and again at review with the answers; a failing rule gives the reason
//     in plain words and where to go instead.
//   - Money figures and thresholds live in dated parameter tables (Param,
//     Tier): a new 低保 standard is a data change with an effective date; a
//     step no source gives is recorded unknown, not carried forward. A
//     resident sees an amount only through an item's figures (Figures),
//     with its date and source; Load refuses an amount written into an
//     item's texts and a figure whose value is undated, unsourced,
//     inferred or, for a yearly figure, more than 15 months old.
//   - Items record their legal basis (name, article, effective date, where
//     read), their charge (free, or fees with their basis) and the basis of
//     a statutory time limit; Review counts what is sourced for catalog
//     check. Documents the e-licence library supplies are marked 证照免交
//     under their catalog code on every item, and papers signed on the
//     terminal are marked at_terminal (licence.go).
//   - One item per application: an item lists the codes merged into it as
//     Aliases, and Item, Canonical, File and Eligible resolve them, so a
//     stored submission, an appointment or a bundle naming an old code
//     still finds the item.
//   - Search matches Chinese substrings, full pinyin and initials (via package
//     kiosk/pinyin), English, the residents' own words (item keywords) and
//     forgives one wrong character; ByDepartment, ByLifeEvent and Popular
//     serve the browse tabs.
//
// The package knows no UI, storage or network. Signing and verifying catalog
// bundles belongs to the back office and uplink; they hand Load an fs.FS.
package catalog
