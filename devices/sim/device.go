package sim

import (
	"context"
	"io"
)

// Device is a simulated peripheral. Serve answers the host on rw until ctx
// ends or rw fails; it returns nil when ctx ended.
type Device interface {
	Serve(ctx context.Context, rw io.ReadWriter) error
}
