package flow

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Session is the resident session. Its methods are the events (taps from
// the screen, cards and scans from devices); each is handed to the
// machine's transition function (step), and the effects it returns are run
// here: timers on the injected clock, work through the Driver under the
// visit's context, audit records and log lines. Every change is published
// to the observer as a View. It is safe for concurrent use: the UI calls it
// from its goroutine, devices and work from theirs.
type Session struct {
	deps  Deps
	log   *slog.Logger
	ports ports

	mu       sync.Mutex
	observer func(View)
	m        machine
	idle     kiosk.Timer
	cancel   context.CancelFunc // cancels the card read or submission in flight

	visitCtx    context.Context
	visitCancel context.CancelFunc // ends every effect of the visit
}

// New returns a session on the attract screen.
func New(deps Deps) *Session {
	if deps.Clock == nil {
		deps.Clock = kiosk.SystemClock{}
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Audit == nil {
		deps.Audit = func(kind, ref, detail string) {}
	}
	if deps.ConfirmWait == 0 {
		deps.ConfirmWait = 2 * time.Second
	}
	if deps.Driver == nil {
		deps.Driver = goDriver
	}
	return &Session{deps: deps, log: deps.Logger,
		ports: ports{
			reader: deps.Reader, intake: deps.Intake, queue: deps.Queue, numbers: deps.Numbers,
			confirmer: deps.Confirmer, confirmWait: deps.ConfirmWait, printer: deps.Printer,
			status: deps.Status, identifier: deps.Identifier, cardIdentifier: deps.CardIdentifier, tickets: deps.Tickets, appointments: deps.Appointments, staff: deps.Staff,
			departments: deps.Departments, a4: deps.A4,
			audit: deps.Audit, log: deps.Logger,
		},
		m: machine{lang: kiosk.LangZH, v: visitData{answers: kiosk.Answers{}},
			terminal: kiosk.TerminalState{Available: true}}}
}

// envLocked is what the transitions may ask, now.
func (s *Session) envLocked() env {
	e := env{
		now: s.deps.Clock.Now(), terminal: s.deps.Terminal,
		catalog: s.deps.Catalog, forms: s.deps.Forms, eligible: s.deps.Eligible, gate: s.deps.Gate,
		progressURL: s.deps.ProgressURL,
		reader:      s.deps.Reader != nil, tickets: s.deps.Tickets != nil, appoint: s.deps.Appointments != nil,
		hours:     s.deps.Hours,
		connected: s.deps.Connected, departments: s.deps.Departments != nil, a4: s.deps.A4 != nil,
		cardIdentifier: s.deps.CardIdentifier != nil, placeBooking: isPlaceBooking(s.deps.Appointments),
	}
	if e.hours.IsZero() {
		e.hours = kiosk.DefaultHours()
	}
	if s.deps.Staff != nil {
		e.staffCheck = s.deps.Staff.Check
		if b, ok := s.deps.Staff.(StaffBadges); ok {
			e.staffBadge = b.CheckBadge
		}
	}
	return e
}

// dispatch runs one event through the machine and its effects, then
// publishes the new view.
func (s *Session) dispatch(ev event) {
	s.mu.Lock()
	s.applyLocked(s.m.step(s.envLocked(), ev))
	s.mu.Unlock()
	s.publish()
}

// applyLocked runs the effects of one transition, in order.
func (s *Session) applyLocked(effects []effect) {
	for _, ef := range effects {
		switch ef := ef.(type) {
		case stopTimer:
			if s.idle != nil {
				s.idle.Stop()
				s.idle = nil
			}
		case armTimer:
			if s.idle != nil {
				s.idle.Stop()
			}
			s.idle = s.deps.Clock.AfterFunc(ef.d, func() { s.dispatch(evTimer{ef.seq, ef.fire}) })
		case cancelWork:
			if s.cancel != nil {
				s.cancel()
				s.cancel = nil
			}
		case endVisit:
			if s.visitCancel != nil {
				s.visitCancel()
			}
			s.visitCtx, s.visitCancel = nil, nil
		case audit:
			s.deps.Audit(ef.kind, ef.ref, ef.detail)
		case logLine:
			if ef.warn {
				s.log.Warn(ef.msg, ef.args...)
			} else {
				s.log.Info(ef.msg, ef.args...)
			}
		case work:
			s.runLocked(ef)
		}
	}
}

// runLocked hands work to the driver under a context of the visit with
// its kind's deadline; the event it returns comes back through dispatch.
func (s *Session) runLocked(w work) {
	if s.visitCtx == nil {
		s.visitCtx, s.visitCancel = context.WithCancel(context.Background())
	}
	var ctx context.Context
	var cancel context.CancelFunc
	if d := Deadlines[w.kind]; d > 0 {
		ctx, cancel = context.WithTimeout(s.visitCtx, d)
	} else {
		ctx, cancel = context.WithCancel(s.visitCtx)
	}
	if w.cancellable {
		s.cancel = cancel
	}
	s.deps.Driver(Effect{Kind: w.kind, Visit: s.m.visit, Ctx: ctx, Run: func() {
		defer cancel()
		if ev := w.run(ctx, s.ports); ev != nil {
			s.dispatch(ev)
		}
	}})
}

// Observe sets the function that receives every new View. It is called
// outside the session's lock, possibly from a device goroutine.
func (s *Session) Observe(f func(View)) {
	s.mu.Lock()
	s.observer = f
	s.mu.Unlock()
	s.publish()
}

// View returns the current snapshot.
func (s *Session) View() View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m.view(s.envLocked())
}

func (s *Session) publish() {
	s.mu.Lock()
	obs, v := s.observer, s.m.view(s.envLocked())
	s.mu.Unlock()
	if obs != nil {
		obs(v)
	}
}

// Touch records activity on the screen: the idle timer starts over.
func (s *Session) Touch() { s.dispatch(evTouch{}) }

// Continue answers 继续办理 on the countdown overlay.
func (s *Session) Continue() { s.dispatch(evContinue{}) }

// SetLanguage switches the session's language; it resets when the session ends.
func (s *Session) SetLanguage(l kiosk.Lang) { s.dispatch(evLanguage{l}) }

// SetHighContrast switches the high-contrast look (yellow and white on
// black) on or off for this session; it resets when the session ends.
func (s *Session) SetHighContrast(on bool) { s.dispatch(evHighContrast{on}) }

// SetElderly switches 长者模式 on or off for this session.
func (s *Session) SetElderly(on bool) { s.dispatch(evElderly{on}) }

// Start answers 开始办理: the resident is asked to identify.
func (s *Session) Start() { s.dispatch(evStart{}) }

// CardReading tells the session a card is on the reader and being read.
func (s *Session) CardReading() { s.dispatch(evCardReading{}) }

// CardRead delivers the identity read from a card.
func (s *Session) CardRead(id kiosk.Identity) { s.dispatch(evCardRead{0, id}) }

// CardPresence reports whether an ID card lies on the reader. While it does,
// timers are paused; when the session is over it prompts the resident to
// take it.
func (s *Session) CardPresence(on bool) { s.dispatch(evCardPresence{on}) }

// SelectItem opens an item's detail screen.
func (s *Session) SelectItem(code kiosk.ItemCode) { s.dispatch(evSelect{code}) }

// CanApply reports whether the item on screen may be applied for now.
func (s *Session) CanApply() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m.canApply()
}

