#!/usr/bin/env bash
# Install BIND (named, tsig-keygen, named-checkzone, dig) for the DNS tests without letting Debian
# start the system's named: the tests run their own on 127.0.0.1 at a high port, and a system
# resolver would send queries to the root servers, which nothing here may do.
#   scripts/named-ensure.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkgs=(bind9 bind9-utils bind9-dnsutils)

missing=0
for pkg in "${pkgs[@]}"; do
    dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || missing=1
done
if [ "$missing" -eq 0 ]; then
    echo "==> apt: already installed: ${pkgs[*]}"
    exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
policy=/usr/sbin/policy-rc.d
placed=0
if [ ! -e "$policy" ]; then
    # invoke-rc.d asks this script whether a package may start its service; 101 means no.
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    placed=1
fi
trap '[ "$placed" -eq 1 ] && "${sudo[@]}" rm -f "$policy"' EXIT
"$here/apt-ensure.sh" "${pkgs[@]}"
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    "${sudo[@]}" systemctl disable --now named.service >/dev/null 2>&1 || true
    echo "==> named.service is disabled; the DNS tests start their own named on 127.0.0.1"
fi
