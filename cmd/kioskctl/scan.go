package main

import (
	"context"
	"errors"
	"io"
)

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("scan: not built yet")
}
