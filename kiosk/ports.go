package kiosk

import "context"

// The small interfaces the application needs from the outside world. Each
// is implemented by an adapter package (hardware, outbox, uplink) and faked
// by hand in tests.

// CardReader reads the resident's identity card.
type CardReader interface {
	// ReadCard waits for a card until ctx ends and returns its identity.
	ReadCard(ctx context.Context) (Identity, error)
}

// ReceiptPrinter prints receipts and tickets.
type ReceiptPrinter interface {
	PrintReceipt(ctx context.Context, r Receipt) error
	PrintTicket(ctx context.Context, t Ticket) error
}

// Queue is the durable offline queue of submissions.
type Queue interface {
	// Enqueue returns only once the submission is durable on disk.
	Enqueue(ctx context.Context, s Submission) error
}

// StatusQuery looks up what is known of a submission by its receipt number.
type StatusQuery interface {
	Status(ctx context.Context, receipt string) (SubmissionStatus, error)
}

// KeyedStatusQuery is a StatusQuery that can also present the progress key
// from a receipt's QR code: the back office shows a submission another
// terminal filed only to whoever holds its key.
type KeyedStatusQuery interface {
	StatusWithKey(ctx context.Context, receipt, key string) (SubmissionStatus, error)
}

// SubmissionStatus is what a progress query tells the resident.
type SubmissionStatus struct {
	LocalReceipt    string
	OfficialReceipt string
	Item            Text
	State           SubmissionState
	Progress        Text // plain words from the back office, or what the terminal knows
	// Reason is why staff returned it or what to bring, when they said.
	Reason Text
	// Parts, for a 一件事 bundle, say where each part is: staff work them
	// one by one.
	Parts []PartStatus
}

// PartStatus is where one part of a bundle submission is.
type PartStatus struct {
	Item     Text
	Number   string // the part's receipt number
	Progress Text
	Reason   Text
}
