//go:build linux

package sim

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// ServePTY exposes dev on a new pseudo-terminal and returns the path a
// driver opens (e.g. /dev/pts/3). The terminal is raw from the start, so
// every byte passes unchanged in both directions. closeFn simulates
// unplugging the device: the master side closes, the driver's reads and
// writes fail, and dev.Serve returns. The device also goes away when ctx
// ends.
func ServePTY(ctx context.Context, dev Device) (path string, closeFn func() error, err error) {
	return ServePTYAt(ctx, dev, "")
}

// ServePTYAt is ServePTY with a stable path: when link is not empty, a
// symbolic link at link points to the pseudo-terminal and is returned as
// the path, as udev makes /dev/kiosk/printer for a real device. Unplugging
// removes the link; serving again at the same link is a replug that the
// configured path survives, although the pseudo-terminal behind it is new.
func ServePTYAt(ctx context.Context, dev Device, link string) (path string, closeFn func() error, err error) {
	master, slave, err := pty.Open()
	if err != nil {
		return "", nil, fmt.Errorf("opening a pseudo-terminal: %w", err)
	}
	fail := func(err error) (string, func() error, error) {
		master.Close()
		slave.Close()
		return "", nil, err
	}
	if err := makeRaw(int(slave.Fd())); err != nil {
		return fail(fmt.Errorf("setting the pseudo-terminal raw: %w", err))
	}
	// creack/pty hands back a blocking descriptor, on which Close does not
	// interrupt a Read in progress; a non-blocking duplicate joins Go's
	// poller, so closing it unplugs at once.
	fd, err := unix.Dup(int(master.Fd()))
	if err != nil {
		return fail(fmt.Errorf("duplicating the pseudo-terminal: %w", err))
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return fail(fmt.Errorf("setting the pseudo-terminal non-blocking: %w", err))
	}
	master.Close()
	m := os.NewFile(uintptr(fd), "ptmx")

	path = slave.Name()
	if link != "" {
		if err := replaceLink(link, path); err != nil {
			m.Close()
			slave.Close()
			return "", nil, err
		}
		path = link
	}

	serveCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = dev.Serve(serveCtx, m) // it ends when unplugged; nothing to report
	}()

	var once sync.Once
	var closeErr error
	closeFn = func() error {
		once.Do(func() {
			cancel()
			closeErr = errors.Join(m.Close(), slave.Close())
			if link != "" {
				if target, err := os.Readlink(link); err == nil && target == slave.Name() {
					closeErr = errors.Join(closeErr, os.Remove(link))
				}
			}
			<-done
		})
		return closeErr
	}
	go func() {
		select {
		case <-ctx.Done():
			closeFn()
		case <-done:
		}
	}()
	return path, closeFn, nil
}

// replaceLink points link at target, replacing an older link (a stale one
// from an earlier plug) but never a regular file.
func replaceLink(link, target string) error {
	if fi, err := os.Lstat(link); err == nil {
		if fi.Mode()&os.ModeSymlink == 0 {
			return fmt.Errorf("%s exists and is not a symbolic link", link)
		}
		if err := os.Remove(link); err != nil {
			return err
		}
	}
	if err := os.Symlink(target, link); err != nil {
		return fmt.Errorf("linking %s to the pseudo-terminal: %w", link, err)
	}
	return nil
}

// makeRaw sets a terminal to raw mode as cfmakeraw(3) does: no line
// editing, echo, signals, flow control or output processing, 8-bit bytes.
func makeRaw(fd int) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
	return unix.IoctlSetTermios(fd, unix.TCSETS, t)
}
