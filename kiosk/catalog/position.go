package catalog

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// jsonDoc locates fields of one JSON file: byte offsets of every key and
// array element by path ("form[2].label"), and the keys the Go type does not
// have, so that errors can name a line.
type jsonDoc struct {
	data    []byte
	offsets map[string]int64
	unknown []string // paths of unknown keys, in file order
	err     error    // the syntax error that stopped indexing, if any
}

// maxJSONDepth bounds nesting of catalog files.
const maxJSONDepth = 64

func indexJSON(data []byte, t reflect.Type) (*jsonDoc, error) {
	d := &jsonDoc{data: data, offsets: map[string]int64{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := d.walk(dec, "", t, 0); err != nil {
		return d, err
	}
	if _, err := dec.Token(); err == nil {
		return d, &json.SyntaxError{Offset: dec.InputOffset()}
	}
	return d, nil
}

// start returns the offset of the next token after off.
func (d *jsonDoc) start(off int64) int64 {
	for off < int64(len(d.data)) {
		switch d.data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
			continue
		}
		break
	}
	return off
}

func (d *jsonDoc) walk(dec *json.Decoder, path string, t reflect.Type, depth int) error {
	if depth > maxJSONDepth {
		return &json.SyntaxError{Offset: dec.InputOffset()}
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	d.offsets[path] = d.start(dec.InputOffset())
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch delim {
	case '{':
		fields := structFields(t)
		for dec.More() {
			koff := d.start(dec.InputOffset())
			ktok, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := ktok.(string)
			kpath := key
			if path != "" {
				kpath = path + "." + key
			}
			d.offsets[kpath] = koff
			var sub reflect.Type
			switch {
			case t != nil && t.Kind() == reflect.Struct:
				ft, ok := fields[key]
				if !ok {
					d.unknown = append(d.unknown, kpath)
				}
				sub = ft
			case t != nil && t.Kind() == reflect.Map:
				sub = t.Elem()
			}
			if err := d.walk(dec, kpath, sub, depth+1); err != nil {
				return err
			}
			d.offsets[kpath] = koff // the key, not its value
		}
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := d.walk(dec, path+"["+strconv.Itoa(i)+"]", elem, depth+1); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

// structFields maps the JSON names of a struct's fields to their types
// (exact names: the loader is strict about spelling).
func structFields(t reflect.Type) map[string]reflect.Type {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	m := make(map[string]reflect.Type, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	return m
}

// line returns the 1-based line of byte offset off.
func (d *jsonDoc) line(off int64) int {
	if off > int64(len(d.data)) {
		off = int64(len(d.data))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(d.data[:off], []byte{'\n'}) + 1
}

// lineOf returns the line of the field at path, or of its nearest located
// parent.
func (d *jsonDoc) lineOf(path string) int {
	for {
		if off, ok := d.offsets[path]; ok {
			return d.line(off)
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			if off, ok := d.offsets[""]; ok {
				return d.line(off)
			}
			return 0
		}
		path = path[:i]
	}
}
