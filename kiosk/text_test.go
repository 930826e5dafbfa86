package kiosk

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"unsafe"
)

// fakeWords translates a nested message as "<id>" so a test sees which
// message and which fields it got.
func fakeWords(id string, data map[string]any) string { return fmt.Sprintf("<%s %v>", id, data["Min"]) }

func TestMsgArgs(t *testing.T) {
	label := Text{ZH: "手机号码", EN: "Phone number"}
	tests := []struct {
		name string
		msg  Text
		lang Lang
		want map[string]any
	}{
		{"no args", Msg("error.generic"), LangZH, nil},
		{"number prints", Msg("form.min_len", "Min", 4), LangZH, map[string]any{"Min": "4"}},
		{"data in Chinese", Msg("form.fill_in", "Label", label), LangZH, map[string]any{"Label": "手机号码"}},
		{"data in English", Msg("form.fill_in", "Label", label), LangEN, map[string]any{"Label": "Phone number"}},
		{"data without English", Msg("form.fill_in", "Label", Text{ZH: "户籍"}), LangEN, map[string]any{"Label": "户籍"}},
		{"nested message with its fields", Msg("form.member", "N", 2, "Error", Msg("form.min_len", "Min", 3)), LangEN,
			map[string]any{"N": "2", "Error": "<form.min_len 3>", "Min": "3"}},
		{"odd pair dropped", Msg("x", "N", 1, "Lonely"), LangZH, map[string]any{"N": "1"}},
		{"beyond MaxArgs dropped", Msg("x", "A", 1, "B", 2, "C", 3, "D", 4, "E", 5), LangZH,
			map[string]any{"A": "1", "B": "2", "C": "3", "D": "4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.msg.DataIn(tt.lang, fakeWords); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DataIn = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTextForms(t *testing.T) {
	data := Text{ZH: "老年综合津贴", EN: "Senior allowance"}
	m := Msg("identify.take_card")
	if data.IsMessage() || !m.IsMessage() || m.IsZero() || data.IsZero() || !(Text{}).IsZero() {
		t.Fatal("IsMessage / IsZero wrong")
	}
	if m.In(LangZH) != "identify.take_card" || m.In(LangEN) != "identify.take_card" {
		t.Errorf("a message outside the catalog shows its ID, got %q", m.In(LangZH))
	}
	if data.In(LangEN) != "Senior allowance" || (Text{ZH: "免交"}).In(LangEN) != "免交" {
		t.Error("data text: English, falling back to Chinese")
	}
	// Notices are compared: the same message with the same fields is equal.
	four, four2, five := Msg("form.min_len", "Min", 4), Msg("form.min_len", "Min", 4), Msg("form.min_len", "Min", 5)
	if four != four2 || four == five {
		t.Error("messages do not compare by ID and fields")
	}
}

func TestErrorCarriesMessage(t *testing.T) {
	cause := errors.New("EIO")
	err := fmt.Errorf("wrapped: %w", &Error{Op: "printer.Print", Kind: KindNoPaper, Message: Msg("printer.out_of_paper", "Name", "测试甲"), Err: cause})
	if got := MessageOf(err); got != Msg("printer.out_of_paper", "Name", "测试甲") {
		t.Errorf("MessageOf = %+v", got)
	}
	if KindOf(err) != KindNoPaper || !errors.Is(err, cause) {
		t.Error("kind or cause lost")
	}
	// The log line names the message, never its fields (they may be the
	// resident's).
	if s := err.Error(); s != "wrapped: printer.Print: printer.out_of_paper: EIO" {
		t.Errorf("Error() = %q", s)
	}
	for _, e := range []error{nil, errors.New("plain"), &Error{Op: "x"}} {
		if got := MessageOf(e); got != Msg("error.generic") {
			t.Errorf("MessageOf(%v) = %+v, want the generic message", e, got)
		}
	}
}

// The catalog holds thousands of Texts: a message's fields are packed so
// that each stays four strings. An array of fields in every Text made
// catalog loading a fifth slower.
func TestTextStaysSmall(t *testing.T) {
	if n := unsafe.Sizeof(Text{}); n > 64 {
		t.Errorf("kiosk.Text is %d bytes, want at most 64", n)
	}
	m := Msg("form.min_len", "Min", 4, "Field", Text{ZH: "姓名", EN: "Name"})
	a := m.Args()
	if a[0] != (Arg{Name: "Min", Value: "4"}) || a[1] != (Arg{Name: "Field", Value: "姓名", EN: "Name"}) || a[2] != (Arg{}) {
		t.Errorf("fields did not survive packing: %+v", a)
	}
	if m != Msg("form.min_len", "Min", 4, "Field", Text{ZH: "姓名", EN: "Name"}) {
		t.Error("two equal messages compare unequal")
	}
	if (Text{ID: "x", Fields: "not json"}).Args() != (Args{}) {
		t.Error("fields that Msg did not make gave arguments")
	}
}
