package backoffice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/backoffice/document"
	"github.com/tongban/tongban/backoffice/store"
)

// DocumentIssuer issues the documents residents print and checks them
// again at the verification pages (document.PDFIssuer).
type DocumentIssuer interface {
	Issue(ctx context.Context, d document.Document) (document.Issued, error)
	VerifyURL(number string) string
	document.Checker
}

// VerifyPrefix is where the verification pages of issued documents are
// served: /v/<number> and /v/check, public, no account.
const VerifyPrefix = "/v/"

// NewDocumentIssuer makes the back office's document issuer: its SM2 key
// kept in keyDir (document.KeyFile), its records in st, its QR codes
// leading to publicURL + VerifyPrefix + number.
func NewDocumentIssuer(st *store.DB, keyDir, publicURL string) (*document.PDFIssuer, error) {
	key, err := document.LoadOrCreateKey(filepath.Join(keyDir, document.KeyFile))
	if err != nil {
		return nil, err
	}
	return document.New(document.Config{Key: key, Records: DocumentRecords(st), VerifyURL: strings.TrimRight(publicURL, "/") + VerifyPrefix})
}

// AlarmConnectorFailing is the alarm raised when a department service
// failed ConnectorFailuresBeforeAlarm times in a row at a center.
const AlarmConnectorFailing = "connector-failing"

// ConnectorFailuresBeforeAlarm is how many failures in a row of one
// connector at one center raise an alarm.
const ConnectorFailuresBeforeAlarm = 3

// alarmStore is what the connector alarms need of the store (store.DB).
type alarmStore interface {
	RaiseAlarmOnce(ctx context.Context, a store.Alarm) (bool, error)
	ResolveAlarmsOf(ctx context.Context, terminal, kind, user string, now time.Time) (int, error)
}

// connectorHealth counts each connector's failures in a row per center,
// and which terminal's alarm stands for the episode.
type connectorHealth struct {
	mu sync.Mutex
	m  map[string]*connectorEpisode // center + "\x00" + connector
}

type connectorEpisode struct {
	fails    int
	raisedBy string // the terminal whose alarm is open; "" none
}

// connectorOutcome counts a connector's answer (ok) or failure; the
// third failure in a row raises an alarm, the next answer resolves it.
func (s *Server) connectorOutcome(ctx context.Context, center, name, terminal string, ok bool) {
	key := center + "\x00" + name
	s.health.mu.Lock()
	ep := s.health.m[key]
	if ep == nil {
		ep = &connectorEpisode{}
		s.health.m[key] = ep
	}
	var raise bool
	var resolve string
	if ok {
		ep.fails, resolve, ep.raisedBy = 0, ep.raisedBy, ""
	} else {
		ep.fails++
		if ep.fails >= ConnectorFailuresBeforeAlarm && ep.raisedBy == "" {
			raise, ep.raisedBy = true, terminal
		}
	}
	fails := ep.fails
	s.health.mu.Unlock()
	as, canAlarm := s.st.(alarmStore)
	ctx = context.WithoutCancel(ctx)
	now := s.now()
	switch {
	case raise:
		s.log.Warn("ALARM", "terminal", terminal, "kind", AlarmConnectorFailing, "connector", name, "center", center, "failures", fails)
		if !canAlarm {
			return
		}
		detail := fmt.Sprintf("the department service %q failed %d times in a row at center %s; residents are sent to the counter for its items", name, fails, center)
		if _, err := as.RaiseAlarmOnce(ctx, store.Alarm{Terminal: terminal, Kind: AlarmConnectorFailing, Device: "connector " + name,
			Detail: detail, RaisedAt: now, ReceivedAt: now}); err != nil {
			s.log.Error("connector alarm not stored", "connector", name, "err", err)
		}
	case resolve != "":
		s.log.Info("connector answers again", "connector", name, "center", center)
		if canAlarm {
			if _, err := as.ResolveAlarmsOf(ctx, resolve, AlarmConnectorFailing, "(back office)", now); err != nil {
				s.log.Error("connector alarm not resolved", "connector", name, "err", err)
			}
		}
	}
}

// SubjectHash is the keyed hash (under the back office's lookup key)
// department records are kept under: the store connector's subjects.
func SubjectHash(hashKey []byte) func(idNo string) string {
	s := &Server{hkey: hashKey}
	return func(idNo string) string { return s.lookupHash(HolderResident, idNo) }
}

