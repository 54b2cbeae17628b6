#!/usr/bin/env bash
# arca benchmark: generates the corpora, runs arca, restic and borg on each in turn, and writes
# bench/RESULTS.md. See bench/README.md.
#
#   bench/run.sh                 full run: ~2 GB + 1.5 GB + 1.5 GB + 1 GB corpora, 3 reps (medians), JMH
#   bench/run.sh --small         smoke run: tiny corpora, 1 rep, arca on its default JDK and restic,
#                                no JMH; under 3 minutes
#
# Options:
#   --small                 tiny corpora, 1 rep, tools "arca-jdkNEWEST restic", no JMH
#   --reps N                repetitions of every sequence (default 3, 1 with --small)
#   --corpora "A B"         subset of: files redis rocksdb aerospike
#   --tools "A B"           subset of: arca-jdk17 arca-jdkNN restic borg-lz4 borg-zstd3
#   --seed N                corpus seed (default 20240601; also SEED=)
#   --out FILE              report file (default bench/RESULTS.md)
#   --jmh / --no-jmh        run bench/jmh.sh and add its table (default: on in full mode)
#   --gen-only              generate the corpora and stop
# Environment: BENCH_DATA (default /tmp/arca-bench) holds corpora, repositories and raw results;
# FILES_BYTES, REDIS_BYTES, ROCKS_BYTES, ASB_BYTES override corpus sizes.
set -euo pipefail

ORIG_ARGS="$*"
ORIG_ENV_SIZES=""   # corpus sizes given in the environment: part of the command to report
for v in FILES_BYTES REDIS_BYTES ROCKS_BYTES ASB_BYTES; do [ -n "${!v:-}" ] && ORIG_ENV_SIZES+=" $v"; done
MODE=full
OPT_REPS="" OPT_CORPORA="" OPT_TOOLS="" OPT_OUT="" OPT_JMH="" GEN_ONLY=0
while [ $# -gt 0 ]; do
  case $1 in
    --small) MODE=small ;;
    --reps) OPT_REPS=$2; shift ;;
    --corpora) OPT_CORPORA=$2; shift ;;
    --tools) OPT_TOOLS=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --out) OPT_OUT=$2; shift ;;
    --jmh) OPT_JMH=1 ;;
    --no-jmh) OPT_JMH=0 ;;
    --gen-only) GEN_ONLY=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$OPT_REPS" ] && REPS=$OPT_REPS

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"
. "$here/lib/deps.sh"
. "$here/lib/corpora.sh"
. "$here/lib/tools.sh"

CORPORA=${OPT_CORPORA:-$CORPORA_ALL}
OUT=${OPT_OUT:-$BENCH_DIR/RESULTS.md}
if [ -z "$OPT_JMH" ]; then if [ "$MODE" = small ]; then OPT_JMH=0; else OPT_JMH=1; fi; fi

mkdir -p "$BENCH_DATA"
exec 9> "$BENCH_DATA/.lock"
flock -n 9 || die "another bench/run.sh holds $BENCH_DATA/.lock"

RUN_DIR=$BENCH_DATA/runs/$(date +%Y%m%d-%H%M%S)-$MODE
mkdir -p "$RUN_DIR/logs"
RESULTS=$RUN_DIR/results.tsv
FAILURES=$RUN_DIR/failures.txt
: > "$FAILURES"
START=$(date +%s)
log "run dir $RUN_DIR (mode $MODE, seed $SEED)"

ensure_packages
ensure_corpusgen
ensure_arca
tools_detect
if [ -n "$OPT_TOOLS" ]; then
  TOOLS=$OPT_TOOLS
elif [ "$MODE" = small ]; then
  # Each arca command costs ~3-4 s of fixed start-up here (JVM + Argon2id), so the smoke run keeps
  # one arca JDK (the launcher's default) and restic to stay under 3 minutes.
  TOOLS="arca-jdk$JDKNEW_FEATURE restic"
else
  TOOLS=$TOOLS_ALL
fi
for t in $TOOLS; do tool_setup "$t"; done
for c in $CORPORA; do declare -F "gen_$c" > /dev/null || die "unknown corpus $c (known: $CORPORA_ALL)"; done

