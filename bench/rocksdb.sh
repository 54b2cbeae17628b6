#!/usr/bin/env bash
# arca's rocksdb engine against RocksDB's own BackupEngine on one database (see
# engines/src/test/java/dev/arca/engine/rocksdb/RocksdbBenchTest.java): first and second backup
# time, bytes stored after each, restore time. Writes bench/RESULTS-rocksdb.md.
#
#   bench/rocksdb.sh [BYTES]     BYTES of values to load (default 2147483648); work files go to
#                                $TMPDIR and are removed afterwards; needs about 4x BYTES free there
set -euo pipefail
cd "$(dirname "$0")/.."
BYTES=${1:-2147483648}
mvn -B -q -o -pl engines -am test -Dtest=RocksdbBenchTest -DexcludedGroups=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Darca.bench.rocksdb.bytes="$BYTES" \
  -Darca.bench.rocksdb.out="$PWD/bench/RESULTS-rocksdb.md"
cat bench/RESULTS-rocksdb.md
