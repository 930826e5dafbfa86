package flow

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// machine is the session's model: the screen, the resident's data, and the
// sequence numbers that tag timers, card reads and results. Its methods are
// the transitions: each takes one event, changes the machine and records
// the effects to run in out. None touches a clock, a device, a goroutine
// or a lock, so they are tested as a table (machine_test.go); the Session
// runs the effects.
type machine struct {
	state        State
	lang         kiosk.Lang
	elderly      bool
	highContrast bool
	notice       kiosk.Text
	noticeOK     bool
	reading      bool
	countdown    int
	cardOn       bool

	terminal      kiosk.TerminalState
	terminalWords kiosk.Text

	// Staff logins pause after maxStaffTries wrong codes, for a time that
	// doubles with each pause in a row; a right code ends the run. Kept
	// outside the visit: ending it must not reopen the login.
	staffPauses      int
	staffPausedUntil time.Time

	v visitData // everything personal of the visit under way

	gen      uint64 // bumps on every screen change; results carry it
	timerSeq uint64 // bumps whenever the idle timer is re-armed; stale timers check it
	readSeq  uint64 // bumps whenever a card read starts; stale reads check it
	visit    uint64 // numbers the visits; results carry it
	inVisit  bool   // a visit is under way: its effects' context is open

	out []effect // the effects of the transition under way
}

// visitData is everything a visit holds of the resident (or the staff
// member): who they are, what they chose, typed, signed and got back. It
// lives in one value so that ending the visit wipes it in one place.
type visitData struct {
	who       kiosk.Identity
	agent     bool // 代办: who applies on behalf of the applicant the form names
	item      *kiosk.Item
	answers   kiosk.Answers
	prefilled map[string]bool
	page      int
	editing   bool // on a page opened by 修改: 下一步 returns to the review
	errs      map[string]kiosk.Text
	consent   bool
	signature []byte
	receipt   *kiosk.Receipt
	status    *kiosk.SubmissionStatus
	ticket    *kiosk.Ticket
	choosing  bool      // the ticket screen offers the businesses
	closed    bool      // the counters are closed: the screen says their hours
	opens     time.Time // and when they open next
	rejected  bool      // the back office refused the submission on the done screen

	slots    []kiosk.Slot // the free times the counters can keep
	apptDay  time.Time    // the day chosen (midnight, Shanghai); zero: choosing the day
	apptSlot *kiosk.Slot  // the time chosen, on the confirmation
	booked   *kiosk.Appointment
	booking  bool
	// forBooking: the form and review on screen are the item's booking
	// form, filled before the time is chosen (appointment.go);
	// apptPlace is the place chosen when the times are at several.
	forBooking bool
	apptPlace  string

	gateWhy     kiosk.Text // why the devices cannot serve the item on screen
	eligibleWhy kiosk.Text // why the resident may not apply for it (before any answer)
	reviewWhy   kiosk.Text // why the answers on the review make the resident ineligible

	staffID     string
	staffTries  int
	staffBadge  *kiosk.ScannedCode // scanned on the staff login, waiting for its PIN
	staffReport *StaffReport

	dept     deptState  // the query or document on screen
	queryWhy kiosk.Text // why the item's query cannot be run here now
	docWhy   kiosk.Text // why the item's document cannot be printed here now

	card     cardCheck  // the back office's vouching for the card read (cardid.go)
	cardWhy  kiosk.Text // why it did not vouch
	cardBars bool       // and it would refuse the submission too (the reader)
}

// wipe clears the identity, the answers and the signature in place (the
// same maps and slices may be referenced elsewhere) and leaves an empty
// visit.
func (v *visitData) wipe() {
	v.who.Wipe()
	clear(v.answers)
	clear(v.prefilled)
	clear(v.signature)
	v.dept.wipe()
	*v = visitData{answers: kiosk.Answers{}}
}

