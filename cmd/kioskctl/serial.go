package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/tongban/tongban/devices/serialport"
)

// serialSpeeds are the line speeds the terminal's devices offer.
var serialSpeeds = []int{115200, 57600, 38400, 19200, 9600}

// openPort opens a serial port (real, or a simulator's pseudo-terminal) raw
// at baud, 8N1, through devices/serialport; the drivers read it with
// deadlines.
func openPort(path string, baud int) (*serialport.Conn, error) {
	if !validSpeed(baud) {
		return nil, fmt.Errorf("serial speed %d is not a speed the devices offer (%s)", baud, speedList())
	}
	rw, err := serialport.Open(path, serialport.Mode{Baud: baud})
	if err != nil {
		switch {
		case errors.Is(err, serialport.ErrNotFound), errors.Is(err, serialport.ErrBusy),
			errors.Is(err, serialport.ErrPermission), errors.Is(err, os.ErrClosed):
			return nil, err
		}
		return nil, fmt.Errorf("%s is not a serial port that could be set to %d 8N1: %w", path, baud, err)
	}
	return rw, nil
}

func validSpeed(baud int) bool {
	for _, s := range serialSpeeds {
		if s == baud {
			return true
		}
	}
	return false
}

func speedList() string {
	s := ""
	for i, b := range serialSpeeds {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(b)
	}
	return s
}
