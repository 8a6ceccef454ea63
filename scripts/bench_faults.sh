#!/usr/bin/env bash
# Benchmark of issue 13: the provider report for a month with 2,000 faults, goal < 200 ms.
# It prints numbers beside the goal; it judges nothing (the exit status is 0 either way).
#
#   scripts/bench_faults.sh            (release build expected: swift build -c release --product simpul)
#
# 1. Imports the example district (Inventory/) and the SOPs (Playbooks/) into a temporary database.
# 2. `simpul fault generate` (hidden) makes a month of faults on NUSANET's 16 links through the faults
#    module on a simulated clock: reported, assigned, not fixed and escalated (the level's mail in the
#    outbox), acknowledged (one in eight late, one in thirty never), the ticket sweep every ten minutes
#    (the ladder's next levels, the playbook's rules), restored (about one in six past the contract),
#    the result, closed.
# 3. `simpul report provider NUSANET --month M --bench-runs N` (hidden option) makes the report N times
#    in one process, as the command and the page make it (every breach with its evidence), and prints the
#    median and p99; then the whole command (`--json`, process start included) is timed with hyperfine
#    when it is installed.
# Nothing connects anywhere. Environment: SIMPUL_BIN (default .build/release/simpul), BENCH_FAULTS
# (default 2000), BENCH_RUNS (default 50), BENCH_FAULT_MONTH (default: last month in WITA),
# BENCH_FAULT_DB (keep the generated database at this path instead of a temporary one).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$(pwd)"
BIN="${SIMPUL_BIN:-$REPO/.build/release/simpul}"
FAULTS="${BENCH_FAULTS:-2000}"
RUNS="${BENCH_RUNS:-50}"
MONTH="${BENCH_FAULT_MONTH:-$(TZ=Asia/Makassar date -d "$(TZ=Asia/Makassar date +%Y-%m-01) -1 day" +%Y-%m)}"

die() { echo "error: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "no release binary at $BIN: run 'swift build -c release --product simpul'"

TMP="$(mktemp -d -t simpul-bench-faults.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
DB="${BENCH_FAULT_DB:-$TMP/faults.db}"
rm -f "$DB" "$DB-wal" "$DB-shm"
export SIMPUL_DB="$DB" SIMPUL_BCRYPT_COST=4 SIMPUL_LANG=en

echo "Simpul provider-report benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo 'uncommitted')"
echo "binary: $BIN"
echo "==> importing the example district and the SOPs"
"$BIN" inventory import "$REPO/Inventory" >"$TMP/import.out" || { cat "$TMP/import.out"; die "inventory import failed"; }
"$BIN" playbook import "$REPO/Playbooks" >"$TMP/playbooks.out" || { cat "$TMP/playbooks.out"; die "playbook import failed"; }
echo "==> generating $FAULTS faults on NUSANET's links in $MONTH (through the faults module)"
"$BIN" fault generate --month "$MONTH" --count "$FAULTS" --provider NUSANET
echo "==> the provider report, $RUNS runs in one process"
LINE="$("$BIN" report provider NUSANET --month "$MONTH" --bench-runs "$RUNS")"
echo "$LINE"
if command -v hyperfine >/dev/null 2>&1; then
    echo "==> the whole command (simpul report provider NUSANET --month $MONTH --json), process start included"
    hyperfine --warmup 2 --runs 20 --style basic --export-json "$TMP/hyperfine.json" \
        "$BIN report provider NUSANET --month $MONTH --json >/dev/null" >/dev/null
    python3 - "$TMP/hyperfine.json" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))["results"][0]
times = sorted(result["times"])
print(f"whole command: median {result['median'] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms over {len(times)} runs")
PY
fi
echo
echo "RESULT  provider report, $FAULTS faults in a month: ${LINE#*runs: }"
