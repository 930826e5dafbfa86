package uplink

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
)

var (
	_ kiosk.StatusQuery      = (*Client)(nil)
	_ kiosk.KeyedStatusQuery = (*Client)(nil)
)

// Words for the resident when the back office cannot answer.
var (
	msgOffline   = kiosk.Msg("query.backoffice_offline")
	msgNoReceipt = kiosk.Msg("query.receipt_unknown")
)

// Status asks the back office where a submission is, by official or local
// receipt number. A number it does not know is a kiosk.Error of kind
// KindInvalid; an unreachable back office one of KindTransient. Callers
// combine it with what the local queue knows of numbers not yet sent.
func (c *Client) Status(ctx context.Context, receipt string) (kiosk.SubmissionStatus, error) {
	return c.StatusWithKey(ctx, receipt, "")
}

// StatusWithKey is Status presenting the progress key from the receipt's
// QR code: without it the back office answers only for this terminal's
// own submissions.
func (c *Client) StatusWithKey(ctx context.Context, receipt, key string) (kiosk.SubmissionStatus, error) {
	const op = "uplink.Status"
	var st api.StatusResponse
	path := "/v1/receipts/" + url.PathEscape(receipt)
	if key != "" {
		path += "?" + url.Values{api.ProgressKeyParam: {key}}.Encode()
	}
	_, _, err := c.do(ctx, http.MethodGet, path, nil, &st)
	var se *StatusError
	switch {
	case errors.As(err, &se) && se.Status == http.StatusNotFound:
		return kiosk.SubmissionStatus{}, &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: msgNoReceipt, Err: err}
	case err != nil:
		return kiosk.SubmissionStatus{}, &kiosk.Error{Op: op, Kind: kiosk.KindTransient, Message: msgOffline, Err: err}
	}
	out := kiosk.SubmissionStatus{
		LocalReceipt:    st.LocalReceipt,
		OfficialReceipt: st.OfficialReceipt,
		Item:            kiosk.Text{ZH: st.AffairsName},
		State:           kiosk.StateAcknowledged,
		Progress:        kiosk.Text{ZH: st.ProgressZH, EN: st.ProgressEN},
		Reason:          kiosk.Text{ZH: st.ReasonZH, EN: st.ReasonEN},
	}
	for _, p := range st.Parts {
		out.Parts = append(out.Parts, kiosk.PartStatus{Item: kiosk.Text{ZH: p.AffairsName}, Number: p.Receipt,
			Progress: kiosk.Text{ZH: p.ProgressZH, EN: p.ProgressEN}, Reason: kiosk.Text{ZH: p.ReasonZH, EN: p.ReasonEN}})
	}
	return out, nil
}

// Ticket takes a counter queue number for service (e.g. "A") at the
// terminal's center.
func (c *Client) Ticket(ctx context.Context, service string, name kiosk.Text, lang kiosk.Lang) (kiosk.Ticket, error) {
	var t api.Ticket
	if _, _, err := c.do(ctx, http.MethodPost, "/v1/centers/"+url.PathEscape(c.cfg.Center)+"/tickets", api.TicketRequest{Service: service}, &t); err != nil {
		return kiosk.Ticket{}, &kiosk.Error{Op: "uplink.Ticket", Kind: kiosk.KindTransient, Message: msgOffline, Err: err}
	}
	return kiosk.Ticket{Number: t.Number, Service: name, Waiting: t.Waiting, IssuedAt: t.IssuedAt, Lang: lang}, nil
}

// Slots lists the appointment slots of day at the terminal's center.
func (c *Client) Slots(ctx context.Context, day time.Time) ([]api.Slot, error) {
	var r api.SlotsResponse
	path := "/v1/centers/" + url.PathEscape(c.cfg.Center) + "/slots?date=" + day.In(shanghai).Format("2006-01-02")
	_, _, err := c.do(ctx, http.MethodGet, path, nil, &r)
	return r.Slots, err
}

// Book books a slot for the holder of a resident ID number.
func (c *Client) Book(ctx context.Context, slotID string, item kiosk.ItemCode, idNumber string) (api.Appointment, error) {
	var a api.Appointment
	_, _, err := c.do(ctx, http.MethodPost, "/v1/appointments", api.BookRequest{SlotID: slotID, ItemCode: string(item), HolderIDNo: idNumber}, &a)
	return a, err
}

// Appointment looks an appointment up.
func (c *Client) Appointment(ctx context.Context, id string) (api.Appointment, error) {
	var a api.Appointment
	_, _, err := c.do(ctx, http.MethodGet, "/v1/appointments/"+url.PathEscape(id), nil, &a)
	return a, err
}

