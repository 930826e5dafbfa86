package console

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// BenchmarkSubmissionsListPostgres measures what the submissions list
// costs with 100,000 submissions of one center on PostgreSQL: one request
// through the TLS listener, session check and rendering included, on the
// first pages with and without filters. It prints p50 and p99.
//
//	TONGBAN_PG_DSN=... go test -run '^$' -bench SubmissionsList -benchtime 400x ./backoffice/console
func BenchmarkSubmissionsListPostgres(b *testing.B) {
	if os.Getenv(pgEnv) == "" {
		b.Skip(pgEnv + " is not set")
	}
	st, dsn := openTestPostgresSchema(b)
	e := newEnv(b, st)
	seedSubmissions(b, e, dsn, 100_000)
	br := e.browser().login("staff1", password)
	if br.code != 200 {
		b.Fatalf("login: %d", br.code)
	}
	day := e.clk.Now().In(shanghai).AddDate(0, 0, -3).Format("2006-01-02")
	queries := []string{"", "state=accepted", "terminal=SH-XH-0003", "item=312000374000&page=3", "from=" + day + "&to=" + day, "state=done&page=1"}
	var lat []time.Duration
	b.ResetTimer()
	i := 0
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		start := time.Now()
		br.get("/console/submissions?" + q)
		lat = append(lat, time.Since(start))
		if br.code != 200 || !strings.Contains(br.body, "SQ") {
			b.Fatalf("%s: %d", q, br.code)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[min(int(float64(len(lat))*q), len(lat)-1)] }
	b.ReportMetric(float64(p(0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(p(0.50).Microseconds())/1000, "p50-ms")
	fmt.Printf("submissions list, 100,000 submissions on PostgreSQL, %d requests: p50 %v, p99 %v\n", len(lat), p(0.50).Round(time.Microsecond), p(0.99).Round(time.Microsecond))
}

// seedSubmissions writes n synthetic submissions of center XH01 (ten
// terminals, a month of days, every state) straight into the table.
func seedSubmissions(b *testing.B, e *env, dsn string, n int) {
	b.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	now := e.clk.Now().UnixMicro()
	_, err = conn.Exec(ctx, `INSERT INTO submissions (terminal, client_id, local_receipt, official_receipt, center, affairs_code,
		affairs_name, payload_hash, payload, state, created_at, received_at, name_masked, idno_masked)
		SELECT 'SH-XH-' || lpad((g % 10)::text, 4, '0'), 'seed-' || g, 'L-' || g, 'SQ20260101' || lpad(g::text, 9, '0'), 'XH01',
			CASE WHEN g % 7 = 0 THEN '312000374000' ELSE '31200037' || lpad((g % 50)::text, 4, '0') END, '测试事项',
			'h', '\x00'::bytea, (ARRAY['accepted','taken','in-progress','done','returned','need-more'])[1 + g % 6],
			$1::bigint - g::bigint * 26000000, $1::bigint - g::bigint * 26000000, '测*甲', '310104********1235'
		FROM generate_series(1, $2) AS g`, now, n)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "ANALYZE submissions"); err != nil {
		b.Fatal(err)
	}
}
