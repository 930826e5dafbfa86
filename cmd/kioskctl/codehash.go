package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tongban/tongban/kiosk/staffdesk"
)

// A codeHash is a configuration line holding the slow hash of a code
// typed at the kiosk: the staff code, technician mode's code.
type codeHash struct {
	command string // the kioskctl command, for its errors
	key     string // the configuration key the line sets
	who     string // whose code, for its errors
	min     int    // the shortest code accepted
}

var (
	staffCode      = codeHash{"staff-hash", "staff.code_hash", "the staff code", 6}
	technicianCode = codeHash{"tech-hash", "technician.code_hash", "the technician code", 8}
)

func runStaffHash(_ context.Context, _ []string, stdout, _ io.Writer) error {
	return staffCode.print(os.Stdin, stdout)
}

func runTechnicianHash(_ context.Context, _ []string, stdout, _ io.Writer) error {
	return technicianCode.print(os.Stdin, stdout)
}

// print reads the code from in (one line, never an argument, so it stays
// out of the shell history) and prints its configuration line, hashed
// with the staff code's slow KDF (PBKDF2-SM3).
func (c codeHash) print(in io.Reader, out io.Writer) error {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	code := strings.TrimSpace(line)
	if len(code) < c.min {
		return fmt.Errorf("%s: %s must have at least %d characters", c.command, c.who, c.min)
	}
	h, err := staffdesk.HashCode(code, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s = %s\n", c.key, h)
	return err
}
