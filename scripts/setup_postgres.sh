#!/usr/bin/env bash
# Install Debian's PostgreSQL server when missing: the tests start a throw-away cluster of their own
# (tests/support/postgres.py) on a Unix socket in a temporary folder, and stop it when they end.
# Runs apt-get only as root; otherwise it says what is missing (the PostgreSQL tests then skip, or fail under CI).
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
  echo "postgresql present: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1)"
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
else
  echo "missing: postgresql (install it as root with apt-get; the PostgreSQL tests will skip)" >&2
fi
