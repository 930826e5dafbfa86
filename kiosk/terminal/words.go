package terminal

import (
	"context"
	"errors"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/i18n"
)

// The words bridge. The packages below the session say what they mean as
// messages of the i18n catalogs (kiosk.Msg); kiosk/flow and kiosk/ui still
// read Text.ZH to tell whether there is a notice at all, and build some
// sentences out of it. Until they read messages by ID (converted at
// merge), the terminal resolves every message at the session's boundary
// into words of both languages: texts returned by the session's
// collaborators and the messages of the errors they return. Delete this
// file once flow and ui take messages as they are.

// wordsDeps returns deps whose collaborators answer in resolved words.
func wordsDeps(d flow.Deps, w *i18n.Catalog) flow.Deps {
	if w == nil {
		return d
	}
	if d.Reader != nil {
		d.Reader = wordsReader{d.Reader, w}
	}
	if d.Intake != nil {
		d.Intake = wordsIntake{d.Intake, w}
	}
	if d.Printer != nil {
		d.Printer = wordsPrinter{d.Printer, w}
	}
	if d.Forms != nil {
		d.Forms = wordsForms{d.Forms, w}
	}
	if d.Eligible != nil {
		eligible := d.Eligible
		d.Eligible = func(it kiosk.Item, who kiosk.Identity, a kiosk.Answers, today time.Time) (bool, kiosk.Text) {
			ok, why := eligible(it, who, a, today)
			return ok, w.Resolve(why)
		}
	}
	if d.Gate != nil {
		d.Gate = wordsGate(d.Gate, w)
	}
	if d.Status != nil {
		d.Status = wordsStatus{d.Status, w}
	}
	if d.Tickets != nil {
		d.Tickets = wordsTickets{d.Tickets, w}
	}
	if d.Appointments != nil {
		d.Appointments = wordsAppointments{d.Appointments, w}
	}
	if d.Staff != nil {
		d.Staff = wordsStaff{d.Staff, w}
	}
	return d
}

// wordsGate resolves a gate's reasons (the session's and the catalog
// screen's).
func wordsGate(g flow.Gate, w *i18n.Catalog) flow.Gate {
	return func(it kiosk.Item) (bool, kiosk.Text) {
		ok, why := g(it)
		return ok, w.Resolve(why)
	}
}

// wordsErr returns err with its message resolved; errors.Is and errors.As
// still reach everything err wraps.
func wordsErr(err error, w *i18n.Catalog) error {
	var e *kiosk.Error
	if err == nil || !errors.As(err, &e) || !e.Message.IsMessage() {
		return err
	}
	return &kiosk.Error{Op: e.Op, Kind: e.Kind, Message: w.Resolve(e.Message), Err: err}
}

type wordsReader struct {
	kiosk.CardReader
	w *i18n.Catalog
}

func (r wordsReader) ReadCard(ctx context.Context) (kiosk.Identity, error) {
	id, err := r.CardReader.ReadCard(ctx)
	return id, wordsErr(err, r.w)
}

type wordsIntake struct {
	flow.Intake
	w *i18n.Catalog
}

func (i wordsIntake) Accept(ctx context.Context, s kiosk.Submission) (kiosk.Accepted, error) {
	a, err := i.Intake.Accept(ctx, s)
	return a, wordsErr(err, i.w)
}

type wordsPrinter struct {
	kiosk.ReceiptPrinter
	w *i18n.Catalog
}

func (p wordsPrinter) PrintReceipt(ctx context.Context, r kiosk.Receipt) error {
	return wordsErr(p.ReceiptPrinter.PrintReceipt(ctx, r), p.w)
}

func (p wordsPrinter) PrintTicket(ctx context.Context, t kiosk.Ticket) error {
	return wordsErr(p.ReceiptPrinter.PrintTicket(ctx, t), p.w)
}

type wordsForms struct {
	flow.Forms
	w *i18n.Catalog
}

func (f wordsForms) Validate(item kiosk.Item, fields []kiosk.Field, who kiosk.Identity, a kiosk.Answers) map[string]kiosk.Text {
	errs := f.Forms.Validate(item, fields, who, a)
	for id, t := range errs {
		errs[id] = f.w.Resolve(t)
	}
	return errs
}

type wordsStatus struct {
	kiosk.StatusQuery
	w *i18n.Catalog
}

func (s wordsStatus) Status(ctx context.Context, receipt string) (kiosk.SubmissionStatus, error) {
	st, err := s.StatusQuery.Status(ctx, receipt)
	st.Progress, st.Reason = s.w.Resolve(st.Progress), s.w.Resolve(st.Reason)
	return st, wordsErr(err, s.w)
}

type wordsTickets struct {
	flow.Tickets
	w *i18n.Catalog
}

func (t wordsTickets) Take(ctx context.Context, service kiosk.Text) (kiosk.Ticket, error) {
	tk, err := t.Tickets.Take(ctx, service)
	return tk, wordsErr(err, t.w)
}

type wordsAppointments struct {
	flow.Appointments
	w *i18n.Catalog
}

func (a wordsAppointments) Slots(ctx context.Context, item kiosk.ItemCode, from time.Time, days int) ([]kiosk.Slot, error) {
	s, err := a.Appointments.Slots(ctx, item, from, days)
	return s, wordsErr(err, a.w)
}

func (a wordsAppointments) Book(ctx context.Context, slotID string, item kiosk.Item, who kiosk.Identity) (kiosk.Appointment, error) {
	b, err := a.Appointments.Book(ctx, slotID, item, who)
	return b, wordsErr(err, a.w)
}

type wordsStaff struct {
	flow.StaffDesk
	w *i18n.Catalog
}

func (s wordsStaff) Reprint(ctx context.Context) (int, error) {
	n, err := s.StaffDesk.Reprint(ctx)
	return n, wordsErr(err, s.w)
}

func (s wordsStaff) SelfTest(ctx context.Context) error {
	return wordsErr(s.StaffDesk.SelfTest(ctx), s.w)
}

func (s wordsStaff) RetryQuarantined(ctx context.Context) (int, error) {
	n, err := s.StaffDesk.RetryQuarantined(ctx)
	return n, wordsErr(err, s.w)
}
