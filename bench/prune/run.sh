#!/usr/bin/env bash
# Prune at scale: a synthetic LMDB index of N blobs (default 50 million), lookups and prune's
# planning with a 512 MB heap. Usage: bench/prune/run.sh [BLOBS] [DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
n="${1:-50000000}"
dir="${2:-${TMPDIR:-/tmp}/arca-prune-scale-$n}"
"$root/arca" --version >/dev/null    # builds cli/target/arca-cli.jar when stale
java="${ARCA_JAVA:-java}"
exec "$java" -Xmx512m -XX:+UseSerialGC --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp "$root/cli/target/arca-cli.jar:$root/cli/target/lib/*" "$here/PruneScale.java" "$n" "$dir"
