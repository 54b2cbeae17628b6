#!/usr/bin/env python3
"""treediff.py V1 V2: prints "BYTES FILES": the bytes and count of v2's regular files that are not
the same inode as the file at the same path in v1, i.e. what a tool that skips unchanged files
(by inode, size and times) has to read again for an incremental backup of v2 after v1."""
import os
import sys


def inodes(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            st = os.lstat(os.path.join(d, f))
            out[os.path.relpath(os.path.join(d, f), root)] = (st.st_ino, st.st_size)
    return out


v1, v2 = inodes(sys.argv[1]), inodes(sys.argv[2])
new = [size for rel, (ino, size) in v2.items() if v1.get(rel, (None, 0))[0] != ino]
print(sum(new), len(new))
