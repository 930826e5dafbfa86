package main

import (
	"context"
	"errors"
	"io"
)

func runPorts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("ports: not built yet")
}
