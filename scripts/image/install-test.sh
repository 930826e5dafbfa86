#!/bin/bash
# Installs the terminal's image on a (loop-device) disk larger than it, as
# the technician's install screen does from the USB stick, and boots that
# disk in QEMU (software emulation with OVMF) to the first-boot screen.
#
#   install-test.sh IMAGE KIOSKCTL OUT
#
# Checks that the disk's rewritten GPT (backup at the disk's end) and fresh
# data partition boot: the console shows the first-boot set-up, and the
# screen's screenshot goes to OUT/installed-first-boot.png. As root.
set -euo pipefail
image=$(realpath "$1") kioskctl=$(realpath "$2") out=$(realpath -m "$3")
timeout=${TONGBAN_IMAGE_TEST_TIMEOUT:-900}
mkdir -p "$out"
work=$(mktemp -d /var/tmp/tongban-install-test.XXXXXX)
dev= qemu=
cleanup() {
	[ -n "$qemu" ] && kill "$qemu" 2>/dev/null || true
	[ -n "$dev" ] && losetup --detach "$dev" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
export MTOOLS_SKIP_CHECK=1

disk=$work/disk.img
truncate -s $(( $(stat -c %s "$image") * 3 / 2 / 1048576 ))M "$disk"
dev=$(losetup --find --show "$disk")
name=$(basename "$dev")
echo "install-test: installing on $name"
echo "$name" | "$kioskctl" install --source "$image" --disk "$name" | tail -n 2
losetup --detach "$dev"; dev=
sfdisk --verify "$disk"

part_offset() { # the byte offset of the partition named $1
	sfdisk -J "$disk" | python3 -c "import json,sys; t=json.load(sys.stdin)['partitiontable']; print([p['start'] for p in t['partitions'] if p.get('name')=='$1'][0]*t['sectorsize'])"
}
esp=$(part_offset tongban-esp)
mcopy -o -i "$disk@@$esp" ::loader/entries/tongban.conf "$work/entry.conf"
sed -i 's/ console=tty1 / console=tty1 console=ttyS0,115200 systemd.journald.forward_to_console=1 /' "$work/entry.conf"
mcopy -o -i "$disk@@$esp" "$work/entry.conf" ::loader/entries/tongban.conf
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"

console=$out/installed-console.log
rm -f "$console"
started=$(date +%s)
qemu-system-x86_64 -machine q35 -m 2048 -smp 2 \
	-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
	-drive if=pflash,format=raw,file="$work/vars.fd" \
	-drive file="$disk",format=raw,if=virtio \
	-serial file:"$console" \
	-display none -vga none -device VGA,edid=on,xres=1920,yres=1080 -monitor unix:"$work/monitor.sock",server,nowait \
	-nic none -no-reboot >"$out/installed-qemu.log" 2>&1 &
qemu=$!
while ! grep -a -q '"msg":"set-up: this terminal has no configuration yet' "$console" 2>/dev/null; do
	kill -0 "$qemu" 2>/dev/null || { echo "install-test: QEMU stopped"; tail -n 40 "$console"; exit 1; }
	[ $(( $(date +%s) - started )) -gt "$timeout" ] && { echo "install-test: timed out"; tail -n 60 "$console"; exit 1; }
	sleep 2
done
echo "install-test: the installed disk reached the first-boot set-up after $(( $(date +%s) - started )) s"
sleep 20
python3 - "$work/monitor.sock" "screendump $work/shot.ppm" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.3); s.recv(65536)
s.sendall((sys.argv[2] + "\n").encode()); time.sleep(1.5); s.close()
PY
pnmtopng "$work/shot.ppm" >"$out/installed-first-boot.png"
echo "install-test: screenshot in $out/installed-first-boot.png"
