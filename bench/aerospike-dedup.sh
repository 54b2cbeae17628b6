#!/usr/bin/env bash
# Second-backup cost on an asbackup directory pair: how many bytes arca (aerospike engine,
# record-aligned chunks), restic and borg add when backing up V2 after V1.
#
#   bench/aerospike-dedup.sh V1_DIR V2_DIR [WORK_DIR]
#
# V1/V2: e.g. the "aerospike" corpus of bench/run.sh (corpusgen asb V1 V2 BYTES FILE_LIMIT SEED).
# Prints one line per tool: the bytes its second backup adds, as the tool reports them (arca:
# data_added before compression and data_added_packed as stored; restic: data_added, before
# compression; borg: deduplicated_size, after lz4), and that as a share of V2's size.
set -euo pipefail
v1=$(realpath "$1"); v2=$(realpath "$2"); work=${3:-$(mktemp -d)}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
size2=$(du -sb "$v2" | cut -f1)
export ARCA_PASSWORD=bench RESTIC_PASSWORD=bench BORG_PASSPHRASE=bench BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
export ARCA_REPOSITORY=$work/arca ARCA_CACHE_DIR=$work/arca-cache
rm -rf "$work/arca" "$work/restic" "$work/borg" "$work/arca-cache"

"$here/arca" -q init >/dev/null
"$here/arca" -q aerospike backup --directory "$v1"
a=$("$here/arca" --json aerospike backup --directory "$v2")
arca_added=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["data_added"], d["data_added_packed"])' "$a")

restic -q -r "$work/restic" init >/dev/null
restic -q -r "$work/restic" backup "$v1" >/dev/null
restic_added=$(restic -r "$work/restic" backup --json "$v2" | python3 -c '
import json,sys
for l in sys.stdin:
    d=json.loads(l)
    if d.get("message_type")=="summary": print(d["data_added"])')

borg init -e repokey "$work/borg" >/dev/null 2>&1
(cd "$(dirname "$v1")" && borg create "$work/borg::v1" "$(basename "$v1")" >/dev/null)
borg_added=$( (cd "$(dirname "$v2")" && borg create --json "$work/borg::v2" "$(basename "$v2")") | python3 -c '
import json,sys; d=json.load(sys.stdin); print(d["archive"]["stats"]["deduplicated_size"])')

read -r arca_raw arca_packed <<<"$arca_added"
pct() { python3 -c "print(f'{100*$1/$2:.1f}%')"; }
printf 'v2 size: %d bytes\n' "$size2"
printf '%-28s %14s %8s\n' tool "bytes added" "of v2"
printf '%-28s %14d %8s\n' "arca (uncompressed)" "$arca_raw" "$(pct "$arca_raw" "$size2")"
printf '%-28s %14d %8s\n' "arca (compressed, stored)" "$arca_packed" "$(pct "$arca_packed" "$size2")"
printf '%-28s %14d %8s\n' "restic $(restic version | cut -d' ' -f2) (data_added)" "$restic_added" "$(pct "$restic_added" "$size2")"
printf '%-28s %14d %8s\n' "borg $(borg --version | cut -d' ' -f2) (dedup, lz4)" "$borg_added" "$(pct "$borg_added" "$size2")"
