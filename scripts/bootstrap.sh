#!/usr/bin/env bash
# Installs every build and test dependency of orderbridge from Debian 12 packages.
# A no-op when they are all present. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcurl4-openssl-dev libcsv-dev libcjson-dev libxml2-dev libssl-dev zlib1g-dev
  libxlsxwriter-dev libminizip-dev libsqlite3-dev libmicrohttpd-dev libinih-dev
  libcrypt-dev libcmocka-dev
  groff-base
  python3 curl openssl
)
# Optional extras (tests that need them say so and skip when they are absent).
if [ "${OB_BOOTSTRAP_EXTRAS:-}" != "" ]; then
  read -r -a extras <<<"$OB_BOOTSTRAP_EXTRAS"
  packages+=("${extras[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; then
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
