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
	for _, m := range it.Materials {
		if m.Required && !m.FromLicenceLibrary {
			r.StillToBring = append(r.StillToBring, m.Name)
		}
	}
	if progress != nil && sub.LocalReceipt != "" {
		r.ProgressURL = progress(sub.LocalReceipt, sub.ID)
	}
	return r
}
