//go:build !linux

package sim

import (
	"context"
	"errors"
)

// ServePTY is available on Linux only.
func ServePTY(ctx context.Context, dev Device) (string, func() error, error) {
	return ServePTYAt(ctx, dev, "")
}

// ServePTYAt is available on Linux only.
func ServePTYAt(ctx context.Context, dev Device, link string) (string, func() error, error) {
	return "", nil, errors.New("simulated devices on pseudo-terminals need Linux")
}
