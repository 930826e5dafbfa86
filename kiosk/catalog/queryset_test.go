package catalog

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// querySetCase is one line of testdata/queries.tsv.
type querySetCase struct {
	query string
	want  []kiosk.ItemCode
	kind  string
}

func readQuerySet(t testing.TB) []querySetCase {
	t.Helper()
	f, err := os.Open("testdata/queries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []querySetCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			t.Fatalf("queries.tsv: %q: want 3 columns, got %d", line, len(cols))
		}
		var want []kiosk.ItemCode
		for _, c := range strings.Split(cols[1], ",") {
			want = append(want, kiosk.ItemCode(c))
		}
		cases = append(cases, querySetCase{query: cols[0], want: want, kind: cols[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestQuerySet runs the residents' own words of testdata/queries.tsv: each
// query must bring one of its acceptable items into the first five hits.
// It logs the figure per kind of query.
func TestQuerySet(t *testing.T) {
	c := loadEmbedded(t)
	found := map[string]int{}
	total := map[string]int{}
	for _, tc := range readQuerySet(t) {
		total[tc.kind]++
		hits := c.Search(tc.query, 5)
		var got []kiosk.ItemCode
		for _, h := range hits {
			got = append(got, h.Item.Code)
		}
		// A code merged into another item (an alias) is found as that item.
		want := slices.Clone(tc.want)
		for i, w := range want {
			if now, ok := c.Canonical(w); ok {
				want[i] = now
			}
		}
		if slices.ContainsFunc(got, func(code kiosk.ItemCode) bool { return slices.Contains(want, code) }) {
			found[tc.kind]++
			continue
		}
		t.Errorf("Search(%q) [%s] = %v, want one of %v", tc.query, tc.kind, got, tc.want)
	}
	all, ok := 0, 0
	for kind, n := range total {
		all += n
		ok += found[kind]
		t.Logf("%-11s %d/%d", kind, found[kind], n)
	}
	t.Logf("all         %d/%d", ok, all)
}
