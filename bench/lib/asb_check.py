#!/usr/bin/env python3
"""asb_check.py DIR...: parses every *.asb file (asbackup text format 3.1, the subset the
generator writes: header, first-file meta, secondary indexes, Lua UDFs, records with user keys and
S I D Z B M L G bins) and checks lengths, base64 and that doubles are printed like C's %.17g.
Prints "asb_check DIR: files=N records=M ok" per directory; exits 1 on the first error."""
import base64
import glob
import os
import sys


class Bad(Exception):
    pass


def check_file(path):
    d = open(path, "rb").read()
    p = 0
    records = 0

    def line():
        nonlocal p
        e = d.index(b"\n", p)
        s = d[p:e]
        p = e + 1
        return s

    def sized(start):
        """<len> SP <len bytes> LF starting at start; returns the bytes and moves p."""
        nonlocal p
        sp = d.index(b" ", start)
        n = int(d[start:sp])
        val = d[sp + 1:sp + 1 + n]
        p = sp + 1 + n
        if d[p:p + 1] != b"\n":
            raise Bad(f"{path}@{p}: no LF after {n}-byte value")
        p += 1
        return val

    if line() != b"Version 3.1":
        raise Bad(f"{path}: no 'Version 3.1' header")
    if not line().startswith(b"# namespace "):
        raise Bad(f"{path}: no namespace line")
    while p < len(d):
        if d.startswith(b"# first-file\n", p) or d.startswith(b"* i ", p):
            line()
            continue
        if d.startswith(b"* u L ", p):
            name_end = d.index(b" ", p + 6)
            sized(name_end + 1)
            continue
        if d.startswith(b"+ k ", p):
            t = d[p + 4:p + 5]
            if t == b"S":
                sized(p + 6)
            elif t == b"I":
                int(line()[6:])
            else:
                raise Bad(f"{path}@{p}: key type {t!r}")
        expect = [b"+ n ", b"+ d "]
        for prefix in expect:
            s = line()
            if not s.startswith(prefix):
                raise Bad(f"{path}@{p}: expected {prefix!r}, got {s[:40]!r}")
            if prefix == b"+ d " and len(base64.b64decode(s[4:], validate=True)) != 20:
                raise Bad(f"{path}@{p}: digest is not 20 bytes")
        s = line()
        if s.startswith(b"+ s "):
            s = line()
        if not s.startswith(b"+ g "):
            raise Bad(f"{path}@{p}: expected generation, got {s[:40]!r}")
        int(s[4:])
        s = line()
        if not s.startswith(b"+ t "):
            raise Bad(f"{path}@{p}: expected void time")
        int(s[4:])
        s = line()
        if not s.startswith(b"+ b "):
            raise Bad(f"{path}@{p}: expected bin count")
        for _ in range(int(s[4:])):
            if d[p:p + 2] != b"- ":
                raise Bad(f"{path}@{p}: expected a bin, got {d[p:p + 40]!r}")
            t = d[p + 2:p + 3]
            name_end = d.index(b" ", p + 4)
            if t in (b"S", b"G", b"B", b"M", b"L"):
                val = sized(name_end + 1)
                if t in (b"B", b"M", b"L"):
                    base64.b64decode(val, validate=True)
            else:
                v = line().split(b" ")[3]
                if t == b"D" and b"%.17g" % float(v) != v:
                    raise Bad(f"{path}@{p}: double {v!r} is not %.17g")
                elif t == b"I":
                    int(v)
                elif t == b"Z" and v not in (b"T", b"F"):
                    raise Bad(f"{path}@{p}: bool {v!r}")
                elif t not in (b"D", b"I", b"Z"):
                    raise Bad(f"{path}@{p}: bin type {t!r}")
        records += 1
    return records


def main():
    for directory in sys.argv[1:]:
        files = sorted(glob.glob(os.path.join(directory, "*.asb")))
        try:
            n = sum(check_file(f) for f in files)
        except (Bad, ValueError) as e:
            print(f"asb_check {directory}: INVALID: {e}", file=sys.stderr)
            sys.exit(1)
        print(f"asb_check {os.path.basename(directory)}: files={len(files)} records={n} ok")


main()
