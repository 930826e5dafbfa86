package backoffice

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/tongban/tongban/backoffice/store"
)

// An appointment number is read out at the counter and typed by staff, so
// it is short and has no symbols people confuse: six symbols from the
// digits and capital letters without 0, O, 1 and I. It is random rather
// than a sequence per center and day (A023): a number alone finds the
// appointment (GET and DELETE /v1/appointments/{number}), so it must be
// unique across centers and days and not guessable from a neighbour's.
// The first symbol is always a letter: numbers that begin with a digit are
// left to a terminal that must number something itself, so the two can
// never collide. 24 × 32⁵ ≈ 8 × 10⁸ numbers; a collision is retried.
const appointmentAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// appointmentNumberLen is the length of an appointment number.
const appointmentNumberLen = 6

// newAppointmentNumber draws an appointment number from r (crypto/rand).
func newAppointmentNumber(r io.Reader) (string, error) {
	out := make([]byte, 0, appointmentNumberLen)
	var b [1]byte
	for len(out) < appointmentNumberLen {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return "", fmt.Errorf("appointment number: %w", err)
		}
		v := int(b[0] & 31) // 32 symbols: five bits, no bias
		if len(out) == 0 && v < 8 {
			continue // the first symbol is a letter: draw again
		}
		out = append(out, appointmentAlphabet[v])
	}
	return string(out), nil
}

// validAppointmentNumber reports whether s is shaped as a back-office
// appointment number.
func validAppointmentNumber(s string) bool {
	if len(s) != appointmentNumberLen {
		return false
	}
	for i := range len(s) {
		j := indexByte(appointmentAlphabet, s[i])
		if j < 0 || (i == 0 && j < 8) {
			return false
		}
	}
	return true
}

func indexByte(s string, c byte) int {
	for i := range len(s) {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// maxNumberTries bounds the draws for an unused appointment number.
const maxNumberTries = 8

// bookNumbered books a with a fresh appointment number, drawing again when
// the number is already taken.
func (s *Server) bookNumbered(ctx context.Context, r io.Reader, a store.Appointment) (store.Appointment, error) {
	for range maxNumberTries {
		id, err := newAppointmentNumber(r)
		if err != nil {
			return store.Appointment{}, err
		}
		if _, err := s.st.Appointment(ctx, id); !errors.Is(err, store.ErrNotFound) {
			if err != nil {
				return store.Appointment{}, err
			}
			continue // taken
		}
		a.ID = id
		return s.st.Book(ctx, a)
	}
	return store.Appointment{}, fmt.Errorf("no unused appointment number after %d draws", maxNumberTries)
}
