#!/usr/bin/env bash
# The Redis engine on a live server (not run by the tests):
#   1. a private redis-server filled with every data type (bench/corpusgen redis-load, ~REDIS_MB of RDB);
#   2. arca redis backup --uri over SYNC (disk-based), JVM at -Xmx256m: throughput and peak RSS;
#   3. ~3% of the keys changed (corpusgen redis-mutate), second backup over SYNC (diskless this time);
#   4. the same two RDBs (redis-cli --rdb) backed up by restic and borg: bytes the second backup adds;
#   5. arca redis restore --rdb (to a file) and --to (into an empty second server): throughput, and
#      DEBUG DIGEST of the restored servers against the source.
# Writes bench/RESULTS-redis.md (and keeps the raw numbers in WORK/results.txt).
#
#   bench/redis.sh [REDIS_MB (default 1500)] [WORK_DIR (default /tmp/arca-bench-redis)]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mb=${1:-1500}
work=${2:-/tmp/arca-bench-redis}
seed=${SEED:-20240601}
measure="python3 $here/bench/lib/measure.py"
rm -rf "$work"; mkdir -p "$work"
export ARCA_PASSWORD=bench RESTIC_PASSWORD=bench BORG_PASSPHRASE=bench BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
export ARCA_REPOSITORY=$work/arca ARCA_CACHE_DIR=$work/arca-cache RESTIC_CACHE_DIR=$work/restic-cache BORG_BASE_DIR=$work/borg-base
export ARCA_JAVA_OPTS=-Xmx256m
arca=$here/arca

jar=$here/bench/corpusgen/target/corpusgen.jar
if [ ! -f "$jar" ]; then (cd "$here/bench/corpusgen" && mvn -q -B package -DskipTests) >&2; fi
gen() { java -Xmx2g -cp "$jar:$here/bench/corpusgen/target/lib/*" dev.arca.bench.corpus.Main "$@"; }
"$arca" --version > /dev/null 2>&1   # let the launcher build outside the timed runs
"$arca" -q init > /dev/null

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
start_server() {   # DIR PORT [args…]
  local dir=$1 port=$2; shift 2
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no --enable-debug-command yes \
    --logfile "$dir/redis.log" --daemonize no "$@" &
  pids+=($!)
  for _ in $(seq 600); do [ "$(redis-cli -p "$port" PING 2>/dev/null)" = PONG ] && return; sleep 0.1; done
  echo "redis-server did not start on port $port" >&2; exit 1
}
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
src=$(free_port); dst=$(free_port)
start_server "$work/src" "$src" --repl-diskless-sync no --repl-diskless-sync-delay 0
start_server "$work/dst" "$dst"
cli() { redis-cli -p "$src" "$@"; }

logical=$(awk -v m="$mb" 'BEGIN {printf "%.0f", m * 1048576 * 1.15}')
gen redis-load "$logical" "$seed" 2> "$work/load.err" | cli --pipe > "$work/pipe-load.out" 2>&1
keys=$(tail -1 "$work/load.err" | sed -n 's/.*keys=\([0-9]*\).*/\1/p')

summary() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    l = l.strip()
    if l.startswith("{"):
        d = json.loads(l)
        if d.get("message_type") == "summary":
            m = d.get("engine_metadata", {})
            print(d.get("data_added", 0), d.get("data_added_packed", 0), m.get("rdb_size", d.get("bytes", 0)), m.get("keys", 0))' "$1"; }

read -r t1 rss1 rc1 < <($measure "$work/b1.out" "$work/b1.err" -- "$arca" --json redis backup --uri "redis://127.0.0.1:$src")
[ "$rc1" = 0 ] || { cat "$work/b1.err"; exit 1; }
read -r add1 packed1 size1 keys1 < <(summary "$work/b1.out")
cli --rdb "$work/v1.rdb" > /dev/null 2>&1

gen redis-mutate "$keys" "$seed" 2> "$work/mutate.err" | cli --pipe > "$work/pipe-mutate.out" 2>&1
cli CONFIG SET repl-diskless-sync yes > /dev/null
read -r t2 rss2 rc2 < <($measure "$work/b2.out" "$work/b2.err" -- "$arca" --json redis backup --uri "redis://127.0.0.1:$src")
[ "$rc2" = 0 ] || { cat "$work/b2.err"; exit 1; }
read -r add2 packed2 size2 keys2 < <(summary "$work/b2.out")
cli --rdb "$work/v2.rdb" > /dev/null 2>&1
digest=$(cli DEBUG DIGEST)

