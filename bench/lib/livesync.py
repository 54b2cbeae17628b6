#!/usr/bin/env python3
"""livesync.py SRC DST: turns DST into a mirror of SRC made of hard links, changing only what
differs (by inode). DST is the stable "live" directory that every tool backs up: it holds v1, then
evolves in place to v2, so unchanged files keep inode, size, mtime and ctime as on a real server
and each tool's parent snapshot / files cache sees them as unchanged."""
import os
import sys

src, dst = sys.argv[1], sys.argv[2]
wanted = set()
for d, dirs, files in os.walk(src):
    rel = os.path.relpath(d, src)
    os.makedirs(os.path.join(dst, rel), exist_ok=True)
    for f in files:
        r = os.path.normpath(os.path.join(rel, f))
        wanted.add(r)
        s, t = os.path.join(src, r), os.path.join(dst, r)
        try:
            if os.lstat(t).st_ino == os.lstat(s).st_ino:
                continue
            os.unlink(t)
        except FileNotFoundError:
            pass
        os.link(s, t)
for d, dirs, files in os.walk(dst, topdown=False):
    rel = os.path.relpath(d, dst)
    for f in files:
        r = os.path.normpath(os.path.join(rel, f))
        if r not in wanted:
            os.unlink(os.path.join(d, f))
    if rel != "." and not os.path.isdir(os.path.join(src, rel)):
        os.rmdir(d)
