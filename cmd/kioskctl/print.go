package main

import (
	"context"
	"errors"
	"io"
)

func runPrint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("print: not built yet")
}
