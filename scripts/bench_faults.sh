#!/usr/bin/env bash
# Benchmarks of issue 13 (fault dispatch). It prints numbers beside the goals; it judges nothing
# (the exit status is 0 unless a step could not run).
#
#   scripts/bench_faults.sh [m] [s] [r]     (all three when none is named; `make bench-faults`)
#
#   m) A fault posted to the API until its escalation mail is accepted by a local SMTP server — goal
#      p99 < 1 s over 200 faults. A generated inventory (scripts/gen_inventory.py, 100 agencies, 200
#      links over three providers whose ladders have an e-mail) on a fresh database; `simpul serve`
#      with SIMPUL_SMTP at an aiosmtpd on 127.0.0.1 (Tests/Rigs/smtp_server.py); for each
#      of 200 links, POST /api/v1/faults then POST /api/v1/faults/{id}/escalate, which answers once
#      the outbox handed the mail to the SMTP server (scripts/fault_mail_load.py run): median and p99
#      of the pair, and how many mails the server accepted.
#   s) Escalation rules evaluated over 10,000 open faults — goal < 0.5 s. The generated inventory of
#      1,000 agencies and 10,000 links; `simpul fault generate --open --count 10000` leaves one open
#      fault on each link where the office would have it (a quarter waiting for a technician, a
#      quarter under repair, many past the step's standard, half escalated, most not yet
#      acknowledged); then `simpul ticket sweep --dry-run` five times (read + clocks + rules due, as
#      the command reports them; median), and the whole sweep — the playbook's rules fired and the
#      providers' ladders climbed, everything it writes — on a fresh copy of the database five times
#      (hyperfine, process start included).
#   r) The provider report for a month with 2,000 faults — goal < 200 ms. The example district;
#      `simpul fault generate` makes last month's faults on NUSANET's 16 links through the faults
#      module on a simulated clock (reported, assigned, not fixed and escalated, acknowledged — one in
#      eight late, one in thirty never — the sweep every ten minutes, restored, about one in six past
#      the contract, closed); `simpul report provider NUSANET --month M --bench-runs 50` makes the
#      report 50 times in one process (median, p99), then the whole command is timed with hyperfine.
#
# Nothing leaves 127.0.0.1. Environment: SIMPUL_BIN (default .build/release/simpul), BENCH_MAILS
# (default 200), BENCH_OPEN_FAULTS (default 10000), BENCH_FAULTS (default 2000), BENCH_RUNS (default
# 50), BENCH_FAULT_MONTH (default: last month in WITA), PYTHON_SMTP (a Python with aiosmtpd; default
# .venv-test/bin/python, which `make test` makes).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$(pwd)"
BIN="${SIMPUL_BIN:-$REPO/.build/release/simpul}"
MAILS="${BENCH_MAILS:-200}"
OPEN_FAULTS="${BENCH_OPEN_FAULTS:-10000}"
FAULTS="${BENCH_FAULTS:-2000}"
RUNS="${BENCH_RUNS:-50}"
MONTH="${BENCH_FAULT_MONTH:-$(TZ=Asia/Makassar date -d "$(TZ=Asia/Makassar date +%Y-%m-01) -1 day" +%Y-%m)}"
PY_SMTP="${PYTHON_SMTP:-$REPO/.venv-test/bin/python}"
SECTIONS="${*:-m s r}"
for section in $SECTIONS; do
    case "$section" in m|s|r) ;; *) echo "error: unknown section '$section' (expected m, s or r)" >&2; exit 2 ;; esac
done
run() { [[ " $SECTIONS " == *" $1 "* ]]; }

die() { echo "error: $*" >&2; exit 1; }
step() { echo "==> $*"; }
[ -x "$BIN" ] || die "no release binary at $BIN: run 'swift build -c release --product simpul'"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