// env is what transitions may ask without changing anything: item data,
// form rules, eligibility, the devices' gate, the time, and which
// features this terminal has.
type env struct {
	now            time.Time
	terminal       Terminal
	catalog        Catalog
	forms          Forms
	eligible       Eligibility
	gate           Gate
	staffCheck     func(code string) (string, bool)                // nil: no staff menu
	staffBadge     func(number, secret, pin string) (string, bool) // nil: no staff badges
	progressURL    func(localReceipt, clientID string) string
	reader         bool // a card reader to read from
	tickets        bool
	appoint        bool
	placeBooking   bool                   // the appointments service books at places, with answers (PlaceBooking)
	hours          kiosk.Hours            // the counters' opening hours
	connected      func() kiosk.Connected // the center's connected queries and documents
	departments    bool                   // a back office to ask them of
	a4             bool                   // an A4 printer for documents
	cardIdentifier bool                   // a back office to vouch for card reads
}

// effect is what a transition asks the session to do.
type effect interface{ isEffect() }

// armTimer (re)starts the idle timer: after d, fire comes back tagged seq.
type armTimer struct {
	seq  uint64
	d    time.Duration
	fire timerFire
}

// stopTimer stops the idle timer.
type stopTimer struct{}

// cancelWork cancels the card read or submission in flight.
type cancelWork struct{}

// endVisit cancels every effect of the visit.
type endVisit struct{}

// audit is one record for the append-only audit log.
type audit struct{ kind, ref, detail string }

// logLine is one line for the operator's log; never personal data.
type logLine struct {
	warn bool
	msg  string
	args []any
}

// work is a piece of work of the visit, run by the driver under the
// visit's context with its kind's deadline. run uses the session's ports
// and returns the event that reports its result (nil for none).
type work struct {
	kind        EffectKind
	cancellable bool // the read or submission that cancelWork cancels
	run         func(ctx context.Context, p ports) event
}

func (armTimer) isEffect()   {}
func (stopTimer) isEffect()  {}
func (cancelWork) isEffect() {}
func (endVisit) isEffect()   {}
func (audit) isEffect()      {}
func (logLine) isEffect()    {}
func (work) isEffect()       {}

// timerFire is what a timer does when it fires.
type timerFire int

const (
	fireCountdown timerFire = iota // show the countdown overlay
	fireTick                       // one second of the countdown
	fireEnd                        // end the visit
)

func (m *machine) emit(e ...effect) { m.out = append(m.out, e...) }

func (m *machine) timing() Timing {
	if m.elderly {
		return ElderlyTiming()
	}
	return NormalTiming()
}

// tag names the visit and the screen a result belongs to, starting a
// visit when none is under way.
func (m *machine) tag() tag {
	if !m.inVisit {
		m.visit++
		m.inVisit = true
	}
	return tag{m.visit, m.gen}
}

// current reports whether a result tagged t still belongs on screen.
func (m *machine) current(t tag) bool {
	return m.inVisit && t.visit == m.visit && t.gen == m.gen
}

// spawn asks for a piece of work of the visit under way.
func (m *machine) spawn(w work) {
	m.tag()
	m.emit(w)
}

// goTo changes the screen, clears its messages and re-arms the idle timer.
func (m *machine) goTo(st State) {
	m.state = st
	m.notice, m.noticeOK = kiosk.Text{}, false
	m.reading = false // 正在读取 belongs to the identify screen's read, which a new screen ends
	m.gen++
	m.arm()
}

// arm (re)starts the timer of the screen from the one table (timeouts).
func (m *machine) arm() {
	m.countdown = 0
	m.timerSeq++
	m.emit(stopTimer{})
	t := m.timing()
	switch timeouts[m.state] {
	case idleNone:
	case idleEnd:
		if !m.cardOn { // paused while the card is on the reader: the screen asks for it
			m.emit(armTimer{m.timerSeq, t.Done, fireEnd})
		}
	case idleCountdown:
		if !m.cardOn || m.state == Identify { // paused while the card is on the reader (UX.md rule 6)
			m.emit(armTimer{m.timerSeq, t.Idle, fireCountdown})
		}
	}
}

