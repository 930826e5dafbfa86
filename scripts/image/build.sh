#!/bin/bash
# Builds the terminal's bootable disk image (x86-64, UEFI, GPT, raw) from
# Debian 12 packages and this repository's .deb: `make image` (as root).
#
#   build.sh DEB OUT
#
# Partitions: EFI (systemd-boot, kernel, initrd), a read-only ext4 root, the
# data partition for /var/lib/tongban (ext4, checked at boot) and a small FAT
# partition labelled TONGBAN-PROV for a provisioning file.
#
# Reproducible as far as the inputs allow: every time stamp is clamped to
# SOURCE_DATE_EPOCH (the last commit's time unless set), every UUID, serial
# and hash seed is fixed, file systems are filled in sorted order. Debian's
# mirror moves on, so two builds are identical only while it does not.
set -euo pipefail

deb=$(realpath "$1")
out=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
: "${SOURCE_DATE_EPOCH:=$(git -C "$repo" log -1 --format=%ct)}"
export SOURCE_DATE_EPOCH
suite=${TONGBAN_IMAGE_SUITE:-bookworm}
mirror=${TONGBAN_IMAGE_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d /var/tmp/tongban-image.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Fixed identities: the same inputs give the same bytes.
disk_guid=5e7b0a1c-7a2d-4e55-9f00-0000746f6e67
esp_uuid=5e7b0a1c-7a2d-4e55-9f00-000000000001
root_uuid=5e7b0a1c-7a2d-4e55-9f00-000000000002
data_uuid=5e7b0a1c-7a2d-4e55-9f00-000000000003
prov_uuid=5e7b0a1c-7a2d-4e55-9f00-000000000004
root_fs_uuid=7d0c3a44-5b1e-4b8a-8f1e-746f6e676201
data_fs_uuid=7d0c3a44-5b1e-4b8a-8f1e-746f6e676202
esp_serial=544f4e47   # "TONG"
prov_serial=50524f56  # "PROV"
kiosk_uid=990

packages=(
	linux-image-amd64 initramfs-tools systemd-sysv systemd-boot-efi udev dbus kmod
	e2fsprogs dosfstools iproute2 ca-certificates systemd-timesyncd
	xserver-xorg-core xserver-xorg-input-libinput libgl1 libgl1-mesa-dri libx11-6
	unclutter fonts-noto-cjk espeak-ng alsa-utils
)

echo "image: root file system from $suite ($(date -u -d @"$SOURCE_DATE_EPOCH" +%F))"
mmdebstrap --variant=minbase --mode=root --format=directory \
	--include="$(IFS=,; echo "${packages[*]}")" \
	--essential-hook='echo tongban-terminal > "$1/etc/hostname"' \
	--customize-hook="chroot \"\$1\" groupadd --system --gid $kiosk_uid tongban" \
	--customize-hook="chroot \"\$1\" useradd --system --uid $kiosk_uid --gid tongban --groups dialout,audio --home-dir /var/lib/tongban --shell /usr/sbin/nologin tongban" \
	--customize-hook="copy-in $deb /tmp" \
	--customize-hook="chroot \"\$1\" dpkg -i /tmp/$(basename "$deb")" \
	--customize-hook='rm -f "$1"/tmp/*.deb' \
	--customize-hook="sync-in $repo/packaging/image/overlay /" \
	--customize-hook="$here/customize.sh \"\$1\"" \
	"$suite" "$work/root" "$mirror"

echo "image: file systems"
root=$work/root
# The boot partition holds the kernel, the initrd and the boot loader.
mkdir -p "$work/esp/EFI/BOOT" "$work/esp/loader/entries"
cp "$root/usr/lib/systemd/boot/efi/systemd-bootx64.efi" "$work/esp/EFI/BOOT/BOOTX64.EFI"
cp "$(readlink -f "$root/vmlinuz")" "$work/esp/vmlinuz"
cp "$(readlink -f "$root/initrd.img")" "$work/esp/initrd.img"
printf 'default tongban.conf\ntimeout 0\neditor no\n' > "$work/esp/loader/loader.conf"
cat > "$work/esp/loader/entries/tongban.conf" <<ENTRY
title Tongban terminal
linux /vmlinuz
initrd /initrd.img
options root=PARTUUID=$root_uuid ro rootwait quiet loglevel=3 console=tty1 systemd.show_status=auto vt.global_cursor_default=0
ENTRY

clamp() { find "$1" -depth -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +; }
clamp "$root"
clamp "$work/esp"

mib() { echo $(( ($1 + 1048575) / 1048576 )); }
root_mib=$(( $(mib "$(du -sb "$root" | cut -f1)") * 5 / 4 + 64 ))
esp_mib=$(( $(mib "$(du -sb "$work/esp" | cut -f1)") + 32 ))
data_mib=${TONGBAN_IMAGE_DATA_MIB:-512}
prov_mib=16

# mke2fs 1.47.0 stamps what it creates with the clock, whatever
# SOURCE_DATE_EPOCH says: it runs on a clock stopped at that time. It
# copies each file's change time from the folder, which is the time of the
# build: clamp-ctime.py sets those afterwards.
export E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH
stopped=(env TZ=UTC faketime "$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S')")
"${stopped[@]}" mkfs.ext4 -q -F -L tongban-root -U "$root_fs_uuid" -E "hash_seed=$root_fs_uuid,lazy_itable_init=0,lazy_journal_init=0,nodiscard" \
	-d "$root" "$work/root.img" "${root_mib}M"
python3 "$here/clamp-ctime.py" "$work/root.img" "$SOURCE_DATE_EPOCH"
"${stopped[@]}" mkfs.ext4 -q -F -L tongban-data -U "$data_fs_uuid" -E "hash_seed=$data_fs_uuid,lazy_itable_init=0,lazy_journal_init=0,nodiscard,root_owner=$kiosk_uid:$kiosk_uid" \
	"$work/data.img" "${data_mib}M"

fat() { # fat IMAGE MIB LABEL SERIAL BITS [DIR]
	rm -f "$1"
	mkfs.vfat -C --invariant -i "$4" -n "$3" -F "$5" "$1" $(( $2 * 1024 )) >/dev/null
	if [ -n "${6:-}" ]; then
		(cd "$6" && find . -mindepth 1 -type d | LC_ALL=C sort | sed 's|^\./||' | while read -r d; do mmd -i "$1" "::$d"; done
		 find . -type f | LC_ALL=C sort | sed 's|^\./||' | while read -r f; do mcopy -m -i "$1" "$f" "::$f"; done)
	fi
}
export MTOOLS_SKIP_CHECK=1
fat "$work/esp.img" "$esp_mib" TONGBAN-EFI "$esp_serial" 32 "$work/esp"
mkdir -p "$work/prov"
cat > "$work/prov/README.txt" <<'README'
Tongban terminal provisioning partition.

Put a provision file here named tongban-provision.conf (see the README's
technician page) to set up this terminal without questions at its first
boot. The terminal removes the enrolment token from the file once used.
README
touch --date="@$SOURCE_DATE_EPOCH" "$work/prov/README.txt"
# A FAT label holds 11 characters: the partition is named TONGBAN-PROV in
# the partition table, its file system TONGBANPROV.
fat "$work/prov.img" "$prov_mib" TONGBANPROV "$prov_serial" 16 "$work/prov"

echo "image: partition table"
total_mib=$(( 1 + esp_mib + root_mib + data_mib + prov_mib + 1 ))
rm -f "$out"
truncate -s "${total_mib}M" "$out"
sfdisk -q --no-reread --no-tell-kernel "$out" <<TABLE
label: gpt
label-id: $disk_guid
first-lba: 2048
start=1MiB, size=${esp_mib}MiB, type=U, uuid=$esp_uuid, name=tongban-esp
size=${root_mib}MiB, type=4f68bce3-e8cd-4db1-96e7-fbcaf984b709, uuid=$root_uuid, name=tongban-root
size=${data_mib}MiB, type=L, uuid=$data_uuid, name=tongban-data
size=${prov_mib}MiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, uuid=$prov_uuid, name=TONGBAN-PROV
TABLE
off=1
for part in esp:$esp_mib root:$root_mib data:$data_mib prov:$prov_mib; do
	name=${part%%:*}; size=${part##*:}
	dd if="$work/$name.img" of="$out" bs=1M seek="$off" conv=notrunc,sparse status=none
	off=$(( off + size ))
done
echo "image: $out, $(du -h --apparent-size "$out" | cut -f1) ($(du -h "$out" | cut -f1) on disk), sha256 $(sha256sum "$out" | cut -c1-16)"
