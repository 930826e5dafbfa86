package install

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Disk is one whole disk as /sys/block describes it.
type Disk struct {
	Name      string // kernel name: sda, nvme0n1, mmcblk0
	Model     string // device/model, trimmed; "" when the kernel gives none
	Bytes     int64
	Removable bool
	ReadOnly  bool
}

// Path is the disk's device node.
func (d Disk) Path() string { return "/dev/" + d.Name }

// Size is the disk's size for people: "256 GB", "7.8 GB", "512 MB".
func (d Disk) Size() string { return HumanBytes(d.Bytes) }

// HumanBytes writes n in decimal units, as disks are sold.
func HumanBytes(n int64) string {
	switch {
	case n >= 100e9:
		return fmt.Sprintf("%.0f GB", float64(n)/1e9)
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.0f MB", float64(n)/1e6)
	default:
		return fmt.Sprintf("%d kB", (n+999)/1000)
	}
}

// skipped are kernel block devices that are never a terminal's disk.
var skipped = []string{"loop", "ram", "zram", "sr", "fd", "dm-", "md", "nbd", "mtdblock"}

// ListDisks lists the whole disks under sys (a view of /sys) that could
// take the system: not the one named boot (the disk the system runs from;
// "" for none), not read-only, not empty, not a loop, RAM or optical
// device. Disks come sorted by name.
func ListDisks(sys fs.FS, boot string) ([]Disk, error) {
	entries, err := fs.ReadDir(sys, "block")
	if err != nil {
		return nil, fmt.Errorf("cannot list the disks (/sys/block): %w", err)
	}
	var out []Disk
	for _, e := range entries {
		name := e.Name()
		if name == boot || hasAnyPrefix(name, skipped) {
			continue
		}
		d, err := readDisk(sys, name)
		if err != nil {
			return nil, err
		}
		if d.Bytes == 0 || d.ReadOnly {
			continue
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ReadDisk describes one disk by its kernel name, whatever it is.
func ReadDisk(sys fs.FS, name string) (Disk, error) {
	if !fs.ValidPath(name) || strings.Contains(name, "/") {
		return Disk{}, fmt.Errorf("%q is not a disk's name", name)
	}
	return readDisk(sys, name)
}

func readDisk(sys fs.FS, name string) (Disk, error) {
	dir := path.Join("block", name)
	sectors, err := readInt(sys, path.Join(dir, "size"))
	if err != nil {
		return Disk{}, fmt.Errorf("disk %s: cannot read its size: %w", name, err)
	}
	d := Disk{Name: name, Bytes: sectors * 512} // the kernel counts 512-byte sectors whatever the disk's own
	if n, err := readInt(sys, path.Join(dir, "removable")); err == nil {
		d.Removable = n == 1
	}
	if n, err := readInt(sys, path.Join(dir, "ro")); err == nil {
		d.ReadOnly = n == 1
	}
	if b, err := fs.ReadFile(sys, path.Join(dir, "device", "model")); err == nil {
		d.Model = strings.TrimSpace(string(b))
	}
	return d, nil
}

// BootDisk names the whole disk holding the block device majmin ("8:2",
// the root file system's device): the disk itself or the disk one of whose
// partitions it is. It returns "" and no error when no disk holds it (the
// root is on an overlay, a network or a RAM disk).
func BootDisk(sys fs.FS, majmin string) (string, error) {
	entries, err := fs.ReadDir(sys, "block")
	if err != nil {
		return "", fmt.Errorf("cannot list the disks (/sys/block): %w", err)
	}
	for _, e := range entries {
		dir := path.Join("block", e.Name())
		if devOf(sys, dir) == majmin {
			return e.Name(), nil
		}
		parts, err := fs.ReadDir(sys, dir)
		if err != nil {
			continue
		}
		for _, p := range parts {
			pdir := path.Join(dir, p.Name())
			if _, err := fs.Stat(sys, path.Join(pdir, "partition")); err != nil {
				continue
			}
			if devOf(sys, pdir) == majmin {
				return e.Name(), nil
			}
		}
	}
	return "", nil
}

func devOf(sys fs.FS, dir string) string {
	b, err := fs.ReadFile(sys, path.Join(dir, "dev"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func readInt(sys fs.FS, name string) (int64, error) {
	b, err := fs.ReadFile(sys, name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s holds %q, not a number", name, strings.TrimSpace(string(b)))
	}
	if n < 0 {
		return 0, errors.New(name + " is negative")
	}
	return n, nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// ErrConfirmation is a typed confirmation that does not name the disk.
var ErrConfirmation = errors.New("the name typed is not the disk's: nothing was erased")

// Confirm accepts typed only when it is the disk's name exactly (spaces
// around it aside): the technician must read the name off the screen.
func Confirm(d Disk, typed string) error {
	if d.Name == "" || strings.TrimSpace(typed) != d.Name {
		return ErrConfirmation
	}
	return nil
}