// timer handles a timer that fired.
func (m *machine) timer(seq uint64, fire timerFire) {
	if seq != m.timerSeq {
		return
	}
	switch fire {
	case fireCountdown:
		m.countdown = int(m.timing().Countdown / time.Second)
		m.emit(armTimer{seq, time.Second, fireTick})
	case fireTick:
		if m.countdown == 0 {
			return
		}
		m.countdown--
		if m.countdown == 0 {
			m.end()
			return
		}
		m.emit(armTimer{seq, time.Second, fireTick})
	case fireEnd:
		m.end()
	}
}

func (m *machine) touch() {
	if m.countdown == 0 {
		m.arm()
	}
}

func (m *machine) start(e env) {
	if m.state != Attract {
		return
	}
	m.emit(logLine{msg: "session started"}, audit{"session.started", "", ""})
	m.goTo(Identify)
	m.startRead(e)
	if m.cardOn {
		// A card left from an earlier visit is never found again by the
		// reader until it is lifted: say so.
		m.notice = liftCardNotice
	}
}

func (m *machine) startRead(e env) {
	if !e.reader {
		return
	}
	m.emit(cancelWork{})
	m.readSeq++
	seq := m.readSeq
	m.spawn(work{kind: EffectReadCard, cancellable: true, run: func(ctx context.Context, p ports) event {
		id, err := p.reader.ReadCard(ctx)
		switch {
		case ctx.Err() != nil:
			id.Wipe()
			return nil
		case err != nil:
			return evCardFailed{seq, err}
		}
		return evCardRead{seq, id}
	}})
}

func (m *machine) cardReading() {
	if m.state == Identify {
		m.reading = true
	}
}

// cardRead delivers the identity of read seq (0: from outside any read).
func (m *machine) cardRead(e env, seq uint64, id kiosk.Identity) {
	m.reading = false
	if m.state != Identify || (seq != 0 && seq != m.readSeq) {
		id.Wipe()
		return
	}
	if id.ExpiredOn(e.now) {
		y, mo, d := id.ValidUntil.Date()
		m.notice = kiosk.Msg("idnumber.expired", "Year", y, "Month", kiosk.Msg(fmt.Sprintf("month.%d", int(mo))), "Day", d)
		id.Wipe()
		m.startRead(e)
		return
	}
	m.v.who = id
	m.cardOn = true
	m.emit(logLine{msg: "resident identified", args: []any{"card", string(id.Card)}})
	m.goTo(Browse)
	m.checkCard(e)
}

// cardFailed reports a failed read, named by its sequence number: the
// screen may have been redrawn since (a notice, 继续办理) and the read is
// still this screen's.
func (m *machine) cardFailed(e env, seq uint64, err error) {
	m.reading = false
	if seq != m.readSeq || m.state != Identify {
		return
	}
	m.notice = kiosk.MessageOf(err)
	m.emit(logLine{msg: "card read failed", args: []any{"kind", int(kiosk.KindOf(err))}})
	m.startRead(e) // let the resident try again at once
	m.arm()        // a card placed is activity: the idle timer starts over
}

func (m *machine) cardPresence(e env, on bool) {
	if m.cardOn == on {
		return
	}
	m.cardOn = on
	if !on && (m.notice == cardLeftNotice || m.notice == liftCardNotice) {
		m.notice = kiosk.Text{}
	}
	m.arm()
	if !on {
		m.cardLiftedFromResult(e)
	}
}

func (m *machine) selectItem(e env, code kiosk.ItemCode) {
	if e.catalog == nil {
		return
	}
	it, ok := e.catalog.Item(code)
	if !ok {
		return
	}
	m.v.item = &it
	m.toItem(e)
}

// toItem shows the item on screen, checked afresh: whether the devices can
// serve it and whether the resident may apply. Every way onto the item
// screen comes through here, so a refusal is never lost on the way back.
func (m *machine) toItem(e env) {
	m.v.forBooking = false
	m.goTo(ItemDetail)
	m.regate(e)
	m.notice = m.itemNotice()
}