// Apply starts the item's form.
func (s *Session) Apply() { s.dispatch(evApply{}) }

// ApplyForOther starts the form on someone else's behalf (代办): the card
// read is the agent's, the applicant's details are typed. Nothing happens
// where View.AgentOK is false.
func (s *Session) ApplyForOther() { s.dispatch(evApplyForOther{}) }

// SetAnswer records one form value as it is typed or chosen.
func (s *Session) SetAnswer(field, value string) { s.dispatch(evAnswer{field, value}) }

// Next validates the form page and moves on to the next page or the review.
func (s *Session) Next() { s.dispatch(evNext{}) }

// Back goes one step back: a form page, the item, the list.
func (s *Session) Back() { s.dispatch(evBack{}) }

// Edit jumps from the review to the form page holding field.
func (s *Session) Edit(field string) { s.dispatch(evEdit{field}) }

// SetConsent records the consent row on the review screen.
func (s *Session) SetConsent(on bool) { s.dispatch(evConsent{on}) }

// Confirm leaves the review for the signature.
func (s *Session) Confirm() { s.dispatch(evConfirm{}) }

// Signed delivers the signature image and submits the application.
func (s *Session) Signed(png []byte) { s.dispatch(evSigned{png}) }

// Scanned delivers a classified code read by the QR scanner.
func (s *Session) Scanned(c kiosk.ScannedCode) { s.dispatch(evScanned{c}) }