// The words of a not-connected answer, as the terminal greys the item.
const (
	notConnectedQuery    = "本中心暂未开通此查询，请到人工窗口: this item's query is not connected at this center; the resident goes to the counter"
	notConnectedDocument = "本中心暂未开通此证明打印，请到人工窗口: this item's document is not connected at this center; the resident goes to the counter"
)

// itemCode is the shape of a catalog item code.
var itemCode = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// departmentCenter is the center a request is answered for: the
// terminal's, from its enrolment; in the dev mode, an unenrolled terminal
// is taken to be at Options.DevCenter.
func (s *Server) departmentCenter(r *http.Request) string {
	c := callerOf(r)
	if c.center == "" && s.dev {
		return s.devCenter
	}
	return c.center
}

// Connected lists the items connected at center. Documents are listed only
// when the back office can issue them.
func (s *Server) Connected(center string) api.Connected {
	q, d := s.connectors.Connected(center)
	if s.documents == nil {
		d = nil
	}
	return api.Connected{Queries: nonNil(q), Documents: nonNil(d)}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request, terminal string) {
	s.handleDepartment(w, r, terminal, false)
}

func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request, terminal string) {
	s.handleDepartment(w, r, terminal, true)
}

// handleDepartment answers an item's query or document for the resident
// identified at this terminal, from the connector configured for the item
// at the terminal's center. It logs the item, center, terminal, outcome
// and duration, never the resident.
func (s *Server) handleDepartment(w http.ResponseWriter, r *http.Request, terminal string, doc bool) {
	var q api.DepartmentRequest
	if !readJSON(w, r, maxSmallBody, &q) {
		return
	}
	switch {
	case !itemCode.MatchString(q.Item):
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "item must be a catalog item code (lower-case letters, digits and -)", false))
		return
	case !validResidentID(q.IDNo):
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "idno is not a valid resident ID number (check digit)", false))
		return
	case q.Lang != "" && q.Lang != "zh" && q.Lang != "en":
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "lang must be zh or en", false))
		return
	}
	if !s.IdentificationLive(q.Identification, terminal, q.IDNo) {
		writeProblem(w, newProblem(http.StatusForbidden, api.CodeNotIdentified,
			"a query or document needs a live identification of this resident at this terminal (POST /v1/identifications)", false))
		return
	}
	center := s.departmentCenter(r)
	kind, notConnected := "query", notConnectedQuery
	var name string
	var ask func(context.Context, connector.Request) (connector.Answer, error)
	var ok bool
	if doc {
		kind, notConnected = "document", notConnectedDocument
		var d connector.Documenter
		if name, d, ok = s.connectors.Documenter(center, q.Item); ok && s.documents != nil {
			ask = d.Document
		}
	} else {
		var qr connector.Querier
		if name, qr, ok = s.connectors.Querier(center, q.Item); ok {
			ask = qr.Query
		}
	}
	if ask == nil {
		s.log.Info("department "+kind, "item", q.Item, "center", center, "terminal", terminal, "outcome", "not-connected")
		writeProblem(w, newProblem(http.StatusNotFound, api.CodeNotConnected, notConnected, false))
		return
	}
	now := s.now()
	if _, ok := s.lookupRate.allow(terminal, now); !ok {
		writeProblem(w, newProblem(http.StatusTooManyRequests, api.CodeRateLimited, "too many lookups from this terminal; wait a minute", true))
		return
	}
	start := time.Now()
	ans, err := ask(r.Context(), connector.Request{Item: q.Item, Center: center, IDNo: q.IDNo, Lang: q.Lang})
	outcome := "answered"
	switch {
	case errors.Is(err, connector.ErrNoRecord):
		outcome = "no-record"
	case err != nil && r.Context().Err() != nil:
		outcome = "cancelled" // the terminal gave up: not the department's failure
	case err != nil:
		outcome = "failed"
	}
	if outcome != "cancelled" {
		s.connectorOutcome(r.Context(), center, name, terminal, outcome != "failed")
	}
	found := 0
	if err == nil {
		found = 1
	}
	if rerr := s.lookups.RecordLookup(r.Context(), LookupRecord{At: now, Terminal: terminal, ItemCode: q.Item, Pseudonym: s.pseudonym(q.IDNo), Found: found}); rerr != nil {
		writeProblem(w, s.storeProblem(rerr))
		return
	}
	logArgs := []any{"item", q.Item, "center", center, "terminal", terminal, "connector", name, "outcome", outcome, "ms", time.Since(start).Milliseconds()}
	switch outcome {
	case "no-record":
		s.log.Info("department "+kind, logArgs...)
		writeProblem(w, newProblem(http.StatusNotFound, api.CodeNoRecord, "the department has no record of this resident for this item", false))
		return
	case "failed", "cancelled":
		// The connector's error names its address and what was wrong with
		// the answer, never the resident.
		s.log.Warn("department "+kind, append(logArgs, "err", err.Error())...)
		writeProblem(w, newProblem(http.StatusServiceUnavailable, api.CodeDepartmentDown,
			"the department's service cannot answer now; try again later or go to the counter", true))
		return
	}
	if !doc {
		s.log.Info("department "+kind, logArgs...)
		resp := api.QueryResponse{Item: q.Item, Title: words(ans.Title), Source: words(ans.Source), AsOf: ans.AsOf.UTC(), Fields: []api.ResultField{}}
		for _, f := range ans.Fields {
			resp.Fields = append(resp.Fields, api.ResultField{Label: words(f.Label), Value: f.Value, Private: f.Private})
		}
		writeJSON(w, http.StatusOK, resp)
		return
	}
	d := document.Document{Item: q.Item, Title: ans.Title.ZH, Center: center, Subject: MaskName(ans.Name), Asked: now}
	if d.Subject == "" {
		d.Subject = "*"
	}
	for _, f := range ans.Fields {
		d.Fields = append(d.Fields, document.Field{Label: f.Label.ZH, Value: f.Value})
	}
	issued, err := s.documents.Issue(r.Context(), d)
	if err != nil {
		s.log.Error("document not issued", append(logArgs, "err", err.Error())...)
		writeProblem(w, newProblem(http.StatusServiceUnavailable, api.CodeUnavailable, "the back office could not issue the document; try again later or go to the counter", true))
		return
	}
	s.log.Info("department "+kind, append(logArgs, "bytes", len(issued.PDF))...)
	writeJSON(w, http.StatusOK, api.DocumentResponse{Item: q.Item, Title: words(ans.Title), Number: issued.Number,
		VerifyURL: s.documents.VerifyURL(issued.Number), PDF: issued.PDF, Signature: issued.Signature})
}

