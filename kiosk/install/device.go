package install

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// ErrInUse is a disk the kernel will not let go: a partition of it is
// mounted, or another program holds it.
var ErrInUse = errors.New("the disk is in use (a partition of it is mounted): nothing was written")

// Device is a block device opened to be written: exclusively (the kernel
// refuses while any of its partitions is mounted), with a second handle
// that reads past the page cache so the verification reads the disk.
type Device struct {
	path   string
	w      *os.File
	direct *os.File
	size   int64
	sector int64  // the disk's logical sector: O_DIRECT reads are aligned to it
	buf    []byte // aligned, reused by ReadAt (one reader at a time)
}

// OpenTarget opens the disk at path (/dev/sda) to be written.
func OpenTarget(path string) (*Device, error) {
	w, err := os.OpenFile(path, os.O_RDWR|os.O_EXCL, 0)
	if err != nil {
		if errors.Is(err, syscall.EBUSY) {
			return nil, fmt.Errorf("%s: %w", path, ErrInUse)
		}
		return nil, fmt.Errorf("cannot open %s to write it: %w", path, err)
	}
	d := &Device{path: path, w: w, sector: 512}
	if d.size, err = w.Seek(0, io.SeekEnd); err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot tell the size of %s: %w", path, err)
	}
	if n, err := unix.IoctlGetInt(int(w.Fd()), unix.BLKSSZGET); err == nil && n >= 512 && n&(n-1) == 0 {
		d.sector = int64(n)
	}
	if d.direct, err = os.OpenFile(path, os.O_RDONLY|syscall.O_DIRECT, 0); err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot open %s to read it back: %w", path, err)
	}
	return d, nil
}

func (d *Device) WriteAt(p []byte, off int64) (int, error) { return d.w.WriteAt(p, off) }
func (d *Device) Sync() error                              { return d.w.Sync() }
func (d *Device) Size() int64                              { return d.size }
func (d *Device) Path() string                             { return d.path }

// ReadAt reads from the disk itself (O_DIRECT), through a buffer aligned
// to the page and the disk's sector, whatever p's alignment. It is not for
// concurrent use.
func (d *Device) ReadAt(p []byte, off int64) (int, error) {
	start := off &^ (d.sector - 1)
	end := (off + int64(len(p)) + d.sector - 1) &^ (d.sector - 1)
	end = min(end, d.size)
	if start >= end {
		return 0, io.EOF
	}
	if int64(len(d.buf)) < end-start {
		d.buf = alignedBuffer(int(end - start))
	}
	buf := d.buf[:end-start]
	n, err := io.ReadFull(io.NewSectionReader(d.direct, start, end-start), buf)
	got := 0
	if int64(n) > off-start {
		got = copy(p, buf[off-start:n])
	}
	if got < len(p) && err == nil {
		err = io.EOF
	}
	if got == len(p) {
		err = nil
	}
	return got, err
}

// alignedBuffer returns n bytes starting on a 4096-byte boundary.
func alignedBuffer(n int) []byte {
	const align = 4096
	b := make([]byte, n+align)
	shift := 0
	if r := int(uintptrOf(b) % align); r != 0 {
		shift = align - r
	}
	return b[shift : shift+n]
}

// Close closes both handles.
func (d *Device) Close() error {
	return errors.Join(d.w.Close(), d.direct.Close())
}

// Mkfs makes the data partition's ext4 file system with mkfs.ext4 in a
// file in Dir, which Copy then writes to the disk and verifies like every
// other block. (mkfs.ext4 on the disk itself would need the exclusive
// handle let go, and its bytes would go unverified.)
type Mkfs struct {
	Dir   string // for the file: os.TempDir() when ""
	Label string // the file system's label; tongban-data when ""
	Owner string // uid:gid of its root folder (the kiosk's user, "990:990"); root when ""
}

// Fresh returns the new file system, open; its file is already removed.
func (m Mkfs) Fresh(ctx context.Context, n int64) (io.ReaderAt, error) {
	label := m.Label
	if label == "" {
		label = DataPartition
	}
	f, err := os.CreateTemp(m.Dir, "tongban-data-*.img")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if err := f.Truncate(n); err != nil {
		f.Close()
		return nil, err
	}
	ext := []string{"lazy_itable_init=0", "lazy_journal_init=0", "nodiscard"}
	if m.Owner != "" {
		ext = append(ext, "root_owner="+m.Owner)
	}
	cmd := exec.CommandContext(ctx, "mkfs.ext4", "-q", "-F", "-L", label, "-E", strings.Join(ext, ","), f.Name())
	if out, err := cmd.CombinedOutput(); err != nil {
		f.Close()
		return nil, fmt.Errorf("mkfs.ext4: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return f, nil
}

// RootDevice is the "major:minor" of the device holding path's file
// system, as /sys/block/*/dev spells it: BootDisk's argument for "/".
func RootDevice(path string) (string, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d:%d", unix.Major(st.Dev), unix.Minor(st.Dev)), nil
}
