#!/bin/bash
# Checks that the terminal's image is reproducible: `make image-repro` (as
# root, about twice make image's time).
#
#   repro.sh DEB OUT
#
# Packs the .deb a second time from the same binaries and compares it with
# DEB, then builds the image twice from it (build.sh, the same
# SOURCE_DATE_EPOCH) and compares the two. Where they differ, it lists the
# differing byte ranges by partition, so that a closing note can say which
# bytes differ and why. Exits non-zero when anything differs.
set -euo pipefail
deb=$(realpath "$1") out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
: "${SOURCE_DATE_EPOCH:=$(git -C "$repo" log -1 --format=%ct)}"
export SOURCE_DATE_EPOCH
mkdir -p "$out"
status=0

echo "image-repro: the .deb packed again (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
(cd "$repo" && TONGBAN_VERSION=${TONGBAN_VERSION:-0.1.0} ${GO:-go} run "${NFPM:?set NFPM to the nfpm module}" pkg --config packaging/nfpm.yaml --packager deb --target "$out/again.deb" >/dev/null)
if cmp -s "$deb" "$out/again.deb"; then
	echo "image-repro: .deb identical, sha256 $(sha256sum "$deb" | cut -c1-16)"
else
	echo "image-repro: the .deb differs between two packings"; status=1
fi

for n in 1 2; do
	start=$(date +%s)
	"$here/build.sh" "$deb" "$out/build-$n.img" >"$out/build-$n.log" 2>&1 || { echo "image-repro: build $n failed:"; tail -n 20 "$out/build-$n.log"; exit 1; }
	echo "image-repro: build $n in $(( $(date +%s) - start )) s: $(tail -n 1 "$out/build-$n.log")"
done
if cmp -s "$out/build-1.img" "$out/build-2.img"; then
	echo "image-repro: the two images are byte-identical, sha256 $(sha256sum "$out/build-1.img" | cut -d' ' -f1)"
	rm -f "$out/build-2.img"
	exit $status
fi
echo "image-repro: the two images differ:"
table=$(sfdisk -J "$out/build-1.img")
cmp -l "$out/build-1.img" "$out/build-2.img" | python3 -c '
import json, sys
t = json.loads(sys.argv[1])["partitiontable"]
parts = [(p["start"] * t["sectorsize"], (p["start"] + p["size"]) * t["sectorsize"], p.get("name", "?")) for p in t["partitions"]]
def where(off):
    for a, b, name in parts:
        if a <= off < b:
            return "%s+%d" % (name, off - a)
    return "table+%d" % off
runs, start, last = [], None, None
for line in sys.stdin:
    off = int(line.split()[0]) - 1
    if last is not None and off == last + 1:
        last = off
        continue
    if start is not None:
        runs.append((start, last))
    start = last = off
if start is not None:
    runs.append((start, last))
for a, b in runs[:200]:
    print("  %d bytes at %d (%s)" % (b - a + 1, a, where(a)))
if len(runs) > 200:
    print("  … %d ranges in all" % len(runs))
' "$table"
exit 1
