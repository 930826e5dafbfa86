package connector

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
)

// Kinds of connector.
const (
	KindStore = "store" // records kept in the back office (Store)
	KindHTTP  = "http"  // a department's HTTP API (HTTP)
)

// AnyCenter is the centers entry that applies to every center; a center's
// own entry adds to it and overrides it item by item ("" disconnects).
const AnyCenter = "*"

// Config is the connectors file: which connectors there are and which
// serves each item's query and document at each center.
type Config struct {
	Connectors map[string]ConnectorConfig `json:"connectors"`
	Centers    map[string]CenterConfig    `json:"centers"`
}

// CenterConfig maps item codes to connector names.
type CenterConfig struct {
	Queries   map[string]string `json:"queries,omitempty"`
	Documents map[string]string `json:"documents,omitempty"`
}

// ConnectorConfig configures one connector. Kind store takes nothing else;
// kind http takes the rest.
type ConnectorConfig struct {
	Kind string `json:"kind"`

	URL     string   `json:"url,omitempty"`
	Timeout Duration `json:"timeout,omitempty"`  // 0: 5 s
	MaxBody int64    `json:"max_body,omitempty"` // bytes of an answer read at most; 0: 256 KiB
	// An API key sent in a header: the header's name and a file holding
	// the key (never the key itself in this file).
	APIKeyHeader string `json:"api_key_header,omitempty"`
	APIKeyFile   string `json:"api_key_file,omitempty"`
	// Mutual TLS: the back office's client certificate and key for this
	// department (PEM files), and the CA the department's server
	// certificate must chain to (empty: the system's).
	ClientCert string `json:"client_cert,omitempty"`
	ClientKey  string `json:"client_key,omitempty"`
	ServerCA   string `json:"server_ca,omitempty"`

	Mapping
}

// Duration is a time.Duration written as "5s" in the file.
type Duration time.Duration

// UnmarshalJSON reads "5s", "800ms".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a string such as \"5s\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("%q is not a duration such as \"5s\"", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes "5s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// ParseConfig reads a connectors file, refusing unknown keys.
func ParseConfig(b []byte) (Config, error) {
	var cfg Config
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, fmt.Errorf("connectors file: %w", err)
	}
	return cfg, cfg.Validate()
}