// regate checks the item on screen against the devices and the resident's
// eligibility before any answer.
func (m *machine) regate(e env) {
	m.v.gateWhy, m.v.eligibleWhy = kiosk.Text{}, kiosk.Text{}
	m.deptGate(e)
	if m.v.item == nil {
		return
	}
	if e.gate != nil {
		if ok, why := e.gate(*m.v.item); !ok {
			m.v.gateWhy = nonEmpty(why, cannotServeNotice)
		}
	}
	if why := m.applicantWhy(); !why.IsZero() {
		m.v.eligibleWhy = why // the back office would refuse it: never a false 已受理
		return
	}
	if e.eligible != nil && m.v.who.Present() {
		if ok, why := e.eligible(*m.v.item, m.v.who, nil, e.now); !ok {
			m.v.eligibleWhy = nonEmpty(why, notEligibleNotice)
		}
	}
}

// itemWhy is why the item on screen cannot be applied for: the devices
// first (they may come back), then the resident's eligibility.
func (m *machine) itemWhy() kiosk.Text {
	if !m.v.gateWhy.IsZero() {
		return m.v.gateWhy
	}
	return m.v.eligibleWhy
}

func nonEmpty(t, otherwise kiosk.Text) kiosk.Text {
	if t.IsZero() {
		return otherwise
	}
	return t
}

func (m *machine) canApply() bool {
	return m.state == ItemDetail && m.v.item != nil && m.v.item.Can(kiosk.ActionApply) && m.itemWhy().IsZero()
}

// canApplyForOther reports whether the resident may apply for someone
// else (代办) now: the item is offered here, the devices serve it, it may
// be done by an agent and the agent is identified. The resident's own
// eligibility does not count: the applicant's is checked at the review.
func (m *machine) canApplyForOther(e env) bool {
	if m.state != ItemDetail || m.v.item == nil || !m.v.item.Can(kiosk.ActionApply) || !m.v.gateWhy.IsZero() {
		return false
	}
	if !identityWhy(m.v.who).IsZero() || !m.v.who.Present() {
		return false
	}
	af, ok := e.forms.(AgentForms)
	if !ok {
		return false
	}
	_, ok = af.ForAgent(*m.v.item)
	return ok
}

// formItem is the item whose form is filled: in 代办, the agent's form.
func (m *machine) formItem(e env) kiosk.Item {
	if m.v.forBooking {
		return bookingItem(*m.v.item)
	}
	if m.v.agent {
		if af, ok := e.forms.(AgentForms); ok {
			if it, ok := af.ForAgent(*m.v.item); ok {
				return it
			}
		}
	}
	return *m.v.item
}

// selfAgent adds to errs, when fields hold the applicant's ID number and it
// is the agent's own, the message that 代办 is for someone else.
func (m *machine) selfAgent(e env, fields []kiosk.Field, errs map[string]kiosk.Text) map[string]kiosk.Text {
	af, ok := e.forms.(AgentForms)
	if !m.v.agent || !ok {
		return errs
	}
	id := af.PrincipalIDField(*m.v.item)
	for _, f := range fields {
		if f.ID == id && m.applicant(e).Number != "" && m.applicant(e).Number == m.v.who.Number {
			if errs == nil {
				errs = map[string]kiosk.Text{}
			}
			errs[id] = kiosk.Msg("form.err_agent_self")
		}
	}
	return errs
}

// applicant is who the application is for: the resident, or in 代办 the
// person the form names.
func (m *machine) applicant(e env) kiosk.Identity {
	if m.v.agent {
		if af, ok := e.forms.(AgentForms); ok {
			return af.Principal(*m.v.item, m.v.answers)
		}
	}
	return m.v.who
}

func (m *machine) apply(e env) {
	if !m.canApply() {
		return
	}
	m.v.agent = false
	m.startForm(e)
}

// applyForOther starts the form of 代办.
func (m *machine) applyForOther(e env) {
	if !m.canApplyForOther(e) {
		return
	}
	m.v.agent = true
	m.startForm(e)
}

