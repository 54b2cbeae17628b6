# Corpus generation: each corpus is a pair of directories v1 (first state) and v2 (a later state)
# under $CORPUS_ROOT/<corpus>/, plus meta.txt (what was generated). Sourced by run.sh.
#
# A corpus is generated again only when its stamp (generator sources, sizes, seed) changed.

CORPORA_ALL="files redis rocksdb aerospike"

# RDB bytes per logical byte sent (keys + values): redis compresses strings with LZF and packs
# small collections, so the load sends more than the RDB will hold. Calibrated on this generator
# (rdb / logical = 0.85-0.87 at 16 MB and at 150 MB).
REDIS_LOGICAL_PER_RDB=${REDIS_LOGICAL_PER_RDB:-1.15}

java_gen() { java -Xmx2g -cp "$CORPUSGEN_CP" dev.arca.bench.corpus.Main "$@"; }

corpus_stamp() {
  {
    echo "$1 seed=$SEED files=$FILES_BYTES redis=$REDIS_BYTES/$REDIS_LOGICAL_PER_RDB rocks=$ROCKS_BYTES asb=$ASB_BYTES/$ASB_FILE_LIMIT"
    cat "$BENCH_DIR/corpusgen/pom.xml" "$BENCH_DIR/lib/corpora.sh"
    find "$BENCH_DIR/corpusgen/src" -type f | sort | xargs cat
  } | sha1sum | cut -c1-16
}

gen_corpus() {
  local name=$1 dir=$CORPUS_ROOT/$1 stamp t0
  stamp=$(corpus_stamp "$name")
  if [ -f "$dir/stamp" ] && [ "$(cat "$dir/stamp")" = "$stamp" ]; then
    log "corpus $name: up to date in $dir"
    return 0
  fi
  log "corpus $name: generating in $dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  t0=$(date +%s)
  # In a subshell of its own with errexit on (it is not part of an || list, so -e holds inside),
  # so that any failing step fails the generation and EXIT traps clean up (redis-server).
  local rc=0
  set +e
  ( set -e; "gen_$name" "$dir" ) 2> "$dir/gen.log"
  rc=$?
  set -e
  [ "$rc" -eq 0 ] || { tail -n 20 "$dir"/gen.log "$dir"/*.err "$dir"/server/*.err "$dir"/server/*.out 2>/dev/null >&2; die "generating corpus $name failed (exit $rc)"; }
  {
    echo "v1_bytes_total=$(file_bytes "$dir/v1") v1_files_total=$(file_count "$dir/v1")"
    echo "v2_bytes_total=$(file_bytes "$dir/v2") v2_files_total=$(file_count "$dir/v2")"
    echo "v2_new_inode_bytes=$(python3 "$BENCH_DIR/lib/treediff.py" "$dir/v1" "$dir/v2")"
    echo "generated_in_s=$(( $(date +%s) - t0 ))"
  } >> "$dir/meta.txt"
  echo "$stamp" > "$dir/stamp"
  log "corpus $name: $(tr '\n' ' ' < "$dir/meta.txt" | cut -c1-400)"
}

# 1. a file tree (~2 GB): many small files, some large, text-like and binary; v2 ~3% of files changed.
gen_files() {
  local dir=$1
  java_gen files "$dir/v1" "$dir/v2" "$FILES_BYTES" "$SEED" 2> "$dir/java.err"
  echo "gen: $(tail -1 "$dir/java.err")" > "$dir/meta.txt"
}

# 2. a Redis RDB (~1.5 GB) from a private redis-server with every data type; v2 after ~3% of keys changed.
gen_redis() {
  local dir=$1 srv=$1/server port pid logical keys
  mkdir -p "$srv" "$dir/v1" "$dir/v2"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --port "$port" --bind 127.0.0.1 --protected-mode yes --dir "$srv" --dbfilename dump.rdb \
    --save '' --appendonly no --logfile "$srv/redis.log" --daemonize no &
  pid=$!
  # shellcheck disable=SC2064
  trap "kill $pid 2>/dev/null || true" EXIT    # gen_corpus runs this in a subshell
  local cli=(redis-cli -h 127.0.0.1 -p "$port")
  for _ in $(seq 100); do "${cli[@]}" PING > /dev/null 2>&1 && break; sleep 0.1; done
  "${cli[@]}" PING > /dev/null || { echo "redis-server did not start on port $port" >&2; exit 1; }

  logical=$(awk -v b="$REDIS_BYTES" -v f="$REDIS_LOGICAL_PER_RDB" 'BEGIN {printf "%.0f", b * f}')
  java_gen redis-load "$logical" "$SEED" 2> "$srv/load.err" | "${cli[@]}" --pipe > "$srv/pipe-load.out" 2>&1
  grep -q 'errors: 0,' "$srv/pipe-load.out" || { cat "$srv/load.err" "$srv/pipe-load.out" >&2; exit 1; }
  "${cli[@]}" SAVE > /dev/null
  ln "$srv/dump.rdb" "$dir/v1/dump.rdb"      # SAVE renames a new file into place: this link stays v1
  local n1; n1=$("${cli[@]}" DBSIZE)
  keys=$(tail -1 "$srv/load.err" | sed -n 's/.*keys=\([0-9]*\).*/\1/p')

  java_gen redis-mutate "$keys" "$SEED" 2> "$srv/mutate.err" | "${cli[@]}" --pipe > "$srv/pipe-mutate.out" 2>&1
  grep -q 'errors: 0,' "$srv/pipe-mutate.out" || { cat "$srv/mutate.err" "$srv/pipe-mutate.out" >&2; exit 1; }
  "${cli[@]}" SAVE > /dev/null
  ln "$srv/dump.rdb" "$dir/v2/dump.rdb"
  local n2; n2=$("${cli[@]}" DBSIZE)
  {
    echo "redis_version=$(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') logical_target=$logical"
    echo "load: $(tail -1 "$srv/load.err")"
    echo "mutate: $(tail -1 "$srv/mutate.err")"
    echo "dbsize_v1=$n1 dbsize_v2=$n2 $("${cli[@]}" INFO memory | tr -d '\r' | grep '^used_memory:')"
  } > "$dir/meta.txt"
  "${cli[@]}" SHUTDOWN NOSAVE > /dev/null 2>&1 || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$srv"
}

# 3. a RocksDB directory (~1.5 GB of SST) written through rocksdbjni; v2 after ~3% changes and a compaction.
gen_rocksdb() {
  local dir=$1
  java_gen rocks "$dir/db-scratch" "$dir/v1" "$dir/v2" "$ROCKS_BYTES" "$SEED" 2> "$dir/java.err"
  rm -rf "$dir/db-scratch"
  { grep -E '^(rocksdb_|compact_)' "$dir/java.err"; echo "gen: $(tail -1 "$dir/java.err")"; } > "$dir/meta.txt"
}

# 4. an Aerospike asbackup directory (~1 GB of .asb text, format 3.1); v2 with ~3% of records changed.
gen_aerospike() {
  local dir=$1
  java_gen asb "$dir/v1" "$dir/v2" "$ASB_BYTES" "$ASB_FILE_LIMIT" "$SEED" 2> "$dir/java.err"
  echo "gen: $(tail -1 "$dir/java.err") file_limit=$ASB_FILE_LIMIT" > "$dir/meta.txt"
  python3 "$BENCH_DIR/lib/asb_check.py" "$dir/v1" "$dir/v2" >> "$dir/meta.txt"
}
