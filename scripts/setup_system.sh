#!/usr/bin/env bash
# Install the Debian packages that browser tests and chart-image export need, when they are missing.
# Runs apt-get only as root; otherwise it says what is missing and carries on (browser tests then skip).
set -euo pipefail
PKGS=(chromium fonts-noto-cjk)
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${PKGS[*]}"
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "missing system packages: ${missing[*]} (install them as root with apt-get; browser tests will skip)" >&2
fi
