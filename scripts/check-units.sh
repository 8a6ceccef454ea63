#!/usr/bin/env bash
# Checks the systemd units in systemd/ without needing a running systemd (CI containers too):
#   - every *.service scores MAX_EXPOSURE (default 1.5) or lower on
#     `systemd-analyze security --offline=true`; a unit over it fails with its score and the
#     settings that cost the most;
#   - `systemd-analyze verify` has nothing to say about any unit (services and timers), apart from
#     /usr/local/bin/simpul not being installed on this machine;
#   - every timer's service is there, and no service counts a non-zero exit status as success.
# Installs the Debian package `systemd` (it provides systemd-analyze) through scripts/apt-ensure.sh
# when systemd-analyze is missing. `make test` runs it.
#   scripts/check-units.sh
#   MAX_EXPOSURE=1.0 scripts/check-units.sh      # a stricter limit
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
units_dir=${UNITS_DIR:-$root/systemd}
max=${MAX_EXPOSURE:-1.5}
# The binary the units start; verify complains when it is not installed here, which is no fault of the units.
binary=/usr/local/bin/simpul

if ! [[ "$max" =~ ^[0-9]+(\.[0-9])?$ ]]; then
    echo "error: MAX_EXPOSURE must look like 1.5 (one decimal at most), not '$max'" >&2
    exit 2
fi
# --threshold takes the exposure times ten (1.5 -> 15).
threshold=$(awk -v m="$max" 'BEGIN { printf "%d", m * 10 + 0.5 }')

if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "==> units: systemd-analyze is missing; installing the Debian package systemd"
    "$root/scripts/apt-ensure.sh" systemd
    command -v systemd-analyze >/dev/null 2>&1 || { echo "error: still no systemd-analyze after installing systemd" >&2; exit 1; }
fi

export SYSTEMD_PAGER=cat SYSTEMD_COLORS=0
shopt -s nullglob
services=("$units_dir"/*.service)
units=("$units_dir"/*.service "$units_dir"/*.timer "$units_dir"/*.socket "$units_dir"/*.path)
if [ "${#services[@]}" -eq 0 ]; then
    echo "error: no .service files in $units_dir" >&2
    exit 1
fi

echo "==> units: $(systemd-analyze --version | head -n 1); exposure limit $max, ${#services[@]} services in ${units_dir#"$root"/}"
failed=0

for unit in "${services[@]}"; do
    name=$(basename "$unit")
    rc=0
    report=$(systemd-analyze security --no-pager --offline=true --threshold="$threshold" "$unit" 2>&1) || rc=$?
    score=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9]*\.[0-9]\).*/\1/p' | tail -n 1)
    if [ -z "$score" ]; then
        echo "FAIL $name: systemd-analyze security gave no overall exposure level (exit status $rc):" >&2
        printf '%s\n' "$report" | sed 's/^/       /' >&2
        failed=1
        continue
    fi
    over=$(awk -v s="$score" -v m="$max" 'BEGIN { print (s > m) ? 1 : 0 }')
    if [ "$over" -eq 1 ] || [ "$rc" -ne 0 ]; then
        echo "FAIL $name: exposure $score, over the limit $max (systemd-analyze exit status $rc); the settings that cost the most:" >&2
        # Table rows that cost something end in their share of the exposure; the best rows end in nothing.
        printf '%s\n' "$report" \
            | awk '$NF ~ /^[0-9]+\.[0-9]+$/ && !/Overall exposure level/ { line = $0; sub(/^[^ ]+ +/, "", line); sub(/ +[0-9.]+$/, "", line); printf "%s\t%s\n", $NF, line }' \
            | sort -t "$(printf '\t')" -k1,1 -r -n -s \
            | awk -F '\t' 'NR <= 10 { printf "       %s  %s\n", $1, $2 }' >&2
        failed=1
    else
        echo "ok   $name: exposure $score (limit $max)"
    fi
done

# verify: unknown or misspelt settings, bad values, timers pointing at no service, ...
rc=0
out=$(systemd-analyze verify --no-pager --man=no --recursive-errors=no "${units[@]}" 2>&1) || rc=$?
problems=$(printf '%s\n' "$out" | grep -v -F "Command $binary is not executable" | grep -v '^[[:space:]]*$' || true)
if [ -n "$problems" ]; then
    echo "FAIL systemd-analyze verify (exit status $rc) found problems:" >&2
    printf '%s\n' "$problems" | sed 's/^/       /' >&2
    failed=1
elif [ "$rc" -ne 0 ] && ! printf '%s\n' "$out" | grep -q -F "Command $binary is not executable"; then
    echo "FAIL systemd-analyze verify exited with status $rc without saying why" >&2
    failed=1
else
    echo "ok   systemd-analyze verify: ${#units[@]} units$( [ "$rc" -ne 0 ] && echo " ($binary is not installed here; ignored)")"
fi

# What verify lets through: a timer whose service is not here is only "not found" when it fires.
for timer in "$units_dir"/*.timer; do
    target=$(sed -n 's/^[[:space:]]*Unit=[[:space:]]*//p' "$timer" | tail -n 1)
    target=${target:-$(basename "$timer" .timer).service}
    if [ ! -f "$units_dir/$target" ]; then
        echo "FAIL $(basename "$timer"): it starts $target, which is not in ${units_dir#"$root"/}" >&2
        failed=1
    fi
done
# A failed run must show as failed (systemctl status, --failed, the journal): no exit status other
# than 0 may be declared a success. Signals (SIGTERM, ...) are allowed.
for unit in "${services[@]}"; do
    codes=$(sed -n 's/^[[:space:]]*SuccessExitStatus=//p' "$unit" | tr -s ' \t' '\n\n' | grep -E '^[0-9]+$' | grep -v -x '0' || true)
    if [ -n "$codes" ]; then
        echo "FAIL $(basename "$unit"): SuccessExitStatus= counts exit status $(echo $codes | tr ' ' ',') as success; a failed run would look fine" >&2
        failed=1
    fi
done

if [ "$failed" -ne 0 ]; then
    echo "==> units: FAILED" >&2
    exit 1
fi
echo "==> units: every service at $max or lower, verify clean, timers and exit statuses fine"
