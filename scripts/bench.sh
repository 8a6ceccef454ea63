#!/usr/bin/env bash
# Benchmark figures for Simpul from a release build. It prints numbers; it judges nothing.
#   a) `simpul agency list` on the example district: median whole-process time (hyperfine)
#   b) `simpul inventory import` of a generated inventory (1000 agencies, 10000 links):
#      wall time and peak RSS (/usr/bin/time -v)
#   c) the dashboard `GET /` as a logged-in admin under wrk (32 connections, 10 s): req/s, p99
#   d) 100 000 open tickets (`simpul ticket generate`): re-evaluating every clock and the escalations
#      due (`simpul ticket sweep --dry-run`, median of 5, read + evaluation as the command reports them)
#   e) the ticket list over those 100 000 tickets, filtered and paginated, under wrk: req/s, p99
#   f) addresses: the next free one in a /16 with 60 000 assigned (in process, p99); allocation
#      through the HTTP API (1 client, then 8 at once: p99); 64 HTTP clients and 4 CLI processes exhausting a pool
#      of 20 000 (duplicates, errors) — scripts/ip_storm.py
#   g) DNS: an A record with its PTR added, pushed to a local named (RFC 2136 + TSIG) and confirmed by
#      querying it, 200 times (median, p99), and the release that takes both away again
#   h) /healthz alone, then while 4 users change their passwords in a loop (bcrypt at the production
#      cost, off the server's cooperative threads): median and p99 — scripts/bcrypt_load.py
#   i) the dashboard under wrk (32 connections) while hosting requests are cancelled whose DNS server is
#      away: BENCH_CANCELS requests (default 32) walked to `install` with A + PTR confirmed by a local
#      named; named is then replaced on its port by a listener that accepts and never answers
#      (scripts/cancel_load.py listen), and the requests are cancelled through the web from as many
#      threads during the second of two wrk runs (the first is the dashboard alone): req/s and p99 of
#      both, the cancels' median and p99, and afterwards every request cancelled and every DNS removal
#      still waiting in the outbox. Each cancel waits for its own delivery no longer than the at-once
#      budget (OutboxService.atOnceBudget, 4 s for both zones together), then leaves it to the worker. BENCH_CANCELS may go up to
#      the 230 free addresses of the dc-server pool (10.20.0.10-10.20.0.239).
# Every server and every request stays on 127.0.0.1. The server is stopped by its PID.
#
#   scripts/bench.sh [SECTION...]   (or `make bench`, which builds the release binary first)
#   scripts/bench.sh e              only the ticket list (d's database is still made, unless given)
# Environment: SIMPUL_BIN (default .build/release/simpul), BENCH_AGENCIES, BENCH_LINKS, BENCH_SECONDS,
# BENCH_TICKETS (default 100000), BENCH_TICKET_DB (an existing database with the tickets, for d and e;
# it is used as it is and not deleted), BENCH_CANCELS (default 32, for i).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$(pwd)"
BIN="${SIMPUL_BIN:-$REPO/.build/release/simpul}"
AGENCIES="${BENCH_AGENCIES:-1000}"
LINKS="${BENCH_LINKS:-10000}"
SECONDS_WRK="${BENCH_SECONDS:-10}"
TICKETS="${BENCH_TICKETS:-100000}"
HOST=127.0.0.1
CANCELS="${BENCH_CANCELS:-32}"
SECTIONS="${*:-a b c d e f g h i}"
for section in $SECTIONS; do
    case "$section" in a|b|c|d|e|f|g|h|i) ;; *) echo "error: unknown section '$section' (expected a, b, c, d, e, f, g, h or i)" >&2; exit 2 ;; esac
done
run() { [[ " $SECTIONS " == *" $1 "* ]]; }

step() { echo "==> $*"; }
die() { echo "error: $*" >&2; exit 1; }

[ -x "$BIN" ] || die "no release binary at $BIN: run 'swift build -c release' (or 'make bench')"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

need=()
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v curl >/dev/null 2>&1 || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
if [ "${#need[@]}" -gt 0 ]; then
    step "installing benchmark tools: ${need[*]}"
    "$REPO/scripts/apt-ensure.sh" "${need[@]}"
fi

# Nothing here may go through a proxy.
export NO_PROXY="127.0.0.1,localhost" no_proxy="127.0.0.1,localhost"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

TMP="$(mktemp -d -t simpul-bench.XXXXXX)"
SERVER_PID=""
LISTENER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "$LISTENER_PID" ]; then kill "$LISTENER_PID" 2>/dev/null || true; wait "$LISTENER_PID" 2>/dev/null || true; fi
    for pidfile in "$TMP/named/named.pid" "$TMP/named-i/named.pid"; do
        if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The "NAME=VALUE" of the first "Set-Cookie: NAME=..." header in a file of response headers.
cookie_from() { # FILE NAME
    tr -d '\r' <"$1" | sed -n "s/^[Ss]et-[Cc]ookie: *\($2=[^;]*\).*/\1/p" | head -n 1
}

