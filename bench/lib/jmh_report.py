#!/usr/bin/env python3
"""jmh_report.py [--ratios FILE] [--opts TEXT] FEATURE=RESULT.json...: a markdown table of JMH
throughput in MB/s (10^6 bytes/s; score in ops/s x the benchmark's input size), one column per JDK,
next to the single-stage limits of DESIGN §9 (one core of this kind of machine)."""
import argparse
import json

# benchmark -> (stage, DESIGN §9 JDK 17, DESIGN §9 JDK 25)
LIMITS = {
    "ChunkerBench.fastCdcCut": ("FastCdc.cut (gear loop)", "~1,950", "~3,450"),
    "HashBench.blobHasherId": ("BlobHasher.id (HMAC-SHA256)", "~1,800", "~1,800"),
    "AeadBench.seal": ("SegmentedAead.seal (AES-256-GCM)", "1,700–4,500", "up to ~9,000"),
    "AeadBench.open": ("SegmentedAead.open (AES-256-GCM)", "1,700–4,500", "up to ~9,000"),
    "ZstdBench.compress/1": ("zstd-jni compress, level 1", "~400", "~400"),
    "ZstdBench.compress/2": ("zstd-jni compress, level 2 (arca's default)", "", ""),
    "ZstdBench.compress/3": ("zstd-jni compress, level 3 (borg's zstd,3)", "~225", "~225"),
    "ZstdBench.decompress/1": ("zstd-jni decompress (level-1 data)", "1,200–2,600", "1,200–2,600"),
    "ZstdBench.decompress/2": ("zstd-jni decompress (level-2 data)", "1,200–2,600", "1,200–2,600"),
    "ZstdBench.decompress/3": ("zstd-jni decompress (level-3 data)", "1,200–2,600", "1,200–2,600"),
}


def key(b):
    name = ".".join(b["benchmark"].split(".")[-2:])
    level = b.get("params", {}).get("level")
    return f"{name}/{level}" if level else name


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ratios")
    ap.add_argument("--opts", default="")
    ap.add_argument("results", nargs="+")
    a = ap.parse_args()
    cols = []
    data = {}
    for spec in a.results:
        feature, path = spec.split("=", 1)
        cols.append(feature)
        for b in json.load(open(path)):
            size = int(b["params"]["size"])
            m = b["primaryMetric"]
            err = m.get("scoreError")
            err = 0.0 if err in (None, "NaN") or err != err else float(err)
            data[(key(b), feature)] = (m["score"] * size / 1e6, err * size / 1e6, size)
    keys = [k for k in LIMITS if any((k, c) in data for c in cols)]
    keys += sorted({k for k, _ in data} - set(keys))
    print("| stage | input | " + " | ".join(f"JDK {c} MB/s" for c in cols)
          + " | DESIGN §9 JDK 17 | DESIGN §9 JDK 25 |")
    print("|---|---:|" + "---:|" * len(cols) + "---:|---:|")
    for k in keys:
        stage, l17, l25 = LIMITS.get(k, (k, "", ""))
        size = next(data[(k, c)][2] for c in cols if (k, c) in data)
        cells = []
        for c in cols:
            v = data.get((k, c))
            cells.append(f"{v[0]:,.0f} ± {v[1]:,.0f}" if v else "–")
        inp = f"{size >> 20} MiB" if size >= 1 << 20 else f"{size} B"
        print(f"| {stage} | {inp} | " + " | ".join(cells) + f" | {l17} | {l25} |")
    ratios = open(a.ratios).read().split("\n") if a.ratios else []
    ratios = [r.replace("# zstd ", "") for r in ratios if r.strip()]
    print(f"\nOne core, JMH `{a.opts}` (short runs: ± is JMH's 99.9% error over the measured iterations). "
          "Input: deterministic mixed data (text-like, structured binary and random 64 KiB runs)"
          + (f"; zstd ratios on it: {', '.join(ratios)}" if ratios else "") + ".")


main()
