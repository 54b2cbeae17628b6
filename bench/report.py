#!/usr/bin/env python3
"""report.py --results TSV --info TSV --corpus-root DIR [--failures FILE] [--jmh MD]:
writes the markdown report (bench/RESULTS.md) of one bench/run.sh run to stdout.

Per corpus, five tables (wall time, throughput, bytes stored, bytes added, peak RSS) with rows =
operation and columns = tool, medians over the repetitions, plus two ratio columns comparing arca
(its faster JDK on that corpus) with restic and with borg lz4, oriented so that > 1 means arca wins.
MB = 10^6 bytes."""
import argparse
import csv
import os
import re
import statistics
from collections import defaultdict

OPS = [
    ("init", "init"),
    ("backup-v1", "backup v1"),
    ("backup-v2", "backup v2 (incremental)"),
    ("backup-v2-again", "backup v2 again (unchanged)"),
    ("restore", "restore latest"),
    ("check-read-data", "check --read-data (borg: --verify-data)"),
]
CORPUS_TEXT = {
    "files": "file tree: many small files, some large, text-like and binary; v2 = ~3% of the files "
             "modified, added or deleted",
    "redis": "one Redis RDB file written by redis-server (strings, hashes, lists, sets, sorted sets, "
             "streams; small and large values); v2 = the RDB after ~3% of the keys were updated, deleted "
             "or added",
    "rocksdb": "a RocksDB directory written through rocksdbjni (3 column families); v2 = after ~3% "
               "puts/deletes/new keys, a flush and a compaction of 1/8 of the key range",
    "aerospike": "an Aerospike asbackup directory of .asb text files (format 3.1); v2 = the backup "
                 "after ~3% of the records changed",
}
ENGINE_NOTE = ("arca backs up the RocksDB corpus with its RocksDB engine (`arca rocksdb backup --db`, "
               "the live set from CURRENT and the MANIFEST; restored with `arca rocksdb restore`) and the "
               "Aerospike corpus with its Aerospike engine (`arca aerospike backup --directory`, chunks cut "
               "on record starts), the file tree and the Redis RDB (no Redis engine yet) with a plain "
               "`arca backup <dir>`; restic and borg back up every corpus as files.")


def tool_label(t, info):
    if t.startswith("arca-jdk"):
        return "arca JDK " + t[len("arca-jdk"):]
    return {"restic": "restic", "borg-lz4": "borg lz4", "borg-zstd3": "borg zstd,3"}.get(t, t)


def fnum(x, unit=""):
    if x is None:
        return "–"
    if abs(x) >= 1000:
        s = f"{x:,.0f}"
    elif abs(x) >= 100:
        s = f"{x:.0f}"
    elif abs(x) >= 10:
        s = f"{x:.1f}"
    else:
        s = f"{x:.2f}"
    return s + unit


def fbytes(x):
    if x is None:
        return "–"
    for unit, div in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(x) >= div:
            return fnum(x / div, " " + unit)
    return f"{x:.0f} B"