TMP="$(mktemp -d -t simpul-bench-faults.XXXXXX)"
SERVER_PID=""; SMTP_PID=""
cleanup() {
    for pid in "$SERVER_PID" "$SMTP_PID"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
export SIMPUL_BCRYPT_COST=4 SIMPUL_LANG=en
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

echo "Simpul fault-dispatch benchmarks — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo 'uncommitted')"
echo "binary: $BIN"
M_LINE="skipped"; S_DRY="skipped"; S_FULL="skipped"; S_MADE=""; R_LINE="skipped"; R_WHOLE=""

# ---------------------------------------------------------------------------- m) API to SMTP
if run m; then
"$PY_SMTP" -c 'import aiosmtpd' 2>/dev/null || die "$PY_SMTP has no aiosmtpd: run 'make venv' (make test does), or set PYTHON_SMTP"
step "m) a generated inventory: 100 agencies, $MAILS links"
python3 "$REPO/scripts/gen_inventory.py" --agencies 100 --links "$MAILS" "$TMP/inv-m" >/dev/null
DB_M="$TMP/mail.db"
SIMPUL_DB="$DB_M" "$BIN" inventory import "$TMP/inv-m" >/dev/null
SIMPUL_DB="$DB_M" "$BIN" playbook import "$REPO/Playbooks" >/dev/null
printf 'Bench-%s\n' "$RANDOM$RANDOM$RANDOM" | SIMPUL_DB="$DB_M" "$BIN" user add bench.gateway --role supervisor --name "Bench gateway" --password-stdin >/dev/null
TOKEN="$(SIMPUL_DB="$DB_M" "$BIN" token create bench.gateway --name bench | grep -oE 'smp_[A-Za-z0-9_-]+' | head -n 1 || true)"
[ -n "$TOKEN" ] || die "simpul token create printed no secret"
sed -n 's/^ *- circuit: *//p' "$TMP/inv-m/links.yaml" | tr -d '"' >"$TMP/links-m.txt"
step "m) aiosmtpd on 127.0.0.1 (Tests/Rigs/smtp_server.py, as the tests start it), simpul serve with SIMPUL_SMTP at it"
mkdir -p "$TMP/smtp.mail"
"$PY_SMTP" "$REPO/Tests/Rigs/smtp_server.py" --dir "$TMP/smtp.mail" --port-file "$TMP/smtp.port" >"$TMP/smtp.log" 2>&1 &
SMTP_PID=$!
for _ in $(seq 1 100); do [ -s "$TMP/smtp.port" ] && break; sleep 0.1; done
[ -s "$TMP/smtp.port" ] || { cat "$TMP/smtp.log"; die "the SMTP server did not start"; }
PORT="$(free_port)"
SIMPUL_DB="$DB_M" SIMPUL_SMTP="smtp://127.0.0.1:$(cat "$TMP/smtp.port")" SIMPUL_MAIL_FROM="simpul@contohkab.go.id" \
    "$BIN" serve --host 127.0.0.1 --port "$PORT" >"$TMP/serve-m.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/healthz" || true)" = 200 ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$TMP/serve-m.log"; die "simpul serve exited"; }
    sleep 0.2
done
step "m) $MAILS faults: POST /api/v1/faults, then POST /api/v1/faults/{id}/escalate until the mail is accepted"
"$PY_SMTP" "$REPO/scripts/fault_mail_load.py" run "http://127.0.0.1:$PORT" "$TOKEN" "$TMP/links-m.txt" "$MAILS" "$TMP/smtp.mail" >"$TMP/mail.json" \
    || die "scripts/fault_mail_load.py run failed"
kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
kill "$SMTP_PID" 2>/dev/null || true; wait "$SMTP_PID" 2>/dev/null || true; SMTP_PID=""
M_LINE="$(python3 - "$TMP/mail.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
line = (f"median {r['median_ms']} ms, p99 {r['p99_ms']} ms over {r['escalated_and_mailed']} of {r['faults']} faults; "
        f"the SMTP server accepted {r['smtp_accepted']} mails")
if r["failure_count"]:
    line += f"; {r['failure_count']} failed, e.g. {r['failures'][:2]}"
print(line)
PY
)"
echo "    $M_LINE"
fi

# ---------------------------------------------------------------------------- s) the sweep over open faults
if run s; then
step "s) a generated inventory: 1000 agencies, 10000 links"
python3 "$REPO/scripts/gen_inventory.py" "$TMP/inv-s" >/dev/null
DB_S="$TMP/open.db"
SIMPUL_DB="$DB_S" "$BIN" inventory import "$TMP/inv-s" >/dev/null
SIMPUL_DB="$DB_S" "$BIN" playbook import "$REPO/Playbooks" >/dev/null
step "s) simpul fault generate --open --count $OPEN_FAULTS (through the faults module)"
S_MADE="$(SIMPUL_DB="$DB_S" "$BIN" fault generate --open --count "$OPEN_FAULTS")"
echo "    $S_MADE"
step "s) simpul ticket sweep --dry-run, 5 runs"
for i in 1 2 3 4 5; do SIMPUL_DB="$DB_S" "$BIN" ticket sweep --dry-run --json >"$TMP/sweep-$i.json"; done
S_DRY="$(python3 - "$TMP"/sweep-*.json <<'PY'
import json, statistics, sys
runs = [json.load(open(p)) for p in sys.argv[1:]]
total = statistics.median(r["readMilliseconds"] + r["evaluateMilliseconds"] for r in runs)
read = statistics.median(r["readMilliseconds"] for r in runs)
evaluate = statistics.median(r["evaluateMilliseconds"] for r in runs)
r = runs[0]
print(f"{total:.1f} ms (read {read:.1f} + clocks and rules {evaluate:.1f}) over {r['open'] + r['held']} open tickets; "
      f"{r['late']} late, {r['escalations']} rule escalations due on {r['ticketsEscalated']} tickets")
