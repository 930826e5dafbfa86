package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/rule"
)

// The files of a catalog tree (see package servicescatalog).
const (
	fileMeta        = "catalog.json"
	fileDepartments = "departments.json"
	fileLifeEvents  = "life_events.json"
	fileParams      = "parameters.json"
	dirItems        = "items"
	maxFileSize     = 1 << 20
)

// Load reads and validates a catalog tree from fsys: the embedded data
// (servicescatalog.FS()), a directory (os.DirFS) or a verified bundle.
//
// Load is strict: unknown fields, duplicate codes, dangling references
// (department, life event, related item, source, parameter, form field), a
// form field without a label and a rule that does not parse are all errors.
// It collects every problem and returns them in a *LoadError, each naming the
// file, line and field. On error the returned catalog is nil unless the files
// could be read, in which case it holds what decoded, for reporting only
// (e.g. counts per department); do not serve it.
func Load(fsys fs.FS) (*Catalog, error) {
	l := &loader{fsys: fsys, files: map[string]sourceFile{}, patterns: newPatterns()}
	c := &Catalog{byCode: map[kiosk.ItemCode]int{}, aliases: map[kiosk.ItemCode]kiosk.ItemCode{}, params: map[string]*ParamTable{}, rules: map[kiosk.ItemCode][]*rule.Rule{}}

	l.decode(fileMeta, &c.meta)
	l.decode(fileDepartments, &c.departments)
	l.decode(fileLifeEvents, &c.lifeEvents)
	var pf paramFile
	l.decode(fileParams, &pf)
	l.checkMeta(&c.meta)
	l.loadBundleSources(c)
	l.checkDepartments(c.departments)
	l.checkLifeEvents(c.lifeEvents)
	l.checkParams(c, pf)

	files, err := itemFiles(fsys)
	if err != nil {
		l.problem(dirItems, "", "cannot list the items: %v", err)
	}
	firstFile := map[kiosk.ItemCode]string{}
	quick := decodeItems(fsys, files)
	for i, name := range files {
		var it kiosk.Item
		if q := quick[i]; q.ok {
			it = q.item
			l.files[name] = sourceFile{data: q.data, typ: reflect.TypeOf(&it)}
		} else if !l.decode(name, &it) { // again, slowly, to say what is wrong
			continue
		}
		if it.Code != "" {
			if prev, dup := firstFile[it.Code]; dup {
				l.problem(name, "code", "duplicate code %q: also in %s", it.Code, prev)
				continue
			}
			firstFile[it.Code] = name
		}
		c.byCode[it.Code] = len(c.items)
		c.items = append(c.items, it)
		c.files = append(c.files, name)
	}
	l.checkAliases(c)
	l.loadBundles(c)
	for i := range c.items {
		l.checkItem(c, c.files[i], &c.items[i])
	}
	c.sortItems()
	c.index = buildIndex(c.items)
	if _, err := fs.Stat(fsys, fileSynonyms); err == nil {
		l.decode(fileSynonyms, &c.synonyms)
		l.checkSynonyms(c)
	}

	if len(l.problems) > 0 {
		if len(c.items) == 0 {
			return nil, &LoadError{Problems: l.problems}
		}
		return c, &LoadError{Problems: l.problems}
	}
	return c, nil
}

// quickItem is an item file decoded without complaint.
type quickItem struct {
	item kiosk.Item
	data []byte
	ok   bool
}

