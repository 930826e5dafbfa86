package main

import (
	"context"
	"errors"
	"io"
)

func runIDCard(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("idcard: not built yet")
}