// Validate says everything wrong with cfg, in plain words.
func (cfg Config) Validate() error {
	var bad []string
	for name, c := range cfg.Connectors {
		switch c.Kind {
		case KindStore:
		case KindHTTP:
			if !strings.HasPrefix(c.URL, "https://") && !strings.HasPrefix(c.URL, "http://") {
				bad = append(bad, fmt.Sprintf("connector %q: url must be an http(s) address", name))
			}
			if (c.ClientCert == "") != (c.ClientKey == "") {
				bad = append(bad, fmt.Sprintf("connector %q: client_cert and client_key go together", name))
			}
			if (c.APIKeyHeader == "") != (c.APIKeyFile == "") {
				bad = append(bad, fmt.Sprintf("connector %q: api_key_header and api_key_file go together", name))
			}
			if err := c.Mapping.check(); err != nil {
				bad = append(bad, fmt.Sprintf("connector %q: %v", name, err))
			}
		default:
			bad = append(bad, fmt.Sprintf("connector %q: kind must be %q or %q", name, KindStore, KindHTTP))
		}
	}
	for center, cc := range cfg.Centers {
		for _, m := range []map[string]string{cc.Queries, cc.Documents} {
			for item, name := range m {
				if _, ok := cfg.Connectors[name]; name != "" && !ok {
					bad = append(bad, fmt.Sprintf("center %q, item %q: no connector named %q", center, item, name))
				}
			}
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return errors.New("connectors file: " + strings.Join(bad, "; "))
	}
	return nil
}

// Set is the connectors of a back office, chosen per center and item.
type Set struct {
	cfg        Config
	queriers   map[string]Querier
	documenter map[string]Documenter
}

// Build makes the connectors cfg names: the store connectors are st (nil
// refuses a config that uses one), the HTTP ones are made with their keys
// and certificates read from their files.
func Build(cfg Config, st *Store) (*Set, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Set{cfg: cfg, queriers: map[string]Querier{}, documenter: map[string]Documenter{}}
	for name, c := range cfg.Connectors {
		switch c.Kind {
		case KindStore:
			if st == nil {
				return nil, fmt.Errorf("connector %q: no store for a store connector", name)
			}
			s.queriers[name], s.documenter[name] = st, st
		case KindHTTP:
			h, err := httpFromConfig(c)
			if err != nil {
				return nil, fmt.Errorf("connector %q: %w", name, err)
			}
			s.queriers[name], s.documenter[name] = h, h
		}
	}
	return s, nil
}

func httpFromConfig(c ConnectorConfig) (*HTTP, error) {
	hc := HTTPConfig{URL: c.URL, Timeout: time.Duration(c.Timeout), MaxBody: c.MaxBody, APIKeyHeader: c.APIKeyHeader, Mapping: c.Mapping}
	if c.APIKeyFile != "" {
		b, err := os.ReadFile(c.APIKeyFile)
		if err != nil {
			return nil, err
		}
		hc.APIKey = strings.TrimSpace(string(b))
	}
	if c.ClientCert != "" || c.ServerCA != "" {
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if c.ClientCert != "" {
			cert, err := tls.LoadX509KeyPair(c.ClientCert, c.ClientKey)
			if err != nil {
				return nil, err
			}
			tc.Certificates = []tls.Certificate{cert}
		}
		if c.ServerCA != "" {
			pem, err := os.ReadFile(c.ServerCA)
			if err != nil {
				return nil, err
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("%s holds no PEM certificate", c.ServerCA)
			}
			tc.RootCAs = pool
		}
		hc.TLS = tc
	}
	return NewHTTP(hc)
}

// route finds the connector name serving item at center in one of the
// two maps of a CenterConfig.
func (s *Set) route(center, item string, pick func(CenterConfig) map[string]string) string {
	if own, ok := s.cfg.Centers[center]; ok {
		if name, ok := pick(own)[item]; ok {
			return name
		}
	}
	return pick(s.cfg.Centers[AnyCenter])[item]
}

func queries(c CenterConfig) map[string]string   { return c.Queries }
func documents(c CenterConfig) map[string]string { return c.Documents }

// Querier returns the connector answering item's query at center and its
// name; ok is false when the item's query is not connected there.
func (s *Set) Querier(center, item string) (name string, q Querier, ok bool) {
	if s == nil {
		return "", nil, false
	}
	name = s.route(center, item, queries)
	q, ok = s.queriers[name]
	return name, q, ok
}

// Documenter is Querier for item's document.
func (s *Set) Documenter(center, item string) (name string, d Documenter, ok bool) {
	if s == nil {
		return "", nil, false
	}
	name = s.route(center, item, documents)
	d, ok = s.documenter[name]
	return name, d, ok
}

// Connected lists, sorted, the items whose queries and documents are
// connected at center.
func (s *Set) Connected(center string) (queryItems, documentItems []string) {
	if s == nil {
		return nil, nil
	}
	list := func(pick func(CenterConfig) map[string]string) []string {
		var out []string
		seen := map[string]bool{}
		for _, c := range []string{center, AnyCenter} {
			for item := range pick(s.cfg.Centers[c]) {
				if seen[item] {
					continue
				}
				seen[item] = true
				if name := s.route(center, item, pick); name != "" {
					out = append(out, item)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	return list(queries), list(documents)
}

// StoreItems lists, sorted, the items whose query or document is answered
// at center from the records the back office keeps (a store connector):
// the items a center's imports are for.
func (s *Set) StoreItems(center string) []string {
	q, d := s.Connected(center)
	var out []string
	for _, it := range q {
		if name, _, _ := s.Querier(center, it); s.cfg.Connectors[name].Kind == KindStore {
			out = append(out, it)
		}
	}
	for _, it := range d {
		if name, _, _ := s.Documenter(center, it); s.cfg.Connectors[name].Kind == KindStore && !slices.Contains(out, it) {
			out = append(out, it)
		}
	}
	slices.Sort(out)
	return out
}