# Adds the bench admin to database $1, starts `simpul serve` on it (log in $2) and logs in with curl
# (the cookies are Secure, so they are carried by hand). Sets BASE, SERVER_PID and SESSION_COOKIE.
serve_and_log_in() { # DB LOGNAME
    local db="$1" name="$2" status login_cookie csrf
    if SIMPUL_DB="$db" "$BIN" user list 2>/dev/null | grep -qw benchadmin; then
        # A database given with BENCH_TICKET_DB may have the bench admin from an earlier run.
        printf '%s\n' "$PASSWORD" | SIMPUL_DB="$db" "$BIN" user passwd benchadmin --password-stdin \
            >"$TMP/useradd-$name.out" 2>&1 || { cat "$TMP/useradd-$name.out"; die "user passwd failed"; }
    else
        printf '%s\n' "$PASSWORD" | SIMPUL_DB="$db" "$BIN" user add benchadmin --role admin \
            --name "Bench Admin" --password-stdin >"$TMP/useradd-$name.out" 2>&1 \
            || { cat "$TMP/useradd-$name.out"; die "user add failed"; }
    fi
    PORT="$(free_port)"
    BASE="http://$HOST:$PORT"
    SIMPUL_DB="$db" "$BIN" serve --host "$HOST" --port "$PORT" >"$TMP/serve-$name.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 150); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" || true)" = 200 ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$TMP/serve-$name.log"; die "simpul serve exited"; }
        sleep 0.2
    done
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" || true)" = 200 ] \
        || { tail -n 20 "$TMP/serve-$name.log"; die "/healthz did not answer 200 within 30 s"; }
    curl -sS --max-time 10 -D "$TMP/login-get-$name.headers" -o "$TMP/login-$name.html" "$BASE/login"
    login_cookie="$(cookie_from "$TMP/login-get-$name.headers" simpul_login)"
    [ -n "$login_cookie" ] || die "GET /login set no simpul_login cookie"
    csrf="$(python3 - "$TMP/login-$name.html" <<'PY'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8", errors="replace").read()
for tag in re.findall(r"<input\b[^>]*>", page, flags=re.I):
    if re.search(r'\bname\s*=\s*"_csrf"', tag):
        m = re.search(r'\bvalue\s*=\s*"([^"]*)"', tag)
        if m:
            print(html.unescape(m.group(1)))
            break
PY
)"
    [ -n "$csrf" ] || die "the login form has no hidden _csrf input"
    status="$(curl -sS --max-time 10 -o /dev/null -D "$TMP/login-post-$name.headers" -w '%{http_code}' \
        -H "Cookie: $login_cookie" -H "Origin: $BASE" \
        --data-urlencode "username=benchadmin" --data-urlencode "password=$PASSWORD" \
        --data-urlencode "_csrf=$csrf" "$BASE/login")"
    [ "$status" = 303 ] || die "POST /login answered $status, expected 303"
    SESSION_COOKIE="$(cookie_from "$TMP/login-post-$name.headers" simpul_session)"
    [ -n "$SESSION_COOKIE" ] || die "POST /login set no simpul_session cookie"
    status="$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H "Cookie: $SESSION_COOKIE" "$BASE/")"
    [ "$status" = 200 ] || die "GET / with the session answered $status, expected 200"
}

echo "Simpul benchmarks — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo 'uncommitted')"
echo "binary: $BIN"
echo

# ---------------------------------------------------------------------------- a) agency list
A_MEDIAN="skipped"; B_LINE="skipped"; RPS="skipped"; P99=""; D_TOTAL="skipped"; D_OPEN="$TICKETS"
F_NEXT="skipped"; F_API="skipped"; F_STORM="skipped"; G_DNS="skipped"
E_LINES=()
PASSWORD="Bench-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
DB_A="$TMP/district.db"
if run a || run c; then
step "a) importing the example district (Inventory/) into a temporary database"
SIMPUL_DB="$DB_A" "$BIN" inventory import "$REPO/Inventory" >"$TMP/import-district.out" \
    || { cat "$TMP/import-district.out"; die "inventory import of Inventory/ failed"; }

fi
if run a; then
step "a) hyperfine: simpul agency list (3 warmups, 30 runs)"
export SIMPUL_DB="$DB_A"
hyperfine -N --warmup 3 --runs 30 --export-json "$TMP/agency-list.json" \
    "$(printf '%q' "$BIN") agency list" >"$TMP/hyperfine.out" 2>&1 \
    || { cat "$TMP/hyperfine.out"; die "hyperfine failed"; }
unset SIMPUL_DB
A_FIGURES="$(python3 - "$TMP/agency-list.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{r['median'] * 1000:.1f} {r['min'] * 1000:.1f} {r['max'] * 1000:.1f}")
PY
)"
read -r A_MEDIAN A_MIN A_MAX <<<"$A_FIGURES"
echo "    agency list: median ${A_MEDIAN} ms (min ${A_MIN}, max ${A_MAX}) over 30 runs"
echo
A_MEDIAN="${A_MEDIAN} ms"
fi

