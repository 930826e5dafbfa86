package main

import (
	"context"
	"errors"
	"io"
)

func runEnrol(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("enrol: not built yet")
}