collect_info() {
  local os="" fs
  os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
  fs=$(df -T "$BENCH_DATA" | awk 'NR == 2 {print $2 " on " $1}')
  printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  sizes=""
  for v in FILES_BYTES REDIS_BYTES ROCKS_BYTES ASB_BYTES; do
    case "$ORIG_ENV_SIZES " in *" $v "*) sizes+="$v=${!v} " ;; esac
  done
  printf 'command\t%s\n' "${sizes}bench/run.sh${ORIG_ARGS:+ $ORIG_ARGS}"
  printf 'mode\t%s\n' "$MODE"
  printf 'reps\t%s\n' "$REPS"
  printf 'seed\t%s\n' "$SEED"
  printf 'cpu\t%s\n' "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
  printf 'cores\t%s\n' "$(nproc)"
  printf 'ram\t%s\n' "$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  printf 'kernel\t%s\n' "$(uname -sr)"
  printf 'os\t%s\n' "$os"
  printf 'filesystem\t%s (%s)\n' "$fs" "$BENCH_DATA"
  printf 'arca\t%s, commit %s%s\n' "$("$ARCA" --version | head -1)" "$(git -C "$PROJECT_DIR" rev-parse --short HEAD)" \
    "$( [ -n "$(git -C "$PROJECT_DIR" status --porcelain --untracked-files=no)" ] && echo " + uncommitted changes")"
  printf 'jdk17\t%s\n' "$("$JDK17_JAVA" -version 2>&1 | sed -n 2p)"
  printf 'jdknew\t%s\n' "$("$JDKNEW_JAVA" -version 2>&1 | sed -n 2p)"
  printf 'jdknew_feature\t%s\n' "$JDKNEW_FEATURE"
  printf 'restic\t%s\n' "$(restic version)"
  printf 'borg\t%s\n' "$(borg --version)"
  printf 'redis\t%s\n' "$(redis-server --version | sed -n 's/.*\(v=[^ ]*\).*/redis-server \1/p')"
  printf 'rocksdbjni\t%s\n' "$(sed -n 's:.*<rocksdbjni.version>\(.*\)</rocksdbjni.version>.*:\1:p' "$BENCH_DIR/corpusgen/pom.xml")"
  printf 'tools\t%s\n' "$TOOLS"
  printf 'corpora\t%s\n' "$CORPORA"
  for t in $TOOLS; do printf 'settings.%s\t%s\n' "$t" "$(tool_settings "$t")"; done
}
collect_info > "$RUN_DIR/info.tsv"

for c in $CORPORA; do gen_corpus "$c"; done
log "corpora ready after $(( $(date +%s) - START )) s"
[ "$GEN_ONLY" -eq 1 ] && exit 0

printf 'corpus\ttool\trep\top\twall_s\trss_kb\trc\tin_bytes\tstored_bytes\tadded_bytes\tnote\n' > "$RESULTS"

human() { awk -v b="$1" 'BEGIN {s = "B KB MB GB TB"; split(s, u, " "); i = 1; while (b >= 1000 && i < 5) {b /= 1000; i++} printf (i == 1 ? "%d %s" : "%.1f %s"), b, u[i]}'; }

# timed OP_LABEL IN_BYTES OP [ARGS]: times one operation of the current tool on the current corpus,
# appends a row to results.tsv; returns non-zero when the command failed.
timed() {
  local label=$1 in_bytes=$2 op=$3 before after wall rss rc note=""
  shift 3
  op_cmd "$op" "$CUR_CORPUS" "$@"
  local base=$RUN_DIR/logs/$CUR_CORPUS.$CUR_TOOL.r$CUR_REP.$label
  printf '%s\n' "${CMD[*]}" > "$base.cmd"
  sync
  before=$(repo_bytes "$REPO")
  read -r wall rss rc < <(python3 "$BENCH_DIR/lib/measure.py" "$base.out" "$base.err" -- "${CMD[@]}")
  after=$(repo_bytes "$REPO")
  if grep -q '^arca: building' "$base.err" 2>/dev/null; then note=rebuilt-during-run; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$CUR_CORPUS" "$CUR_TOOL" "$CUR_REP" "$label" \
    "$wall" "$rss" "$rc" "$in_bytes" "$after" $((after - before)) "$note" >> "$RESULTS"
  local rate=""
  [ "$in_bytes" -gt 0 ] && rate=$(awk -v b="$in_bytes" -v w="$wall" 'BEGIN {printf "%6.0f MB/s", b / 1e6 / (w > 0 ? w : 1e-9)}')
  log "$(printf '%-9s %-11s r%s %-15s %8.2f s %11s  rss %5d MB  repo %9s (+%s)%s' "$CUR_CORPUS" "$CUR_TOOL" "$CUR_REP" \
    "$label" "$wall" "$rate" $((rss / 1024)) "$(human "$after")" "$(human $((after - before)))" "${note:+  [$note]}")"
  if [ "$rc" != 0 ]; then
    # arca's classes changed under it (someone built in the work tree meanwhile): worth one retry
    if [ "$KIND" = arca ] && grep -qE 'ClassNotFoundException|NoClassDefFoundError|NoSuchMethodError|NoSuchFieldError|ZipException|Unable to access jarfile' "$base.err"; then
      SEQ_RETRYABLE=1
    fi
    echo "$CUR_CORPUS $CUR_TOOL r$CUR_REP $label: exit $rc (log: $base.err)" >> "$FAILURES"
    log "FAILED (exit $rc): ${CMD[*]}"
    tail -n 5 "$base.err" >&2 || true
    return 1
  fi
}

