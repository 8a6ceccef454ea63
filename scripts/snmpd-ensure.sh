#!/usr/bin/env bash
# Install net-snmp's agent and tools (snmpd; snmpget, snmpbulkwalk) for the SNMP tests without letting
# Debian start the system's snmpd: the tests run their own on 127.0.0.1 at a high port, and a system
# agent would hold 127.0.0.1:161 with Debian's default community for as long as the machine runs.
#   scripts/snmpd-ensure.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkgs=(snmpd snmp)

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

missing=0
for pkg in "${pkgs[@]}"; do
    dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || missing=1
done
if [ "$missing" -eq 1 ]; then
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
else
    echo "==> apt: already installed: ${pkgs[*]}"
fi
# Also when already installed: an snmpd.service enabled since is stopped and disabled again. Without a
# running systemd (a container), `systemctl disable` still removes the boot-time link.
if command -v systemctl >/dev/null 2>&1; then
    if [ -d /run/systemd/system ]; then
        "${sudo[@]}" systemctl disable --now snmpd.service >/dev/null 2>&1 || true
    elif systemctl is-enabled snmpd.service >/dev/null 2>&1; then
        "${sudo[@]}" systemctl disable snmpd.service >/dev/null 2>&1 || true
    fi
    echo "==> snmpd.service is stopped and disabled; the SNMP tests start their own snmpd on 127.0.0.1"
fi
