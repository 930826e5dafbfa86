package kiosk

import "errors"

// ErrorKind classifies an error by what the resident or staff can do about it.
type ErrorKind int

// Error kinds. Do not reorder: values are recorded in the audit log.
const (
	KindInternal       ErrorKind = iota // a bug or an unexpected condition
	KindInvalid                         // bad input: a form value, a scanned code, a file
	KindNoCard                          // no card on the reader
	KindCardMoved                       // the card moved during reading
	KindCardUnreadable                  // the card could not be read
	KindDevice                          // a device fault
	KindNoPaper                         // the printer has no paper
	KindQueueFull                       // the offline queue is full
	KindNotEligible                     // the resident cannot apply for this item
	KindUnavailable                     // the item or service cannot be served now
	KindTransient                       // try again: a timeout, a network error
)

// Error is an error with a plain-words message for the resident.
// Op names the operation for staff and logs; Message is what the screen
// says, normally a message of the i18n catalogs (Msg) with its arguments.
type Error struct {
	Op      string
	Kind    ErrorKind
	Message Text
	Err     error
}

func (e *Error) Error() string {
	s := e.Op
	switch {
	case e.Message.ID != "":
		s += ": " + e.Message.ID // the ID only: arguments may be the resident's
	case e.Message.ZH != "":
		s += ": " + e.Message.ZH
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the first *Error in err's chain, or KindInternal.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// MessageOf returns the plain-words message of err for the resident. Errors
// the application did not create get a generic sentence with a way forward.
func MessageOf(err error) Text {
	var e *Error
	if errors.As(err, &e) && !e.Message.IsZero() {
		return e.Message
	}
	return Msg("error.generic")
}
