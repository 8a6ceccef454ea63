#!/usr/bin/env bash
# Install the Debian packages named on the command line that are not installed yet.
# Runs `apt-get update` once, and only when something is missing; uses sudo when not root.
#   scripts/apt-ensure.sh libsnmp-dev libpcap-dev ...
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PACKAGE..." >&2
    exit 2
fi

missing=()
for pkg in "$@"; do
    if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "==> apt: already installed: $*"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "error: these packages are missing and I am not root and there is no sudo: ${missing[*]}" >&2
    echo "       install them yourself: apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "==> apt: installing missing packages: ${missing[*]}"
echo "==> apt: apt-get update"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
