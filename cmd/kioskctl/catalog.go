package main

import (
	"context"
	"errors"
	"io"
)

func runCatalog(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("catalog: not built yet")
}
