#!/usr/bin/env bash
# Runs every arca test: installs what the tests need (Debian packages) when it is missing, then
# builds and runs the whole Maven test suite. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

missing=()
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)   # runs arca without root's file-permission bypass
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v ldb >/dev/null 2>&1 || missing+=(rocksdb-tools)     # RocksDB's own BackupEngineReadOnly (ldb restore)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)   # the Redis engine's tests run real servers
command -v rclone >/dev/null 2>&1 || missing+=(rclone)     # serve: a real WebDAV client copies a snapshot
command -v unzip >/dev/null 2>&1 || missing+=(unzip)       # serve, dump: archives extracted by real tools
command -v chromium >/dev/null 2>&1 || missing+=(chromium)   # serve: the browse page in headless Chromium
command -v mariadbd >/dev/null 2>&1 || missing+=(mariadb-server)        # the mysql engine's tests run real servers
command -v mariadb-dump >/dev/null 2>&1 || missing+=(mariadb-client)
command -v mariadb-backup >/dev/null 2>&1 || missing+=(mariadb-backup)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

exec mvn -B verify "$@"
