#!/usr/bin/env bash
# Install the Debian packages that browser tests, chart-image export and the office exports need, when missing:
#   chromium + fonts-noto-cjk      chart images (kaleido) and browser tests, with Chinese glyphs
#   libreoffice-impress/-writer    the pack and the brief opened, converted to PDF and rendered in tests
#   fonts-liberation2              metric twins of Arial and Times New Roman, so those renders wrap like Office
#   poppler-utils                  pdftoppm / pdfinfo: PDF pages to PNG in those tests
# Runs apt-get only as root; otherwise it says what is missing and carries on (those tests then skip, or fail
# under CI=true).
set -euo pipefail
# grep reads all of fc-list (no -q): with pipefail, an early exit would fail the pipe with SIGPIPE.
PKGS=(chromium fonts-noto-cjk libreoffice-impress libreoffice-writer poppler-utils fonts-liberation2 nginx-light)
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
# Impress and Writer are separate packages behind one soffice binary: check each one's package status.
for pkg in libreoffice-impress libreoffice-writer; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -i "Liberation Serif" >/dev/null || missing+=(fonts-liberation2)
# nginx: the load balancer of `python -m webserver.cluster` (several dashboard processes, sticky sessions).
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
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
  echo "missing system packages: ${missing[*]} (install them as root with apt-get; those tests will skip)" >&2
fi