// decodeItems strictly decodes the item files on every core: JSON decoding
// is most of the catalog's load time. Files with any problem are left !ok
// for the loader to decode again and report.
func decodeItems(fsys fs.FS, files []string) []quickItem {
	out := make([]quickItem, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				data, err := fs.ReadFile(fsys, files[i])
				if err != nil || len(data) > maxFileSize {
					continue
				}
				dec := json.NewDecoder(bytes.NewReader(data))
				dec.DisallowUnknownFields()
				var it kiosk.Item
				if dec.Decode(&it) == nil && !dec.More() {
					out[i] = quickItem{item: it, data: data, ok: true}
				}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// sortItems orders items by department order, then popularity, then code.
func (c *Catalog) sortItems() {
	order := map[string]int{}
	for _, d := range c.departments {
		order[d.Code] = d.Order
	}
	idx := make([]int, len(c.items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := c.items[idx[a]], c.items[idx[b]]
		if order[x.Department] != order[y.Department] {
			return order[x.Department] < order[y.Department]
		}
		if x.Popularity != y.Popularity {
			return x.Popularity > y.Popularity
		}
		return x.Code < y.Code
	})
	items := make([]kiosk.Item, len(idx))
	files := make([]string, len(idx))
	for n, i := range idx {
		items[n], files[n] = c.items[i], c.files[i]
	}
	c.items, c.files = items, files
	for i, it := range c.items {
		if _, ok := c.byCode[it.Code]; ok {
			c.byCode[it.Code] = i
		}
	}
}

func itemFiles(fsys fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dirItems, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && path.Ext(p) == ".json" {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

type loader struct {
	fsys     fs.FS
	files    map[string]sourceFile
	problems []Problem
	patterns patterns
}

// problem records a problem at field of file (line looked up from the
// field's path).
func (l *loader) problem(file, field string, format string, args ...any) {
	line := 0
	if d := l.doc(file); d != nil && field != "" {
		line = d.lineOf(field)
	} else if d != nil {
		line = 1
	}
	l.problems = append(l.problems, Problem{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// decode reads file strictly into v and returns whether v holds usable
// data. The happy path is one strict decode; only when something is wrong is
// the file indexed (doc) to report every unknown field, and lines, exactly.
func (l *loader) decode(file string, v any) bool {
	data, err := fs.ReadFile(l.fsys, file)
	if err != nil {
		l.problems = append(l.problems, Problem{File: file, Msg: fmt.Sprintf("cannot read: %v", plainFSError(err))})
		return false
	}
	if len(data) > maxFileSize {
		l.problems = append(l.problems, Problem{File: file, Msg: fmt.Sprintf("file is larger than %d bytes", maxFileSize)})
		return false
	}
	l.files[file] = sourceFile{data: data, typ: reflect.TypeOf(v)}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if dec.More() {
			l.problems = append(l.problems, Problem{File: file, Line: l.doc(file).line(dec.InputOffset()), Msg: "not valid JSON: more than one value in the file"})
			return false
		}
		return true
	}
	doc := l.doc(file)
	if doc.err != nil {
		l.syntaxProblem(file, doc, doc.err)
		return false
	}
	for _, p := range doc.unknown {
		l.problems = append(l.problems, Problem{File: file, Line: doc.lineOf(p), Field: p, Msg: "unknown field"})
	}
	if len(doc.unknown) > 0 && strings.HasPrefix(err.Error(), "json: unknown field") {
		// Reported above with their lines; decode again leniently so the
		// rest of the file is still checked.
		err = json.Unmarshal(data, v)
	}
	if err == nil {
		return true
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		l.problems = append(l.problems, Problem{File: file, Line: doc.line(te.Offset), Field: te.Field,
			Msg: fmt.Sprintf("expected %s, found %s", plainType(te.Type), te.Value)})
		return false
	}
	l.syntaxProblem(file, doc, err)
	return false
}

// sourceFile is a file read by the loader, kept to locate problems.
type sourceFile struct {
	data []byte
	typ  reflect.Type
	doc  *jsonDoc
}

// doc returns the position index of a file read by decode, building it on
// first use.
func (l *loader) doc(file string) *jsonDoc {
	sf, ok := l.files[file]
	if !ok {
		return nil
	}
	if sf.doc == nil {
		doc, err := indexJSON(sf.data, sf.typ)
		doc.err = err
		sf.doc = doc
		l.files[file] = sf
	}
	return sf.doc
}

func (l *loader) syntaxProblem(file string, doc *jsonDoc, err error) {
	var se *json.SyntaxError
	line := 0
	if errors.As(err, &se) {
		line = doc.line(se.Offset)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		msg = "the file ends in the middle of a value"
		line = doc.line(int64(len(doc.data)))
	}
	l.problems = append(l.problems, Problem{File: file, Line: line, Msg: "not valid JSON: " + msg})
}

func plainFSError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func plainType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

func parseDay(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
