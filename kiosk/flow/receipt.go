package flow

import "github.com/tongban/tongban/kiosk"

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
		if m.Required && !m.FromLicenceLibrary && (sub.Agent != nil || !cardRead(m, sub.Applicant)) {
			r.StillToBring = append(r.StillToBring, m.Name)
		}
	}
	if progress != nil && sub.LocalReceipt != "" {
		r.ProgressURL = progress(sub.LocalReceipt, sub.ID)
	}
	return r
}

// applicantCard names the catalog's materials that are the applicant's
// own identity document ("居民身份证", not "监护人居民身份证" or "双方身份证原件").
var applicantCard = map[string]bool{"居民身份证": true, "居民身份证或社会保障卡": true}

// cardRead reports whether material m is the identity document the
// applicant's card reader has just read: a receipt never asks for the
// card that was on the reader ("还需提供：居民身份证" after reading it). A
// permit or permanent-residence card read stands for it too; a 随申码
// alone does not.
func cardRead(m kiosk.Material, who kiosk.Identity) bool {
	if !applicantCard[m.Name.ZH] || !who.Present() {
		return false
	}
	switch who.Card {
	case kiosk.CardResident, kiosk.CardPermitHKMOTW, kiosk.CardForeignPR2017, kiosk.CardForeignPR2023:
		return true
	}
	return false
}
