package install

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Machine is this computer as the install sees it: the disks in /sys and
// the device nodes in /dev. cmd/kioskctl and the install screen use it.
type Machine struct {
	Sys fs.FS  // a view of /sys
	Dev string // the folder of device nodes: "/dev" when ""
	// Source is the image to copy: the disk booted from when "" (found
	// from the device holding "/"), or a device or image file's path.
	Source  string
	MkfsDir string // where the data file system is made first: os.TempDir() when ""
	Owner   string // uid:gid owning the data partition's root ("990:990")
	// RequireUSB offers the install only while the system runs from a USB
	// disk: the root service sets it, so that an installed terminal's
	// kiosk cannot have a stick or a second disk erased.
	RequireUSB bool
}

// ErrNotFromUSB is an install asked of a system not running from a USB disk.
var ErrNotFromUSB = errors.New("the system is not running from a USB stick: installing is offered only when booted from one")

// ErrNoSource is a system not booted from a disk (an overlay, a network
// root): there is nothing to copy.
var ErrNoSource = errors.New("cannot tell which disk the system booted from: give the source (the USB stick's device) explicitly")

func (m Machine) dev() string {
	if m.Dev == "" {
		return "/dev"
	}
	return m.Dev
}

// BootDisk names the disk the system runs from; "" when Source is given
// or no disk holds the root.
func (m Machine) BootDisk() (string, error) {
	if m.Source != "" {
		return "", nil
	}
	majmin, err := RootDevice("/")
	if err != nil {
		return "", err
	}
	return BootDisk(m.Sys, majmin)
}

// Disks lists the disks the system may be installed on: all but the one
// it booted from.
func (m Machine) Disks() ([]Disk, error) {
	boot, err := m.BootDisk()
	if err != nil {
		return nil, err
	}
	if err := m.checkUSB(boot); err != nil {
		return nil, err
	}
	return ListDisks(m.Sys, boot)
}

func (m Machine) checkUSB(boot string) error {
	if !m.RequireUSB {
		return nil
	}
	if boot == "" || !OnUSB(m.Sys, boot) {
		return ErrNotFromUSB
	}
	return nil
}

// OnUSB tells whether the disk hangs off a USB bus: its /sys/block link
// goes through a USB device.
func OnUSB(sys fs.FS, name string) bool {
	target, err := fs.ReadLink(sys, path.Join("block", name))
	return err == nil && strings.Contains(target, "/usb")
}

func (m Machine) source() (string, error) {
	if m.Source != "" {
		return m.Source, nil
	}
	boot, err := m.BootDisk()
	if err != nil {
		return "", err
	}
	if boot == "" {
		return "", ErrNoSource
	}
	if err := m.checkUSB(boot); err != nil {
		return "", err
	}
	return filepath.Join(m.dev(), boot), nil
}

// ImageSize reads the source's layout: how many bytes an install writes.
func (m Machine) ImageSize() (int64, error) {
	src, err := m.source()
	if err != nil {
		return 0, err
	}
	f, err := os.Open(src)
	if err != nil {
		return 0, fmt.Errorf("cannot open the USB stick %s: %w", src, err)
	}
	defer f.Close()
	l, err := ReadLayout(f)
	return l.Bytes, err
}

// Install erases disk d and copies the system to it, verified, once typed
// names it; progress may be nil. Nothing is written unless typed is the
// disk's name and the disk can be opened for itself alone.
func (m Machine) Install(ctx context.Context, d Disk, typed string, progress func(Progress)) (Result, error) {
	if err := Confirm(d, typed); err != nil {
		return Result{}, err
	}
	src, err := m.source()
	if err != nil {
		return Result{}, err
	}
	stick, err := os.Open(src)
	if err != nil {
		return Result{}, fmt.Errorf("cannot open the USB stick %s: %w", src, err)
	}
	defer stick.Close()
	l, err := ReadLayout(stick)
	if err != nil {
		return Result{}, err
	}
	target, err := OpenTarget(filepath.Join(m.dev(), d.Name))
	if err != nil {
		return Result{}, err
	}
	res, err := Copy(ctx, Job{Source: stick, Layout: l, Target: target, Format: Mkfs{Dir: m.MkfsDir, Owner: m.Owner}, Progress: progress})
	if cerr := target.Close(); err == nil && cerr != nil {
		return Result{}, fmt.Errorf("closing %s after the copy: %w", d.Path(), cerr)
	}
	return res, err
}