# ---------------------------------------------------------------------------- b) big import
GEN="$REPO/scripts/gen_inventory.py"
if run b && [ -f "$GEN" ]; then
    step "b) generating an inventory: $AGENCIES agencies, $LINKS links"
    mkdir -p "$TMP/generated"
    python3 "$GEN" "$TMP/generated" --agencies "$AGENCIES" --links "$LINKS" >"$TMP/gen.out" 2>&1 \
        || { cat "$TMP/gen.out"; die "scripts/gen_inventory.py failed"; }
    step "b) /usr/bin/time -v simpul inventory import (fresh database)"
    if ! SIMPUL_DB="$TMP/generated.db" /usr/bin/time -v -o "$TMP/time.txt" \
            "$BIN" inventory import "$TMP/generated" >"$TMP/import-generated.out" 2>&1; then
        tail -n 20 "$TMP/import-generated.out"
        die "inventory import of the generated inventory failed"
    fi
    B_FIGURES="$(python3 - "$TMP/time.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time .*?: ([\d:.]+)", text).group(1)
seconds = 0.0
for part in wall.split(":"):
    seconds = seconds * 60 + float(part)
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
print(f"{seconds:.2f} {rss_kb / 1024:.1f}")
PY
)"
    read -r B_WALL B_RSS <<<"$B_FIGURES"
    echo "    import of $AGENCIES agencies, $LINKS links: wall ${B_WALL} s, peak RSS ${B_RSS} MB"
    B_LINE="wall ${B_WALL} s, peak RSS ${B_RSS} MB"
    echo
elif run b; then
    echo "    skipped: $GEN is not there"
    echo
fi

# ---------------------------------------------------------------------------- c) dashboard
if run c; then
step "c) starting simpul serve on $HOST with a bench admin, logging in"
serve_and_log_in "$DB_A" district

step "c) wrk -c 32 -d ${SECONDS_WRK}s -t 2 --latency $BASE/"
wrk -c 32 -d "${SECONDS_WRK}s" -t 2 --latency -H "Cookie: $SESSION_COOKIE" "$BASE/" >"$TMP/wrk.out" 2>&1 \
    || { cat "$TMP/wrk.out"; die "wrk failed"; }
RPS="$(awk '/^Requests\/sec:/ {print $2}' "$TMP/wrk.out")"
P99="$(awk '$1 == "99%" {print $2; exit}' "$TMP/wrk.out")"
NON2XX="$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$TMP/wrk.out")"
ERRORS="$(grep -m1 '^ *Socket errors' "$TMP/wrk.out" || true)"
echo "    dashboard: ${RPS} requests/s, p99 ${P99}"
[ -z "$NON2XX" ] || echo "    note: $NON2XX responses were not 2xx/3xx"
[ -z "$ERRORS" ] || echo "    note:$ERRORS"

kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
RPS="${RPS} req/s, p99 ${P99}"
fi

# ---------------------------------------------------------------------------- d) ticket clocks
if [ -n "${BENCH_TICKET_DB:-}" ]; then
    [ -f "$BENCH_TICKET_DB" ] || die "BENCH_TICKET_DB=$BENCH_TICKET_DB is not a file"
    DB_D="$BENCH_TICKET_DB"
    step "d) using the tickets in $DB_D"
elif run d || run e; then
DB_D="$TMP/tickets.db"
step "d) a database with the example district, the playbooks and $TICKETS open tickets"
SIMPUL_DB="$DB_D" "$BIN" inventory import "$REPO/Inventory" >/dev/null
SIMPUL_DB="$DB_D" "$BIN" playbook import "$REPO/Playbooks" >/dev/null
GEN_START=$(date +%s.%N)
SIMPUL_DB="$DB_D" "$BIN" ticket generate --count "$TICKETS" >"$TMP/generate.out" 2>&1 \
    || { cat "$TMP/generate.out"; die "ticket generate failed"; }
GEN_SECONDS="$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$GEN_START" "$(date +%s.%N)")"
echo "    $TICKETS tickets opened (each with its history and audit row) in ${GEN_SECONDS} s"
fi
if run d; then

step "d) simpul ticket sweep --dry-run, 5 runs"
for i in 1 2 3 4 5; do
    SIMPUL_DB="$DB_D" "$BIN" ticket sweep --dry-run --json >"$TMP/sweep-$i.json"
done
D_FIGURES="$(python3 - "$TMP"/sweep-*.json <<'PY'
import json, statistics, sys
runs = [json.load(open(p)) for p in sys.argv[1:]]
total = statistics.median(r["readMilliseconds"] + r["evaluateMilliseconds"] for r in runs)
read = statistics.median(r["readMilliseconds"] for r in runs)
evaluate = statistics.median(r["evaluateMilliseconds"] for r in runs)
r = runs[0]
print(f"{total:.1f} {read:.1f} {evaluate:.1f} {r['open'] + r['held']} {r['late']} {r['escalations']}")
PY
)"
read -r D_TOTAL D_READ D_EVAL D_OPEN D_LATE D_ESC <<<"$D_FIGURES"
echo "    $D_OPEN open tickets: ${D_TOTAL} ms (read ${D_READ} ms + clocks ${D_EVAL} ms); $D_LATE late, $D_ESC escalations due"
echo
D_TOTAL="${D_TOTAL} ms (read ${D_READ} + clocks ${D_EVAL})"
fi

