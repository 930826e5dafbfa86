package console

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/tongban/tongban/backoffice/store"
)

// bar is one bar of a server-drawn SVG chart.
type bar struct {
	X, Y, W, H int
	Label      string
	N          int
	LX, LY     int
}

// chart is a simple bar chart, drawn as SVG by the template.
type chart struct {
	W, H int
	Bars []bar
}

const chartW, chartH, chartPad = 640, 220, 24

func barChart(rows []store.Count) chart {
	ch := chart{W: chartW, H: chartH}
	if len(rows) == 0 {
		return ch
	}
	top := 1
	for _, r := range rows {
		top = max(top, r.N)
	}
	slot := (chartW - 2*chartPad) / len(rows)
	w := min(max(slot*3/4, 2), 56)
	for i, r := range rows {
		h := (chartH - 3*chartPad) * r.N / top
		x := chartPad + i*slot
		ch.Bars = append(ch.Bars, bar{X: x, Y: chartH - 2*chartPad - h, W: w, H: h, Label: r.Key, N: r.N, LX: x + w/2, LY: chartH - chartPad})
	}
	return ch
}

type report struct {
	Title string
	Kind  string
	Rows  []store.Count
	Chart chart
}

type availRow struct {
	store.Availability
	Share string
}

type reportsData struct {
	Center  string
	Reports []report
	Hours   []hourFigure
	Avail   []availRow
}

func (c *Console) reportData(q *req) (reportsData, error) {
	d := reportsData{Center: centerOf(q)}
	if d.Center == "" {
		return d, nil
	}
	now := c.now()
	from := now.AddDate(0, 0, -30)
	for _, k := range []struct{ by, title string }{{"day", "rep.day"}, {"item", "rep.item"}, {"terminal", "rep.terminal"}} {
		rows, err := c.st.SubmissionCounts(q.r.Context(), d.Center, k.by, from, now.Add(time.Second))
		if err != nil {
			return d, err
		}
		d.Reports = append(d.Reports, report{Title: k.title, Kind: k.by, Rows: rows, Chart: barChart(rows)})
	}
	ts, err := c.st.Tickets(q.r.Context(), d.Center, store.ShanghaiDay(now))
	if err != nil {
		return d, err
	}
	d.Hours = waitFigures(ts)
	var tc []store.Count
	for _, h := range d.Hours {
		tc = append(tc, store.Count{Key: h.Hour, N: h.Tickets})
	}
	d.Reports = append(d.Reports, report{Title: "rep.tickets", Kind: "tickets", Rows: tc, Chart: barChart(tc)})
	terms, err := c.st.Fleet(q.r.Context())
	if err != nil {
		return d, err
	}
	mine := map[string]bool{}
	for _, t := range terms {
		mine[t.ID] = t.Center == d.Center
	}
	av, err := c.st.Availability(q.r.Context(), from, now.Add(time.Minute))
	if err != nil {
		return d, err
	}
	today := store.ShanghaiDay(now)
	for _, a := range av {
		if !mine[a.Terminal] {
			continue
		}
		// Share of the day: of 1,440 minutes, or of those gone by today.
		minutes := 1440
		if a.Day == today {
			n := now.In(shanghai)
			minutes = max(n.Hour()*60+n.Minute(), 1)
		}
		d.Avail = append(d.Avail, availRow{a, fmt.Sprintf("%.1f%%", 100*float64(a.Available)/float64(minutes))})
	}
	return d, nil
}

func (c *Console) reports(q *req) {
	d, err := c.reportData(q)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	c.render(q, http.StatusOK, "reports", "rep.title", d)
}

func (c *Console) reportsCSV(q *req) {
	d, err := c.reportData(q)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	kind := q.r.URL.Query().Get("kind")
	var rows [][]string
	switch kind {
	case "availability":
		rows = append(rows, []string{"terminal", "day", "available_minutes", "reported_minutes", "share"})
		for _, a := range d.Avail {
			rows = append(rows, []string{a.Terminal, a.Day, strconv.Itoa(a.Available), strconv.Itoa(a.Reported), a.Share})
		}
	case "waiting":
		rows = append(rows, []string{"hour", "tickets", "average_wait_min", "longest_wait_min"})
		for _, h := range d.Hours {
			rows = append(rows, []string{h.Hour, strconv.Itoa(h.Tickets), h.Avg, h.Longest})
		}
	default:
		found := false
		for _, r := range d.Reports {
			if r.Kind == kind {
				found = true
				rows = append(rows, []string{kind, "count"})
				for _, x := range r.Rows {
					rows = append(rows, []string{x.Key, strconv.Itoa(x.N)})
				}
			}
		}
		if !found {
			c.fail(q, http.StatusBadRequest, "err.input")
			return
		}
	}
	c.audit(q, "report.export", kind, d.Center)
	writeCSV(q.w, "tongban-"+kind+".csv", rows)
}

func writeCSV(w http.ResponseWriter, name string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write([]byte("\xEF\xBB\xBF")) // so spreadsheet programs read UTF-8
	cw := csv.NewWriter(w)
	for _, r := range rows {
		for i, v := range r {
			r[i] = csvSafe(v)
		}
		cw.Write(r)
	}
	cw.Flush()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
		return "'" + v
	}
	return v
}

type auditData struct {
	Rows []store.AuditEntry
	Next int64
}

func (c *Console) auditPage(q *req) {
	before, _ := strconv.ParseInt(q.r.URL.Query().Get("before"), 10, 64)
	rows, err := c.st.AuditLog(q.r.Context(), before, 101)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	d := auditData{Rows: rows}
	if len(rows) > 100 {
		d.Rows, d.Next = rows[:100], rows[99].ID
	}
	c.render(q, http.StatusOK, "audit", "audit.title", d)
}

func (c *Console) auditCSV(q *req) {
	rows, err := c.st.AuditLog(q.r.Context(), 0, 0)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "audit.export", "", strconv.Itoa(len(rows))+" entries")
	out := [][]string{{"id", "at", "user", "role", "action", "target", "detail", "from"}}
	for _, e := range rows {
		out = append(out, []string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), e.Username, e.Role, e.Action, e.Target, e.Detail, e.Remote})
	}
	writeCSV(q.w, "tongban-audit.csv", out)
}