func (m *machine) startForm(e env) {
	m.v.answers = kiosk.Answers{}
	m.v.prefilled = map[string]bool{}
	if e.forms != nil {
		for k, v := range e.forms.Prefill(m.formItem(e), m.applicant(e)) {
			m.v.answers[k] = v
			m.v.prefilled[k] = true
		}
	}
	m.v.page = 0
	m.v.editing = false
	m.v.errs = nil
	m.v.consent = false
	m.v.signature = nil
	if len(m.pages(e)) == 0 {
		m.toReview(e)
		return
	}
	m.goTo(FormPage)
}

func (m *machine) pages(e env) [][]kiosk.Field {
	if e.forms == nil || m.v.item == nil {
		return nil
	}
	return e.forms.Pages(m.formItem(e), m.applicant(e), m.v.answers)
}

func (m *machine) setAnswer(field, value string) {
	if m.state != FormPage || m.v.prefilled[field] {
		return // only on a form page; read from the card: never typed again
	}
	m.v.answers[field] = value
	delete(m.v.errs, field)
	if m.countdown == 0 {
		m.arm()
	}
}

func (m *machine) next(e env) {
	if m.state != FormPage {
		return
	}
	pages := m.pages(e)
	if m.v.page >= len(pages) {
		m.toReview(e)
		return
	}
	if errs := m.selfAgent(e, pages[m.v.page], e.forms.Validate(m.formItem(e), pages[m.v.page], m.applicant(e), m.v.answers)); len(errs) > 0 {
		m.v.errs = errs
		m.notice = kiosk.Msg("form.fix_red")
		return
	}
	m.v.errs = nil
	if m.v.editing {
		// Back to the review at once, unless the change opened a later
		// page that still needs answers: that page, then the review.
		for i := m.v.page + 1; i < len(pages); i++ {
			if len(e.forms.Validate(m.formItem(e), pages[i], m.applicant(e), m.v.answers)) > 0 {
				m.v.page = i
				m.goTo(FormPage)
				return
			}
		}
		m.toReview(e)
		return
	}
	if m.v.page+1 < len(pages) {
		m.v.page++
		m.goTo(FormPage)
		return
	}
	m.toReview(e)
}

func (m *machine) back(e env) {
	switch m.state {
	case FormPage:
		if m.v.page > 0 {
			m.v.page--
			m.goTo(FormPage)
		} else {
			m.toItem(e)
		}
	case Review:
		if n := len(m.pages(e)); n > 0 {
			m.v.page = n - 1
			m.goTo(FormPage)
		} else {
			m.toItem(e)
		}
	case Sign:
		m.toReview(e)
	case ItemDetail:
		m.v.item = nil
		m.goTo(Browse)
	case Appointment:
		m.appointmentBack(e)
	case Result, Document:
		m.deptBack(e)
	case Browse, Identify, Query, Ticket, StaffLogin, StaffMenu:
		m.end()
	}
}

func (m *machine) edit(e env, field string) {
	if m.state != Review {
		return
	}
	for i, p := range m.pages(e) {
		for _, f := range p {
			if f.ID == field {
				m.v.page = i
				m.v.editing = true
				m.goTo(FormPage)
				return
			}
		}
	}
}

func (m *machine) confirm(e env) {
	if m.state != Review {
		return
	}
	if why := m.applicantWhy(); !why.IsZero() {
		m.notice = why // refused before signing
		return
	}
	if !m.v.reviewWhy.IsZero() {
		m.notice = m.v.reviewWhy // the answers make the resident ineligible
		return
	}
	if errs := m.selfAgent(e, m.allFields(e), e.forms.Validate(m.formItem(e), m.allFields(e), m.applicant(e), m.v.answers)); len(errs) > 0 {
		m.v.errs = errs
		m.notice = kiosk.Msg("review.needs_change")
		return
	}
	if !m.v.consent {
		m.notice = kiosk.Msg("review.consent_needed")
		return
	}
	if m.v.forBooking {
		m.toSlots(e) // a booking is not signed: its times come next
		return
	}
	m.goTo(Sign)
}

