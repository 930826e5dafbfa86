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

func runStaffHash(_ context.Context, _ []string, stdout, _ io.Writer) error {
	return staffHash(os.Stdin, stdout)
}

// staffHash reads the staff code from in (one line, never an argument, so
// it stays out of the shell history) and prints the configuration line.
func staffHash(in io.Reader, out io.Writer) error {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	code := strings.TrimSpace(line)
	if len(code) < 6 {
		return errors.New("staff-hash: the staff code must have at least 6 characters")
	}
	h, err := staffdesk.HashCode(code, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "staff.code_hash = %s\n", h)
	return err
}
