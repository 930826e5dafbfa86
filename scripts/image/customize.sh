#!/bin/bash
# Finishes the image's root file system (called by build.sh from mmdebstrap
# with the root's path): what runs, what is masked, where configuration lives.
set -euo pipefail
root=$1
run_in() { chroot "$root" "$@"; }

# Configuration lives on the data partition: the root is read-only, and the
# first-boot set-up writes it there.
install -d -m 0755 "$root/usr/share/tongban"
mv "$root/etc/tongban/kiosk.conf" "$root/usr/share/tongban/kiosk.conf.example"
ln -s /var/lib/tongban/kiosk.conf "$root/etc/tongban/kiosk.conf"
install -d -m 0700 "$root/var/lib/tongban" "$root/var/lib/tongban-prov"
install -d -m 0755 "$root/boot/efi" "$root/var/lib/xkb"

# What runs: the display, the kiosk, the network and the clock.
run_in systemctl enable tongban-x.service tongban-kiosk.service systemd-networkd.service systemd-timesyncd.service >/dev/null
# The install screen's root service (it refuses unless run from a USB stick).
run_in systemctl enable tongban-install.socket >/dev/null
run_in systemctl set-default graphical.target >/dev/null
# No console login anywhere, no ctrl-alt-del reboot, no remote shell.
run_in systemctl mask getty@.service autovt@.service serial-getty@.service console-getty.service ctrl-alt-del.target >/dev/null

# A fresh machine identity at every boot (the root is read-only), no caches,
# no logs, no package lists: smaller, and the same bytes every build.
: > "$root/etc/machine-id"
ln -sf /etc/machine-id "$root/var/lib/dbus/machine-id"
install -d -m 0700 "$root/var/lib/private"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/ldconfig/aux-cache \
	"$root"/var/log/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
	"$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