# ---------------------------------------------------------------------------- e) ticket list
if run e; then
step "e) simpul serve on the ticket database, logging in"
serve_and_log_in "$DB_D" tickets
for path in "/tickets?playbook=fault-dispatch&lateness=late&offset=200" "/tickets?agency=DINKES&step=report&offset=50" "/tickets"; do
    STATUS="$(curl -sS --max-time 10 -o "$TMP/list.html" -w '%{http_code}' -H "Cookie: $SESSION_COOKIE" "$BASE$path")"
    [ "$STATUS" = 200 ] || die "GET $path answered $STATUS, expected 200"
    step "e) wrk -c 32 -d ${SECONDS_WRK}s -t 2 --latency $BASE$path"
    wrk -c 32 -d "${SECONDS_WRK}s" -t 2 --latency -H "Cookie: $SESSION_COOKIE" "$BASE$path" >"$TMP/wrk-e.out" 2>&1 \
        || { cat "$TMP/wrk-e.out"; die "wrk failed"; }
    E_RPS="$(awk '/^Requests\/sec:/ {print $2}' "$TMP/wrk-e.out")"
    E_P99="$(awk '$1 == "99%" {print $2; exit}' "$TMP/wrk-e.out")"
    E_NON2XX="$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$TMP/wrk-e.out")"
    echo "    $path: ${E_RPS} requests/s, p99 ${E_P99}${E_NON2XX:+ (non-2xx: $E_NON2XX)}"
    E_LINES+=("$path|${E_RPS} req/s, p99 ${E_P99}")
done
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
fi

