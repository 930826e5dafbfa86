package connector

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban/internal/textclean"
)

// Defaults of an HTTP connector.
const (
	DefaultTimeout = 5 * time.Second
	DefaultMaxBody = 256 << 10
)

// Mapping says how a department's JSON answer becomes ours. Paths are
// dotted keys into the JSON ("data.pension.monthly"; a number selects an
// array element: "items.0.amount").
type Mapping struct {
	Title  Text   `json:"title"`
	Source Text   `json:"source"`
	Name   string `json:"name,omitempty"`  // the resident's name; optional
	AsOf   string `json:"as_of,omitempty"` // a date (2006-01-02 or RFC 3339); absent: the time of the answer
	// Found is a boolean in the answer: false means the department has no
	// record of the resident (as a 404 does).
	Found  string     `json:"found,omitempty"`
	Fields []FieldMap `json:"fields"`
}

// FieldMap maps one value of the answer to a field.
type FieldMap struct {
	Path     string `json:"path"`
	Label    Text   `json:"label"`
	Private  bool   `json:"private,omitempty"`
	Optional bool   `json:"optional,omitempty"` // absent or null: the field is left out
}

func (m Mapping) check() error {
	switch {
	case m.Title.ZH == "" || m.Source.ZH == "":
		return errors.New("title and source need their Chinese words")
	case len(m.Fields) == 0:
		return errors.New("fields maps nothing")
	}
	for i, f := range m.Fields {
		if f.Path == "" || f.Label.ZH == "" {
			return fmt.Errorf("field %d needs a path and a Chinese label", i+1)
		}
	}
	return nil
}

// HTTPConfig configures an HTTP connector.
type HTTPConfig struct {
	URL          string
	Timeout      time.Duration // 0: DefaultTimeout
	MaxBody      int64         // 0: DefaultMaxBody
	APIKeyHeader string
	APIKey       string
	TLS          *tls.Config // mutual TLS: client certificate, server CA
	Mapping      Mapping
	// Transport replaces the HTTP transport (tests); nil: one built from TLS.
	Transport http.RoundTripper
	Now       func() time.Time // nil: time.Now
}

// HTTP is the connector over a department's HTTP API: it POSTs
// {"idno","item","center"} as JSON and maps the JSON answer. A 404, or a
// false Found value, is ErrNoRecord; anything else that is not a 2xx JSON
// answer within the timeout and the size bound is ErrUnavailable.
type HTTP struct {
	cfg    HTTPConfig
	client *http.Client
}

var (
	_ Querier    = (*HTTP)(nil)
	_ Documenter = (*HTTP)(nil)
)