func words(t connector.Text) api.Words { return api.Words{ZH: t.ZH, EN: t.EN} }

// DocumentRecords keeps issued documents' records in st (its documents
// table, sealed with the payload key when st seals).
func DocumentRecords(st *store.DB) document.Records { return docRecords{st} }

type docRecords struct{ st *store.DB }

// docData is what a record holds beyond its number, digest, item and center.
type docData struct {
	Title   string           `json:"title"`
	Subject string           `json:"subject"`
	Fields  []document.Field `json:"fields"`
}

func (d docRecords) Put(ctx context.Context, r document.Record) error {
	data, err := json.Marshal(docData{Title: r.Title, Subject: r.Subject, Fields: r.Fields})
	if err != nil {
		return err
	}
	return d.st.PutDocument(ctx, store.IssuedDocument{Number: r.Number, Digest: r.Digest, Item: r.Item, Center: r.Center, Data: data, IssuedAt: r.Issued})
}

func (d docRecords) Get(ctx context.Context, number string) (document.Record, bool, error) {
	return d.record(d.st.DocumentByNumber(ctx, number))
}

func (d docRecords) ByDigest(ctx context.Context, digest string) (document.Record, bool, error) {
	return d.record(d.st.DocumentByDigest(ctx, digest))
}

func (docRecords) record(doc store.IssuedDocument, err error) (document.Record, bool, error) {
	if errors.Is(err, store.ErrNotFound) {
		return document.Record{}, false, nil
	}
	if err != nil {
		return document.Record{}, false, err
	}
	var data docData
	if err := json.Unmarshal(doc.Data, &data); err != nil {
		return document.Record{}, false, fmt.Errorf("document record %s: %w", doc.Number, err)
	}
	return document.Record{Number: doc.Number, Digest: doc.Digest, Item: doc.Item, Title: data.Title, Center: doc.Center,
		Subject: data.Subject, Fields: data.Fields, Issued: doc.IssuedAt}, true, nil
}
