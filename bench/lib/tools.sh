# The tools under test and their commands. Sourced by run.sh.
#
# A tool name (arca-jdk17, arca-jdk25, restic, borg-lz4, borg-zstd3) selects a KIND (arca, restic,
# borg) and its settings (tool_setup). Each operation is a function that puts the command to time
# into the array CMD, and nothing else:
#
#   <kind>_init                         create the repository $REPO
#   <kind>_backup_<corpus> SRC          back up the live directory SRC (v1, then v2, then v2 again)
#   <kind>_restore_<corpus> TARGET      restore the latest snapshot into the existing dir TARGET
#   <kind>_check                        verify the repository reading all data
#
# op_cmd looks for <kind>_<op>_<corpus> first, then <kind>_<op>. arca has one function per corpus
# for backup and restore: the RocksDB and Aerospike corpora go through their engines (`arca rocksdb`,
# `arca aerospike`), the others through a plain file backup/restore (no Redis engine yet). When an
# engine lands, replace the body of e.g. arca_backup_redis with the engine's command (and
# arca_restore_redis with its restore, plus an arca_verify_restore_redis if the restored layout
# differs), and that corpus's numbers switch to it.

TOOLS_ALL=""   # set by tools_detect

tools_detect() {
  local newest; newest=$(newest_jdk)
  JDKNEW_FEATURE=${newest%% *}
  JDKNEW_JAVA=${newest#* }
  [ -x "$JDK17_JAVA" ] || die "JDK 17 not found at $JDK17_JAVA (set JDK17_JAVA)"
  TOOLS_ALL="arca-jdk17"
  if [ "$JDKNEW_FEATURE" -gt 17 ]; then TOOLS_ALL+=" arca-jdk$JDKNEW_FEATURE"; fi
  TOOLS_ALL+=" restic borg-lz4 borg-zstd3"
}

# tool_setup TOOL: sets KIND and the tool's settings.
tool_setup() {
  case $1 in
    arca-jdk17) KIND=arca; ARCA_JAVA_ENV=(env "ARCA_JAVA=$JDK17_JAVA") ;;
    arca-jdk*) KIND=arca; ARCA_JAVA_ENV=(env -u ARCA_JAVA) ;;   # the launcher's default: the newest JDK
    restic) KIND=restic ;;
    borg-lz4) KIND=borg; BORG_COMPRESSION=lz4 ;;
    borg-zstd3) KIND=borg; BORG_COMPRESSION=zstd,3 ;;
    *) die "unknown tool $1 (known: $TOOLS_ALL)" ;;
  esac
  BORG_ARCHIVES=0
}

# Human-readable settings of each tool, for the report.
tool_settings() {
  case $1 in
    arca-jdk17) echo "arca defaults, \`ARCA_JAVA=$JDK17_JAVA ./arca\`" ;;
    arca-jdk*) echo "arca defaults, \`./arca\` (the launcher's newest JDK: $JDKNEW_JAVA)" ;;
    restic) echo "\`init --repository-version 2\` (compression auto = zstd)" ;;
    borg-lz4) echo "\`init -e repokey-blake2\`, \`create --compression lz4\` (borg's default)" ;;
    borg-zstd3) echo "\`init -e repokey-blake2\`, \`create --compression zstd,3\`" ;;
  esac
}

op_cmd() {
  local op=$1 corpus=$2 f
  shift 2
  CMD=()
  for f in "${KIND}_${op}_${corpus}" "${KIND}_${op}"; do
    if declare -F "$f" > /dev/null; then
      "$f" "$@"
      return 0
    fi
  done
  die "no function ${KIND}_${op}_${corpus} or ${KIND}_${op}"
}

# ---- arca ---------------------------------------------------------------------------------------
arca_cmd() { CMD=("${ARCA_JAVA_ENV[@]}" "$ARCA" -r "$REPO" "$@"); }
arca_init() { arca_cmd init; }
arca_check() { arca_cmd check --read-data; }
arca_backup_plain() { arca_cmd backup --host bench "$1"; }
arca_restore_plain() { arca_cmd restore latest --target "$1"; }

arca_backup_files() { arca_backup_plain "$@"; }
arca_backup_redis() { arca_backup_plain "$@"; }       # engine later: the Redis engine's backup
arca_backup_rocksdb() { arca_cmd rocksdb backup --db "$1" --name bench; }   # live set from CURRENT + MANIFEST
arca_backup_aerospike() { arca_cmd aerospike backup --directory "$1"; }      # record-aligned chunks
arca_restore_files() { arca_restore_plain "$@"; }
arca_restore_redis() { arca_restore_plain "$@"; }
arca_restore_rocksdb() { arca_cmd rocksdb restore latest --name bench --db "$1/db"; }
arca_restore_aerospike() { arca_cmd aerospike restore latest --directory "$1/asb"; }

# The engines restore the database's own layout, not the source path below the target.
# RocksDB: the live set only (no LOCK, LOG, stale OPTIONS or MANIFEST), every restored file equal
# to the source's, and every table file of the source restored.
arca_verify_restore_rocksdb() {
  local src=$1 db=$2/db f
  {
    for f in "$db"/*; do cmp "$f" "$src/$(basename "$f")" || echo "differs: $f"; done
    for f in "$src"/*.sst "$src"/*.blob; do [ -e "$f" ] && [ ! -e "$db/$(basename "$f")" ] && echo "missing: $f"; done
    true
  } > "$WORK/verify.out" 2>&1
  [ ! -s "$WORK/verify.out" ]
}
arca_verify_restore_aerospike() { diff -r -q "$1" "$2/asb" > "$WORK/verify.out" 2>&1; }

# ---- restic -------------------------------------------------------------------------------------
restic_init() { CMD=(restic -r "$REPO" init --repository-version 2); }
restic_backup() { CMD=(restic -r "$REPO" backup --host bench "$1"); }
restic_restore() { CMD=(restic -r "$REPO" restore latest --target "$1"); }
restic_check() { CMD=(restic -r "$REPO" check --read-data); }

# ---- borg ---------------------------------------------------------------------------------------
borg_init() { CMD=(borg init -e repokey-blake2 "$REPO"); }
borg_backup() {
  BORG_ARCHIVES=$((BORG_ARCHIVES + 1))
  CMD=(borg create --compression "$BORG_COMPRESSION" "$REPO::a$BORG_ARCHIVES" "$1")
}
borg_restore() { CMD=(env -C "$1" borg extract "$REPO::a$BORG_ARCHIVES"); }
borg_check() { CMD=(borg check --verify-data "$REPO"); }

# ---- restore verification -----------------------------------------------------------------------
# All three tools restore the absolute source path below the target (borg without the leading /).
# verify_restore CORPUS SRC TARGET: compares the restored tree with the source, byte for byte.
verify_restore() {
  local corpus=$1 src=$2 target=$3 f
  for f in "${KIND}_verify_restore_$1" "verify_restore_$1"; do
    if declare -F "$f" > /dev/null; then "$f" "$src" "$target"; return; fi
  done
  diff -r -q --no-dereference "$src" "$target$src" > "$WORK/verify.out" 2>&1
}