# ---------------------------------------------------------------------------- f) addresses
if run f; then
step "f) an inventory with two benchmark pools (data only: nothing connects to them)"
mkdir -p "$TMP/ipinv"
cp "$REPO"/Inventory/*.yaml "$TMP/ipinv/"
cat >>"$TMP/ipinv/pools.yaml" <<'YAML'

  - name: bench-16
    prefix: 10.64.0.0/16
    scope: private
    gateway: 10.64.0.1
    description: Pool uji beban
  - name: bench-storm
    prefix: 10.65.0.0/17
    scope: private
    gateway: 10.65.0.1
    description: Pool uji beban, 20 000 alamat
    reserved:
      - range: 10.65.78.34-10.65.127.254
        note: di luar uji
YAML
DB_F="$TMP/ip.db"
SIMPUL_DB="$DB_F" "$BIN" inventory import "$TMP/ipinv" >/dev/null
step "f) simpul ip bench bench-16 --fill 60000 (next free address, 5000 timings in process)"
SIMPUL_DB="$DB_F" "$BIN" ip bench bench-16 --fill 60000 --samples 5000 --assigns 200 >"$TMP/ip-bench.json"
F_NEXT="$(python3 - "$TMP/ip-bench.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
print(f"next free: median {f['nextMedianMs'] * 1000:.0f} µs, p99 {f['nextP99Ms'] * 1000:.0f} µs with {f['assigned']} assigned "
      f"(filled in {f['fillSeconds']:.1f} s); assign in process: median {f['assignMedianMs']:.2f} ms, p99 {f['assignP99Ms']:.2f} ms")
PY
)"
echo "    $F_NEXT"
step "f) simpul serve on it; 1 then 8 API clients, then 64 API clients + 4 CLI loops exhausting bench-storm"
serve_and_log_in "$DB_F" ip
TOKEN="$(SIMPUL_DB="$DB_F" "$BIN" token create benchadmin --name bench | tail -n 1)"
python3 "$REPO/scripts/ip_storm.py" "$BASE" "$TOKEN" "$BIN" "$DB_F" >"$TMP/storm.out" 2>&1 \
    || { cat "$TMP/storm.out"; die "scripts/ip_storm.py failed"; }
F_API="$(awk '$1 == "latency" { printf "%s%s client(s), %s allocations: median %s ms, p99 %s ms", sep, $2, $3, $4, $5; sep = "; " }' "$TMP/storm.out")"
F_STORM="$(python3 - "$TMP/storm.out" <<'PY'
import json, sys
s = json.loads(open(sys.argv[1]).read().split("storm ", 1)[1])
print(f"{s['handed_out']} addresses in {s['seconds']:.1f} s, {s['duplicates']} duplicates, refusals {s['refusals']}")
PY
)"
echo "    API: $F_API"
echo "    storm: $F_STORM"
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
fi


# ---------------------------------------------------------------------------- g) DNS
if run g; then
"$REPO/scripts/named-ensure.sh" >/dev/null
DNS_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
step "g) named on 127.0.0.1:$DNS_PORT (scripts/named-local.sh), the example district's zones pointed at it"
"$REPO/scripts/named-local.sh" "$TMP/named" "$DNS_PORT" contohkab.go.id 0.20.10.in-addr.arpa
NAMED_PID="$(cat "$TMP/named/named.pid")"
mkdir -p "$TMP/dnsinv"
cp "$REPO"/Inventory/*.yaml "$TMP/dnsinv/"
sed -i "s/127\.0\.0\.1:5300/127.0.0.1:$DNS_PORT/" "$TMP/dnsinv/zones.yaml"
DB_G="$TMP/dns.db"
SIMPUL_DB="$DB_G" "$BIN" inventory import "$TMP/dnsinv" >/dev/null
step "g) simpul dns bench contohkab.go.id --pool dc-server --count 200"
SIMPUL_DB="$DB_G" SIMPUL_TSIG_KEY="$TMP/named/simpul.key" "$BIN" dns bench contohkab.go.id --pool dc-server --count 200 >"$TMP/dns-bench.json" \
    || { kill "$NAMED_PID" 2>/dev/null; die "simpul dns bench failed"; }
kill "$NAMED_PID" 2>/dev/null || true
G_DNS="$(python3 - "$TMP/dns-bench.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
print(f"A + PTR added, pushed and confirmed ({f['count']} times): median {f['medianMs']:.1f} ms, p99 {f['p99Ms']:.1f} ms, max {f['maxMs']:.1f} ms; "
      f"release taking both away: median {f['removeMedianMs']:.1f} ms, p99 {f['removeP99Ms']:.1f} ms")
PY
)"
echo "    $G_DNS"
fi

# ---------------------------------------------------------------------------- h) bcrypt and /healthz
H_LINE="skipped"
if run h; then
DB_H="$TMP/bcrypt.db"
SIMPUL_DB="$DB_H" "$BIN" inventory import "$REPO/Inventory" >/dev/null
for i in 1 2 3 4; do
    printf '%s\n' "$PASSWORD" | SIMPUL_DB="$DB_H" "$BIN" user add "churn$i" --role viewer --name "Churn $i" --password-stdin >/dev/null
done
step "h) simpul serve with 4 users changing their passwords for ${SECONDS_WRK}s while /healthz is timed"
serve_and_log_in "$DB_H" bcrypt
python3 "$REPO/scripts/bcrypt_load.py" "$BASE" churn "$PASSWORD" 4 "$SECONDS_WRK" >"$TMP/bcrypt.json" \
    || die "scripts/bcrypt_load.py failed"
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
H_LINE="$(python3 - "$TMP/bcrypt.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
print(f"/healthz alone: median {f['baselineMedianMs']:.1f} ms, p99 {f['baselineP99Ms']:.1f} ms; "
      f"with {f['users']} users changing passwords ({f['passwordChanges']} changes): median {f['loadedMedianMs']:.1f} ms, p99 {f['loadedP99Ms']:.1f} ms")
PY
)"
echo "    $H_LINE"
fi

# ---------------------------------------------------------------------------- i) cancels, DNS away
I_BASE="skipped"; I_LOADED=""; I_CANCELS=""; I_CHECK=""; I_LOST=0
if run i; then
"$REPO/scripts/named-ensure.sh" >/dev/null
I_PORT="$(free_port)"
step "i) named on 127.0.0.1:$I_PORT (scripts/named-local.sh), the example district's zones pointed at it"
"$REPO/scripts/named-local.sh" "$TMP/named-i" "$I_PORT" contohkab.go.id 0.20.10.in-addr.arpa
I_NAMED_PID="$(cat "$TMP/named-i/named.pid")"
mkdir -p "$TMP/cancelinv"
cp "$REPO"/Inventory/*.yaml "$TMP/cancelinv/"
sed -i "s/127\.0\.0\.1:5300/127.0.0.1:$I_PORT/" "$TMP/cancelinv/zones.yaml"
DB_I="$TMP/cancel.db"
export SIMPUL_TSIG_KEY="$TMP/named-i/simpul.key"
SIMPUL_DB="$DB_I" "$BIN" inventory import "$TMP/cancelinv" >/dev/null
SIMPUL_DB="$DB_I" "$BIN" playbook import "$REPO/Playbooks" >/dev/null
# The paper steps' roles, as the e2e tests walk them (Tests/e2e/hosting_steps.py).
for user in "benchtu clerk" "benchkadis head" "benchkasi supervisor" "benchdinkes agency --agency DINKES"; do
    set -- $user
    name="$1" role="$2"; shift 2
    printf '%s\n' "$PASSWORD" | SIMPUL_DB="$DB_I" "$BIN" user add "$name" --role "$role" --name "Bench $name" "$@" --password-stdin >/dev/null
done
printf '%%PDF-1.4\n%% surat permohonan\n' >"$TMP/surat.pdf"
step "i) $CANCELS hosting requests (pool dc-server) filed, walked through the paper steps and allocated: A + PTR pushed to named"
I_TICKETS=()
I_START=$(date +%s.%N)
for k in $(seq 1 "$CANCELS"); do
    letter="045/$k/DINKES/XII/2026"
    filed="$(SIMPUL_DB="$DB_I" "$BIN" hosting file --agency DINKES --letter "$letter" --letter-date 2026-12-01 \
        --signed-by "dr. Rahmawati" --contact "Budi" --hostname "benchcancel$k" --dns "benchcancel$k" \
        --height 1 --watts 200 --application "Uji beban $k" 2>&1)" || { echo "$filed"; die "hosting file #$k failed (is dc-server full?)"; }
    id="$(sed -n 's/^#\([0-9][0-9]*\) .*/\1/p' <<<"$filed" | head -n 1)"
    [ -n "$id" ] || { echo "$filed"; die "hosting file printed no ticket number"; }
    {
        SIMPUL_DB="$DB_I" "$BIN" ticket step "$id" --step receive_request --as benchtu \
            --evidence "letter_number=$letter" --attach "attachment=$TMP/surat.pdf"
        SIMPUL_DB="$DB_I" "$BIN" ticket step "$id" --step head_disposition --as benchkadis --note "Teruskan ke Kabid"
        SIMPUL_DB="$DB_I" "$BIN" ticket step "$id" --step division_forward --as benchkasi
        SIMPUL_DB="$DB_I" "$BIN" ticket step "$id" --step section_review --as benchkasi --note "Teknisi siapkan tempat"
        SIMPUL_DB="$DB_I" "$BIN" ticket step "$id" --step bring_server --as benchdinkes --note "Server diantar"
        SIMPUL_DB="$DB_I" "$BIN" hosting allocate "$id"
    } >>"$TMP/hosting-walk.out" 2>&1 || { tail -n 20 "$TMP/hosting-walk.out"; die "walking hosting request #$id to install failed"; }
    I_TICKETS+=("$id")
