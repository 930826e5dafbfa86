// Package servicescatalog embeds the service-item data of the kiosk catalog.
//
// The JSON files here are the source of truth: a center edits them (a
// generator script wrote their first version and was retired once English
// and reviews were added by hand); package kiosk/catalog loads and validates
// them:
//
//	catalog.json       version, effective date, title, the source keys
//	departments.json   the departments, in browse order, with hotlines
//	life_events.json   the life events (出生, 上学, 就业, ...) in browse order
//	parameters.json    dated parameter tables: 低保 standard, 老年综合津贴 tiers...
//	synonyms.json      residents' everyday words (去世, 下岗, "passed away") and
//	                   the catalog's words for them, for search
//	items/<dept>/<code>.json   one service item per file
//	yjs/<name>.json    a 一件事 bundle: an item's words and the codes of the
//	                   items ("parts") its one combined form applies for
//	yjs/sources.json   the source keys the bundles and their new items cite
//
// A bundle has no form of its own: the loader composes it from its parts'
// forms, each field once however many parts ask it (a field ID two parts
// use for different questions is refused), and records which answers go
// to which part. The terminal sends one submission with a part per item;
// the back office numbers, stores and works each part on its own.
//
// One file per item, grouped in a folder per department: a center reviewing
// or correcting one item touches one small file, a diff names the item, the
// loader's errors point at a short file, and a back-office bundle can replace
// single items; the folder keeps a department's items together for review.
// Fields whose content was inferred rather than taken from a cited source are
// listed in each item's "inferred" field, for a center to check.
//
// An item's eligibility rules ("rules[].when") and its form fields'
// visibility ("form[].visible_if") are written in the rule language of
// package kiosk/rule: a bare word is a name (a fact, param.NAME or a field
// ID), text is in double quotes: `age >= 65 && hukou == "shanghai"`.
// `kioskctl catalog check DIR` reports a rule that does not parse, reads a
// name its side does not supply or compares values of different types,
// with its file, line, field and column.
//
// The same tree, signed, is the catalog bundle the back office distributes;
// catalog.Load accepts any fs.FS, so a verified bundle loads the same way.
package servicescatalog