// toReview shows the review, with eligibility checked again against the
// answers: rules that read them (income per head, ages in the form) can
// refuse only now. A refusal stays on the review in plain words and
// blocks going on to sign.
func (m *machine) toReview(e env) {
	m.v.editing = false
	m.goTo(Review)
	m.v.reviewWhy = kiosk.Text{}
	if e.eligible != nil && m.v.item != nil {
		if ok, why := e.eligible(m.formItem(e), m.applicant(e), m.v.answers, e.now); !ok {
			m.v.reviewWhy = nonEmpty(why, notEligibleNotice)
			m.notice = m.v.reviewWhy
		}
	}
}

func (m *machine) allFields(e env) []kiosk.Field {
	var all []kiosk.Field
	for _, p := range m.pages(e) {
		all = append(all, p...)
	}
	return all
}

func (m *machine) signed(e env, png []byte) {
	if m.state != Sign || !m.v.reviewWhy.IsZero() {
		return
	}
	if why := identityWhy(m.v.who); !why.IsZero() {
		m.notice = why
		return
	}
	if len(png) == 0 {
		m.notice = kiosk.Msg("sign.empty")
		return
	}
	m.v.signature = append([]byte(nil), png...)
	m.goTo(Submitting)
	m.submit(e)
}

// submit asks for the submission to be accepted, then its receipt printed.
func (m *machine) submit(e env) {
	sub := kiosk.Submission{
		Center: e.terminal.Center, Terminal: e.terminal.Code,
		Item: m.v.item.Code, ItemName: m.v.item.Name,
		Applicant: m.applicant(e), Answers: maps.Clone(m.v.answers), Signature: m.v.signature,
		Lang: m.lang, CreatedAt: e.now, ConsentGiven: m.v.consent,
	}
	if m.v.agent {
		// 代办: the card read is the agent's; both are recorded.
		sub.Agent = &kiosk.Agent{Identity: m.v.who, Relation: m.v.answers[AgentRelationField]}
	}
	// 一件事: one submission, a part per item the form applied for.
	sub.Parts = slices.Clone(m.v.item.Parts)
	r := ReceiptOf(e.terminal, *m.v.item, sub, nil)
	t, progress := m.tag(), e.progressURL
	m.spawn(work{kind: EffectSubmit, cancellable: true, run: func(ctx context.Context, p ports) event {
		return p.submit(ctx, t, sub, r, progress)
	}})
}

func (m *machine) submitted(t tag, r kiosk.Receipt, perr error) {
	if !m.current(t) {
		return
	}
	r.Unprinted = perr != nil
	m.v.receipt = &r
	m.goTo(Done)
	if perr != nil {
		// The printer's own words already say the application is accepted
		// and where to get the receipt; said once, not wrapped in more.
		m.notice = kiosk.Msg("done.receipt_not_printed")
		var ke *kiosk.Error
		if errors.As(perr, &ke) && !ke.Message.IsZero() {
			m.notice = ke.Message
		}
	}
}

func (m *machine) submitFailed(e env, t tag, err error) {
	if !m.current(t) {
		return
	}
	m.emit(logLine{warn: true, msg: "submission refused", args: []any{"kind", int(kiosk.KindOf(err))}})
	m.toReview(e)
	m.notice = kiosk.MessageOf(err)
}

func (m *machine) scanned(e env, c kiosk.ScannedCode) {
	switch {
	case c.Kind == kiosk.ScanStaffBadge && m.state == StaffLogin && e.staffBadge != nil:
		m.staffBadgeScanned(c)
	case c.Kind == kiosk.ScanProgress && (m.state == Attract || m.state == Browse || m.state == Query):
		m.queryKeyed(c.Receipt, c.ProgressKey)
	case c.Kind == kiosk.ScanSuishenma && m.state == Identify:
		m.identify(c.Token)
	case c.Kind == kiosk.ScanWebLink:
		m.notice = kiosk.Msg("scan.web_link")
	default:
		m.notice = kiosk.Msg("scan.not_here")
	}
}