restic -q -r "$work/restic" init > /dev/null
restic -q -r "$work/restic" backup "$work/v1.rdb" > /dev/null
restic_added=$(restic -r "$work/restic" backup --json "$work/v2.rdb" | python3 -c '
import json,sys
for l in sys.stdin:
    d = json.loads(l)
    if d.get("message_type") == "summary": print(d["data_added"])')
borg init -e repokey "$work/borg" > /dev/null 2>&1
borg create "$work/borg::v1" "$work/v1.rdb" > /dev/null 2>&1
borg_added=$(borg create --json "$work/borg::v2" "$work/v2.rdb" 2>/dev/null | python3 -c '
import json,sys; print(json.load(sys.stdin)["archive"]["stats"]["deduplicated_size"])')
# the same two files into a fresh arca repository, as restic and borg see them
files_repo=(env ARCA_REPOSITORY="$work/arca-files" ARCA_CACHE_DIR="$work/arca-files-cache")
"${files_repo[@]}" "$arca" -q init > /dev/null
arca_v1rdb_added=$("${files_repo[@]}" "$arca" --json redis backup --rdb "$work/v1.rdb" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["data_added"])')
arca_v2rdb=$("${files_repo[@]}" "$arca" --json redis backup --rdb "$work/v2.rdb" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(d["data_added"], d["data_added_packed"])')
read -r arca_file_added arca_file_packed <<< "$arca_v2rdb"

snap2=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read())["snapshot_id"])' "$work/b2.out")
read -r t3 rss3 rc3 < <($measure "$work/r1.out" "$work/r1.err" -- "$arca" redis restore "$snap2" --rdb "$work/restored.rdb")
[ "$rc3" = 0 ] || { cat "$work/r1.err"; exit 1; }
read -r t4 rss4 rc4 < <($measure "$work/r2.out" "$work/r2.err" -- "$arca" --json redis restore "$snap2" --to "redis://127.0.0.1:$dst")
[ "$rc4" = 0 ] || { cat "$work/r2.err"; exit 1; }
digest_dst=$(redis-cli -p "$dst" DEBUG DIGEST)
restored_keys=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read())["restored"])' "$work/r2.out")
# a server started on the restored file
redis-cli -p "$dst" SHUTDOWN NOSAVE > /dev/null 2>&1 || true
f3=$(free_port)
start_server "$work/from-file" "$f3" --dbfilename restored.rdb --dir "$work"
digest_file=$(redis-cli -p "$f3" DEBUG DIGEST)
redis-cli -p "$f3" SHUTDOWN NOSAVE > /dev/null 2>&1 || true

load=$(cut -d' ' -f1-3 /proc/loadavg)
cat > "$work/results.txt" <<RAW
mb=$mb keys_v1=$keys1 keys_v2=$keys2 rdb1=$size1 rdb2=$size2
backup1 wall=$t1 rss_kb=$rss1 added=$add1 packed=$packed1
backup2 wall=$t2 rss_kb=$rss2 added=$add2 packed=$packed2
restic_added=$restic_added borg_added=$borg_added arca_file_v1_added=$arca_v1rdb_added arca_file_v2_added=$arca_file_added packed=$arca_file_packed
restore_file wall=$t3 rss_kb=$rss3
restore_live wall=$t4 rss_kb=$rss4 restored=$restored_keys
digest src=$digest live=$digest_dst file=$digest_file
loadavg_at_end=$load
RAW
cat "$work/results.txt"

python3 - "$here/bench/RESULTS-redis.md" <<PY
import sys
mb = lambda b: f"{int(b) / 1048576:,.1f} MiB"
rate = lambda b, t: f"{int(b) / 1048576 / float(t):,.1f} MiB/s"
pct = lambda a, b: f"{100 * int(a) / int(b):.1f}%"
out = f"""# Redis engine: backup over SYNC, second-backup cost, restore

\`bench/redis.sh $mb\` on $(nproc) cores ($(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/redis-server \1/p'),
$(restic version | cut -d' ' -f1-2), $(borg --version)), the arca JVM at \`-Xmx256m\`. The data: bench/corpusgen
\`redis-load\` (every data type, small and large; ~10% of keys with expiry), then \`redis-mutate\` (~3% of keys
updated, deleted or added). Wall times include the JVM's start. Load average at the end of the run: $load
(on a shared machine the throughputs are lower bounds; bytes and peak RSS do not depend on it).

| step | bytes | wall | throughput | peak RSS |
|---|---|---|---|---|
| backup 1 over SYNC (disk-based), {$keys1:,} keys | {mb($size1)} | {float($t1):.1f} s | {rate($size1, $t1)} | {int($rss1) // 1024} MiB |
| backup 2 over SYNC (diskless), {$keys2:,} keys | {mb($size2)} | {float($t2):.1f} s | {rate($size2, $t2)} | {int($rss2) // 1024} MiB |
| restore to a file (CRC64 checked) | {mb($size2)} | {float($t3):.1f} s | {rate($size2, $t3)} | {int($rss3) // 1024} MiB |
| restore into an empty server (RESTORE, window 1000), {$restored_keys:,} keys | {mb($size2)} | {float($t4):.1f} s | {rate($size2, $t4)} | {int($rss4) // 1024} MiB |

Bytes the second backup adds: arca's second SYNC backup, and the two RDBs taken with \`redis-cli --rdb\` right
after arca's two SYNC backups, backed up as files by arca (into a fresh repository), restic and borg:

| tool | bytes added | of the RDB |
|---|---|---|
| arca, backup 2 over SYNC (uncompressed / stored) | {mb($add2)} / {mb($packed2)} | {pct($add2, $size2)} / {pct($packed2, $size2)} |
| arca, --rdb v2 after --rdb v1, fresh repository (uncompressed / stored) | {mb($arca_file_added)} / {mb($arca_file_packed)} | {pct($arca_file_added, $size2)} / {pct($arca_file_packed, $size2)} |
| restic (data_added) | {mb($restic_added)} | {pct($restic_added, $size2)} |
| borg (deduplicated_size, lz4) | {mb($borg_added)} | {pct($borg_added, $size2)} |

arca / restic (uncompressed bytes added by the second backup): {int($arca_file_added) / max(1, int($restic_added)):.2f}
for the files, {int($add2) / max(1, int($restic_added)):.2f} for the SYNC backup.

Checks: DEBUG DIGEST of the source {'equals' if '$digest' == '$digest_dst' else 'DIFFERS from'} the server
restored with \`--to\`, and {'equals' if '$digest' == '$digest_file' else 'DIFFERS from'} a server started on the
restored file (\`$digest\`).
"""
open(sys.argv[1], "w").write(out)
PY
echo "wrote bench/RESULTS-redis.md"
