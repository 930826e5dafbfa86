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

func runTechnicianHash(_ context.Context, _ []string, stdout, _ io.Writer) error {
	return technicianHash(os.Stdin, stdout)
}

// technicianHash reads technician mode's code from in (never an argument,
// so it stays out of the shell history) and prints its configuration line,
// hashed with the staff code's slow KDF.
func technicianHash(in io.Reader, out io.Writer) error {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	code := strings.TrimSpace(line)
	if len(code) < 8 {
		return errors.New("technician-hash: the technician code must have at least 8 characters (letters, digits, '-')")
	}
	h, err := staffdesk.HashCode(code, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "technician.code_hash = %s\n", h)
	return err
}
