#!/usr/bin/env bash
# JMH microbenchmarks of arca's single stages (bench/jmh), on JDK 17 and on the newest JDK, printed
# in MB/s next to the per-stage limits measured in DESIGN §9.
#
#   bench/jmh.sh                   all benchmarks, both JDKs (~3.5 minutes)
#   bench/jmh.sh --out FILE        also write the markdown table to FILE
#   bench/jmh.sh Zstd              only benchmarks matching a JMH regex
# Short settings: 1 fork, 3 warm-up iterations of 2 s, 5 measured iterations of 1 s per benchmark
# (JMH_OPTS overrides them, e.g. JMH_OPTS="-f 2 -wi 5 -i 10").
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project=$(cd "$here/.." && pwd)
out=""
filters=()
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) filters+=("$1") ;;
  esac
  shift
done
jar=$here/jmh/target/arca-jmh.jar
if [ ! -f "$jar" ] || [ -n "$(find "$here/jmh/src" "$here/jmh/pom.xml" "$project"/chunker/src/main "$project"/repo-format/src/main "$project/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "jmh: building bench/jmh (mvn -P jmh package)" >&2
  (cd "$project" && mvn -q -B -P jmh -pl bench/jmh -am -DskipTests package) >&2
fi

. "$here/lib/common.sh"
tmp=$(mktemp -d /tmp/arca-jmh.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
read -r newest_feature newest_java < <(newest_jdk)
jdks=("17 $JDK17_JAVA")
[ "$newest_feature" -gt 17 ] && jdks+=("$newest_feature $newest_java")
opts=${JMH_OPTS:--f 1 -wi 3 -w 2s -i 5 -r 1s}
args=()
for j in "${jdks[@]}"; do
  feature=${j%% *} java=${j#* }
  extra=""
  [ "$feature" -ge 22 ] && extra="--enable-native-access=ALL-UNNAMED"
  echo "jmh: JDK $feature ($java)" >&2
  # shellcheck disable=SC2086
  "$java" -jar "$jar" $opts ${extra:+-jvmArgsAppend "$extra"} -rf json -rff "$tmp/jdk$feature.json" "${filters[@]}" \
    > "$tmp/jdk$feature.log" 2>&1 || { tail -30 "$tmp/jdk$feature.log" >&2; exit 1; }
  grep -E '^(Benchmark|[A-Z][A-Za-z]+Bench\.)' "$tmp/jdk$feature.log" >&2 || true
  args+=("$feature=$tmp/jdk$feature.json")
done
grep -oh '# zstd level [0-9]* ratio [0-9.]*' "$tmp"/jdk*.log | sort -u > "$tmp/ratios.txt" || true
python3 "$here/lib/jmh_report.py" --ratios "$tmp/ratios.txt" --opts "$opts" "${args[@]}" > "$tmp/table.md"
cat "$tmp/table.md"
[ -z "$out" ] || cp "$tmp/table.md" "$out"
