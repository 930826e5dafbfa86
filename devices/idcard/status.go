package idcard

import (
	"errors"
	"fmt"
)

// Status is the reader's status byte SW3 (reference/devices.md §1.5).
type Status byte

// Reader statuses on the wire.
const (
	StatusOK                Status = 0x90 // success
	StatusNoSuchItem        Status = 0x91 // the card has no such item (e.g. no appended address)
	StatusFindOK            Status = 0x9F // find card: a card is in the field
	StatusHostChecksum      Status = 0x10 // the host's frame had a bad checksum
	StatusHostLength        Status = 0x11 // the host's frame had a bad length
	StatusCommandError      Status = 0x21 // bad command value or sequence
	StatusUnauthorisedOp    Status = 0x23 // operation not allowed now
	StatusUnknownError      Status = 0x24 // the SAM's unknown error
	StatusCardAuthSAMFailed Status = 0x31 // the card failed to authenticate the SAM
	StatusSAMAuthCardFailed Status = 0x32 // the SAM failed to authenticate the card
	StatusVerifyFailed      Status = 0x33 // information verification failed
	StatusFingerprintError  Status = 0x37 // fingerprint verification error
	StatusInfoLength        Status = 0x3F // information length error
	StatusUnknownCardType   Status = 0x40 // unrecognised card type
	StatusReadFailed        Status = 0x41 // reading the card failed
	StatusRandomFailed      Status = 0x47 // getting a random number from the card failed
	StatusSAMSelfTest       Status = 0x60 // SAM self-test failed, cannot take commands
	StatusSAMNotAuthorised  Status = 0x66 // the SAM is not authorised
	StatusNoCard            Status = 0x80 // find card failed: no card
	StatusSelectFailed      Status = 0x81 // select card failed
)

// Sentinel errors that classify what went wrong by what can be done about
// it. A *StatusError, *FrameError or *TextError matches exactly one of them.
var (
	ErrNoCard           = errors.New("idcard: no card on the reader")
	ErrCardMoved        = errors.New("idcard: the card moved or left during reading")
	ErrCardUnreadable   = errors.New("idcard: the card cannot be read")
	ErrNoSuchItem       = errors.New("idcard: the card holds no such item")
	ErrSAMNotAuthorised = errors.New("idcard: the reader's SAM is not authorised")
	ErrSAMFault         = errors.New("idcard: the reader's SAM module is faulty")
	ErrProtocol         = errors.New("idcard: the reader and the host do not understand each other")
	ErrFrame            = errors.New("idcard: damaged frame on the line")
	ErrTimeout          = errors.New("idcard: the reader did not answer in time")
	ErrBadText          = errors.New("idcard: the card's text is not in a known layout")
)

// statusInfo describes one status: its meaning for staff and its class.
type statusInfo struct {
	meaning string
	class   error
}

func (s Status) info() (statusInfo, bool) {
	switch s {
	case StatusOK:
		return statusInfo{"success", nil}, true
	case StatusFindOK:
		return statusInfo{"card found", nil}, true
	case StatusNoSuchItem:
		return statusInfo{"no such item on the card", ErrNoSuchItem}, true
	case StatusHostChecksum:
		return statusInfo{"checksum error in the host's frame", ErrProtocol}, true
	case StatusHostLength:
		return statusInfo{"length error in the host's frame", ErrProtocol}, true
	case StatusCommandError:
		return statusInfo{"command error", ErrProtocol}, true
	case StatusUnauthorisedOp:
		return statusInfo{"operation not allowed now", ErrProtocol}, true
	case StatusUnknownError:
		return statusInfo{"unknown SAM error", ErrSAMFault}, true
	case StatusCardAuthSAMFailed:
		return statusInfo{"the card failed to authenticate the SAM", ErrCardUnreadable}, true
	case StatusSAMAuthCardFailed:
		return statusInfo{"the SAM failed to authenticate the card", ErrCardUnreadable}, true
	case StatusVerifyFailed:
		return statusInfo{"information verification failed", ErrCardUnreadable}, true
	case StatusFingerprintError:
		return statusInfo{"fingerprint verification error", ErrCardUnreadable}, true
	case StatusInfoLength:
		return statusInfo{"information length error", ErrCardUnreadable}, true
	case StatusUnknownCardType:
		return statusInfo{"unrecognised card type", ErrCardUnreadable}, true
	case StatusReadFailed:
		return statusInfo{"reading the card failed", ErrCardMoved}, true
	case StatusRandomFailed:
		return statusInfo{"getting the card's random number failed", ErrCardMoved}, true
	case StatusSAMSelfTest:
		return statusInfo{"SAM self-test failed", ErrSAMFault}, true
	case StatusSAMNotAuthorised:
		return statusInfo{"SAM not authorised", ErrSAMNotAuthorised}, true
	case StatusNoCard:
		return statusInfo{"no card", ErrNoCard}, true
	case StatusSelectFailed:
		return statusInfo{"select card failed", ErrCardMoved}, true
	}
	return statusInfo{"unknown status", ErrProtocol}, false
}

// Known reports whether s is a status the protocol defines.
func (s Status) Known() bool { _, ok := s.info(); return ok }

// String gives the code and its meaning, e.g. "80 (no card)".
func (s Status) String() string {
	in, _ := s.info()
	return fmt.Sprintf("%02X (%s)", byte(s), in.meaning)
}

// StatusError is a reply whose SW3 is not the command's success.
type StatusError struct {
	Cmd      Command
	SW1, SW2 byte
	SW3      Status
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("idcard: %s answered %s [SW1 SW2 %02X %02X]", e.Cmd, e.SW3, e.SW1, e.SW2)
}

// Is matches the sentinel that classifies the status.
func (e *StatusError) Is(target error) bool {
	in, _ := e.SW3.info()
	if in.class == nil { // a success code where it does not belong
		return target == ErrProtocol
	}
	return target == in.class
}
