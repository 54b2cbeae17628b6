# Shared settings and helpers of the benchmark harness. Sourced by run.sh (after it parsed its
# options into MODE, SEED, ...); not meant to be run on its own.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROJECT_DIR=$(cd "$BENCH_DIR/.." && pwd)
ARCA=$PROJECT_DIR/arca
: "${BENCH_DATA:=/tmp/arca-bench}"
: "${SEED:=20240601}"
: "${MODE:=full}"

# Corpus sizes in bytes: the issue's sizes in full mode, tiny ones for --small. Each can be
# overridden from the environment (FILES_BYTES=... bench/run.sh).
if [ "$MODE" = small ]; then
  : "${FILES_BYTES:=16000000}" "${REDIS_BYTES:=12000000}" "${ROCKS_BYTES:=12000000}" "${ASB_BYTES:=8000000}"
  : "${ASB_FILE_LIMIT:=3145728}"      # several .asb files even for a tiny backup
  : "${REPS:=1}"
else
  : "${FILES_BYTES:=2000000000}" "${REDIS_BYTES:=1500000000}" "${ROCKS_BYTES:=1500000000}" "${ASB_BYTES:=1000000000}"
  : "${ASB_FILE_LIMIT:=262144000}"    # asbackup's default --file-limit, 250 MiB
  : "${REPS:=3}"
fi

CORPUS_ROOT=$BENCH_DATA/corpus-$MODE-seed$SEED    # <corpus>/v1, <corpus>/v2, <corpus>/meta.txt
WORK=$BENCH_DATA/work                             # per-sequence: repo, caches, live source dir, restore target
REPO=$WORK/repo
RESTORE=$WORK/restore
CACHE=$WORK/cache
JDK17_JAVA=${JDK17_JAVA:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
CORPUSGEN_CP="$BENCH_DIR/corpusgen/target/corpusgen.jar:$BENCH_DIR/corpusgen/target/lib/*"

# Every tool keeps its cache (and borg its config and security dirs) inside the per-run work dir:
# each sequence starts cold for the repository index, like a first backup on a new machine.
export ARCA_PASSWORD=bench-password RESTIC_PASSWORD=bench-password BORG_PASSPHRASE=bench-password
export ARCA_CACHE_DIR=$CACHE/arca RESTIC_CACHE_DIR=$CACHE/restic BORG_BASE_DIR=$CACHE/borg
export BORG_RELOCATED_REPO_ACCESS_IS_OK=yes BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
unset ARCA_REPOSITORY ARCA_PASSWORD_FILE RESTIC_REPOSITORY BORG_REPO

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Sum of the sizes of the regular files under the arguments (the corpus's logical size).
file_bytes() { find "$@" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f\n", s}'; }
file_count() { find "$@" -type f | wc -l; }
# Size of a repository directory, as du -sb reports it (0 when absent).
repo_bytes() { if [ -e "$1" ]; then du -sb "$1" | awk '{print $1}'; else echo 0; fi; }
# Reads every file once so the corpus is in the page cache (timed runs see a warm cache).
warm() { find "$@" -type f -print0 | xargs -0 -r cat > /dev/null; }

# The newest JDK (>= 17) under /usr/lib/jvm, as the arca launcher picks it: prints "FEATURE PATH".
newest_jdk() {
  local best=0 path="" j v
  for j in /usr/lib/jvm/*/bin/java; do
    [ -x "$j" ] || continue
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$(dirname "$(readlink -f "$j")")")/release" 2>/dev/null)
    [ -n "$v" ] || continue
    if [ "$v" -ge 17 ] && [ "$v" -gt "$best" ]; then best=$v path=$j; fi
  done
  echo "$best $path"
}