// ScanFailed tells the resident a code could not be read, in plain words.
func (s *Session) ScanFailed(err error) { s.dispatch(evScanFailed{err}) }

// OpenQuery shows the progress query screen (scan your receipt's QR code).
func (s *Session) OpenQuery() { s.dispatch(evOpenQuery{}) }

// TakeTicket issues a counter queue number for service (a business chosen
// on the ticket screen, or the item on screen) and prints it, while the
// counters are open.
func (s *Session) TakeTicket(service kiosk.Text) { s.dispatch(evTakeTicket{service}) }

// End finishes the session (结束办理, timeout or done): everything personal
// is wiped, language and mode reset, and the attract screen shown.
func (s *Session) End() { s.dispatch(evEnd{}) }

// ports are the session's collaborators that do things: the work runs
// with them, off the session's lock.
type ports struct {
	reader         kiosk.CardReader
	intake         Intake
	queue          kiosk.Queue
	numbers        Numbering
	confirmer      Confirmer
	confirmWait    time.Duration
	printer        kiosk.ReceiptPrinter
	status         kiosk.StatusQuery
	identifier     Identifier
	cardIdentifier CardIdentifier
	tickets        Tickets
	appointments   Appointments
	staff          StaffDesk
	departments    kiosk.Departments
	a4             A4Printer
	audit          func(kind, ref, detail string)
	log            *slog.Logger
}

// submit commits the submission durably, then asks for the official number,
// then prints. The resident is told "accepted" only after the commit.
func (p ports) submit(ctx context.Context, t tag, sub kiosk.Submission, r kiosk.Receipt, progress func(receipt, clientID string) string) event {
	if p.intake != nil {
		// The intake numbers, stores, audits and sends; the receipt follows.
		acc, err := p.intake.Accept(ctx, sub)
		if err != nil {
			return evSubmitFailed{t, err}
		}
		sub.ID, sub.LocalReceipt = acc.ID, acc.LocalReceipt
		r.Official, r.Queued = acc.Official, acc.Queued
	} else {
		id, local, err := p.numbers(sub.CreatedAt)
		if err != nil {
			return evSubmitFailed{t, err}
		}
		sub.ID, sub.LocalReceipt = id, local
		if err := p.queue.Enqueue(ctx, sub); err != nil {
			return evSubmitFailed{t, err}
		}
		p.log.Info("submission accepted", "id", sub.ID, "receipt", sub.LocalReceipt, "item", string(sub.Item))
		p.audit("submission.accepted", sub.ID, sub.LocalReceipt)
		if p.confirmer != nil {
			cctx, cancel := context.WithTimeout(ctx, p.confirmWait)
			if official, err := p.confirmer.Confirm(cctx, sub.ID); err == nil && official != "" {
				r.Official, r.Queued = official, false
			}
			cancel()
		}
	}
	r.LocalReceipt = sub.LocalReceipt
	numberParts(&r)
	if progress != nil && sub.LocalReceipt != "" {
		r.ProgressURL = progress(sub.LocalReceipt, sub.ID)
	}
	perr := p.printer.PrintReceipt(ctx, r)
	if perr == nil {
		p.audit("receipt.printed", sub.ID, sub.LocalReceipt)
	} else {
		p.log.Warn("receipt not printed", "receipt", sub.LocalReceipt, "kind", int(kiosk.KindOf(perr)))
	}
	return evSubmitted{t, r, perr}
}
