#!/bin/bash
# Boots the terminal's image in QEMU (software emulation with OVMF: no KVM
# needed) and checks, from its serial console, that zero-touch set-up works:
# `make image-test`.
#
#   test.sh IMAGE BIN OUT
#
# A back office runs on the host (the guest reaches it at 10.0.2.2), the
# terminal's serial ports ttyS1-3 are wired to simulated devices on the host
# (kioskctl devsim), and TONGBAN-PROV holds a provision file with a fresh
# The first boot, without a provision file, must show the first-boot set-up;
# the second, with a provision file and a fresh token on TONGBAN-PROV, must
# set itself up without questions and reach the attract screen ("kiosk
# ready"). Screenshots of both screens, through QEMU's monitor, go to OUT.
set -euo pipefail
image=$1 bin=$(realpath "$2") out=$(realpath -m "$3")
timeout=${TONGBAN_IMAGE_TEST_TIMEOUT:-900}
mkdir -p "$out"
work=$(mktemp -d /var/tmp/tongban-image-test.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export MTOOLS_SKIP_CHECK=1

port=$(( 20000 + RANDOM % 20000 ))
echo "image-test: back office on the host, port $port"
bo=("$bin/backoffice" -db "$work/bo.db" -tls-dir "$work/keys" -hosts 10.0.2.2,127.0.0.1)
token=$("${bo[@]}" -issue-token CS0101 -center CS01 -token-ttl 1h | grep -o 'tbe_[0-9a-f]*')
"${bo[@]}" -addr "127.0.0.1:$port" >"$out/backoffice.log" 2>&1 &
pids+=($!)

echo "image-test: simulated devices on the host"
"$bin/kioskctl" devsim -dir "$work/dev" -card resident </dev/null >"$out/devsim.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "$work/dev/scanner" ] && break; sleep 0.2; done
[ -e "$work/dev/scanner" ] || { echo "image-test: the simulated devices did not start:"; cat "$out/devsim.log"; exit 1; }
reader=$(readlink -f "$work/dev/idreader") printer=$(readlink -f "$work/dev/printer") scanner=$(readlink -f "$work/dev/scanner")

echo "image-test: a copy of the image with a serial console for the test"
disk=$work/disk.img
cp --sparse=always "$image" "$disk"
part_offset() { # the byte offset of the partition named $1
	sfdisk -J "$disk" | python3 -c "import json,sys; t=json.load(sys.stdin)['partitiontable']; print([p['start'] for p in t['partitions'] if p.get('name')=='$1'][0]*t['sectorsize'])"
}
esp=$(part_offset tongban-esp) prov=$(part_offset TONGBAN-PROV)
mcopy -o -i "$disk@@$esp" ::loader/entries/tongban.conf "$work/entry.conf"
# The test's own console: kernel and journal on ttyS0 (a terminal's COM
# ports may hold devices, so the image itself never writes to them).
sed -i 's/ console=tty1 / console=tty1 console=ttyS0,115200 systemd.journald.forward_to_console=1 /' "$work/entry.conf"
mcopy -o -i "$disk@@$esp" "$work/entry.conf" ::loader/entries/tongban.conf
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"

qemu=
boot() { # boot CONSOLE_LOG: start the terminal
	rm -f "$1"
	started=$(date +%s)
	qemu-system-x86_64 -machine q35 -m 2048 -smp 2 \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
		-drive if=pflash,format=raw,file="$work/vars.fd" \
		-drive file="$disk",format=raw,if=virtio \
		-serial file:"$1" -serial "$reader" -serial "$printer" -serial "$scanner" \
		-display none -vga none -device VGA,edid=on,xres=1920,yres=1080 -monitor unix:"$work/monitor.sock",server,nowait \
		-nic user,model=virtio-net-pci -no-reboot >>"$out/qemu.log" 2>&1 &
	qemu=$!
	pids+=($qemu)
	console=$1
}
seen() { grep -a -q "$1" "$console" 2>/dev/null; }
monitor() { python3 - "$work/monitor.sock" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.3); s.recv(65536)
s.sendall((sys.argv[2] + "\n").encode()); time.sleep(1.5); s.close()
PY
}
mark() { echo "image-test: $1 after $(( $(date +%s) - started )) s"; }
await() { # await PATTERN WHAT: wait for PATTERN on the console
	while ! seen "$1"; do
		if ! kill -0 "$qemu" 2>/dev/null; then echo "image-test: QEMU stopped before $2"; tail -n 40 "$console"; exit 1; fi
		if [ $(( $(date +%s) - started )) -gt "$timeout" ]; then echo "image-test: timed out waiting for $2"; tail -n 60 "$console"; exit 1; fi
		sleep 2
	done
	mark "$2"
}
screenshot() { # screenshot NAME: wait until the screen shows something, then keep it
	for _ in $(seq 24); do
		sleep 5
		monitor "screendump $work/$1.ppm"
		# A screen still blank (one colour) is not drawn yet.
		if python3 -c "import sys; d=open(sys.argv[1],'rb').read(); px=d[d.index(b'255\n')+4:]; sys.exit(0 if len(set(px[i:i+3] for i in range(0,len(px),3*997)))>8 else 1)" "$work/$1.ppm"; then
			pnmtopng "$work/$1.ppm" >"$out/$1.png"
			return
		fi
	done
	echo "image-test: the screen stayed blank ($1)"; pnmtopng "$work/$1.ppm" >"$out/$1.png"; exit 1
}
stop() { kill "$qemu"; wait "$qemu" 2>/dev/null || true; }