done
I_WALK="$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$I_START" "$(date +%s.%N)")"
SIMPUL_DB="$DB_I" "$BIN" hosting list --json >"$TMP/hosting-before.json"
for state in pending failed; do
    SIMPUL_DB="$DB_I" "$BIN" outbox list --state "$state" --limit 500 --json >"$TMP/outbox-before-$state.json"
done
SIMPUL_DB="$DB_I" "$BIN" outbox list --limit 1 --json >"$TMP/outbox-newest.json"
python3 - "$TMP/hosting-before.json" "$TMP/outbox-before-pending.json" "$TMP/outbox-before-failed.json" "$I_PORT" "${I_TICKETS[@]}" <<'PY' || die "the requests are not all at install with their DNS confirmed"
import ipaddress, json, subprocess, sys
hosting, port, tickets = json.load(open(sys.argv[1])), sys.argv[4], {int(t) for t in sys.argv[5:]}
waiting = json.load(open(sys.argv[2])) + json.load(open(sys.argv[3]))
rows = {r["id"]: r for r in hosting if r["id"] in tickets}
bad = [r["id"] for r in rows.values() if (r["step"], r["addressState"], r["progress"], r["state"]) != ("install", "assigned", "published", "requested")]
assert len(rows) == len(tickets) and not bad, f"not at install, assigned and published: {bad}"
assert not waiting, f"outbox rows not delivered: {[d['id'] for d in waiting]}"
def dig(name: str, rtype: str) -> list[str]:
    out = subprocess.run(["dig", "@127.0.0.1", "-p", port, "+tcp", "+short", "+time=2", "+tries=1", rtype, name],
                         capture_output=True, text=True, timeout=20).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]
for r in rows.values():
    name, address = r["form"]["dnsName"], r["address"]
    assert dig(name, "A") == [address], f"named does not answer {name} A {address}"
    reverse = ipaddress.ip_address(address).reverse_pointer
    assert dig(reverse, "PTR") == [name.rstrip(".") + "."], f"named does not answer {reverse} PTR {name}"
print(f"    {len(rows)} requests at install, addresses {min(ipaddress.ip_address(r['address']) for r in rows.values())}–"
      f"{max(ipaddress.ip_address(r['address']) for r in rows.values())} assigned, A + PTR answered by named")
PY
echo "    (filed and walked in ${I_WALK} s)"

step "i) named stopped; on 127.0.0.1:$I_PORT a listener that accepts and never answers (scripts/cancel_load.py listen)"
kill "$I_NAMED_PID" 2>/dev/null || true
for _ in $(seq 1 100); do kill -0 "$I_NAMED_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$I_NAMED_PID" 2>/dev/null && die "named (pid $I_NAMED_PID) did not stop"
rm -f "$TMP/named-i/named.pid"
python3 "$REPO/scripts/cancel_load.py" listen "$I_PORT" "$TMP/listener.ready" >"$TMP/listener.json" 2>"$TMP/listener.err" &
LISTENER_PID=$!
for _ in $(seq 1 100); do [ -s "$TMP/listener.ready" ] && break; kill -0 "$LISTENER_PID" 2>/dev/null || break; sleep 0.1; done
[ -s "$TMP/listener.ready" ] || { cat "$TMP/listener.err"; die "the listener did not start on 127.0.0.1:$I_PORT"; }

