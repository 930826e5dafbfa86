package flow

import (
	"strings"

	"github.com/tongban/tongban/kiosk"
)

// ReceiptOf is the acceptance receipt of submission sub for item it, as
// queued (no official number yet): what the done screen prints, and what
// staff reprint after a restart. progress makes the QR code's link from
// the local receipt number and the client ID (its progress key); nil, or a submission not yet numbered: none.
func ReceiptOf(term Terminal, it kiosk.Item, sub kiosk.Submission, progress func(receipt, clientID string) string) kiosk.Receipt {
	r := kiosk.Receipt{
		CenterName: term.CenterName, Terminal: term.Code,
		ItemName: sub.ItemName, LocalReceipt: sub.LocalReceipt, SubmittedAt: sub.CreatedAt,
		Applicant: sub.Applicant.MaskedName(), IDNumber: sub.Applicant.MaskedNumber(),
		Promise: it.Promise, AfterDone: it.AfterDone, Queued: true, Lang: sub.Lang,
	}
	if sub.Agent != nil {
		// 代办: the agent's card was read; the applicant's was typed, so
		// their card is still to bring.
		r.AgentName, r.AgentIDNumber = sub.Agent.Identity.MaskedName(), sub.Agent.Identity.MaskedNumber()
	}
	for _, m := range it.Materials {
		if stillToBring(m, sub) {
			r.StillToBring = append(r.StillToBring, m.Name)
		}
	}
	for _, p := range sub.Parts {
		r.Parts = append(r.Parts, kiosk.ReceiptPart{Name: p.Name})
	}
	numberParts(&r)
	if progress != nil && sub.LocalReceipt != "" {
		r.ProgressURL = progress(sub.LocalReceipt, sub.ID)
	}
	return r
}

// stillToBring reports whether the receipt asks the resident to bring
// material m for submission sub: a required paper the e-licence library
// does not supply (证照免交), that was not filled in or signed on the
// terminal or is not signed at the place of service, and that is not the card just read, whether the applicant's
// own or, for 代办, the agent's.
func stillToBring(m kiosk.Material, sub kiosk.Submission) bool {
	if !m.Required || m.FromLicenceLibrary || m.AtTerminal || m.AtPlace {
		return false
	}
	switch cardOf(m) {
	case ownCard:
		// 代办: the agent's card was read; the applicant's was typed.
		return sub.Agent != nil || !cardRead(sub.Applicant)
	case agentCard:
		// Only 代办 needs the agent's card, and only when it was not read.
		return sub.Agent != nil && !cardRead(sub.Agent.Identity)
	}
	return true
}

// whose is whose identity document a material is, if any.
type whose int

const (
	notACard  whose = iota
	ownCard         // the applicant's own
	agentCard       // the agent's (代办人)
)

// cardOf says whether material m is the applicant's own identity document
// ("居民身份证", "本人身份证原件", not "监护人居民身份证" or "双方身份证原件")
// or the agent's ("代办人居民身份证").
func cardOf(m kiosk.Material) whose {
	name := strings.TrimSuffix(strings.TrimSpace(m.Name.ZH), "原件")
	switch name {
	case "居民身份证", "身份证", "本人身份证", "本人居民身份证", "申请人身份证", "申请人居民身份证", "居民身份证或社会保障卡":
		return ownCard
	case "代办人居民身份证", "代办人身份证":
		return agentCard
	}
	return notACard
}

// cardRead reports whether who was identified by a card on the reader: a
// receipt never asks for the card that was on the reader ("还需携带：居民身份证"
// after reading it). A permit or permanent-residence card read stands for
// it too; a 随申码 alone does not.
func cardRead(who kiosk.Identity) bool {
	if !who.Present() {
		return false
	}
	switch who.Card {
	case kiosk.CardResident, kiosk.CardPermitHKMOTW, kiosk.CardForeignPR2017, kiosk.CardForeignPR2023:
		return true
	}
	return false
}

// numberParts numbers a bundle receipt's parts under the back office's
// receipt number when it is known (the numbers staff and the progress
// page show), else under the local one, which stays valid for asking.
func numberParts(r *kiosk.Receipt) {
	base := r.Official
	if base == "" {
		base = r.LocalReceipt
	}
	for i := range r.Parts {
		r.Parts[i].Number = ""
		if base != "" {
			r.Parts[i].Number = kiosk.PartNumber(base, i+1)
		}
	}
}
