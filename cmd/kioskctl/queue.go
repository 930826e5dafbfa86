package main

import (
	"context"
	"errors"
	"io"
)

func runQueue(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("queue: not built yet")
}
