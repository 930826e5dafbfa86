package flow

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Session is the resident session state machine. Its methods are the events
// (taps from the screen, cards and scans from devices, timers); every change
// is published to the observer as a View. It is safe for concurrent use: the
// UI calls it from its goroutine, devices from theirs.
type Session struct {
	deps Deps
	log  *slog.Logger

	mu       sync.Mutex
	observer func(View)
	gen      uint64 // bumps on every state change; stale timers check it
	idle     kiosk.Timer
	cancel   context.CancelFunc // cancels the card read or submission in flight

	state        State
	lang         kiosk.Lang
	elderly      bool
	highContrast bool
	who          kiosk.Identity
	item         *kiosk.Item
	answers      kiosk.Answers
	prefilled    map[string]bool
	page         int
	errs         map[string]kiosk.Text
	consent      bool
	signature    []byte
	notice       kiosk.Text
	noticeOK     bool
	reading      bool
	receipt      *kiosk.Receipt
	status       *kiosk.SubmissionStatus
	ticket       *kiosk.Ticket
	countdown    int
	cardOn       bool

	slots   []kiosk.Slot
	booked  *kiosk.Appointment
	booking bool

	terminal      kiosk.TerminalState
	terminalWords kiosk.Text
	gateNotice    kiosk.Text // the notice the gate put on the item screen

	staffID     string
	staffTries  int
	staffReport *StaffReport
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
	return &Session{deps: deps, log: deps.Logger, lang: kiosk.LangZH, answers: kiosk.Answers{},
		terminal: kiosk.TerminalState{Available: true}}
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
	return s.viewLocked()
}

func (s *Session) timing() Timing {
	if s.elderly {
		return ElderlyTiming()
	}
	return NormalTiming()
}

// update runs f under the lock and publishes the result.
func (s *Session) update(f func()) {
	s.mu.Lock()
	f()
	s.mu.Unlock()
	s.publish()
}

func (s *Session) publish() {
	s.mu.Lock()
	obs, v := s.observer, s.viewLocked()
	s.mu.Unlock()
	if obs != nil {
		obs(v)
	}
}

// goTo changes state, clears per-screen messages and re-arms the idle timer.
func (s *Session) goTo(st State) {
	s.state = st
	s.notice, s.noticeOK = kiosk.Text{}, false
	s.countdown = 0
	s.gen++
	s.armLocked()
}

// armLocked (re)starts the timer for the current state.
func (s *Session) armLocked() {
	if s.idle != nil {
		s.idle.Stop()
		s.idle = nil
	}
	gen := s.gen
	t := s.timing()
	switch {
	case s.state == Attract || s.state == Submitting:
		return
	case s.state == Done:
		if s.cardOn {
			return // paused while the card is on the reader
		}
		s.idle = s.deps.Clock.AfterFunc(t.Done, func() { s.expire(gen) })
	case s.cardOn && s.state != Identify:
		return // paused while the card is on the reader (UX.md §1.6)
	default:
		s.idle = s.deps.Clock.AfterFunc(t.Idle, func() { s.startCountdown(gen) })
	}
}

func (s *Session) expire(gen uint64) {
	s.mu.Lock()
	stale := gen != s.gen
	s.mu.Unlock()
	if !stale {
		s.End()
	}
}

func (s *Session) startCountdown(gen uint64) {
	s.update(func() {
		if gen != s.gen {
			return
		}
		s.countdown = int(s.timing().Countdown / time.Second)
		s.tickLocked(gen)
	})
}

func (s *Session) tickLocked(gen uint64) {
	s.idle = s.deps.Clock.AfterFunc(time.Second, func() {
		end := false
		s.update(func() {
			if gen != s.gen || s.countdown == 0 {
				return
			}
			s.countdown--
			if s.countdown == 0 {
				end = true
				return
			}
			s.tickLocked(gen)
		})
		if end {
			s.End()
		}
	})
}

// Touch records activity on the screen: the idle timer starts over.
func (s *Session) Touch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.countdown == 0 {
		s.armLocked()
	}
}

// Continue answers 继续办理 on the countdown overlay.
func (s *Session) Continue() {
	s.update(func() {
		s.countdown = 0
		s.gen++
		s.armLocked()
	})
}

// SetLanguage switches the session's language; it resets when the session ends.
func (s *Session) SetLanguage(l kiosk.Lang) {
	s.update(func() { s.lang = l; s.armLocked() })
}

