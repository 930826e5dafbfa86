package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/backoffice/store"
)

// Records keeps a center's department records from a CSV file: the store
// connector (*connector.Store) has it, with the parser the command line's
// import-records uses.
type Records interface {
	Import(ctx context.Context, r io.Reader, sp connector.ImportSpec) (connector.Report, error)
}

// maxRecordsBody bounds an upload: the largest CSV the parser takes and
// room for the form's other fields.
const maxRecordsBody = connector.MaxImportBytes + 64<<10

// maxBadShown is how many bad rows the report lists; the count says all.
const maxBadShown = 500

var itemCodeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,63}$`)

type recordsData struct {
	Center   string // the staff's own center; "" for an operator, who names it
	Form     recordsForm
	Done     bool // the file was read: Report says what was kept
	Summary  string
	Report   connector.Report
	Bad      []connector.BadCell // the first maxBadShown
	More     int                 // bad rows not listed
	Failed   string              // why nothing was kept, in the user's language
	MaxMB    int
	MaxRows  int
	Disabled bool     // no records store on this server
	Items    []string // the items the user's center answers from records (staff)
	NoItems  bool     // the user's center answers no item from records
}

type recordsForm struct {
	Center, Item, TitleZH, TitleEN, SourceZH, SourceEN string
}

func (c *Console) recordsPage(q *req) {
	c.render(q, http.StatusOK, "records", "rec.title", c.recordsData(q, recordsForm{}))
}

func (c *Console) recordsData(q *req, f recordsForm) recordsData {
	d := recordsData{Center: q.user.Center, Form: f, MaxMB: connector.MaxImportBytes >> 20, MaxRows: connector.MaxImportRows, Disabled: c.records == nil}
	if d.Form.Center == "" {
		d.Form.Center = q.user.Center
	}
	if c.recItems != nil && q.user.Center != "" {
		d.Items = c.recItems(q.user.Center)
		d.NoItems = len(d.Items) == 0
	}
	return d
}

// importRecords keeps an uploaded CSV file's good rows as the records of
// one item at one center and shows the report: rows kept, and each bad
// row by line and column with its reason. Staff and directors import for
// their own center only; an operator names the center. The audit trail
// and the log say who imported what for which center and the counts,
// never a name, an ID number or the file's name.
func (c *Console) importRecords(q *req) {
	r := q.r
	f := recordsForm{
		Center: strings.TrimSpace(r.PostFormValue("center")), Item: strings.TrimSpace(r.PostFormValue("item")),
		TitleZH: strings.TrimSpace(r.PostFormValue("title_zh")), TitleEN: strings.TrimSpace(r.PostFormValue("title_en")),
		SourceZH: strings.TrimSpace(r.PostFormValue("source_zh")), SourceEN: strings.TrimSpace(r.PostFormValue("source_en")),
	}
	if c.records == nil {
		c.fail(q, http.StatusServiceUnavailable, "err.unavail")
		return
	}
	if q.user.Role != store.RoleOperator {
		if f.Center != "" && f.Center != q.user.Center {
			c.audit(q, "records.refused", clip(f.Center, 32), "another center's records")
			c.fail(q, http.StatusForbidden, "err.forbidden")
			return
		}
		f.Center = q.user.Center
	}
	file, _, err := r.FormFile("file")
	if err != nil || !centerCodeRe.MatchString(f.Center) || !itemCodeRe.MatchString(f.Item) || !shortText(f.TitleZH, 64, true) ||
		!shortText(f.TitleEN, 128, false) || !shortText(f.SourceZH, 64, true) || !shortText(f.SourceEN, 128, false) {
		if file != nil {
			file.Close()
		}
		d := c.recordsData(q, f)
		d.Failed = word(q.lang, "rec.incomplete")
		c.render(q, http.StatusBadRequest, "records", "rec.title", d)
		return
	}
	defer file.Close()
	if c.recItems != nil && !slices.Contains(c.recItems(f.Center), f.Item) {
		d := c.recordsData(q, f)
		d.Failed = word(q.lang, "rec.notserved")
		c.render(q, http.StatusBadRequest, "records", "rec.title", d)
		return
	}
	spec := connector.ImportSpec{Center: f.Center, Item: f.Item, Title: connector.Text{ZH: f.TitleZH, EN: f.TitleEN},
		Source: connector.Text{ZH: f.SourceZH, EN: f.SourceEN}}
	target := f.Center + " " + f.Item
	rep, err := c.records.Import(r.Context(), file, spec)
	d := c.recordsData(q, f)
	var notImportable *connector.ImportError
	switch {
	case errors.As(err, &notImportable):
		c.audit(q, "records.import", target, "not importable")
		c.log.Info("records not imported", "center", f.Center, "item", f.Item, "why", notImportable.Why.EN)
		d.Failed = notImportable.Why.ZH
		if q.lang == "en" {
			d.Failed = notImportable.Why.EN
		}
		d.Bad = rep.Bad // a header's faults
		c.render(q, http.StatusBadRequest, "records", "rec.title", d)
		return
	case err != nil:
		c.audit(q, "records.import", target, "failed")
		c.storeFailed(q, err)
		return
	}
	detail := fmt.Sprintf("read %d kept %d not kept %d", rep.Read, rep.Kept, rep.Read-rep.Kept)
	c.audit(q, "records.import", target, detail)
	c.log.Info("records imported", "center", f.Center, "item", f.Item, "read", rep.Read, "kept", rep.Kept, "bad", len(rep.Bad))
	d.Done, d.Report, d.Bad = true, rep, rep.Bad
	d.Summary = fmt.Sprintf(word(q.lang, "rec.summary"), rep.Read, rep.Kept, rep.Read-rep.Kept)
	if len(d.Bad) > maxBadShown {
		d.Bad, d.More = d.Bad[:maxBadShown], len(d.Bad)-maxBadShown
	}
	c.render(q, http.StatusOK, "records", "rec.title", d)
}

// shortText reports whether s is at most n characters of one line
// (and not empty when required).
func shortText(s string, n int, required bool) bool {
	if s == "" {
		return !required
	}
	return utf8.ValidString(s) && utf8.RuneCountInString(s) <= n && !strings.ContainsAny(s, "\r\n\t\x00")
}