step "i) simpul serve on that database (DNS key given, so it delivers), logging in"
serve_and_log_in "$DB_I" cancel
# The figures of one wrk run on the dashboard: "REQ/S P99 NOTES", NOTES being what went wrong
# (non-2xx answers, socket errors: wrk gives up on a request after 2 s and leaves it out of the
# latencies, so a stalled server shows as timeouts, not as a high p99).
wrk_dashboard() { # OUTFILE
    wrk -c 32 -d "${SECONDS_WRK}s" -t 2 --latency -H "Cookie: $SESSION_COOKIE" "$BASE/" >"$1" 2>&1 \
        || { cat "$1"; die "wrk failed"; }
    printf '%s %s %s\n' "$(awk '/^Requests\/sec:/ {print $2}' "$1")" "$(awk '$1 == "99%" {print $2; exit}' "$1")" \
        "$(awk -F': *' '/Non-2xx or 3xx responses/ {printf "non-2xx:%s ", $2} /Socket errors/ {gsub(/^ *Socket errors: */, ""); gsub(/, /, ","); gsub(/ /, ":"); printf "socket-errors:%s", $0}' "$1")"
}
step "i) wrk -c 32 -d ${SECONDS_WRK}s -t 2 --latency $BASE/ (the dashboard alone)"
read -r I_RPS0 I_P990 I_BAD0 <<<"$(wrk_dashboard "$TMP/wrk-i0.out")"
echo "    dashboard alone: ${I_RPS0} requests/s, p99 ${I_P990}${I_BAD0:+ ($I_BAD0)}"
step "i) again, while $CANCELS threads cancel the $CANCELS requests through the web, 1 s into the run"
# The cancels log in and read their forms first, then start together at START_AT.
I_START_AT="$(python3 -c 'import time; print(f"{time.time() + 4:.3f}")')"
python3 "$REPO/scripts/cancel_load.py" cancel "$BASE" benchadmin "$PASSWORD" "$I_START_AT" "${I_TICKETS[@]}" \
    >"$TMP/cancel.json" 2>"$TMP/cancel.err" &
I_CANCEL_PID=$!
python3 -c 'import sys, time; time.sleep(max(0.0, float(sys.argv[1]) - 1 - time.time()))' "$I_START_AT"
I_WRK_START="$(date +%s.%N)"
read -r I_RPS1 I_P991 I_BAD1 <<<"$(wrk_dashboard "$TMP/wrk-i1.out")"
I_WRK_END="$(date +%s.%N)"
wait "$I_CANCEL_PID" || { cat "$TMP/cancel.err"; die "scripts/cancel_load.py cancel failed"; }
echo "    dashboard under the cancels: ${I_RPS1} requests/s, p99 ${I_P991}${I_BAD1:+ ($I_BAD1)}"
I_AFTER="$(curl -s -o /dev/null -w '%{http_code} in %{time_total} s' --max-time 10 -H "Cookie: $SESSION_COOKIE" "$BASE/" || true)"
echo "    the dashboard once the cancels have answered: $I_AFTER"
# A server that does not stop within 15 s of SIGTERM is killed, and that is said.
kill "$SERVER_PID" 2>/dev/null || true
I_STOP="stopped on SIGTERM"
for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER_PID" 2>/dev/null; then
    I_STOP="did not stop within 15 s of SIGTERM: killed"
    kill -9 "$SERVER_PID" 2>/dev/null || true
fi
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
echo "    simpul serve $I_STOP"
kill "$LISTENER_PID" 2>/dev/null || true
wait "$LISTENER_PID" 2>/dev/null || true
LISTENER_PID=""
unset SIMPUL_TSIG_KEY
I_CANCELS="$(python3 - "$TMP/cancel.json" "$TMP/listener.json" "$I_WRK_START" "$I_WRK_END" <<'PY'
import json, sys
c, l = json.load(open(sys.argv[1])), json.loads(open(sys.argv[2]).read() or "{}")
w0, w1 = float(sys.argv[3]), float(sys.argv[4])
print(f"{c['ok']} of {c['count']} answered 303 (statuses {c['statuses']}): median {c['medianMs']:.0f} ms, p99 {c['p99Ms']:.0f} ms, "
      f"max {c['maxMs']:.0f} ms; started {c['firstStarted'] - w0:.1f} s into the wrk run, last answered at {c['lastEnded'] - w0:.1f} s "
      f"(wrk ran {w1 - w0:.1f} s); the silent DNS server accepted {l.get('accepted', '?')} connections")
