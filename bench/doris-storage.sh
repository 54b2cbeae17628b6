#!/usr/bin/env bash
# Ten daily full Doris backups of one table where ~2% of the tablets change per day: what each day
# costs in a repository of arca (`arca doris backup`, one arca snapshot per Doris snapshot), restic
# and borg (repokey-blake2, lz4), each backing up the growing Doris repository tree after every
# BACKUP, next to the sum of the full backups themselves. Writes a markdown table to stdout.
#
#   bench/doris-storage.sh [WORK_DIR] [GENERATOR OPTIONS…]
#
# The Doris tree comes from the tests' generator (engines/src/test/…/doris/DorisRepoGenerator,
# JDK only), default: one table, 10 partitions × 64 buckets, 32 KiB segments, seed 1.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(realpath -m "${1:-$(mktemp -d)}"); shift || true
gen_opts=("$@"); [ ${#gen_opts[@]} -gt 0 ] || gen_opts=(--shape table --segment-bytes 32768)
command -v restic >/dev/null && command -v borg >/dev/null || { echo "needs restic and borg (apt-get install restic borgbackup)" >&2; exit 2; }
(cd "$here" && mvn -B -q -o -pl engines -am test-compile -Dstyle.color=never)
rm -rf "$work"; mkdir -p "$work"
tree=$work/doris
export ARCA_PASSWORD=bench RESTIC_PASSWORD=bench BORG_PASSPHRASE=bench
export ARCA_REPOSITORY=$work/arca ARCA_CACHE_DIR=$work/arca-cache RESTIC_CACHE_DIR=$work/restic-cache BORG_BASE_DIR=$work/borg-base
"$here/arca" -q init >/dev/null
restic -q -r "$work/restic" init --repository-version 2 >/dev/null
borg init -e repokey-blake2 "$work/borg" >/dev/null 2>&1
size() { du -sb "$1" | cut -f1; }
mb() { python3 -c "print(f'{$1/1e6:.1f} MB')"; }
echo "| day | full backups so far (sum) | arca | restic | borg (lz4) |"
echo "|---:|---:|---:|---:|---:|"
sum=0 before=0
for day in $(seq 1 10); do
  java -cp "$here/engines/target/test-classes" dev.arca.engine.doris.DorisRepoGenerator "$tree" "${gen_opts[@]}" --only-day "$day" > /dev/null
  now=$(size "$tree"); sum=$((sum + now - before)); before=$now   # the day's new Doris snapshot
  "$here/arca" -q doris backup --repository "$tree" > /dev/null
  restic -q -r "$work/restic" backup "$tree" > /dev/null
  (cd "$work" && borg create "$work/borg::day$day" doris > /dev/null)
  echo "| $day | $(mb $sum) | $(mb "$(size "$work/arca")") | $(mb "$(size "$work/restic")") | $(mb "$(size "$work/borg")") |"
done
