package uplink

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
)

// SlotsAt lists the appointment slots of day for item at the places of
// kind at (api.PlaceCenter, api.PlaceMarriageRegistry,
// api.PlaceAssessmentHospital) this terminal may book, with the places.
func (c *Client) SlotsAt(ctx context.Context, day time.Time, item kiosk.ItemCode, at kiosk.BookAt) (api.SlotsResponse, error) {
	var r api.SlotsResponse
	q := url.Values{"date": {day.In(shanghai).Format("2006-01-02")}, "item": {string(item)}, "at": {string(at)}}
	_, _, err := c.do(ctx, http.MethodGet, "/v1/centers/"+url.PathEscape(c.cfg.Center)+"/slots?"+q.Encode(), nil, &r)
	return r, bookingError("uplink.SlotsAt", err)
}

// BookWith books a slot as req says: the holder, the form's answers and,
// at a marriage registry, the partner.
func (c *Client) BookWith(ctx context.Context, req api.BookRequest) (api.Appointment, error) {
	var a api.Appointment
	_, _, err := c.do(ctx, http.MethodPost, "/v1/appointments", req, &a)
	return a, bookingError("uplink.BookWith", err)
}

// bookingError says in the resident's words why a booking failed: the
// time was just taken, the place closed, or the back office cannot be
// reached (try again, or the counter).
func bookingError(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *StatusError
	if errors.As(err, &se) {
		switch se.Problem.Code {
		case api.CodeSlotFull:
			return &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: kiosk.Msg("appointment.slot_taken"), Err: err}
		case api.CodePlaceClosed:
			return &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: kiosk.Msg("appointment.place_closed"), Err: err}
		case api.CodeNotFound:
			return &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: kiosk.Msg("appointment.slot_taken"), Err: err}
		}
		if se.Status >= 400 && se.Status < 500 && se.Status != http.StatusTooManyRequests {
			return &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: kiosk.Msg("appointment.refused"), Err: err}
		}
	}
	return &kiosk.Error{Op: op, Kind: kiosk.KindTransient, Message: msgOffline, Err: err}
}
