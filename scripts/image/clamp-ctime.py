#!/usr/bin/env python3
"""clamp-ctime.py IMAGE EPOCH: set the change and access times of every inode in use in
the ext4 file system IMAGE to EPOCH.

mke2fs -d copies each file's ctime from the folder it fills the file system
from, and the kernel sets a file's ctime whenever anything changes it, so it
is the time of the build, whatever SOURCE_DATE_EPOCH says. The inodes in use
are read from dumpe2fs's free-inode lists; debugfs rewrites their ctimes
(and their checksums) in one run.
"""
import re
import subprocess
import sys

image, epoch = sys.argv[1], int(sys.argv[2])
out = subprocess.run(["dumpe2fs", image], capture_output=True, text=True, check=True).stdout
per_group = int(re.search(r"^Inodes per group:\s+(\d+)", out, re.M).group(1))
used = []
for m in re.finditer(r"^Group (\d+):.*?^\s+Free inodes: ?([^\n]*)$", out, re.M | re.S):
    group, free_text = int(m.group(1)), m.group(2).strip()
    first = group * per_group + 1
    free = set()
    for part in filter(None, (p.strip() for p in free_text.split(","))):
        a, _, b = part.partition("-")
        free.update(range(int(a), int(b or a) + 1))
    used.extend(i for i in range(first, first + per_group) if i not in free)
cmds = "".join(f"set_inode_field <{i}> {t} @{epoch}\n" for i in used for t in ("ctime", "atime"))
subprocess.run(["debugfs", "-w", "-f", "-", image], input=cmds, capture_output=True, text=True, check=True)
print(f"clamp-ctime: {len(used)} inodes")
