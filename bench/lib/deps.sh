# Installs and builds what the harness needs. Sourced by run.sh.

# Debian packages: restic, borg, redis (server for the corpus, cli for loading it), GNU time.
ensure_packages() {
  local need=()
  command -v restic >/dev/null || need+=(restic)
  command -v borg >/dev/null || need+=(borgbackup)
  command -v redis-server >/dev/null || need+=(redis-server)
  command -v redis-cli >/dev/null || need+=(redis-tools)
  [ -x /usr/bin/time ] || need+=(time)
  command -v python3 >/dev/null || need+=(python3)
  command -v mvn >/dev/null || need+=(maven)
  [ ${#need[@]} -eq 0 ] && return 0
  log "installing ${need[*]} (apt-get)"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >&2 || die "apt-get install ${need[*]} failed"
  # The package may start a system redis-server; the harness runs its own private instance and
  # never touches that one.
}

# The corpus generators (bench/corpusgen, a standalone Maven project): rebuilt when a source is newer.
ensure_corpusgen() {
  local jar=$BENCH_DIR/corpusgen/target/corpusgen.jar
  if [ ! -f "$jar" ] || [ -n "$(find "$BENCH_DIR/corpusgen/src" "$BENCH_DIR/corpusgen/pom.xml" -newer "$jar" -print -quit)" ]; then
    log "building bench/corpusgen (mvn package)"
    (cd "$BENCH_DIR/corpusgen" && mvn -q -B package) >&2 || die "building bench/corpusgen failed"
  fi
}

# arca itself: the launcher rebuilds when a pom or a source is newer than cli/target/arca-cli.jar.
# Let that happen here, outside any timed run. When the change does not alter the cli module
# (a pom, or another module's source), `mvn package` leaves the jar as it was, and the launcher then
# rebuilds on every start (~10 s each): detect that and recreate the jar once.
arca_ready() {
  local err; err=$(mktemp)
  rebuilds() { "$@" "$ARCA" --version > /dev/null 2> "$err" || { cat "$err" >&2; die "arca does not build or start"; }; grep -q '^arca: building' "$err"; }
  if rebuilds "$@" && rebuilds "$@"; then
    log "the arca launcher rebuilds on every start (its jar is older than a pom or source that mvn does not re-jar): recreating cli/target/arca-cli.jar"
    (cd "$PROJECT_DIR" && mvn -q -B -DskipTests -Dmaven.jar.forceCreation=true -pl cli -am package) >&2
    if rebuilds "$@"; then rm -f "$err"; die "the arca launcher still rebuilds on every start"; fi
  fi
  rm -f "$err"
}
ensure_arca() { arca_ready env; }

# True when the launcher would rebuild on its next start (its own test: a pom or a main source
# newer than the jar). Cheaper than starting a JVM before every sequence.
arca_stale() {
  local jar=$PROJECT_DIR/cli/target/arca-cli.jar
  [ ! -f "$jar" ] || [ -n "$(find "$PROJECT_DIR"/*/src/main "$PROJECT_DIR"/pom.xml "$PROJECT_DIR"/*/pom.xml -newer "$jar" -print -quit 2>/dev/null)" ]
}
