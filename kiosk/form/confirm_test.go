package form

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// itemForm reads the form section of a catalog item.
func itemForm(t *testing.T, rel string) []kiosk.Field {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "services-catalog", "items", rel))
	if err != nil {
		t.Fatal(err)
	}
	var item struct {
		Form []kiosk.Field `json:"form"`
	}
	if err := json.Unmarshal(b, &item); err != nil {
		t.Fatal(err)
	}
	return item.Form
}

// TestConfirmationFieldOfRealItems walks the 低保 form's "enter the card
// number again" field through a sequence: a different card, then a typo,
// then the same card typed with spaces.
func TestConfirmationFieldOfRealItems(t *testing.T) {
	for _, rel := range []string{"mz/dibao.json", "cl/disabled-transport-subsidy.json", "ls/food-subsidy-bank-card.json", "rs/hard-to-employ-insurance-subsidy.json"} {
		t.Run(rel, func(t *testing.T) {
			f := newForm(t, itemForm(t, rel), elder())
			must(t, f.Set("bank_account", "6222 0202 0011 2233 446"))
			steps := []struct {
				again string
				bad   bool
			}{
				{"4111111111111111", true},    // a valid but different card
				{"6222020200112233447", true}, // one digit off (and fails Luhn)
				{"6222020200112233446", false},
				{"6222 0202 0011 2233 446", false},
			}
			for _, s := range steps {
				must(t, f.Set("bank_account_confirm", s.again))
				err := f.ValidateField("bank_account_confirm")
				if (err != nil) != s.bad {
					t.Fatalf("again %q: err %v, want error %v", s.again, err, s.bad)
				}
			}
			// Changing the first field after a match is caught too.
			must(t, f.Set("bank_account", "4111111111111111"))
			es := ErrorsOf(f.ValidateField("bank_account_confirm"))
			if len(es) != 1 || es[0].Message.ID != "form.err_confirm_mismatch" {
				t.Fatalf("after changing the first field: %v", es)
			}
		})
	}
}

func TestConfirmationTable(t *testing.T) {
	phone := kiosk.Field{ID: "phone", Type: kiosk.FieldPhone, Label: txt("联系电话", "Phone"), Required: true}
	again := kiosk.Field{ID: "phone_again", Type: kiosk.FieldPhone, Label: txt("再次输入联系电话", "Phone again"), Required: true, Confirms: "phone"}
	cases := []struct {
		first, second string
		want          string // message ID, "" for none
	}{
		{"13812345678", "138 1234 5678", ""},
		{"13812345678", "13812345679", "form.err_confirm_mismatch"},
		{"", "13812345678", "form.err_confirm_mismatch"},
		{"13812345678", "", "form.err_fill_in"},
		{"13812345678", "12", "form.err_phone"},
	}
	for _, c := range cases {
		f := newForm(t, []kiosk.Field{phone, again}, elder())
		must(t, f.Set("phone", c.first))
		must(t, f.Set("phone_again", c.second))
		es := ErrorsOf(f.ValidateField("phone_again"))
		got := ""
		if len(es) > 0 {
			got = es[0].Message.ID
		}
		if got != c.want {
			t.Errorf("%q/%q: got %q, want %q", c.first, c.second, got, c.want)
		}
	}
}

func TestConfirmsSpec(t *testing.T) {
	bank := kiosk.Field{ID: "bank", Type: kiosk.FieldBank, Label: txt("银行卡号", "Card")}
	cases := []struct {
		name string
		f    kiosk.Field
	}{
		{"unknown field", kiosk.Field{ID: "a", Type: kiosk.FieldBank, Label: txt("再次", "Again"), Confirms: "nope"}},
		{"other type", kiosk.Field{ID: "a", Type: kiosk.FieldPhone, Label: txt("再次", "Again"), Confirms: "bank"}},
		{"itself", kiosk.Field{ID: "a", Type: kiosk.FieldBank, Label: txt("再次", "Again"), Confirms: "a"}},
	}
	for _, c := range cases {
		if err := Check([]kiosk.Field{bank, c.f}); err == nil {
			t.Errorf("%s: Check accepted it", c.name)
		}
	}
	if err := Check([]kiosk.Field{bank, {ID: "a", Type: kiosk.FieldBank, Label: txt("再次", "Again"), Confirms: "bank"}}); err != nil {
		t.Errorf("a good confirmation: %v", err)
	}
}