// SetHighContrast switches the high-contrast look (yellow and white on
// black) on or off for this session; it resets when the session ends.
func (s *Session) SetHighContrast(on bool) {
	s.update(func() { s.highContrast = on; s.armLocked() })
}

// SetElderly switches 长者模式 on or off for this session.
func (s *Session) SetElderly(on bool) {
	s.update(func() { s.elderly = on; s.armLocked() })
}

// Start answers 开始办理: the resident is asked to identify.
func (s *Session) Start() {
	s.update(func() {
		if s.state != Attract {
			return
		}
		s.log.Info("session started")
		s.deps.Audit("session.started", "", "")
		s.goTo(Identify)
		s.startReadLocked()
	})
}

func (s *Session) startReadLocked() {
	if s.deps.Reader == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancelLocked()
	s.cancel = cancel
	gen := s.gen
	go func() {
		id, err := s.deps.Reader.ReadCard(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			s.cardFailed(gen, err)
			return
		}
		s.CardRead(id)
	}()
}

func (s *Session) cancelLocked() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
}

// CardReading tells the session a card is on the reader and being read.
func (s *Session) CardReading() {
	s.update(func() {
		if s.state == Identify {
			s.reading = true
		}
	})
}

// CardRead delivers the identity read from a card.
func (s *Session) CardRead(id kiosk.Identity) {
	s.update(func() {
		s.reading = false
		if s.state != Identify {
			return
		}
		if id.ExpiredOn(s.deps.Clock.Now()) {
			s.notice = kiosk.Text{
				ZH: fmt.Sprintf("您的证件已于%s过期，请到人工窗口办理。", id.ValidUntil.Format("2006年1月2日")),
				EN: fmt.Sprintf("Your card expired on %s. Please go to the staffed counter.", id.ValidUntil.Format("2 Jan 2006")),
			}
			id.Wipe()
			s.startReadLocked()
			return
		}
		s.who = id
		s.cardOn = true
		s.log.Info("resident identified", "card", string(id.Card))
		s.goTo(Browse)
	})
}

func (s *Session) cardFailed(gen uint64, err error) {
	s.update(func() {
		s.reading = false
		if gen != s.gen || s.state != Identify {
			return
		}
		s.notice = kiosk.MessageOf(err)
		s.log.Info("card read failed", "kind", int(kiosk.KindOf(err)))
		s.startReadLocked() // let the resident try again at once
		s.gen++             // the new read belongs to this screen
	})
}

// CardPresence reports whether an ID card lies on the reader. While it does,
// timers are paused; when the session is over it prompts the resident to
// take it.
func (s *Session) CardPresence(on bool) {
	s.update(func() {
		if s.cardOn == on {
			return
		}
		s.cardOn = on
		if !on && s.notice == cardLeftNotice {
			s.notice = kiosk.Text{}
		}
		s.armLocked()
	})
}

// SelectItem opens an item's detail screen.
func (s *Session) SelectItem(code kiosk.ItemCode) {
	s.update(func() {
		if s.deps.Catalog == nil {
			return
		}
		it, ok := s.deps.Catalog.Item(code)
		if !ok {
			return
		}
		s.item = &it
		s.goTo(ItemDetail)
		s.gateNotice = kiosk.Text{}
		if s.deps.Gate != nil {
			if ok, why := s.deps.Gate(it); !ok {
				s.notice, s.gateNotice = why, why
				return
			}
		}
		if s.deps.Eligible != nil && s.who.Present() {
			if ok, why := s.deps.Eligible(it, s.who, s.deps.Clock.Now()); !ok {
				s.notice = why
			}
		}
	})
}

// CanApply reports whether the item on screen may be applied for now.
func (s *Session) CanApply() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state == ItemDetail && s.item != nil && s.item.Can(kiosk.ActionApply) && s.notice.ZH == ""
}

// Apply starts the item's form.
func (s *Session) Apply() {
	s.update(func() {
		if s.state != ItemDetail || s.item == nil || s.notice.ZH != "" {
			return
		}
		s.answers = kiosk.Answers{}
		s.prefilled = map[string]bool{}
		if s.deps.Forms != nil {
			for k, v := range s.deps.Forms.Prefill(*s.item, s.who) {
				s.answers[k] = v
				s.prefilled[k] = true
			}
		}
		s.page = 0
		s.errs = nil
		s.consent = false
		s.signature = nil
		if len(s.pagesLocked()) == 0 {
			s.goTo(Review)
			return
		}
		s.goTo(FormPage)
	})
}

func (s *Session) pagesLocked() [][]kiosk.Field {
	if s.deps.Forms == nil || s.item == nil {
		return nil
	}
	return s.deps.Forms.Pages(*s.item, s.who, s.answers)
}