PY
)"
echo "    cancels: $I_CANCELS"
[ -s "$TMP/cancel.err" ] && { echo "    cancel_load.py said:"; sed 's/^/      /' "$TMP/cancel.err"; }
SIMPUL_DB="$DB_I" "$BIN" hosting list --json >"$TMP/hosting-after.json"
SIMPUL_DB="$DB_I" "$BIN" ticket list --playbook hosting-intake --scope closed --limit 500 --json >"$TMP/tickets-after.json"
for state in pending delivered failed dismissed; do
    SIMPUL_DB="$DB_I" "$BIN" outbox list --lang en --state "$state" --limit 500 --json >"$TMP/outbox-after-$state.json"
done
I_CHECK="$(python3 - "$TMP/hosting-after.json" "$TMP/tickets-after.json" "$TMP/outbox-newest.json" "$TMP"/outbox-after-*.json -- "${I_TICKETS[@]}" <<'PY'
import collections, json, re, sys
hosting, tickets = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["tickets"]
newest = max((d["id"] for d in json.load(open(sys.argv[3]))), default=0)
split = sys.argv.index("--")
after = [d for path in sys.argv[4:split] for d in json.load(open(path))]
ids = {int(t) for t in sys.argv[split + 1:]}
requests = {r["id"]: r["state"] for r in hosting if r["id"] in ids}
statuses = {t["id"]: t["status"] for t in tickets if t["id"] in ids}
problems = [f"request #{i} {requests.get(i)}" for i in sorted(ids) if requests.get(i) != "cancelled"]
problems += [f"ticket #{i} {statuses.get(i)}" for i in sorted(ids) if statuses.get(i) != "cancelled"]
removals = [d for d in after if d["id"] > newest and d["ticket"] in ids]
per_ticket = collections.Counter(d["ticket"] for d in removals)
problems += [f"ticket #{i}: no DNS removal in the outbox" for i in sorted(ids) if per_ticket[i] == 0]
states = collections.Counter(d["state"] for d in removals)
problems += [f"outbox #{d['id']} {d['state']}" for d in removals if d["state"] != "pending"]
attempts = collections.Counter(d["attempts"] for d in removals)
errors = collections.Counter(re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", d.get("lastError") or "none")[:80] for d in removals)
summary = (f"{sum(1 for s in requests.values() if s == 'cancelled')} of {len(ids)} requests and "
           f"{sum(1 for s in statuses.values() if s == 'cancelled')} tickets cancelled; {len(removals)} DNS removals in the outbox "
           f"({dict(states)}; attempts {dict(sorted(attempts.items()))}; last errors {dict(errors)})")
print(("LOST: " + "; ".join(problems[:8]) + " — " if problems else "nothing lost: ") + summary)
PY
)"
echo "    afterwards: $I_CHECK"
I_CHECK="$I_CHECK; afterwards the dashboard answered $I_AFTER, and simpul serve $I_STOP"
I_BASE="${I_RPS0} req/s, p99 ${I_P990}${I_BAD0:+ ($I_BAD0)}"
I_LOADED="${I_RPS1} req/s, p99 ${I_P991}${I_BAD1:+ ($I_BAD1)}"
case "$I_CHECK" in LOST:*) I_LOST=1 ;; esac
fi

echo
echo "Summary"
printf '  %-52s %s\n' "agency list, example district (median of 30)" "$A_MEDIAN"
printf '  %-52s %s\n' "inventory import, $AGENCIES agencies / $LINKS links" "$B_LINE"
printf '  %-52s %s\n' "dashboard GET / (wrk -c32 -t2 ${SECONDS_WRK}s)" "$RPS"
printf '  %-52s %s\n' "sweep of $D_OPEN open tickets (median of 5)" "$D_TOTAL"
for line in "${E_LINES[@]+"${E_LINES[@]}"}"; do
    printf '  %-52s %s\n' "ticket list ${line%%|*}" "${line#*|}"
done
printf '  %-52s %s\n' "IPAM in process, /16 with 60 000 assigned" "$F_NEXT"
printf '  %-52s %s\n' "IPAM over the API" "$F_API"
printf '  %-52s %s\n' "IPAM storm, 64 API clients + 4 CLI processes" "$F_STORM"
printf '  %-52s %s\n' "DNS A + PTR pushed to named and confirmed" "$G_DNS"
printf '  %-52s %s\n' "/healthz while 4 users change passwords" "$H_LINE"
printf '  %-52s %s\n' "dashboard alone (section i, wrk -c32 -t2 ${SECONDS_WRK}s)" "$I_BASE"
if [ -n "$I_LOADED" ]; then
    printf '  %-52s %s\n' "... while $CANCELS hosting requests are cancelled" "$I_LOADED"
    printf '  %-52s %s\n' "... the cancels (DNS server silent)" "$I_CANCELS"
    printf '  %-52s %s\n' "... afterwards" "$I_CHECK"
fi
# The one check this script makes: cancelled work that is in no state at all.
[ "$I_LOST" = 0 ] || die "section i: a cancel's DNS removal or state was lost (see above)"
