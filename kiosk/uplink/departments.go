package uplink

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
)

var _ kiosk.Departments = (*Client)(nil)

// Words for the resident when a query or document cannot be answered.
var (
	msgNotIdentified        = kiosk.Msg("dept.not_identified")
	msgNotConnected         = kiosk.Msg("dept.query_not_connected")
	msgDocumentNotConnected = kiosk.Msg("dept.document_not_connected")
	msgNoRecord             = kiosk.Msg("dept.no_record")
	msgDepartmentsDown      = kiosk.Msg("dept.busy")
	msgDepartmentsCounter   = kiosk.Msg("dept.counter")
)

// Query asks the back office for item's query about the identified
// resident (POST /v1/queries). Errors are *kiosk.Error: KindInvalid when
// the resident's identification is missing or no longer live,
// KindUnavailable when the item is not connected at this center or the
// department has no record, KindTransient when the back office or the
// department cannot answer now.
func (c *Client) Query(ctx context.Context, item kiosk.ItemCode, who kiosk.Identity, lang kiosk.Lang) (kiosk.QueryResult, error) {
	const op = "uplink.Query"
	var r api.QueryResponse
	if err := c.askDepartment(ctx, op, "/v1/queries", item, who, lang, &r, msgNotConnected); err != nil {
		return kiosk.QueryResult{}, err
	}
	if r.Item != string(item) || r.Title.ZH == "" {
		return kiosk.QueryResult{}, &kiosk.Error{Op: op, Kind: kiosk.KindTransient, Message: msgDepartmentsDown,
			Err: errors.New("the back office's answer is for another item or has no title")}
	}
	res := kiosk.QueryResult{Item: item, Title: text(r.Title), Source: text(r.Source), AsOf: r.AsOf, Fields: make([]kiosk.ResultField, 0, len(r.Fields))}
	for _, f := range r.Fields {
		res.Fields = append(res.Fields, kiosk.ResultField{Label: text(f.Label), Value: f.Value, Private: f.Private})
	}
	return res, nil
}

// Document asks the back office to issue item's document for the
// identified resident (POST /v1/documents): a signed PDF with its number
// and the address its QR code leads to. Errors as Query's.
func (c *Client) Document(ctx context.Context, item kiosk.ItemCode, who kiosk.Identity, lang kiosk.Lang) (kiosk.Document, error) {
	const op = "uplink.Document"
	var r api.DocumentResponse
	if err := c.askDepartment(ctx, op, "/v1/documents", item, who, lang, &r, msgDocumentNotConnected); err != nil {
		return kiosk.Document{}, err
	}
	if r.Item != string(item) || r.Number == "" || r.VerifyURL == "" || len(r.PDF) < 5 || string(r.PDF[:5]) != "%PDF-" {
		return kiosk.Document{}, &kiosk.Error{Op: op, Kind: kiosk.KindTransient, Message: msgDepartmentsDown,
			Err: errors.New("the back office's document is incomplete or not a PDF")}
	}
	return kiosk.Document{Item: item, Title: text(r.Title), Number: r.Number, VerifyURL: r.VerifyURL, PDF: r.PDF}, nil
}

func (c *Client) askDepartment(ctx context.Context, op, path string, item kiosk.ItemCode, who kiosk.Identity, lang kiosk.Lang, out any, notConnected kiosk.Text) error {
	if !who.Present() || who.Verification == "" {
		return &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: msgNotIdentified,
			Err: errors.New("the resident's identity was not verified by the back office in this visit")}
	}
	l := "zh"
	if lang == kiosk.LangEN {
		l = "en"
	}
	_, _, err := c.do(ctx, http.MethodPost, path, api.DepartmentRequest{Item: string(item), IDNo: who.Number, Identification: who.Verification, Lang: l}, out)
	if err == nil {
		return nil
	}
	var se *StatusError
	if !errors.As(err, &se) {
		return &kiosk.Error{Op: op, Kind: kiosk.KindTransient, Message: msgDepartmentsDown, Err: err}
	}
	switch {
	case se.Status == http.StatusForbidden && se.Problem.Code == api.CodeNotIdentified:
		return &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: msgNotIdentified, Err: err}
	case se.Status == http.StatusNotFound && se.Problem.Code == api.CodeNoRecord:
		return &kiosk.Error{Op: op, Kind: kiosk.KindUnavailable, Message: msgNoRecord, Err: err}
	case se.Status == http.StatusNotFound:
		// not-connected, or a back office without these endpoints at all.
		return &kiosk.Error{Op: op, Kind: kiosk.KindUnavailable, Message: notConnected, Err: err}
	case Transient(err):
		return &kiosk.Error{Op: op, Kind: kiosk.KindTransient, Message: msgDepartmentsDown, Err: err}
	}
	// Refused for what was asked (an identity the back office cannot
	// look up, say): only the counter can help.
	return &kiosk.Error{Op: op, Kind: kiosk.KindUnavailable, Message: msgDepartmentsCounter, Err: fmt.Errorf("refused: %w", err)}
}

func text(w api.Words) kiosk.Text { return kiosk.Text{ZH: w.ZH, EN: w.EN} }

// Connected returns the items connected to department services at this
// terminal's center, as the latest heartbeat's answer said; the zero value
// (nothing connected) until a back office has said.
func (c *Client) Connected() kiosk.Connected {
	c.mu.Lock()
	defer c.mu.Unlock()
	return kiosk.Connected{Queries: slices.Clone(c.connected.Queries), Documents: slices.Clone(c.connected.Documents)}
}

// learnConnected keeps the lists a heartbeat's answer carried and tells
// Config.OnConnected when they changed.
func (c *Client) learnConnected(a *api.Connected) {
	if a == nil {
		return
	}
	next := kiosk.Connected{Queries: items(a.Queries), Documents: items(a.Documents)}
	c.mu.Lock()
	changed := !c.connectedKnown || !slices.Equal(next.Queries, c.connected.Queries) || !slices.Equal(next.Documents, c.connected.Documents)
	c.connected, c.connectedKnown = next, true
	c.mu.Unlock()
	if changed && c.cfg.OnConnected != nil {
		c.cfg.OnConnected(kiosk.Connected{Queries: slices.Clone(next.Queries), Documents: slices.Clone(next.Documents)})
	}
}

func items(codes []string) []kiosk.ItemCode {
	out := make([]kiosk.ItemCode, 0, len(codes))
	for _, c := range codes {
		out = append(out, kiosk.ItemCode(c))
	}
	return out
}
