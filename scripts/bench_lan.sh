#!/usr/bin/env bash
# Benchmarks of issue 15 (LAN installation and upkeep). It prints numbers beside the goals; it judges
# nothing (the exit status is 0 unless a step could not run).
#
#   scripts/bench_lan.sh [u] [p]      (both when none is named)
#
#   u) The upkeep plan for 1,000 agencies over two years — goal < 1 s. A generated inventory
#      (scripts/gen_inventory.py, 1,000 agencies) on a fresh database with the playbooks; `simpul
#      upkeep plan --dry-run --json` ten times (the planner's own milliseconds as the command reports
#      them: median and slowest; then the whole command with hyperfine, process start and the
#      database read included), then the plan written once (2,000 visits and the tickets of those due).
#   p) A letter rendered to PDF — goal p99 < 1 s, the renderer's start-up reported apart. The example
#      district; a request filed, initialled and signed through the CLI; `simpul lan letter T --kind
#      work-order --bench-runs 50` starts headless Chromium once (its start-up in ms) and prints the
#      work order's page to PDF 50 times (median, p99); then one `--pdf` command end to end (hyperfine,
#      3 runs: process start, Chromium start, one render).
#
# Nothing leaves 127.0.0.1 (Chromium loads the page from memory and every request it would make is
# refused). Environment: SIMPUL_BIN (default .build/release/simpul), BENCH_LAN_AGENCIES (1000),
# BENCH_LAN_RUNS (50).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$(pwd)"
BIN="${SIMPUL_BIN:-$REPO/.build/release/simpul}"
AGENCIES="${BENCH_LAN_AGENCIES:-1000}"
RUNS="${BENCH_LAN_RUNS:-50}"
PARTS="${*:-u p}"
TMP="$(mktemp -d /tmp/simpul-bench-lan.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
export SIMPUL_BCRYPT_COST=4 SIMPUL_LANG=en
step() { printf '\n==> %s\n' "$*"; }
hyperfine_line() {
    python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"    {sys.argv[2]}: mean {r['mean'] * 1000:.0f} ms, max {r['max'] * 1000:.0f} ms over {len(r['times'])} runs")
PY
}
[ -x "$BIN" ] || { echo "no simpul binary at $BIN (make bench builds it)" >&2; exit 1; }
YEAR="$(TZ=Asia/Makassar date +%Y)"

if [[ " $PARTS " == *" u "* ]]; then
    step "u) upkeep plan: $AGENCIES agencies, $YEAR–$((YEAR + 1)), goal < 1 s"
    python3 "$REPO/scripts/gen_inventory.py" "$TMP/inv" --agencies "$AGENCIES" --links "$AGENCIES" >/dev/null
    export SIMPUL_DB="$TMP/plan.db"
    "$BIN" inventory import "$TMP/inv" >/dev/null
    "$BIN" playbook import "$REPO/Playbooks" >/dev/null
    for _ in $(seq 1 10); do
        "$BIN" upkeep plan --year "$YEAR" --through "$((YEAR + 1))" --dry-run --json
    done >"$TMP/dry.jsonl"
    python3 - "$TMP/dry.jsonl" <<'PY'
import json, sys, statistics
text, decoder, runs, at = open(sys.argv[1]).read(), json.JSONDecoder(), [], 0
while text[at:].strip():
    at += len(text[at:]) - len(text[at:].lstrip())
    run, at = decoder.raw_decode(text, at)
    runs.append(run)
ms = sorted(r["plannerMilliseconds"] for r in runs)
planned, conflicts = runs[0]["planned"], len(runs[0]["conflicts"])
print(f"    planner: {planned:,} visits for the two years, {conflicts} conflicts; "
      f"median {statistics.median(ms):.1f} ms, slowest {ms[-1]:.1f} ms over {len(ms)} runs (goal < 1000 ms)")
PY
    hyperfine --runs 5 --warmup 1 --style basic --export-json "$TMP/plan.json" \
        "SIMPUL_DB='$SIMPUL_DB' '$BIN' upkeep plan --year $YEAR --through $((YEAR + 1)) --dry-run --json >/dev/null" >/dev/null
    hyperfine_line "$TMP/plan.json" "the whole command (process, database read, plan)"
    START=$(date +%s%N)
    "$BIN" upkeep plan --year "$YEAR" --through "$((YEAR + 1))" --json >"$TMP/written.json"
    END=$(date +%s%N)
    python3 - "$TMP/written.json" "$END" "$START" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
planned, opened, ms = r["planned"], r["opened"], (int(sys.argv[2]) - int(sys.argv[3])) / 1e6
print(f"    written once: {planned:,} visits, {opened:,} tickets opened, {ms:.0f} ms in all")
PY
    unset SIMPUL_DB
fi

if [[ " $PARTS " == *" p "* ]]; then
    step "p) a letter to PDF: headless Chromium once, then $RUNS renders of the work order, goal p99 < 1 s"
    export SIMPUL_DB="$TMP/letters.db"
    "$BIN" inventory import "$REPO/Inventory" >/dev/null
    "$BIN" playbook import "$REPO/Playbooks" >/dev/null
    for u in "tu.kominfo clerk" "kasi.jaringan supervisor" "kabid.tik supervisor" "kadis head"; do
        set -- $u
        echo "bench-password-2026" | "$BIN" user add "$1" --role "$2" --name "Bench $1" --password-stdin >/dev/null
    done
    "$BIN" lan request --as tu.kominfo --agency DINKES --letter 045/1/DINKES/XII/2026 --letter-date 2026-12-01 --signed-by "dr. R" \
        --disposition sekda --building "Gedung A" --points 12 --asked "12 titik LAN" --contact Budi >/dev/null
    "$BIN" lan paraf 1 --as kasi.jaringan >/dev/null
    "$BIN" lan paraf 1 --as kabid.tik >/dev/null
    "$BIN" lan sign 1 --as kadis >/dev/null
    "$BIN" lan letter 1 --kind work-order --bench-runs "$RUNS" | sed 's/^/    /'
    hyperfine --runs 3 --style basic --export-json "$TMP/pdf.json" \
        "SIMPUL_DB='$SIMPUL_DB' '$BIN' lan letter 1 --kind approval --bench-runs 1 >/dev/null" >/dev/null
    hyperfine_line "$TMP/pdf.json" "one command end to end (process, Chromium start, one render)"
    unset SIMPUL_DB
fi
