package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/tongban/tongban/kiosk/install"
)

const installUsage = `usage:
  kioskctl install                       list the disks the system can be installed on
  kioskctl install --disk sda            erase sda and copy the system to it, verified
                                         (asks for the disk's name to be typed first)
  kioskctl install --serve               answer one request of the kiosk's install screen on
                                         stdin/stdout (tongban-install@.service, as root)
flags:
  --source PATH   the image to copy: the disk booted from when not given
  --record PATH   where --serve notes a verified install, which allows the screen's
                  reboot request (default /run/tongban-install.verified)
  --sys DIR       where /sys is (tests)
  --dev DIR       where the device nodes are (tests)`

func runInstall(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return installCmd(ctx, args, os.Stdin, stdout, stderr)
}

// installCmd is kioskctl install over its streams: the confirmation is
// read from in.
func installCmd(ctx context.Context, args []string, in io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, installUsage) }
	disk := fs.String("disk", "", "the disk to install on (its name: sda, nvme0n1)")
	source := fs.String("source", "", "the image to copy")
	sys := fs.String("sys", "/sys", "where /sys is")
	dev := fs.String("dev", "/dev", "where the device nodes are")
	serve := fs.Bool("serve", false, "answer one request on stdin and stdout")
	record := fs.String("record", install.RecordPath, "where --serve notes a verified install, which allows its reboot request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m := install.Machine{Sys: os.DirFS(*sys), Dev: *dev, Source: *source, Owner: "990:990"}
	if *serve {
		// The kiosk asks this root service: only a system running from
		// a USB stick offers to erase a disk.
		m.RequireUSB = *source == ""
		svc := install.Service{Installer: m, Record: *record, Reboot: systemReboot}
		return svc.Serve(ctx, in, stdout)
	}
	if *disk == "" {
		disks, err := m.Disks()
		if err != nil {
			return err
		}
		if len(disks) == 0 {
			fmt.Fprintln(stdout, "no disk to install on (the disk booted from is not listed)")
			return nil
		}
		for _, d := range disks {
			fmt.Fprintf(stdout, "%-10s %9s  %s%s\n", d.Name, d.Size(), d.Model, map[bool]string{true: "  (removable)"}[d.Removable])
		}
		if n, err := m.ImageSize(); err == nil {
			fmt.Fprintf(stdout, "the system takes %s\n", install.HumanBytes(n))
		}
		return nil
	}
	d, err := install.ReadDisk(m.Sys, *disk)
	if err != nil {
		return fmt.Errorf("no disk %q: %w", *disk, err)
	}
	if boot, _ := m.BootDisk(); boot == d.Name {
		return fmt.Errorf("%s is the disk the system is running from: choose another", d.Name)
	}
	what := d.Size()
	if d.Model != "" {
		what += " " + d.Model
	}
	fmt.Fprintf(stdout, "This erases everything on %s (%s).\nType its name, %s, to go on: ", d.Name, what, d.Name)
	line, _ := bufio.NewReader(in).ReadString('\n')
	last := install.Stage(-1)
	pct := int64(-1)
	res, err := m.Install(ctx, d, line, func(p install.Progress) {
		if p.Stage != last {
			fmt.Fprintf(stdout, "\n%s", p.Stage)
			last, pct = p.Stage, -1
		}
		if p.Total > 0 && p.Done*10/p.Total != pct {
			pct = p.Done * 10 / p.Total
			fmt.Fprintf(stdout, " %d%%", pct*10)
		}
	})
	fmt.Fprintln(stdout)
	if errors.Is(err, install.ErrConfirmation) {
		return fmt.Errorf("%w (typed %q, the disk is %s)", err, trimLine(line), d.Name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "installed on %s: %s written and read back, sha256 %s\nremove the USB stick, then restart\n",
		d.Name, install.HumanBytes(res.Copied), res.SHA256)
	return nil
}

// systemReboot is systemd's orderly reboot: the data partition is
// unmounted cleanly before the machine restarts.
func systemReboot(ctx context.Context) error {
	out, err := exec.CommandContext(ctx, "systemctl", "reboot").CombinedOutput()
	if err != nil {
		return fmt.Errorf("systemctl reboot: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

func trimLine(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}