// SetAnswer records one form value as it is typed or chosen.
func (s *Session) SetAnswer(field, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.prefilled[field] {
		return // read from the card: never typed again
	}
	s.answers[field] = value
	delete(s.errs, field)
	if s.countdown == 0 {
		s.armLocked()
	}
}

// Next validates the form page and moves on to the next page or the review.
func (s *Session) Next() {
	s.update(func() {
		if s.state != FormPage {
			return
		}
		pages := s.pagesLocked()
		if s.page >= len(pages) {
			s.goTo(Review)
			return
		}
		if errs := s.deps.Forms.Validate(*s.item, pages[s.page], s.who, s.answers); len(errs) > 0 {
			s.errs = errs
			s.notice = kiosk.Text{ZH: "请按红字提示修改后再继续。", EN: "Please correct the fields marked in red."}
			return
		}
		s.errs = nil
		if s.page+1 < len(pages) {
			s.page++
			s.goTo(FormPage)
			return
		}
		s.goTo(Review)
	})
}

// Back goes one step back: a form page, the item, the list.
func (s *Session) Back() {
	s.update(func() {
		switch s.state {
		case FormPage:
			if s.page > 0 {
				s.page--
				s.goTo(FormPage)
			} else {
				s.goTo(ItemDetail)
			}
		case Review:
			if n := len(s.pagesLocked()); n > 0 {
				s.page = n - 1
				s.goTo(FormPage)
			} else {
				s.goTo(ItemDetail)
			}
		case Sign:
			s.goTo(Review)
		case ItemDetail:
			s.item = nil
			s.goTo(Browse)
		case Appointment:
			s.goTo(ItemDetail)
		case Browse, Identify, Query, Ticket, StaffLogin, StaffMenu:
			s.endLocked()
		}
	})
}

// Edit jumps from the review to the form page holding field.
func (s *Session) Edit(field string) {
	s.update(func() {
		if s.state != Review {
			return
		}
		for i, p := range s.pagesLocked() {
			for _, f := range p {
				if f.ID == field {
					s.page = i
					s.goTo(FormPage)
					return
				}
			}
		}
	})
}

// SetConsent records the consent row on the review screen.
func (s *Session) SetConsent(on bool) {
	s.update(func() { s.consent = on })
}

// Confirm leaves the review for the signature.
func (s *Session) Confirm() {
	s.update(func() {
		if s.state != Review {
			return
		}
		all := s.allFieldsLocked()
		if errs := s.deps.Forms.Validate(*s.item, all, s.who, s.answers); len(errs) > 0 {
			s.errs = errs
			s.notice = kiosk.Text{ZH: "还有信息需要修改，请点“修改”。", EN: "Some answers need correcting: tap Change."}
			return
		}
		if !s.consent {
			s.notice = kiosk.Text{ZH: "请先勾选同意，再继续。", EN: "Please tick the consent box to continue."}
			return
		}
		s.goTo(Sign)
	})
}

func (s *Session) allFieldsLocked() []kiosk.Field {
	var all []kiosk.Field
	for _, p := range s.pagesLocked() {
		all = append(all, p...)
	}
	return all
}

// Signed delivers the signature image and submits the application.
func (s *Session) Signed(png []byte) {
	s.update(func() {
		if s.state != Sign {
			return
		}
		if len(png) == 0 {
			s.notice = kiosk.Text{ZH: "请在白色区域内签名。", EN: "Please sign in the white area."}
			return
		}
		s.signature = append([]byte(nil), png...)
		s.goTo(Submitting)
		s.submitLocked()
	})
}

