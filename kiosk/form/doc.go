// Package form is the form engine of the kiosk: it turns an item's field
// list (kiosk.Field, from the catalog) and the resident's identity into a
// form to fill on a touch screen, page by page, and hands back the answers
// to submit and a copy in plain words.
//
// # What it does
//
//   - Field types: text, number, date, choice, yes/no, phone (mainland
//     mobile 1[3-9]xxxxxxxxx or a Shanghai landline 021-xxxxxxxx), ID number
//     (18 characters, GB 11643 / ISO 7064 MOD 11-2 check character, real
//     birth date), bank account (12–19 digits; card numbers of 16–19 digits
//     must pass the Luhn check), address (district and street or town from
//     the dictionary below, plus a detail line; or, marked centre, a
//     pick-up centre: a district and a street or town, whose own
//     社区事务受理服务中心 it names), family-member list (name, relation,
//     ID number each, and the parts the field's kiosk.MemberSpec asks:
//     sex, hukou, employment, monthly income, disability; a newborn by the
//     出生医学证明 number, one letter and nine digits; a declared household
//     of one as an empty list), signature (a PNG from the pad) and consent
//     (must be ticked).
//   - 代办: ForAgent turns an item's form into the one a resident fills in
//     for someone else (the applicant's name and ID number typed, the
//     relation declared, nothing prefilled from the agent's card);
//     Principal reads the applicant back from the answers. An item with
//     InPerson set has no such form.
//   - Prefill: a field naming a Prefill source (name, sex, birth date,
//     address, ID number) is filled from the card and read-only; its View
//     has FromCard set so the UI shows FromCardNote (已从身份证读取). When the
//     card lacks the value, the field stays empty and editable.
//   - Conditional visibility: VisibleIf is written in the rule language of
//     package kiosk/rule over earlier answers and the resident's age and
//     card (see names.go for the names and types the form supplies); a
//     field is shown when its condition is true. Hidden fields are not
//     validated and their answers are not submitted. The same names serve
//     the catalog's eligibility rules over submitted answers (AnswerValues).
//   - Validation in plain words: every problem is a FieldError naming the
//     field (and the address part or family member), with a Chinese and an
//     English message saying what to fix.
//   - Paging: at most PageSize (4) fields a page, step N of M; Next
//     validates the page before moving on.
//   - Answers for the submission, Display and DisplayCopy for the review
//     screen and the back office, Wipe when the session ends.
//
// Check validates a field list without building a form; the catalog loader
// calls it so that a broken form is a load error, not a kiosk failure.
//
// # The address dictionary
//
// districts.json (embedded; LoadPlaces) lists Shanghai's 16 districts with
// their GB/T 2260 codes and their streets and towns: 107 街道, 106 镇 and
// 2 乡, plus four functional areas (菊园新区, 嘉定工业区, 金山工业区,
// 莘庄工业区) that
// serve residents through their own community affairs centers. It was
// written down in November 2026 from the public administrative division
// list as published up to the end of 2024 (民政部 全国行政区划信息查询平台,
// 上海市民政局), not fetched at build time: review it against the current
// list before a catalog release: streets and towns are merged and renamed
// from time to time. The file records its own source and as_of date.
//
// # What it keeps
//
// A Form holds personal data (the identity, the answers, the signature) and
// nothing else: no logging, no globals. It is owned by the UI goroutine.
package form
