//go:build !linux

package main

import (
	"errors"
	"os"
)

func openPrinterPort(path string, baud int) (*os.File, error) {
	return nil, errors.New("printing to a serial port is supported on Linux only")
}