func (s *Session) submitLocked() {
	now := s.deps.Clock.Now()
	var id, local string
	if s.deps.Intake == nil {
		var err error
		if id, local, err = s.deps.Numbers(now); err != nil {
			s.failSubmitLocked(err)
			return
		}
	}
	sub := kiosk.Submission{
		ID: id, LocalReceipt: local,
		Center: s.deps.Terminal.Center, Terminal: s.deps.Terminal.Code,
		Item: s.item.Code, ItemName: s.item.Name,
		Applicant: s.who, Answers: maps.Clone(s.answers), Signature: s.signature,
		Lang: s.lang, CreatedAt: now, ConsentGiven: s.consent,
	}
	r := kiosk.Receipt{
		CenterName: s.deps.Terminal.CenterName, Terminal: s.deps.Terminal.Code,
		ItemName: s.item.Name, LocalReceipt: local, SubmittedAt: now,
		Applicant: s.who.MaskedName(), IDNumber: s.who.MaskedNumber(),
		Promise: s.item.Promise, AfterDone: s.item.AfterDone, Queued: true, Lang: s.lang,
	}
	for _, m := range s.item.Materials {
		if m.Required && !m.FromLicenceLibrary {
			r.StillToBring = append(r.StillToBring, m.Name)
		}
	}
	if s.deps.ProgressURL != nil && local != "" {
		r.ProgressURL = s.deps.ProgressURL(local)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	gen := s.gen
	go s.submit(ctx, gen, sub, r)
}

// submit commits the submission durably, then asks for the official number,
// then prints. The resident is told "accepted" only after the commit.
func (s *Session) submit(ctx context.Context, gen uint64, sub kiosk.Submission, r kiosk.Receipt) {
	if s.deps.Intake != nil {
		// Bridge until the session machine's driver owns this effect: the
		// intake numbers, stores, audits and sends; the receipt follows.
		acc, err := s.deps.Intake.Accept(ctx, sub)
		if err != nil {
			s.update(func() {
				if gen == s.gen {
					s.failSubmitLocked(err)
				}
			})
			return
		}
		sub.ID, sub.LocalReceipt = acc.ID, acc.LocalReceipt
		r.LocalReceipt, r.Official, r.Queued = acc.LocalReceipt, acc.Official, acc.Queued
		if s.deps.ProgressURL != nil {
			r.ProgressURL = s.deps.ProgressURL(acc.LocalReceipt)
		}
		s.printAndFinish(ctx, gen, sub, r)
		return
	}
	if err := s.deps.Queue.Enqueue(ctx, sub); err != nil {
		s.update(func() {
			if gen == s.gen {
				s.failSubmitLocked(err)
			}
		})
		return
	}
	s.log.Info("submission accepted", "id", sub.ID, "receipt", sub.LocalReceipt, "item", string(sub.Item))
	s.deps.Audit("submission.accepted", sub.ID, sub.LocalReceipt)
	if s.deps.Confirmer != nil {
		cctx, cancel := context.WithTimeout(ctx, s.deps.ConfirmWait)
		if official, err := s.deps.Confirmer.Confirm(cctx, sub.ID); err == nil && official != "" {
			r.Official, r.Queued = official, false
		}
		cancel()
	}
	s.printAndFinish(ctx, gen, sub, r)
}

// printAndFinish prints the receipt of an accepted submission and shows
// the done screen.
func (s *Session) printAndFinish(ctx context.Context, gen uint64, sub kiosk.Submission, r kiosk.Receipt) {
	perr := s.deps.Printer.PrintReceipt(ctx, r)
	if perr == nil {
		s.deps.Audit("receipt.printed", sub.ID, sub.LocalReceipt)
	} else {
		s.log.Warn("receipt not printed", "receipt", sub.LocalReceipt, "kind", int(kiosk.KindOf(perr)))
	}
	s.update(func() {
		if gen != s.gen {
			return
		}
		s.receipt = &r
		s.goTo(Done)
		if perr != nil {
			s.notice = kiosk.Text{
				ZH: "已受理，但回执没有打印出来：" + kiosk.MessageOf(perr).ZH + "请记下回执编号，或到人工窗口补打。",
				EN: "Accepted, but the receipt did not print: " + kiosk.MessageOf(perr).EN + " Please note the receipt number, or ask at the counter for a reprint.",
			}
		}
	})
}

func (s *Session) failSubmitLocked(err error) {
	s.log.Warn("submission refused", "kind", int(kiosk.KindOf(err)))
	s.goTo(Review)
	s.notice = kiosk.MessageOf(err)
}

// Scanned delivers a classified code read by the QR scanner.
func (s *Session) Scanned(c kiosk.ScannedCode) {
	s.update(func() {
		switch {
		case c.Kind == kiosk.ScanProgress && (s.state == Attract || s.state == Browse || s.state == Query):
			s.queryLocked(c.Receipt)
		case c.Kind == kiosk.ScanSuishenma && s.state == Identify:
			s.cancelLocked()
			s.who = kiosk.Identity{Card: kiosk.CardSuishenma, Number: c.Token}
			s.goTo(Browse)
		case c.Kind == kiosk.ScanWebLink:
			s.notice = kiosk.Text{
				ZH: "这是一个网址，本机不打开网页。请用手机扫码查看。",
				EN: "This is a web link; the terminal does not open web pages. Please scan it with your phone.",
			}
		default:
			s.notice = kiosk.Text{
				ZH: "这个二维码在这里用不上。查询进度请扫回执上的二维码；身份核验请在“身份核验”页扫随申码。",
				EN: "This code cannot be used here. To check progress, scan the code on your receipt; to identify, scan your Suishen code on the identify screen.",
			}
		}
	})
}

// ScanFailed tells the resident a code could not be read, in plain words.
func (s *Session) ScanFailed(err error) {
	s.update(func() { s.notice = kiosk.MessageOf(err) })
}

// OpenQuery shows the progress query screen (scan your receipt's QR code).
func (s *Session) OpenQuery() {
	s.update(func() { s.status = nil; s.goTo(Query) })
}

func (s *Session) queryLocked(receipt string) {
	s.goTo(Query)
	s.status = nil
	if s.deps.Status == nil {
		return
	}
	gen := s.gen
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		st, err := s.deps.Status.Status(ctx, receipt)
		s.update(func() {
			if gen != s.gen {
				return
			}
			if err != nil {
				s.notice = kiosk.MessageOf(err)
				return
			}
			s.status = &st
		})
	}()
}

