package catalog

import (
	"fmt"
	"slices"

	"github.com/tongban/tongban/kiosk"
)

// checkBooking checks where an item is booked (book_at) and the fields the
// booking answers itself (book_answers): a known place, on an item that
// is booked; fields of its form; at a marriage registry, a booking form
// that asks for the partner's name and ID number.
func (l *loader) checkBooking(file string, it *kiosk.Item) {
	bad := func(field, format string, args ...any) { l.problem(file, field, format, args...) }
	if it.BookAt != "" && !slices.Contains([]kiosk.BookAt{kiosk.BookAtCenter, kiosk.BookAtMarriageRegistry, kiosk.BookAtAssessmentHospital}, it.BookAt) {
		bad("book_at", "unknown place %q (center, marriage-registry or assessment-hospital)", it.BookAt)
	}
	if (it.BookAt != "" || len(it.BookAnswers) > 0) && !it.Can(kiosk.ActionAppointment) {
		bad("book_at", "the item says where it is booked but does not declare the appointment action")
	}
	for i, id := range it.BookAnswers {
		if !slices.ContainsFunc(it.Form, func(f kiosk.Field) bool { return f.ID == id }) {
			bad(fmt.Sprintf("book_answers[%d]", i), "%q is not a field of the item's form", id)
		}
	}
	if it.BookAt == kiosk.BookAtMarriageRegistry {
		form := it.BookingForm()
		for _, want := range []struct {
			id string
			t  kiosk.FieldType
		}{{kiosk.PartnerNameField, kiosk.FieldText}, {kiosk.PartnerIDField, kiosk.FieldIDNumber}} {
			if !slices.ContainsFunc(form, func(f kiosk.Field) bool { return f.ID == want.id && f.Type == want.t && f.Required }) {
				bad("form", "an item booked at a marriage registry asks for the partner: a required %s field %q", want.t, want.id)
			}
		}
	}
}
