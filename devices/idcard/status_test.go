package idcard

import (
	"errors"
	"testing"
)

var allStatuses = []Status{
	StatusOK, StatusNoSuchItem, StatusFindOK, StatusHostChecksum, StatusHostLength, StatusCommandError,
	StatusUnauthorisedOp, StatusUnknownError, StatusCardAuthSAMFailed, StatusSAMAuthCardFailed,
	StatusVerifyFailed, StatusFingerprintError, StatusInfoLength, StatusUnknownCardType, StatusReadFailed,
	StatusRandomFailed, StatusSAMSelfTest, StatusSAMNotAuthorised, StatusNoCard, StatusSelectFailed,
}

var sentinels = []error{ErrNoCard, ErrCardMoved, ErrCardUnreadable, ErrNoSuchItem, ErrSAMNotAuthorised,
	ErrSAMFault, ErrProtocol, ErrFrame, ErrTimeout, ErrBadText}

// Every SW3 code of the protocol maps to exactly one class.
func TestStatusErrorClasses(t *testing.T) {
	tests := []struct {
		sw3  Status
		want error
	}{
		{StatusOK, ErrProtocol}, // success where it does not belong (find answering 90)
		{StatusFindOK, ErrProtocol},
		{StatusNoSuchItem, ErrNoSuchItem},
		{StatusHostChecksum, ErrProtocol},
		{StatusHostLength, ErrProtocol},
		{StatusCommandError, ErrProtocol},
		{StatusUnauthorisedOp, ErrProtocol},
		{StatusUnknownError, ErrSAMFault},
		{StatusCardAuthSAMFailed, ErrCardUnreadable},
		{StatusSAMAuthCardFailed, ErrCardUnreadable},
		{StatusVerifyFailed, ErrCardUnreadable},
		{StatusFingerprintError, ErrCardUnreadable},
		{StatusInfoLength, ErrCardUnreadable},
		{StatusUnknownCardType, ErrCardUnreadable},
		{StatusReadFailed, ErrCardMoved},
		{StatusRandomFailed, ErrCardMoved},
		{StatusSAMSelfTest, ErrSAMFault},
		{StatusSAMNotAuthorised, ErrSAMNotAuthorised},
		{StatusNoCard, ErrNoCard},
		{StatusSelectFailed, ErrCardMoved},
		{Status(0x77), ErrProtocol}, // not in the protocol
	}
	if len(tests) != len(allStatuses)+1 {
		t.Fatalf("the table covers %d codes, the protocol has %d", len(tests)-1, len(allStatuses))
	}
	for _, tt := range tests {
		t.Run(tt.sw3.String(), func(t *testing.T) {
			err := error(&StatusError{Cmd: CmdReadBase, SW3: tt.sw3})
			for _, s := range sentinels {
				if got := errors.Is(err, s); got != (s == tt.want) {
					t.Errorf("errors.Is(%v, %v) = %v", err, s, got)
				}
			}
			if tt.sw3 != 0x77 && !tt.sw3.Known() {
				t.Errorf("%v not Known", tt.sw3)
			}
		})
	}
	if Status(0x77).Known() {
		t.Error("77 Known")
	}
}
