package connector

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/store"
)

// TestConfigRouting: the "*" entry applies to every center, a center's
// own entry overrides it item by item, "" disconnects, Connected lists
// what each center has and StoreItems what it answers from records.
func TestConfigRouting(t *testing.T) {
	cfg, err := ParseConfig([]byte(`{
	  "connectors": {
	    "demo": {"kind": "store"},
	    "rs": {"kind": "http", "url": "https://rs.example/api", "timeout": "3s",
	           "title": {"zh": "个人享受城镇基本养老金情况"}, "source": {"zh": "上海市社会保险事业管理中心"},
	           "fields": [{"path": "data.monthly", "label": {"zh": "本月养老金"}}]}
	  },
	  "centers": {
	    "*": {"queries": {"pension-received": "demo", "medical-profile": "demo"}, "documents": {"hukou-certificate": "demo"}},
	    "XH01": {"queries": {"pension-received": "rs", "medical-profile": ""}},
	    "PD02": {"documents": {"social-insurance-rights-record": "demo"}}
	  }
	}`))
	if err != nil {
		t.Fatal(err)
	}
	set, err := Build(cfg, NewStore(nil, testSubject, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		center, item, want string
		connected          bool
	}{
		{"XH01", "pension-received", "rs", true},
		{"XH01", "medical-profile", "", false},
		{"JA03", "medical-profile", "demo", true},
		{"JA03", "residence-points-query", "", false},
	} {
		name, q, ok := set.Querier(tc.center, tc.item)
		if name != tc.want || ok != tc.connected || (q != nil) != tc.connected {
			t.Errorf("%s %s: %q %v", tc.center, tc.item, name, ok)
		}
	}
	if _, _, ok := set.Documenter("PD02", "social-insurance-rights-record"); !ok {
		t.Errorf("PD02's own document")
	}
	if _, _, ok := set.Documenter("XH01", "social-insurance-rights-record"); ok {
		t.Errorf("PD02's document at XH01")
	}
	q, d := set.Connected("XH01")
	if !slices.Equal(q, []string{"pension-received"}) || !slices.Equal(d, []string{"hukou-certificate"}) {
		t.Errorf("XH01: %v %v", q, d)
	}
	q, d = set.Connected("PD02")
	if !slices.Equal(q, []string{"medical-profile", "pension-received"}) || !slices.Equal(d, []string{"hukou-certificate", "social-insurance-rights-record"}) {
		t.Errorf("PD02: %v %v", q, d)
	}
	// What imports are for: the items answered from kept records.
	if got := set.StoreItems("XH01"); !slices.Equal(got, []string{"hukou-certificate"}) {
		t.Errorf("XH01 answers from records: %v", got)
	}
	if got := set.StoreItems("PD02"); !slices.Equal(got, []string{"hukou-certificate", "medical-profile", "pension-received", "social-insurance-rights-record"}) {
		t.Errorf("PD02 answers from records: %v", got)
	}
	var none *Set
	if q, d := none.Connected("XH01"); q != nil || d != nil || none.StoreItems("XH01") != nil {
		t.Errorf("no set connects nothing")
	}
}

// TestConfigRefused: every mistake is named in plain words.
func TestConfigRefused(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"unknown key":       {`{"connectors": {}, "centres": {}}`, "unknown field"},
		"unknown kind":      {`{"connectors": {"x": {"kind": "ftp"}}}`, `kind must be "store" or "http"`},
		"no url":            {`{"connectors": {"x": {"kind": "http", "title": {"zh": "t"}, "source": {"zh": "s"}, "fields": [{"path": "a", "label": {"zh": "l"}}]}}}`, "url must be"},
		"no mapping":        {`{"connectors": {"x": {"kind": "http", "url": "https://a"}}}`, "Chinese words"},
		"cert without key":  {`{"connectors": {"x": {"kind": "http", "url": "https://a", "client_cert": "c.pem", "title": {"zh": "t"}, "source": {"zh": "s"}, "fields": [{"path": "a", "label": {"zh": "l"}}]}}}`, "go together"},
		"unknown connector": {`{"connectors": {}, "centers": {"XH01": {"queries": {"pension-received": "rs"}}}}`, `no connector named "rs"`},
		"bad timeout":       {`{"connectors": {"x": {"kind": "store", "timeout": "soon"}}}`, "not a duration"},
	} {
		_, err := ParseConfig([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	if _, err := Build(DemoConfig(), nil); err == nil {
		t.Errorf("a store connector without a store was built")
	}
	dir := t.TempDir()
	missing := Config{Connectors: map[string]ConnectorConfig{"x": {Kind: KindHTTP, URL: "https://a", APIKeyHeader: "K", APIKeyFile: filepath.Join(dir, "none"), Mapping: contractMapping}}}
	if _, err := Build(missing, nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing key file: %v", err)
	}
}

// TestDemoAnswersEveryConnectedItem: the demonstration data answers at
// least five queries and two documents, each for at least one synthetic
// resident, with no whole ID number in any value.
func TestDemoAnswersEveryConnectedItem(t *testing.T) {
	db, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := NewStore(db, testSubject, func() time.Time { return testNow })
	if err := st.LoadDemo(context.Background(), "XH01"); err != nil {
		t.Fatal(err)
	}
	set, err := Build(DemoConfig(), st)
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range DemoResidents {
		if reason := checkIDNo(who.IDNo); reason != "" {
			t.Errorf("demo resident %s: %s", who.Name, reason)
		}
	}
	queries, documents := set.Connected("XH01")
	if len(queries) < 5 || len(documents) < 2 {
		t.Fatalf("demo connects %v and %v", queries, documents)
	}
	answered := func(item string, ask func(Request) (Answer, error)) {
		n := 0
		for _, who := range DemoResidents {
			a, err := ask(Request{Center: "XH01", Item: item, IDNo: who.IDNo})
			if errors.Is(err, ErrNoRecord) {
				continue
			}
			if err != nil || len(a.Fields) == 0 || a.Title.ZH == "" || a.Source.ZH == "" || a.Name != who.Name {
				t.Errorf("%s for %s: %+v %v", item, who.Name, a, err)
			}
			for _, f := range a.Fields {
				if unmaskedID.MatchString(f.Value) || f.Label.EN == "" {
					t.Errorf("%s: field %+v", item, f)
				}
			}
			n++
		}
		if n == 0 {
			t.Errorf("%s answers no demo resident", item)
		}
	}
	for _, item := range queries {
		_, q, _ := set.Querier("XH01", item)
		answered(item, func(r Request) (Answer, error) { return q.Query(context.Background(), r) })
	}
	for _, item := range documents {
		_, d, _ := set.Documenter("XH01", item)
		answered(item, func(r Request) (Answer, error) { return d.Document(context.Background(), r) })
	}
	if _, err := st.Query(context.Background(), Request{Center: "PD02", Item: "pension-received", IDNo: DemoJia.IDNo}); !errors.Is(err, ErrNoRecord) {
		t.Errorf("demo data at a center it was not loaded for: %v", err)
	}
}