def ratio(other, arca, higher_is_better):
    """> 1 means arca wins: other/arca for costs, arca/other for rates."""
    if other is None or arca is None or other <= 0 or arca <= 0:
        return "–"
    r = arca / other if higher_is_better else other / arca
    s = f"{r:.2f}×"
    return f"**{s}**" if r >= 1 else s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--info", required=True)
    ap.add_argument("--corpus-root", required=True)
    ap.add_argument("--failures")
    ap.add_argument("--jmh")
    ap.add_argument("--notes")
    ap.add_argument("--analysis", help="hand-written markdown (bench/ANALYSIS.md): targets met or missed, "
                    "and the profiles that show where the time goes")
    a = ap.parse_args()

    info = {}
    for line in open(a.info):
        if "\t" in line:
            k, v = line.rstrip("\n").split("\t", 1)
            info[k] = v
    rows = list(csv.DictReader(open(a.results), delimiter="\t"))
    tools = info.get("tools", "").split()
    corpora = info.get("corpora", "").split()
    small = info.get("mode") == "small"

    # (corpus, tool, op) -> list of rows
    g = defaultdict(list)
    for r in rows:
        g[(r["corpus"], r["tool"], r["op"])].append(r)

    def med(c, t, op, key):
        rs = g.get((c, t, op))
        if not rs or any(r["rc"] != "0" for r in rs):
            return None
        return statistics.median(float(r[key]) for r in rs)

    def failed(c, t, op):
        rs = g.get((c, t, op))
        return bool(rs) and any(r["rc"] != "0" for r in rs)

    out = []
    w = out.append
    elapsed = int(info.get("elapsed", "0"))
    w("# arca benchmark results\n")
    if small:
        w("> **This is a `--small` smoke run**: tiny corpora (a few MB) and one repetition, made to check "
          "that the harness works end to end. Its numbers are dominated by start-up costs and say nothing "
          "about throughput. `bench/run.sh` (full mode) replaces this file with the real figures.\n")
    w(f"Command: `{info.get('command')}` · {info.get('date')} · seed {info.get('seed')} · "
      f"{info.get('reps')} repetition(s) per sequence, medians · whole run {elapsed // 60} min {elapsed % 60:02d} s "
      "(corpus generation included)\n")
    w("| machine | |")
    w("|---|---|")
    w(f"| CPU | {info.get('cpu')}, {info.get('cores')} cores |")
    w(f"| RAM | {info.get('ram')} |")
    w(f"| kernel | {info.get('kernel')} |")
    w(f"| OS | {info.get('os')} |")
    w(f"| filesystem | {info.get('filesystem')} |")
    w("")
    w("| tool | version | settings |")
    w("|---|---|---|")
    for t in tools:
        if t.startswith("arca-jdk"):
            jdk = info.get("jdk17") if t == "arca-jdk17" else info.get("jdknew")
            ver = f"{info.get('arca')}; {jdk}"
        elif t == "restic":
            ver = info.get("restic")
        else:
            ver = info.get("borg")
        w(f"| {tool_label(t, info)} | {ver} | {info.get('settings.' + t, '')} |")
    w(f"\nCorpus generators: {info.get('redis')}, rocksdbjni {info.get('rocksdbjni')}; see `bench/README.md`.\n")

    w("## Method\n")
    w(ENGINE_NOTE + "\n")
    w("- Each repetition of each tool runs one sequence in a fresh work directory: a new repository and "
      "empty caches (`ARCA_CACHE_DIR`, `RESTIC_CACHE_DIR`, `BORG_BASE_DIR` inside it), so the repository "
      "index starts cold; the corpus is read once before (warm page cache); `sync` runs before each "
      "timed operation. Tools run one at a time, nothing else of the harness runs meanwhile.")
    w("- Sequence: `init`; backup v1; the live directory is evolved in place to v2 with hard links "
      "(unchanged files keep inode and times, as on a real server); backup v2; backup v2 again; restore "
      "the latest snapshot (then compared with the source by `diff -r`, untimed); check reading all data "
      "(`arca check --read-data`, `restic check --read-data`, `borg check --verify-data`).")
    w("- Wall time: monotonic clock around the command. Throughput: corpus bytes / wall time (v1 bytes "
      "for backup v1, v2 bytes for the other operations). Stored: `du -sb` of the repository after the "
      "operation. Added: its growth during the operation. Peak RSS: GNU time `%M`. kB, MB, GB = 10^3, 10^6, "
      "10^9 bytes; MiB = 2^20.\n")
    w("**Ratios** compare arca (its faster JDK on that corpus, named in the heading) with restic and "
      "with borg lz4, oriented so that **> 1 means arca wins** (bold): speedup = other's time / arca's "
      "time (= arca's throughput / other's), size ratio = other's bytes / arca's bytes, memory ratio = "
      "other's peak RSS / arca's. \"–\" = not applicable or failed.\n")

    # corpus overview
    w("## Corpora\n")
    w("| corpus | v1 | v2 | files v1 → v2 | v2 bytes in new or changed files | what |")
    w("|---|---:|---:|---:|---:|---|")
    metas = {}
    for c in corpora:
        p = os.path.join(a.corpus_root, c, "meta.txt")
        meta = open(p).read() if os.path.exists(p) else ""
        metas[c] = meta
        kv = dict(re.findall(r"(\w+)=(\S+)", meta))
        newb = re.search(r"v2_new_inode_bytes=(\d+)", meta)

        def mb(k):
            return fnum(float(kv[k]) / 1e6, " MB") if k in kv else "–"
        w(f"| {c} | {mb('v1_bytes_total')} | {mb('v2_bytes_total')} | {kv.get('v1_files_total', '–')} → "
          f"{kv.get('v2_files_total', '–')} | {fnum(float(newb.group(1)) / 1e6, ' MB') if newb else '–'} | "
          f"{CORPUS_TEXT.get(c, '')} |")
    w("")
    for c in corpora:
        w(f"<details><summary>{c}: generator statistics</summary>\n\n```\n{metas[c].strip()}\n```\n</details>\n")

    arca_tools = [t for t in tools if t.startswith("arca-")]
    metrics = [
        ("Wall time (s)", "wall_s", 1, False, "speedup"),
        ("Throughput (MB/s)", "rate", 1, True, "speedup"),
        ("Bytes stored: repository size after the operation", "stored_bytes", 1, False, "size ratio"),
        ("Bytes added by the operation", "added_bytes", 1, False, "size ratio"),
        ("Peak RSS (MiB)", "rss_kb", 1024, False, "memory ratio"),
    ]
    for c in corpora:
        # arca's best JDK here: the lowest total of median wall times
        best, best_total = None, None
        for t in arca_tools:
            vals = [med(c, t, op, "wall_s") for op, _ in OPS]
            if all(v is not None for v in vals) and (best_total is None or sum(vals) < best_total):
                best, best_total = t, sum(vals)
        if best is None and arca_tools:
            best = arca_tools[-1]
        others = [t for t in ("restic", "borg-lz4") if t in tools]
        w(f"## {c}\n")
        w(f"{CORPUS_TEXT.get(c, '')}. Ratios use **{tool_label(best, info) if best else 'arca'}**.\n")
        for title, key, div, higher, rname in metrics:
            w(f"### {c}: {title}\n")
            head = [tool_label(t, info) for t in tools] + [f"{rname} vs {tool_label(o, info)}" for o in others]
            w("| operation | " + " | ".join(head) + " |")
            w("|---|" + "---:|" * len(head))

            for op, oplabel in OPS:
                if key == "rate" and op == "init":
                    continue

                def val(t):
                    if key == "rate":
                        wall = med(c, t, op, "wall_s")
                        inb = med(c, t, op, "in_bytes")
                        return inb / 1e6 / wall if wall and inb else None
                    v = med(c, t, op, key)
                    return None if v is None else v / div
                cells = []
                for t in tools:
                    v = val(t)
                    fmt = fbytes if key in ("stored_bytes", "added_bytes") else fnum
                    cells.append("FAIL" if failed(c, t, op) else fmt(v))
                for o in others:
                    applicable = not (key == "added_bytes" and op in ("restore", "check-read-data"))
                    applicable = applicable and not (key in ("stored_bytes", "added_bytes") and op == "init")
                    applicable = applicable and not (key == "rate" and op == "init")
                    cells.append(ratio(val(o), val(best), higher) if best and applicable else "–")
                w(f"| {oplabel} | " + " | ".join(cells) + " |")
            w("")

    if a.analysis and os.path.exists(a.analysis):
        w(open(a.analysis).read().strip() + "\n")

    if a.jmh and os.path.exists(a.jmh):
        w("## JMH: single stages (bench/jmh.sh)\n")
        w(open(a.jmh).read().strip() + "\n")

    notes = []
    if a.failures and os.path.exists(a.failures):
        notes += [f"- FAILED: {line.strip()}" for line in open(a.failures) if line.strip()]
    if a.notes and os.path.exists(a.notes):
        notes += [f"- {line.strip()}" for line in open(a.notes) if line.strip()]
    for r in rows:
        if r.get("note"):
            notes.append(f"- {r['corpus']} {r['tool']} r{r['rep']} {r['op']}: {r['note']} (arca was rebuilt "
                         "inside the timed run: sources changed meanwhile)")
    w("## Notes\n")
    if notes:
        w("\n".join(notes) + "\n")
    else:
        w("- Every operation succeeded and every restore matched its source byte for byte.\n")
    w(f"Raw results (one row per timed operation and repetition) and every command's output are kept in "
      f"the run directory under `$BENCH_DATA/runs/` (default `/tmp/arca-bench`), not in the repository.")
    print("\n".join(out))


main()