// CancelAppointment cancels an appointment.
func (c *Client) CancelAppointment(ctx context.Context, id string) (api.Appointment, error) {
	var a api.Appointment
	_, _, err := c.do(ctx, http.MethodDelete, "/v1/appointments/"+url.PathEscape(id), nil, &a)
	return a, err
}

// Licences looks up the resident's e-licences (证照免交) for an item; who
// is the visit's identity, whose Verification (the back office's
// identification event) must still be live.
func (c *Client) Licences(ctx context.Context, who kiosk.Identity, item kiosk.ItemCode, itemName string) ([]api.Licence, error) {
	var r api.LicencesResponse
	q := api.LicenceQuery{HolderType: "居民身份证", HolderCode: who.Number, ItemCode: string(item), ItemName: itemName, Identification: who.Verification}
	_, _, err := c.do(ctx, http.MethodPost, "/v1/licences:query", q, &r)
	return r.Licences, err
}

// Identify has the back office verify a scanned 随申码 or e-certificate
// code (POST /v1/identifications) and returns the identity it vouches
// for, with its identification event in Verification. A code the back
// office refuses (forged, expired, used already) comes back as a
// kiosk.Error in the resident's words; an outage as the transport error.
func (c *Client) Identify(ctx context.Context, code string) (kiosk.Identity, error) {
	var r api.IdentifyResponse
	_, _, err := c.do(ctx, http.MethodPost, "/v1/identifications", api.IdentifyRequest{Code: code}, &r)
	var se *StatusError
	switch {
	case errors.As(err, &se) && se.Status == http.StatusUnprocessableEntity:
		return kiosk.Identity{}, &kiosk.Error{Op: "identify", Kind: kiosk.KindInvalid, Message: kiosk.Msg("identify.suishenma_refused"), Err: err}
	case err != nil:
		return kiosk.Identity{}, err
	case r.EventID == "" || r.IDNo == "" || r.FullName == "":
		return kiosk.Identity{}, fmt.Errorf("uplink: the back office's identification is incomplete")
	}
	return kiosk.Identity{Card: kiosk.CardSuishenma, Name: r.FullName, Number: r.IDNo, Verification: r.EventID}, nil
}

// The resident's words when a card read gets no identification.
var (
	msgCardUnverified  = kiosk.Msg("identify.card_unverified")
	msgReaderUnknown   = kiosk.Msg("identify.reader_unknown")
	msgCardTypeCounter = kiosk.Msg("identify.card_type_counter")
)

// IdentifyCard has the back office vouch for an ID card the terminal's
// reader read (POST /v1/identifications with the reader's SAM ID and the
// card's number) and returns the identification event, which the visit
// keeps in who.Verification for its queries, documents and submission.
// The back office vouches only for a resident ID card read by a reader it
// allow-listed for this terminal. Errors are *kiosk.Error in the
// resident's words: KindUnavailable for a card it cannot vouch for (not a
// resident ID card), KindInvalid for a reader it does not know (or that
// gave no SAM ID), KindTransient when it cannot be reached or answer now.
func (c *Client) IdentifyCard(ctx context.Context, who kiosk.Identity) (string, error) {
	const op = "uplink.IdentifyCard"
	switch {
	case !who.Present() || who.Card != kiosk.CardResident:
		return "", &kiosk.Error{Op: op, Kind: kiosk.KindUnavailable, Message: msgCardTypeCounter,
			Err: errors.New("only a resident ID card can be identified by the back office")}
	case who.ReaderSAM == "":
		return "", &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: msgReaderUnknown,
			Err: errors.New("the card reader gave no SAM ID")}
	}
	var r api.IdentifyResponse
	_, _, err := c.do(ctx, http.MethodPost, "/v1/identifications", api.IdentifyRequest{ReaderSAM: who.ReaderSAM, IDNo: who.Number}, &r)
	var se *StatusError
	switch {
	case errors.As(err, &se) && (se.Status == http.StatusForbidden || se.Status == http.StatusBadRequest):
		// Not a reader the back office knows for this terminal (or not a
		// SAM ID at all): only a technician can register it.
		return "", &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: msgReaderUnknown, Err: err}
	case err != nil:
		return "", &kiosk.Error{Op: op, Kind: kiosk.KindTransient, Message: msgCardUnverified, Err: err}
	case r.EventID == "" || r.IDNo != who.Number:
		return "", &kiosk.Error{Op: op, Kind: kiosk.KindTransient, Message: msgCardUnverified,
			Err: errors.New("the back office's identification is incomplete or for another number")}
	}
	return r.EventID, nil
}