// identify has the back office verify a scanned 随申码: the code itself
// is never an identity, only what the back office answers for it.
func (m *machine) identify(code string) {
	t := m.tag()
	m.spawn(work{kind: EffectIdentify, run: func(ctx context.Context, p ports) event {
		if p.identifier == nil {
			return evIdentified{t: t, err: errSuishenmaUnavailable}
		}
		who, err := p.identifier.Identify(ctx, code)
		return evIdentified{t, who, err}
	}})
}

// errSuishenmaUnavailable is a 随申码 the back office could not verify.
var errSuishenmaUnavailable = &kiosk.Error{Op: "identify", Kind: kiosk.KindUnavailable, Message: kiosk.Msg("identify.suishenma_unavailable")}

func (m *machine) identified(t tag, who kiosk.Identity, err error) {
	if !m.current(t) || m.state != Identify {
		return
	}
	if err == nil && (who.Verification == "" || who.Number == "" || strings.TrimSpace(who.Name) == "") {
		err = errSuishenmaUnavailable
	}
	if err != nil {
		m.emit(logLine{warn: true, msg: "suishenma refused", args: []any{"kind", int(kiosk.KindOf(err))}})
		// The back office's own words (expired, used already) when it gave
		// them; otherwise it could not be reached: the card or the counter.
		var ke *kiosk.Error
		if m.notice = kiosk.Msg("identify.suishenma_unavailable"); errors.As(err, &ke) && !ke.Message.IsZero() {
			m.notice = ke.Message
		}
		return
	}
	m.emit(cancelWork{})
	m.v.who = who
	m.goTo(Browse)
}

// queryKeyed asks where a submission is, with the progress key from its
// receipt's QR code when there is one: the back office shows another
// terminal's submission only to whoever holds the key.
func (m *machine) queryKeyed(receipt, key string) {
	m.goTo(Query)
	m.v.status = nil
	t := m.tag()
	m.spawn(work{kind: EffectQuery, run: func(ctx context.Context, p ports) event {
		if p.status == nil {
			return nil
		}
		if kq, ok := p.status.(kiosk.KeyedStatusQuery); ok && key != "" {
			st, err := kq.StatusWithKey(ctx, receipt, key)
			return evQueried{t, st, err}
		}
		st, err := p.status.Status(ctx, receipt)
		return evQueried{t, st, err}
	}})
}

func (m *machine) queried(t tag, st kiosk.SubmissionStatus, err error) {
	if !m.current(t) {
		return
	}
	if err != nil {
		m.notice = kiosk.MessageOf(err)
		return
	}
	m.v.status = &st
}

func (m *machine) takeTicket(e env, service kiosk.Text) {
	// From the business chosen on the ticket screen, or for the item on
	// screen (the item is the business); never before a choice.
	if !e.tickets || m.v.ticket != nil || !(m.state == Ticket && m.v.choosing || m.state == ItemDetail) {
		return
	}
	m.goTo(Ticket)
	m.v.ticket, m.v.choosing = nil, false
	if m.v.closed, m.v.opens = closedUntil(e.hours, e.now); m.v.closed {
		return // the hours and the next opening instead of a ticket
	}
	t, lang := m.tag(), m.lang
	m.spawn(work{kind: EffectTicket, run: func(ctx context.Context, p ports) event {
		tk, err := p.tickets.Take(ctx, service)
		if err == nil {
			tk.Lang = lang
			err = p.printer.PrintTicket(ctx, tk)
		}
		return evTicket{t, tk, err}
	}})
}

func (m *machine) ticketTaken(t tag, tk kiosk.Ticket, err error) {
	if !m.current(t) {
		return
	}
	if err != nil && tk.Number == "" {
		m.notice = kiosk.MessageOf(err)
		return
	}
	m.v.ticket = &tk
	if err != nil {
		m.notice = kiosk.MessageOf(err)
	}
}

