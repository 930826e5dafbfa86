// Package packaging holds what turns the binaries into a terminal: the
// .deb's recipe (nfpm.yaml), the systemd units, the udev rules, the example
// configuration, and the disk image's overlay (image/overlay, used by
// scripts/image/build.sh). It has no code; its tests check those files the
// way systemd and udev will read them, so that a mistake is found by `make
// test` rather than on a terminal that does not start.
package packaging
