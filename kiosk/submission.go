package kiosk

import (
	"strconv"
	"strings"
	"time"
)

// SubmissionState is where a submission is on its way to the back office.
type SubmissionState string

// Submission states. Nothing is ever dropped silently: a permanent
// rejection goes to quarantine, visible to staff.
const (
	StatePending      SubmissionState = "pending"
	StateSending      SubmissionState = "sending"
	StateAcknowledged SubmissionState = "acknowledged"
	StateQuarantined  SubmissionState = "quarantined"
	StatePurged       SubmissionState = "purged"
)

// Submission is one resident's application, as committed to the queue.
// Applicant, Answers and Signature are personal data.
type Submission struct {
	ID           string    `json:"id"`            // client-generated UUIDv7
	LocalReceipt string    `json:"local_receipt"` // terminal code + date + sequence
	Center       string    `json:"center"`        // center code
	Terminal     string    `json:"terminal"`      // terminal code
	Item         ItemCode  `json:"item"`          // service item
	ItemName     Text      `json:"item_name"`     // as shown to the resident
	Applicant    Identity  `json:"applicant"`     // who applied
	Answers      Answers   `json:"answers"`       // form values
	Signature    []byte    `json:"signature"`     // PNG of the handwritten signature
	Lang         Lang      `json:"lang"`          // language the resident used
	CreatedAt    time.Time `json:"created_at"`    // terminal clock at submit
	ConsentGiven bool      `json:"consent_given"` // the resident ticked the consent row
	// Agent is who applied on the applicant's behalf (代办): the person
	// whose card was read. Nil when the applicants applied themselves.
	Agent *Agent `json:"agent,omitempty"`
	// Parts, for a 一件事 bundle, are the items the one form applies for
	// (Item is then the bundle): the back office stores and works each
	// on its own. Nil for one item.
	Parts []Part `json:"parts,omitempty"`
}

// PartNumber is the number of part no (1, 2, ...) of the submission
// numbered receipt: the receipt number, a dash and the part's number, as
// the back office numbers them under its own receipt number.
func PartNumber(receipt string, no int) string { return receipt + "-" + strconv.Itoa(no) }

// ReceiptPart is one part of a bundle as the receipt lists it.
type ReceiptPart struct {
	Name   Text
	Number string // PartNumber of the receipt's number
}

// Agent is the person who applies for someone else (代办人): their card
// identity and how they are related to the applicant. Personal data.
type Agent struct {
	Identity Identity `json:"identity"`
	Relation string   `json:"relation"` // the applicant is the agent's ...: child, parent, spouse, ward, ...
}

// Sent returns the submission with only the fields it sends to the back
// office: the applicant's and the agent's identities cut to
// Identity.Sent. The offline queue keeps this (issue 19 item 3).
func (s Submission) Sent() Submission {
	s.Applicant = s.Applicant.Sent()
	if s.Agent != nil {
		s.Agent = &Agent{Identity: s.Agent.Identity.Sent(), Relation: s.Agent.Relation}
	}
	return s
}

// Ack is the back office's answer for one submission.
type Ack struct {
	ID              string `json:"id"`
	OfficialReceipt string `json:"official_receipt,omitempty"`
	Duplicate       bool   `json:"duplicate,omitempty"`
	Rejected        bool   `json:"rejected,omitempty"`
	Retryable       bool   `json:"retryable,omitempty"`
	Reason          string `json:"reason,omitempty"`
}

// ReasonRefused begins the quarantine reason of a submission the back
// office refused for its content (a permanent rejection): sending the same
// data again would be refused again, so staff's retry leaves it
// quarantined, with the reason, for the counter to take up.
const ReasonRefused = "refused by the back office: "

// RefusedForContent reports whether a quarantine reason is the back
// office's refusal of the content.
func RefusedForContent(reason string) bool { return strings.HasPrefix(reason, ReasonRefused) }

// Receipt is what the printed acceptance receipt (受理回执) says. It is
// built from domain data; the layout lives with the printer adapter.
type Receipt struct {
	CenterName   string
	Terminal     string
	ItemName     Text
	LocalReceipt string
	Official     string // empty while only queued
	SubmittedAt  time.Time
	Applicant    string // masked name
	IDNumber     string // masked number
	// AgentName and AgentIDNumber (masked) name who applied on the
	// applicant's behalf (代办), or are empty.
	AgentName     string
	AgentIDNumber string
	Promise       TimeLimit
	StillToBring  []Text
	AfterDone     Text
	ProgressURL   string // encoded in the QR code
	Queued        bool   // the back office has not confirmed yet
	Lang          Lang
	// Reprinted is when staff printed this receipt again; the copy says
	// 补打 with the time, so a resident can tell it from the original.
	Reprinted time.Time
	// Unprinted: the receipt did not print, so the done screen does not
	// tell the resident to take it.
	Unprinted bool
	// Parts, for a 一件事 bundle, list each part with its own number.
	Parts []ReceiptPart
}

// Ticket is a counter queue number (取号).
type Ticket struct {
	CenterName string
	Number     string
	Service    Text
	Waiting    int
	IssuedAt   time.Time
	Lang       Lang
}