echo "image-test: first boot without a provision file (software emulation; minutes)"
boot "$out/console-first-boot.log"
await 'systemd\[1\]' "system started"
await '"msg":"set-up: this terminal has no configuration yet' "first-boot set-up on screen"
screenshot first-boot
stop

echo "image-test: TONGBAN-PROV gets a provision file; second boot"
cp "$work/keys/ca.pem" "$work/backoffice-ca.pem"
cat >"$work/tongban-provision.conf" <<PROV
center.name    = 测试区测试街道社区事务受理服务中心
center.code    = CS01
terminal.code  = CS0101
backoffice.url = https://10.0.2.2:$port
idreader.port  = /dev/ttyS1
printer.port   = /dev/ttyS2
scanner.port   = /dev/ttyS3
enrol.token    = $token
enrol.ca       = backoffice-ca.pem
enrol.ca_fingerprint = SHA256:$(openssl x509 -in "$work/keys/ca.pem" -outform DER | sha256sum | cut -d' ' -f1)
PROV
mcopy -o -i "$disk@@$prov" "$work/tongban-provision.conf" "$work/backoffice-ca.pem" ::
boot "$out/console.log"
await 'systemd\[1\]' "system started"
await '"msg":"set-up finished' "zero-touch set-up finished"
await '"msg":"kiosk ready"' "attract screen (kiosk ready)"
screenshot attract
stop # the terminal's file systems are read once it is off
if grep -a -q 'tbe_' "$out"/console*.log; then echo "image-test: the token appears on the console"; exit 1; fi
dd if="$disk" of="$work/prov.img" bs=512 skip=$(( prov / 512 )) count=$(( 16 * 2048 )) status=none
# A FAT still mounted when the power went keeps its dirty bit; anything
# else fsck.fat has to say is damage.
fsck.fat -n "$work/prov.img" >"$out/prov-fsck.txt" 2>&1 || true
if grep -v -e '^fsck.fat ' -e 'Dirty bit is set' -e 'removing dirty bit' -e '^Leaving filesystem unchanged' -e ' files, .* clusters$' -e '^$' "$out/prov-fsck.txt" | grep -q .; then
	echo "image-test: TONGBAN-PROV is damaged after set-up:"; cat "$out/prov-fsck.txt"; exit 1
fi
mcopy -o -i "$work/prov.img" ::tongban-provision.conf "$work/after.conf"
if grep -q "$token" "$work/after.conf"; then echo "image-test: the used token is still on TONGBAN-PROV"; exit 1; fi
echo "image-test: ok; screenshots $out/first-boot.png and $out/attract.png"
