#!/usr/bin/env python3
"""measure.py STDOUT_FILE STDERR_FILE -- CMD...: runs CMD (stdin from /dev/null) and prints
"WALL_SECONDS PEAK_RSS_KB EXIT_CODE". Wall time is CLOCK_MONOTONIC around the whole command;
peak RSS is GNU time's %M (the largest resident set of the command or any of its children)."""
import os
import subprocess
import sys
import tempfile
import time

out, err = sys.argv[1], sys.argv[2]
assert sys.argv[3] == "--"
cmd = sys.argv[4:]
fd, rss_file = tempfile.mkstemp(prefix="rss.")
os.close(fd)
with open(out, "wb") as o, open(err, "wb") as e:
    t0 = time.monotonic_ns()
    rc = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd,
                         stdin=subprocess.DEVNULL, stdout=o, stderr=e)
    t1 = time.monotonic_ns()
with open(rss_file) as f:
    lines = [line.strip() for line in f if line.strip()]
os.unlink(rss_file)
rss = lines[-1] if lines and lines[-1].isdigit() else "0"
print(f"{(t1 - t0) / 1e9:.3f} {rss} {rc}")
