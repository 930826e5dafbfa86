#!/usr/bin/env bash
# Rebuilds the embedded CJK UI fonts: one face of Noto Sans CJK SC (OFL-1.1,
# Debian's fonts-noto-cjk), cut to GB2312 + ASCII + common punctuation so the
# screens and receipts look the same on every machine. Rare name characters
# fall back to the system's Noto CJK fonts at run time.
# Needs: apt-get install fonts-noto-cjk python3-fonttools
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=/usr/share/fonts/opentype/noto
chars=$(mktemp)
/usr/bin/python3 - "$chars" <<'PY'
import sys
out = set(chr(c) for c in range(0x20, 0x7f))
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            out.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
out.update("·—–‘’“”…‰※←↑→↓√×÷①②③④⑤⑥⑦⑧⑨⑩✓✔✕✗☎★☆●○■□▲△◆◇、。，：；！？（）【】《》「」『』〔〕￥％＋－＝／")
open(sys.argv[1], "w", encoding="utf-8").write("".join(sorted(out)))
PY
for weight in Regular Bold; do
  /usr/bin/python3 -m fontTools.subset "$src/NotoSansCJK-$weight.ttc" --font-number=2 \
    --text-file="$chars" --layout-features='*' --no-hinting --desubroutinize \
    --name-IDs='*' --output-file="$here/NotoSansSC-$weight-GB2312.otf"
done
rm -f "$chars"
ls -l "$here"/*.otf