# One sequence in a fresh work dir: init, backup v1, backup v2, backup v2 again, restore, check.
run_sequence() {
  CUR_TOOL=$1 CUR_CORPUS=$2 CUR_REP=$3
  local v1=$CORPUS_ROOT/$2/v1 v2=$CORPUS_ROOT/$2/v2 src=$WORK/src/$2
  local b1 b2
  b1=$(file_bytes "$v1")
  b2=$(file_bytes "$v2")
  tool_setup "$CUR_TOOL"
  rm -rf "$WORK"
  mkdir -p "$WORK/src" "$CACHE"
  cp -al "$v1" "$src"                # the stable live path every tool backs up: v1 now, v2 later
  warm "$v1" "$v2"
  if [ "$KIND" = arca ] && arca_stale; then arca_ready "${ARCA_JAVA_ENV[@]}"; fi   # any rebuild: here, untimed

  timed init 0 init || return 0
  timed backup-v1 "$b1" backup "$src" || return 0
  python3 "$BENCH_DIR/lib/livesync.py" "$v2" "$src"
  timed backup-v2 "$b2" backup "$src" || return 0
  timed backup-v2-again "$b2" backup "$src" || return 0
  mkdir -p "$RESTORE"
  timed restore "$b2" restore "$RESTORE" || return 0
  if ! verify_restore "$CUR_CORPUS" "$src" "$RESTORE"; then
    echo "$CUR_CORPUS $CUR_TOOL r$CUR_REP restore: restored tree differs from the source ($(head -3 "$WORK/verify.out" | tr '\n' ' '))" >> "$FAILURES"
    log "RESTORE DIFFERS: $(head -3 "$WORK/verify.out")"
  fi
  rm -rf "$RESTORE"
  timed check-read-data "$b2" check || return 0
}

NOTES=$RUN_DIR/notes.txt
: > "$NOTES"
for c in $CORPORA; do
  for rep in $(seq "$REPS"); do
    for t in $TOOLS; do
      SEQ_RETRYABLE=0
      run_sequence "$t" "$c" "$rep"
      if [ "$SEQ_RETRYABLE" = 1 ]; then
        # Drop the failed attempt's rows and failures, and run the whole sequence once more.
        key=$(printf '%s\t%s\t%s\t' "$c" "$t" "$rep")
        grep -v -F "$key" "$RESULTS" > "$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
        grep -v -F "$c $t r$rep " "$FAILURES" > "$FAILURES.tmp" || true
        mv "$FAILURES.tmp" "$FAILURES"
        echo "$c $t r$rep: arca failed to load its classes (the work tree was rebuilt during the run); the sequence was run again" >> "$NOTES"
        log "arca's jar changed during the sequence: running it again"
        SEQ_RETRYABLE=0
        arca_ready "${ARCA_JAVA_ENV[@]}"
        run_sequence "$t" "$c" "$rep"
      fi
    done
  done
done
rm -rf "$WORK"

JMH_MD=""
if [ "$OPT_JMH" = 1 ]; then
  JMH_MD=$RUN_DIR/jmh.md
  "$BENCH_DIR/jmh.sh" --out "$JMH_MD" || { echo "jmh: bench/jmh.sh failed" >> "$FAILURES"; JMH_MD=""; }
fi

printf 'elapsed\t%s\n' "$(( $(date +%s) - START ))" >> "$RUN_DIR/info.tsv"
python3 "$BENCH_DIR/report.py" --results "$RESULTS" --info "$RUN_DIR/info.tsv" --corpus-root "$CORPUS_ROOT" \
  --failures "$FAILURES" --notes "$NOTES" ${JMH_MD:+--jmh "$JMH_MD"} --analysis "$BENCH_DIR/ANALYSIS.md" > "$RUN_DIR/RESULTS.md"
cp "$RUN_DIR/RESULTS.md" "$OUT"
log "wrote $OUT (raw: $RUN_DIR) in $(( $(date +%s) - START )) s"
if [ -s "$FAILURES" ]; then log "there were failures:"; cat "$FAILURES" >&2; exit 1; fi