PY
)"
echo "    dry run, median of 5: $S_DRY"
cp "$DB_S" "$TMP/open-pristine.db"
step "s) the whole sweep (rules fired, ladders climbed, mail written to the outbox) on a fresh copy, 5 runs"
cp "$TMP/open-pristine.db" "$TMP/open-run.db"
SIMPUL_DB="$TMP/open-run.db" "$BIN" ticket sweep --json >"$TMP/sweep-full.json"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --runs 5 --style basic --export-json "$TMP/hyperfine-s.json" \
        --prepare "rm -f '$TMP/open-run.db-wal' '$TMP/open-run.db-shm'; cp '$TMP/open-pristine.db' '$TMP/open-run.db'" \
        "SIMPUL_DB='$TMP/open-run.db' '$BIN' ticket sweep >/dev/null" >/dev/null
    S_FULL="$(python3 - "$TMP/hyperfine-s.json" "$TMP/sweep-full.json" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["results"][0]
r = json.load(open(sys.argv[2]))
print(f"median {h['median'] * 1000:.0f} ms, max {max(h['times']) * 1000:.0f} ms over {len(h['times'])} runs, process start included; "
      f"each run fired {r['escalations']} rule escalations on {r['ticketsEscalated']} tickets and {r.get('moduleActions', 0)} ladder steps")
PY
)"
else
    S_FULL="hyperfine not installed (make bench installs it)"
fi
echo "    whole sweep: $S_FULL"
fi

# ---------------------------------------------------------------------------- r) the provider report
if run r; then
DB_R="$TMP/faults.db"
step "r) the example district and the SOPs; $FAULTS faults on NUSANET's links in $MONTH (through the faults module)"
SIMPUL_DB="$DB_R" "$BIN" inventory import "$REPO/Inventory" >/dev/null
SIMPUL_DB="$DB_R" "$BIN" playbook import "$REPO/Playbooks" >/dev/null
SIMPUL_DB="$DB_R" "$BIN" fault generate --month "$MONTH" --count "$FAULTS" --provider NUSANET
step "r) the provider report, $RUNS runs in one process"
LINE="$(SIMPUL_DB="$DB_R" "$BIN" report provider NUSANET --month "$MONTH" --bench-runs "$RUNS")"
echo "    $LINE"
R_LINE="${LINE#*runs: }"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 2 --runs 20 --style basic --export-json "$TMP/hyperfine-r.json" \
        "SIMPUL_DB='$DB_R' '$BIN' report provider NUSANET --month $MONTH --json >/dev/null" >/dev/null
    R_WHOLE="$(python3 - "$TMP/hyperfine-r.json" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))["results"][0]
print(f"median {result['median'] * 1000:.1f} ms, max {max(result['times']) * 1000:.1f} ms over {len(result['times'])} runs")
PY
)"
    echo "    the whole command (--json, process start included): $R_WHOLE"
fi
fi

echo
echo "Summary                                                     goal        measured"
printf '  %-58s %-11s %s\n' "m) API fault to escalation mail accepted, $MAILS faults" "p99 < 1 s" "$M_LINE"
printf '  %-58s %-11s %s\n' "s) escalation rules over $OPEN_FAULTS open faults (dry run)" "< 0.5 s" "$S_DRY"
printf '  %-58s %-11s %s\n' "   ... the whole sweep, fired and written" "report" "$S_FULL"
printf '  %-58s %-11s %s\n' "r) provider report, $FAULTS faults in $MONTH (in process)" "< 200 ms" "$R_LINE"
[ -z "$R_WHOLE" ] || printf '  %-58s %-11s %s\n' "   ... the whole command" "report" "$R_WHOLE"
