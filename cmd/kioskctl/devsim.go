package main

import (
	"context"
	"errors"
	"io"
)

func runDevsim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("devsim: not built yet")
}
