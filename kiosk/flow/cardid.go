package flow

import (
	"context"
	"errors"

	"github.com/tongban/tongban/kiosk"
)

// A card read is an identity the terminal read itself; the back office
// vouches for it only when the reader that read it is one it allow-listed
// for this terminal (issue 19 item 1). The session asks it at the card
// read, in the background: the resident goes on to the items at once and
// never waits on the network for the card screen. Until the back office
// answers, the items' queries and documents (which it answers only for an
// identified resident) are greyed with 正在核对; when it cannot be
// reached, or does not know the reader, they stay greyed with the reason
// for the rest of the visit, and the next card read asks again.
// Applications are not held up by an outage: a card read by an
// allow-listed reader carries its submission on its own (the SAM ID
// travels with it). A reader the back office does not know stops them
// too (before the form is filled, or at the latest before signing): the
// back office would refuse the submission, and 已受理 must be true.

// CardIdentifier has the back office vouch for a card the reader read
// (uplink.Client.IdentifyCard) and returns its identification event. An
// error is a *kiosk.Error whose message says why, in the resident's words.
type CardIdentifier interface {
	IdentifyCard(ctx context.Context, who kiosk.Identity) (string, error)
}

// cardCheck is where the back office's vouching for the visit's card
// stands.
type cardCheck int

const (
	cardUnchecked cardCheck = iota // not asked: a 随申码, or no back office to ask
	cardChecking                   // asked, no answer yet
	cardVerified                   // the back office vouched: who.Verification is its event
	cardRefused                    // it did not, or could not: cardWhy says why
)

// checkCard asks the back office to vouch for the card just read.
func (m *machine) checkCard(e env) {
	who := m.v.who
	if !e.cardIdentifier || who.Card == kiosk.CardSuishenma || who.Verification != "" {
		return
	}
	m.v.card, m.v.cardWhy = cardChecking, kiosk.Text{}
	t := m.tag()
	m.spawn(work{kind: EffectIdentifyCard, run: func(ctx context.Context, p ports) event {
		ev, err := p.cardIdentifier.IdentifyCard(ctx, who)
		if err == nil && ev == "" {
			err = errors.New("the back office gave no identification event")
		}
		return evCardIdentified{t: t, number: who.Number, event: ev, err: err}
	}})
}

// cardIdentified takes the back office's answer for the visit's card. It
// belongs to the visit, whichever screen is up: the item on screen is
// checked again at once, so a query greyed while the answer was awaited
// is offered as soon as it comes.
func (m *machine) cardIdentified(e env, t tag, number, ev string, err error) {
	if !m.inVisit || t.visit != m.visit || m.v.card != cardChecking || m.v.who.Number != number {
		return
	}
	if err != nil {
		m.v.card, m.v.cardWhy = cardRefused, kiosk.Msg("identify.card_unverified")
		m.v.cardBars = kiosk.KindOf(err) == kiosk.KindInvalid // the reader: submissions would be refused too
		var ke *kiosk.Error
		if errors.As(err, &ke) && !ke.Message.IsZero() {
			m.v.cardWhy = ke.Message
		}
		m.emit(logLine{warn: true, msg: "card not identified by the back office", args: []any{"kind", int(kiosk.KindOf(err)), "reason", m.v.cardWhy.ID}})
	} else {
		m.v.card, m.v.who.Verification = cardVerified, ev
		m.emit(logLine{msg: "card identified by the back office"})
	}
	if m.state == ItemDetail && m.v.item != nil {
		before := m.itemNotice()
		m.regate(e)
		if after := m.itemNotice(); after != before && (!after.IsZero() || m.notice == before) {
			m.notice = after
		}
	}
}

// cardWhy is why the back office will not answer about the card's
// resident now (the zero Text when it will, or was never asked).
func (m *machine) cardWhy() kiosk.Text {
	switch m.v.card {
	case cardChecking:
		return kiosk.Msg("identify.card_checking")
	case cardRefused:
		return m.v.cardWhy
	}
	return kiosk.Text{}
}

// applicantWhy is why the visit's identity cannot carry an application
// (the zero Text when it can): identityWhy, or a card the back office
// refused to vouch for because of the reader that read it.
func (m *machine) applicantWhy() kiosk.Text {
	if why := identityWhy(m.v.who); !why.IsZero() {
		return why
	}
	if m.v.card == cardRefused && m.v.cardBars {
		return m.v.cardWhy
	}
	return kiosk.Text{}
}