// TakeTicket issues a counter queue number and prints it.
func (s *Session) TakeTicket(service kiosk.Text) {
	s.update(func() {
		if s.deps.Tickets == nil {
			return
		}
		s.goTo(Ticket)
		s.ticket = nil
		gen := s.gen
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			t, err := s.deps.Tickets.Take(ctx, service)
			if err == nil {
				t.Lang = s.View().Lang
				err = s.deps.Printer.PrintTicket(ctx, t)
			}
			s.update(func() {
				if gen != s.gen {
					return
				}
				if err != nil && t.Number == "" {
					s.notice = kiosk.MessageOf(err)
					return
				}
				s.ticket = &t
				if err != nil {
					s.notice = kiosk.MessageOf(err)
				}
			})
		}()
	})
}

// End finishes the session (结束办理, timeout or done): everything personal
// is wiped, language and mode reset, and the attract screen shown.
func (s *Session) End() {
	s.update(s.endLocked)
}

func (s *Session) endLocked() {
	s.cancelLocked()
	switch s.state {
	case Attract:
	case StaffMenu, StaffLogin:
		if s.staffID != "" {
			s.deps.Audit("staff.logout", s.staffID, "")
		}
	default:
		s.log.Info("session ended", "from", s.state.String())
		s.deps.Audit("session.ended", "", s.state.String())
	}
	s.staffID, s.staffTries, s.staffReport = "", 0, nil
	s.slots, s.booked, s.booking = nil, nil, false
	s.who.Wipe()
	for k := range s.answers {
		delete(s.answers, k)
	}
	clear(s.signature)
	s.signature, s.item, s.receipt, s.status, s.ticket = nil, nil, nil, nil, nil
	s.prefilled, s.errs = nil, nil
	s.page, s.consent, s.reading = 0, false, false
	s.lang, s.elderly, s.highContrast = kiosk.LangZH, false, false
	s.goTo(Attract)
	if s.cardOn {
		s.notice = cardLeftNotice
	}
}

var cardLeftNotice = kiosk.Text{ZH: "请取走您的身份证。", EN: "Please take your ID card."}

func (s *Session) viewLocked() View {
	v := View{
		State: s.state, Lang: s.lang, Elderly: s.elderly, HighContrast: s.highContrast,
		Greeting: s.who.MaskedName(), Reading: s.reading,
		Item: s.item, Page: s.page,
		Answers: maps.Clone(s.answers), Prefilled: maps.Clone(s.prefilled),
		FieldErrors: maps.Clone(s.errs), Consent: s.consent, HasSign: len(s.signature) > 0,
		Notice: s.notice, NoticeOK: s.noticeOK,
		Receipt: s.receipt, Status: s.status, Ticket: s.ticket,
		Countdown: s.countdown, CardLeft: s.cardOn,
		StaffReport: s.staffReport,
		Terminal:    s.terminal, TerminalWords: s.terminalWords,
		Slots: s.slots, Booked: s.booked,
	}
	if s.state == FormPage || s.state == Review {
		pages := s.pagesLocked()
		v.Pages = len(pages)
		if s.state == FormPage && s.page < len(pages) {
			v.Fields = pages[s.page]
		}
		for _, p := range pages {
			v.AllFields = append(v.AllFields, p...)
		}
	}
	if s.state == Done && s.cardOn && v.Notice.ZH == "" {
		v.Notice = cardLeftNotice
	}
	return v
}
