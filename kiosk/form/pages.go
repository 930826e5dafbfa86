package form

import (
	"fmt"

	"github.com/tongban/tongban/kiosk"
)

// PageSize is the most fields a page shows (UX.md §4: at most 4 a page).
const PageSize = 4

// Keypad is the on-screen keyboard a field wants.
type Keypad string

// Keypads.
const (
	KeypadNone   Keypad = ""       // choices, dates, signature, consent: no typing
	KeypadText   Keypad = "text"   // pinyin and handwriting input
	KeypadNumber Keypad = "number" // digits and a point
	KeypadDigits Keypad = "digits" // digits only (phone, bank account)
	KeypadID     Keypad = "id"     // digits and X
)

// View is a field as the UI renders it: its spec, its answer so far, and
// whether it came from the card.
type View struct {
	Field    kiosk.Field
	Value    string   // simple fields: the answer as typed or prefilled
	Address  Address  // address fields
	Members  []Member // family lists (a copy)
	Signed   bool     // signature fields: a signature is recorded
	FromCard bool     // read from the ID card: read-only; show FromCardNote() beside it
	Keypad   Keypad
}

// Page is one screen of the form.
type Page struct {
	Index  int        // from 0
	Number int        // from 1, for "第 N 步"
	Of     int        // number of pages now
	Step   kiosk.Text // 第 2 步 / 共 4 步 (Step 2 of 4)
	Fields []View
}

// slots is how much of a page a field takes: a family list and a signature
// pad take a page of their own, an address (three inputs) half of one.
func slots(t kiosk.FieldType) int {
	switch t {
	case kiosk.FieldFamily, kiosk.FieldSignature:
		return PageSize
	case kiosk.FieldAddress:
		return 2
	}
	return 1
}

// Pages splits the visible fields, in order, into pages of at most
// PageSize fields (see slots). Pages change as answers change what is
// visible: call it again after every Set. A condition reads only fields
// before its own, so an answer never changes the pages before the one it is
// on.
func (f *Form) Pages() []Page {
	vis := f.visibility()
	var groups [][]int
	used := PageSize
	for i := range f.fields {
		if !vis[i] {
			continue
		}
		s := slots(f.fields[i].Type)
		if used+s > PageSize {
			groups = append(groups, nil)
			used = 0
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], i)
		used += s
	}
	pages := make([]Page, len(groups))
	for p, g := range groups {
		views := make([]View, len(g))
		for k, i := range g {
			views[k] = f.view(i)
		}
		pages[p] = Page{Index: p, Number: p + 1, Of: len(groups), Step: stepText(p+1, len(groups)), Fields: views}
	}
	return pages
}

func stepText(n, of int) kiosk.Text {
	return kiosk.Msg("common.step", "Step", n, "Total", of)
}

// Field returns the view of one field, visible or not.
func (f *Form) Field(id string) (View, bool) {
	i, ok := f.index[id]
	if !ok {
		return View{}, false
	}
	return f.view(i), true
}

func (f *Form) view(i int) View {
	a := f.answers[i]
	return View{
		Field:    f.fields[i],
		Value:    a.text,
		Address:  a.address,
		Members:  append([]Member(nil), a.members...),
		Signed:   len(a.sig) > 0,
		FromCard: a.fromCard,
		Keypad:   keypadFor(f.fields[i].Type),
	}
}

func keypadFor(t kiosk.FieldType) Keypad {
	switch t {
	case kiosk.FieldText, kiosk.FieldAddress, kiosk.FieldFamily:
		return KeypadText
	case kiosk.FieldNumber:
		return KeypadNumber
	case kiosk.FieldPhone, kiosk.FieldBank:
		return KeypadDigits
	case kiosk.FieldIDNumber:
		return KeypadID
	}
	return KeypadNone
}

// ValidatePage checks the visible fields of page index (from 0).
func (f *Form) ValidatePage(index int) error {
	pages := f.Pages()
	if index < 0 || index >= len(pages) {
		return &kiosk.Error{Op: "form.ValidatePage", Kind: kiosk.KindInternal, Err: fmt.Errorf("no page %d of %d", index, len(pages))}
	}
	var es Errors
	for _, v := range pages[index].Fields {
		es = append(es, f.check(f.index[v.Field.ID])...)
	}
	return asError("form.ValidatePage", es)
}

// Next validates page index and returns the index of the page to show:
// index+1 when the page is fine (equal to the number of pages after the
// last one: go to the review screen), or index with the page's problems.
func (f *Form) Next(index int) (int, error) {
	if err := f.ValidatePage(index); err != nil {
		return index, err
	}
	return index + 1, nil
}