// end finishes the visit (结束办理, timeout or done): everything personal
// is wiped, language and mode reset, and the attract screen shown.
func (m *machine) end() {
	m.emit(cancelWork{}, endVisit{})
	m.inVisit = false
	switch m.state {
	case Attract:
	case StaffMenu, StaffLogin:
		if m.v.staffID != "" {
			m.emit(audit{"staff.logout", m.v.staffID, ""})
		}
	default:
		m.emit(logLine{msg: "session ended", args: []any{"from", m.state.String()}}, audit{"session.ended", "", m.state.String()})
	}
	m.v.wipe()
	m.lang, m.elderly, m.highContrast = kiosk.LangZH, false, false
	m.goTo(Attract)
	if m.cardOn {
		m.notice = cardLeftNotice
	}
}

var (
	cardLeftNotice    = kiosk.Msg("identify.take_card")
	liftCardNotice    = kiosk.Msg("identify.lift_card")
	notEligibleNotice = kiosk.Msg("item.not_eligible_counter")
	cannotServeNotice = kiosk.Msg("item.cannot_serve")
)

func (m *machine) devicesChanged(e env, state kiosk.TerminalState, words kiosk.Text) {
	m.terminal, m.terminalWords = state, words
	if m.state == ItemDetail && m.v.item != nil {
		// Checked afresh, devices and eligibility both: a device that
		// comes back never clears a refusal of the resident.
		before := m.itemNotice()
		m.regate(e)
		// A new reason always shows; the old one gives way to nothing
		// only when it is what the screen says.
		if after := m.itemNotice(); after != before && (!after.IsZero() || m.notice == before) {
			m.notice = after
		}
	}
}

func (m *machine) view(e env) View {
	v := View{
		State: m.state, Lang: m.lang, Elderly: m.elderly, HighContrast: m.highContrast,
		Greeting: greeting(m.v.who, m.lang), Card: m.v.who.Card, Reading: m.reading,
		Item: m.v.item, Page: m.v.page,
		Answers: maps.Clone(m.v.answers), Prefilled: maps.Clone(m.v.prefilled),
		FieldErrors: maps.Clone(m.v.errs), Consent: m.v.consent, HasSign: len(m.v.signature) > 0,
		Notice: m.notice, NoticeOK: m.noticeOK,
		Receipt: m.v.receipt, Status: m.v.status, Ticket: m.v.ticket,
		Countdown: m.countdown, CardLeft: m.cardOn,
		StaffReport: m.v.staffReport, StaffBadges: e.staffBadge != nil, StaffBadgeRead: m.v.staffBadge != nil,
		Terminal: m.terminal, TerminalWords: m.terminalWords,
		Slots: m.v.slots, Booked: m.v.booked, Rejected: m.v.rejected,
		AppointmentDay: m.v.apptDay, ChosenSlot: m.v.apptSlot, Booking: m.v.booking, Place: e.terminal.CenterName,
	}
	m.bookingView(&v)
	if m.state == Ticket && m.v.closed {
		v.TicketsClosed, v.Hours, v.OpensNext = true, e.hours, m.v.opens
	}
	if m.state == Ticket && m.v.choosing && !m.v.closed {
		for _, b := range CounterBusinesses() {
			v.Businesses = append(v.Businesses, b.Name)
		}
	}
	if m.state == FormPage || m.state == Review {
		pages := m.pages(e)
		v.Pages = len(pages)
		if m.state == FormPage && m.v.page < len(pages) {
			v.Fields = pages[m.v.page]
		}
		for _, p := range pages {
			v.AllFields = append(v.AllFields, p...)
		}
	}
	if m.state == ItemDetail {
		v.AgentOK = m.canApplyForOther(e)
	}
	v.Agent = m.v.agent && (m.state == FormPage || m.state == Review || m.state == Sign)
	m.deptView(&v)
	if m.state == Done && m.cardOn && v.Notice.IsZero() {
		v.Notice = cardLeftNotice
	}
	return v
}