// NewHTTP checks cfg and returns the connector.
func NewHTTP(cfg HTTPConfig) (*HTTP, error) {
	if !strings.HasPrefix(cfg.URL, "https://") && !strings.HasPrefix(cfg.URL, "http://") {
		return nil, fmt.Errorf("connector: %q is not an http(s) address", cfg.URL)
	}
	if err := cfg.Mapping.check(); err != nil {
		return nil, fmt.Errorf("connector: %w", err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	rt := cfg.Transport
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = cfg.TLS
		t.Proxy = nil
		rt = t
	}
	return &HTTP{cfg: cfg, client: &http.Client{Timeout: cfg.Timeout, Transport: rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, nil
}

// Query implements Querier.
func (h *HTTP) Query(ctx context.Context, r Request) (Answer, error) { return h.call(ctx, r) }

// Document implements Documenter.
func (h *HTTP) Document(ctx context.Context, r Request) (Answer, error) { return h.call(ctx, r) }

func (h *HTTP) call(ctx context.Context, r Request) (Answer, error) {
	body, _ := json.Marshal(map[string]string{"idno": r.IDNo, "item": r.Item, "center": r.Center})
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return Answer{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if h.cfg.APIKeyHeader != "" {
		req.Header.Set(h.cfg.APIKeyHeader, h.cfg.APIKey)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		// The error names the URL, never the resident.
		return Answer{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return Answer{}, ErrNoRecord
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return Answer{}, fmt.Errorf("%w: the department answered %d", ErrUnavailable, resp.StatusCode)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return Answer{}, fmt.Errorf("%w: the department answered %q, not JSON", ErrUnavailable, resp.Header.Get("Content-Type"))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, h.cfg.MaxBody+1))
	if err != nil {
		return Answer{}, fmt.Errorf("%w: reading the answer: %v", ErrUnavailable, err)
	}
	if int64(len(data)) > h.cfg.MaxBody {
		return Answer{}, fmt.Errorf("%w: the answer is larger than %d bytes", ErrUnavailable, h.cfg.MaxBody)
	}
	return ParseAnswer(data, h.cfg.Mapping, h.cfg.Now())
}

// ParseAnswer maps a department's JSON answer to an Answer. An answer
// that is not JSON, lacks a field the mapping needs, or holds a value
// that is not a string, number or boolean, too long, with control
// characters or a whole ID number, is ErrUnavailable (the department
// misbehaves); a false Found value is ErrNoRecord. now is the AsOf of an
// answer that does not say.
func ParseAnswer(data []byte, m Mapping, now time.Time) (Answer, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return Answer{}, fmt.Errorf("%w: the answer is not JSON: %v", ErrUnavailable, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Answer{}, fmt.Errorf("%w: the answer has more after its JSON value", ErrUnavailable)
	}
	garbage := func(format string, args ...any) (Answer, error) {
		return Answer{}, fmt.Errorf("%w: %s", ErrUnavailable, fmt.Sprintf(format, args...))
	}
	if m.Found != "" {
		v, ok := lookup(doc, m.Found)
		b, isBool := v.(bool)
		if !ok || !isBool {
			return garbage("%s is not a boolean", m.Found)
		}
		if !b {
			return Answer{}, ErrNoRecord
		}
	}
	a := Answer{Title: m.Title, Source: m.Source, AsOf: now.UTC()}
	if m.Name != "" {
		v, ok := lookup(doc, m.Name)
		s, isStr := v.(string)
		if ok && v != nil {
			if !isStr || utf8.RuneCountInString(s) > maxName || textclean.Has(s) {
				return garbage("%s is not a name", m.Name)
			}
			a.Name = strings.TrimSpace(s)
		}
	}
	if m.AsOf != "" {
		v, _ := lookup(doc, m.AsOf)
		s, _ := v.(string)
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t, err = time.ParseInLocation("2006-01-02", s, shanghai)
		}
		if err != nil {
			return garbage("%s is not a date", m.AsOf)
		}
		a.AsOf = t.UTC()
	}
	for _, fm := range m.Fields {
		v, ok := lookup(doc, fm.Path)
		if !ok || v == nil {
			if fm.Optional {
				continue
			}
			return garbage("%s is missing", fm.Path)
		}
		var s string
		switch x := v.(type) {
		case string:
			s = strings.TrimSpace(x)
		case json.Number:
			s = x.String()
		case bool:
			s = map[bool]string{true: "是", false: "否"}[x]
		default:
			return garbage("%s is not a single value", fm.Path)
		}
		switch {
		case utf8.RuneCountInString(s) > maxValue || textclean.Has(s):
			return garbage("%s is longer than %d characters or holds control characters", fm.Path, maxValue)
		case unmaskedID.MatchString(s):
			return garbage("%s holds a whole ID number", fm.Path)
		}
		a.Fields = append(a.Fields, Field{Label: fm.Label, Value: s, Private: fm.Private})
	}
	if len(a.Fields) == 0 {
		return garbage("the answer has none of the mapped fields")
	}
	return a, nil
}

// lookup follows a dotted path into a decoded JSON value.
func lookup(v any, path string) (any, bool) {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

var shanghai = time.FixedZone("CST", 8*3600)
