package ipp

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func sampleRequest() *Message {
	return &Message{
		Version: Version20, Code: OpPrintJob, RequestID: 7,
		Groups: []Group{{Tag: TagOperation, Attrs: []Attribute{
			{"attributes-charset", []Value{String(TagCharset, "utf-8")}},
			{"attributes-natural-language", []Value{String(TagLanguage, "zh-cn")}},
			{"requested-attributes", []Value{String(TagKeyword, "job-state"), String(TagKeyword, "job-state-reasons")}},
			{"job-id", []Value{Integer(42)}},
		}}},
		Data: []byte("%PDF-1.4"),
	}
}

// TestEncodingBytes checks the wire layout of RFC 8010 §3.1 byte by byte:
// the header, a group tag, an attribute, an additional value with an
// empty name, the end tag and the data.
func TestEncodingBytes(t *testing.T) {
	m := &Message{Version: Version20, Code: OpGetJobAttributes, RequestID: 1,
		Groups: []Group{{Tag: TagOperation, Attrs: []Attribute{
			{"a", []Value{String(TagKeyword, "x"), String(TagKeyword, "yz")}},
			{"job-id", []Value{Integer(258)}},
		}}},
		Data: []byte{0xAA},
	}
	got, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := "0200" + "0009" + "00000001" + "01" +
		"44" + "0001" + "61" + "0001" + "78" +
		"44" + "0000" + "0002" + "797a" +
		"21" + "0006" + "6a6f622d6964" + "0004" + "00000102" +
		"03" + "aa"
	if hex.EncodeToString(got) != want {
		t.Fatalf("encoded\n%x\nwant\n%s", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	m := sampleRequest()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Fatalf("round trip:\n%+v\nwant\n%+v", got, m)
	}
	a, ok := got.Find(TagOperation, "job-id")
	if n, isInt := a.Values[0].Int(); !ok || !isInt || n != 42 {
		t.Errorf("job-id = %v %v", a, ok)
	}
}

func TestDecodeRefusesMalformed(t *testing.T) {
	good, _ := sampleRequest().MarshalBinary()
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"header only", good[:8]},
		{"version 3", append([]byte{3, 0}, good[2:]...)},
		{"no end tag", good[:len(good)-len("%PDF-1.4")-1]},
		{"value before group", []byte{2, 0, 0, 2, 0, 0, 0, 1, 0x44, 0, 1, 'a', 0, 0, 3}},
		{"additional value first", []byte{2, 0, 0, 2, 0, 0, 0, 1, 1, 0x44, 0, 0, 0, 0, 3}},
		{"name past end", []byte{2, 0, 0, 2, 0, 0, 0, 1, 1, 0x44, 0xFF, 0xFF, 'a'}},
		{"value past end", []byte{2, 0, 0, 2, 0, 0, 0, 1, 1, 0x44, 0, 1, 'a', 0x80, 0, 'x', 3}},
		{"length cut", []byte{2, 0, 0, 2, 0, 0, 0, 1, 1, 0x44, 0}},
		{"reserved tag", []byte{2, 0, 0, 2, 0, 0, 0, 1, 0, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Decode(tc.b); !errors.Is(err, ErrMalformed) {
				t.Fatalf("Decode = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestStringWithLanguage(t *testing.T) {
	v := Value{TagTextLanguage, append([]byte{0, 5}, append([]byte("zh-cn"), append([]byte{0, 6}, "缺纸"...)...)...)}
	if got := v.String(); got != "缺纸" {
		t.Errorf("textWithLanguage = %q", got)
	}
	if got := (Value{TagTextLanguage, []byte{0, 9, 'x'}}).String(); got != "" {
		t.Errorf("broken textWithLanguage = %q, want empty", got)
	}
}

// FuzzDecode: no input panics, and what decodes re-encodes to bytes
// that decode to the same message.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.ipp")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	good, _ := sampleRequest().MarshalBinary()
	f.Add(good)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		for _, g := range m.Groups {
			for _, a := range g.Attrs {
				for _, v := range a.Values {
					v.Int()
					v.Bool()
					_ = v.String()
				}
			}
		}
		again, err := m.MarshalBinary()
		if err != nil {
			t.Fatalf("a decoded message does not encode: %v", err)
		}
		m2, err := Decode(again)
		if err != nil {
			t.Fatalf("re-encoded message does not decode: %v", err)
		}
		if !reflect.DeepEqual(m, m2) && !bytes.Equal(again, b) {
			t.Fatalf("round trip changed the message")
		}
	})
}
