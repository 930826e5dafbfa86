package catalog

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// TestBookingDeclarations: where an item is booked is checked like every
// other declaration; a marriage registry's booking form asks for the
// partner.
func TestBookingDeclarations(t *testing.T) {
	const item = "items/mz/item-a.json"
	booked := func(extra string) fstest.MapFS {
		return edit(item, `"actions": ["apply"],`, `"actions": ["apply", "appointment"], `+extra)
	}
	partner := `{"id": "partner_name", "type": "text", "label": {"zh": "对方姓名"}, "required": true},
    {"id": "partner_id", "type": "id-number", "label": {"zh": "对方身份证号码"}, "required": true},
    {"id": "consent"`
	withPartner := func(extra string) fstest.MapFS {
		m := booked(extra)
		m[item].Data = []byte(strings.Replace(string(m[item].Data), `{"id": "consent"`, partner, 1))
		return m
	}
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want string // "" : loads
	}{
		{"booked at the center", booked(`"book_at": "center",`), ""},
		{"booked at a registry, partner asked", withPartner(`"book_at": "marriage-registry", "book_answers": ["same_address"],`), ""},
		{"booked at a hospital", booked(`"book_at": "assessment-hospital",`), ""},
		{"an unknown place", booked(`"book_at": "pharmacy",`), `book_at: unknown place "pharmacy"`},
		{"a place on an item not booked", edit(item, `"actions": ["apply"],`, `"actions": ["apply"], "book_at": "assessment-hospital",`), "does not declare the appointment action"},
		{"a booking answer not in the form", booked(`"book_at": "center", "book_answers": ["date"],`), `book_answers[0]: "date" is not a field`},
		{"a registry without the partner", booked(`"book_at": "marriage-registry",`), `a required text field "partner_name"`},
		{"a registry whose booking leaves the partner out", withPartner(`"book_at": "marriage-registry", "book_answers": ["partner_id"],`), `a required id-number field "partner_id"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.fsys)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			var le *LoadError
			if !errors.As(err, &le) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load: %v, want a problem with %q", err, tc.want)
			}
		})
	}
}
