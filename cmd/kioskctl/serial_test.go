package main

import (
	"strings"
	"testing"
)

func TestOpenPortRefuses(t *testing.T) {
	tests := []struct {
		path string
		baud int
		want string
	}{
		{"/dev/null", 12345, "not a speed"},
		{"/nonexistent/tty", 9600, "no serial port at this path"},
		{"/dev/null", 9600, "not a serial port"},
	}
	for _, tt := range tests {
		_, err := openPort(tt.path, tt.baud)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("openPort(%s, %d) = %v, want it to say %q", tt.path, tt.baud, err, tt.want)
		}
	}
}
