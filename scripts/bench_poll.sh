#!/usr/bin/env bash
# Link-health benchmarks of issue 14, side by side in one run (`make bench` runs it after the others):
#
#   1) One `simpul poll` cycle over 500 simulated devices x 48 interfaces (24,000) on loopback: the
#      process's own CPU (user + sys), peak RSS and wall time from /usr/bin/time — goals CPU < 5 s,
#      peak memory < 150 MB. A first cycle reads every counter (warm-up, readings); the second, which
#      computes the rates, is the one judged; both are shown. `simpul poll --json` is read to check
#      that the cycle really read every interface.
#   2) The same devices scraped through Prometheus' snmp_exporter (Debian's prometheus-snmp-exporter,
#      on 127.0.0.1 with an if_mib module per device): all 500 at once, as Prometheus would, once to
#      warm up, then three measured rounds; its CPU from /proc/PID/stat before and after each (the
#      median round is used). An interface sample is one interface's row read once (simpul: one
#      interface of the cycle; snmp_exporter: one ifIndex of a scrape, its 17 metrics). Our CPU per
#      1,000 interface samples as a ratio to its — goal 0.5 or less.
#   3) `simpul poll` run again right after a cycle (nothing should be due): hyperfine — goal < 100 ms.
#      A device polled less than --every (60s) ago is not due, so the run asks nothing; the floor
#      beside it is `simpul poll` over the same district without SNMP devices (process start,
#      inventory and health file read, nothing asked). The measured cycles run with --all.
#   4) The same recordings served by snmpsim instead (the agent the SNMP tests use): one cycle, to
#      show whether snmpsim keeps up (BENCH_POLL_SNMPSIM=0 skips it).
#
# The devices: scripts/bench_poll_setup.py writes a district of 500 agencies (scripts/gen_inventory.py),
# each with an edge router of 48 ports at 127.0.0.1 on one of BENCH_POLL_AGENTS UDP ports (round robin)
# with a community of its own, and one .snmprec recording per device (IF-MIB and sysUpTime/sysName,
# counters moving with time). In 1)–3) they are answered by scripts/bench_poll_agent.py, a lean agent
# reading the same recordings: snmpsim spends ~60 ms of CPU on one 375-value GETBULK, ~90 s per cycle
# of 500 devices, and answers asked all at once queue far past any poller's timeout (4) shows it).
#
# Every address polled, scraped or bound is 127.0.0.1; SIMPUL_PROBE_ALLOW is set to loopback here.
# It prints numbers beside the goals with a verdict; the exit status is 0 unless a step could not run.
# Environment: SIMPUL_BIN (default .build/release/simpul), BENCH_POLL_DEVICES (500),
# BENCH_POLL_INTERFACES (48), BENCH_POLL_AGENTS (agent processes/ports, 2), BENCH_POLL_RUNS (hyperfine
# runs of 3), 5), BENCH_POLL_SCRAPES (measured snmp_exporter rounds, 3), BENCH_POLL_SNMPSIM (1),
# PYTHON_SNMPSIM (a Python with snmpsim; default .venv-test/bin/python).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$(pwd)"
BIN="${SIMPUL_BIN:-$REPO/.build/release/simpul}"
DEVICES="${BENCH_POLL_DEVICES:-500}"
IFACES="${BENCH_POLL_INTERFACES:-48}"
AGENTS="${BENCH_POLL_AGENTS:-2}"
RUNS="${BENCH_POLL_RUNS:-5}"
SCRAPES="${BENCH_POLL_SCRAPES:-3}"
WITH_SNMPSIM="${BENCH_POLL_SNMPSIM:-1}"
PY_SNMPSIM="${PYTHON_SNMPSIM:-$REPO/.venv-test/bin/python}"

step() { echo "==> $*"; }
die() { echo "error: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "no release binary at $BIN: run 'swift build -c release' (or 'make bench')"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

# Loopback only, whatever the caller's environment says.
export SIMPUL_PROBE_ALLOW="127.0.0.0/8,::1/128"
export NO_PROXY="127.0.0.1,localhost" no_proxy="127.0.0.1,localhost"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export SIMPUL_LANG=en

need=()
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
command -v curl >/dev/null 2>&1 || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
[ "${#need[@]}" -eq 0 ] || "$REPO/scripts/apt-ensure.sh" "${need[@]}"
EXPORTER=/usr/bin/prometheus-snmp-exporter
if [ ! -x "$EXPORTER" ]; then
    # Debian would start the exporter's service on *:9116: policy-rc.d (exit 101) forbids that while
    # the package is installed, as scripts/snmpd-ensure.sh does for snmpd.
    sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    policy=/usr/sbin/policy-rc.d; placed=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod 755 "$policy"; placed=1
    fi
    "$REPO/scripts/apt-ensure.sh" prometheus-snmp-exporter || { [ "$placed" -eq 0 ] || "${sudo[@]}" rm -f "$policy"; exit 1; }
    [ "$placed" -eq 0 ] || "${sudo[@]}" rm -f "$policy"
fi
# Also when it was installed before: the package's service (all addresses, :9116) stopped and disabled;
# the benchmark starts its own exporter on 127.0.0.1. Without a running systemd (a container),
# `systemctl disable` still removes the boot-time link.
if command -v systemctl >/dev/null 2>&1 && systemctl is-enabled prometheus-snmp-exporter.service >/dev/null 2>&1; then
    sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    if [ -d /run/systemd/system ]; then "${sudo[@]}" systemctl disable --now prometheus-snmp-exporter.service >/dev/null 2>&1 || true
    else "${sudo[@]}" systemctl disable prometheus-snmp-exporter.service >/dev/null 2>&1 || true; fi
fi

TMP="$(mktemp -d -t simpul-bench-poll.XXXXXX)"
AGENT_PIDS=(); EXPORTER_PID=""
stop_agents() {
    for pid in "${AGENT_PIDS[@]+"${AGENT_PIDS[@]}"}"; do
        if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    done
    AGENT_PIDS=()
}
cleanup() {
    stop_agents
    if [ -n "$EXPORTER_PID" ] && kill -0 "$EXPORTER_PID" 2>/dev/null; then kill "$EXPORTER_PID" 2>/dev/null || true; wait "$EXPORTER_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
TCK="$(getconf CLK_TCK)"
# user + sys ticks of the given PIDs, summed.
ticks() { local sum=0 pid; for pid in "$@"; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$sum"; }
free_ports() { python3 - "$1" "$2" <<'PY'
import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
held = [socket.socket(socket.AF_INET, kind) for _ in range(int(sys.argv[2]))]
for s in held: s.bind(("127.0.0.1", 0))
print(",".join(str(s.getsockname()[1]) for s in held))
PY
}

echo "Simpul link-health benchmarks — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo 'uncommitted')"
echo "binary: $BIN"

# ---------------------------------------------------------------------------- the district and its agents
PORTS="$(free_ports udp "$AGENTS")"
step "$DEVICES devices x $IFACES interfaces: inventory, recordings, credentials, snmp_exporter modules (scripts/bench_poll_setup.py)"
python3 "$REPO/scripts/bench_poll_setup.py" "$TMP" --devices "$DEVICES" --interfaces "$IFACES" --ports "$PORTS"
DB="$TMP/poll.db"
CREDS="$TMP/credentials.yaml"
SIMPUL_DB="$DB" "$BIN" inventory import "$TMP/inventory" >/dev/null
cp "$DB" "$TMP/pristine.db"
IFS=, read -r -a PORT_LIST <<<"$PORTS"

start_lean_agents() {
    local k
    for k in "${!PORT_LIST[@]}"; do
        rm -f "$TMP/agent-$k/port"
        python3 "$REPO/scripts/bench_poll_agent.py" --data-dir "$TMP/agent-$k/data" --port "${PORT_LIST[$k]}" \
            --port-file "$TMP/agent-$k/port" >"$TMP/agent-$k.log" 2>&1 &
        AGENT_PIDS+=($!)
    done
    for k in "${!PORT_LIST[@]}"; do
        for _ in $(seq 1 300); do [ -s "$TMP/agent-$k/port" ] && break; sleep 0.1; done
        [ -s "$TMP/agent-$k/port" ] || { cat "$TMP/agent-$k.log"; die "agent $k did not start"; }
    done
}

# One `simpul poll --json` under /usr/bin/time: NAME.time (user sys maxrss-KB wall), NAME.json, and the
# agents' CPU ticks during it in NAME.agents.
poll_cycle() {
    local name="$1" db="$2" before
    before="$(ticks "${AGENT_PIDS[@]}")"
    /usr/bin/time -f '%U %S %M %e' -o "$TMP/$name.time" env SIMPUL_DB="$db" "$BIN" poll --all --json --credentials "$CREDS" \
        >"$TMP/$name.json" 2>"$TMP/$name.err" || { cat "$TMP/$name.err"; die "simpul poll ($name) failed"; }
    echo $(( $(ticks "${AGENT_PIDS[@]}") - before )) >"$TMP/$name.agents"
    python3 - "$TMP/$name.json" "$TMP/$name.time" "$TMP/$name.agents" "$TCK" <<'PY'
import collections, json, sys
r = json.load(open(sys.argv[1])); u, s, rss, wall = open(sys.argv[2]).read().split()[-4:]
agents = int(open(sys.argv[3]).read()) / int(sys.argv[4])
d = r["devices"]; answered = [x for x in d if x["status"] == "answered"]
problems = collections.Counter((x.get("problem") or "")[:90] for x in d if x["status"] != "answered")
print(f"    simpul CPU {float(u) + float(s):.2f} s (user {u} + sys {s}), peak RSS {int(rss) / 1024:.1f} MB, wall {wall} s; "
      f"{len(answered)} of {len(d)} devices answered, {sum(x['interfaces'] for x in d):,} interfaces, "
      f"{sum(x['samples'] for x in d):,} rate samples, {sum(x['discarded'] for x in d):,} discarded; agents' CPU {agents:.2f} s")
for p, n in problems.most_common(3): print(f"    {n} x {p}")
PY
}

step "starting $AGENTS lean agents (scripts/bench_poll_agent.py) on 127.0.0.1:{$PORTS}"
start_lean_agents

# ---------------------------------------------------------------------------- 1) two cycles
step "1) simpul poll, first cycle (warm-up: every counter read, no rates yet)"
poll_cycle cycle1 "$DB"
# The counters move between the cycles; Simpul trusts no interval under 10 s (RateSettings), so the
# second cycle starts 15 s after the first one ended.
sleep 15
step "1) simpul poll, second cycle (rates from the first cycle's readings) — measured"
poll_cycle cycle2 "$DB"

# ---------------------------------------------------------------------------- 3) nothing due
step "3) simpul poll right after a cycle, $RUNS runs (hyperfine): nothing is due (every device was polled less than 60 s ago)"
hyperfine --runs "$RUNS" --style basic --export-json "$TMP/due.json" \
    "SIMPUL_DB='$DB' '$BIN' poll --credentials '$CREDS' >/dev/null" >/dev/null
grep -v -E '^ {4}(snmp:|  version|  credential|  port)' "$TMP/inventory/devices.yaml" >"$TMP/devices-nosnmp.yaml"
mkdir -p "$TMP/inventory-nosnmp"; cp "$TMP/inventory/"*.yaml "$TMP/inventory-nosnmp/"; mv "$TMP/devices-nosnmp.yaml" "$TMP/inventory-nosnmp/devices.yaml"
SIMPUL_DB="$TMP/floor.db" "$BIN" inventory import "$TMP/inventory-nosnmp" >/dev/null
step "3) floor: simpul poll over the same district without SNMP devices (nothing to ask), 20 runs"
hyperfine --runs 20 --warmup 2 --style basic --export-json "$TMP/floor.json" \
    "SIMPUL_DB='$TMP/floor.db' '$BIN' poll --credentials '$CREDS' >/dev/null" >/dev/null

# ---------------------------------------------------------------------------- 2) snmp_exporter
EXP_PORT="$(free_ports tcp 1)"
step "2) snmp_exporter $("$EXPORTER" --version 2>&1 | sed -n 's/.*version \([0-9.]*\).*/\1/p;T;q') on 127.0.0.1:$EXP_PORT, $DEVICES if_mib modules"
"$EXPORTER" --config.file="$TMP/snmp.yml" --web.listen-address="127.0.0.1:$EXP_PORT" --log.level=warn >"$TMP/exporter.log" 2>&1 &
EXPORTER_PID=$!
for _ in $(seq 1 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$EXP_PORT/metrics" || true)" = 200 ] && break
    kill -0 "$EXPORTER_PID" 2>/dev/null || { cat "$TMP/exporter.log"; die "snmp_exporter exited"; }
    sleep 0.2
done
step "2) all $DEVICES targets scraped at once: a warm-up round, then $SCRAPES measured ones (the median is judged)"
python3 "$REPO/scripts/bench_poll_scrape.py" "http://127.0.0.1:$EXP_PORT" "$TMP/targets.tsv" >"$TMP/scrape-warm.json"
for round in $(seq 1 "$SCRAPES"); do
    E0="$(ticks "$EXPORTER_PID")"; A0="$(ticks "${AGENT_PIDS[@]}")"
    python3 "$REPO/scripts/bench_poll_scrape.py" "http://127.0.0.1:$EXP_PORT" "$TMP/targets.tsv" >"$TMP/scrape-$round.json"
    echo $(( $(ticks "$EXPORTER_PID") - E0 )) $(( $(ticks "${AGENT_PIDS[@]}") - A0 )) \
        "$(awk '/VmHWM/ {print $2}' "/proc/$EXPORTER_PID/status")" >"$TMP/exporter-$round.cpu"
    python3 - "$TMP/scrape-$round.json" "$TMP/exporter-$round.cpu" "$TCK" "$round" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); e, a, hwm = (int(x) for x in open(sys.argv[2]).read().split()); t = int(sys.argv[3])
print(f"    round {sys.argv[4]}: snmp_exporter CPU {e / t:.2f} s, peak RSS {hwm / 1024:.1f} MB; {r['scraped']} of {r['targets']} targets, "
      f"{r['interfaces']:,} interfaces, {r['samples']:,} samples in {r['seconds']} s (slowest {r['slowest']} s); agents' CPU {a / t:.2f} s")
for f in r["failures"]: print(f"    failed: {f}")
PY
done
kill "$EXPORTER_PID" 2>/dev/null || true; wait "$EXPORTER_PID" 2>/dev/null || true; EXPORTER_PID=""

# ---------------------------------------------------------------------------- 4) snmpsim
SNMPSIM_NOTE="skipped (BENCH_POLL_SNMPSIM=0)"
if [ "$WITH_SNMPSIM" = 1 ]; then
    stop_agents
    if ! "$PY_SNMPSIM" -c 'import snmpsim, pysmi' 2>/dev/null; then
        SNMPSIM_NOTE="skipped: $PY_SNMPSIM has no snmpsim (make venv)"
    else
        step "4) the same recordings served by snmpsim ($AGENTS processes, Tests/Rigs/snmp/responder.py as the tests run it); one cycle on a fresh database"
        OWN="$("$PY_SNMPSIM" -c 'import os, snmpsim; print(os.path.join(os.path.dirname(snmpsim.__file__), "variation"))')"
        for k in "${!PORT_LIST[@]}"; do
            mkdir -p "$TMP/agent-$k/cache"
            SNMPSIM_ALLOW_ROOT=true "$PY_SNMPSIM" "$REPO/Tests/Rigs/snmp/responder.py" --data-dir="$TMP/agent-$k/data" \
                --cache-dir="$TMP/agent-$k/cache" --variation-modules-dir="$OWN" --max-var-binds=2000 --log-level=error \
                --agent-udpv4-endpoint="127.0.0.1:${PORT_LIST[$k]}" >"$TMP/snmpsim-$k.log" 2>&1 &
            AGENT_PIDS+=($!)
        done
        # Ready when each instance answers its first community (snmpsim indexes every recording first).
        for k in "${!PORT_LIST[@]}"; do
            first=("$TMP/agent-$k/data/"*.snmprec); community="$(basename "${first[0]}" .snmprec)"
            ready=0
            for _ in $(seq 1 240); do
                if python3 - "${PORT_LIST[$k]}" "$community" <<'PY'
import socket, sys
port, c = int(sys.argv[1]), sys.argv[2].encode()
vb = bytes([0x30, 0x0E, 0x30, 0x0C, 0x06, 0x08, 0x2B, 6, 1, 2, 1, 1, 3, 0, 0x05, 0x00])
pdu = bytes([0xA0, 9 + len(vb), 2, 1, 42, 2, 1, 0, 2, 1, 0]) + vb
body = bytes([2, 1, 1, 4, len(c)]) + c + pdu
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
s.sendto(bytes([0x30, len(body)]) + body, ("127.0.0.1", port))
try: s.recv(2048)
except OSError: sys.exit(1)
PY
                then ready=1; break; fi
                sleep 0.5
            done
            [ "$ready" = 1 ] || { tail -n 5 "$TMP/snmpsim-$k.log"; die "snmpsim on 127.0.0.1:${PORT_LIST[$k]} did not answer"; }
        done
        cp "$TMP/pristine.db" "$TMP/snmpsim.db"
        poll_cycle snmpsim "$TMP/snmpsim.db"
        SNMPSIM_NOTE=""
    fi
    stop_agents
fi

# ---------------------------------------------------------------------------- the table
echo
python3 - "$TMP" "$TCK" "$DEVICES" "$IFACES" "$SNMPSIM_NOTE" <<'PY'
import json, os, statistics, sys
tmp, tck, devices, ifaces, snmpsim_note = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
expected = devices * ifaces

def cycle(name):
    r = json.load(open(os.path.join(tmp, name + ".json")))
    u, s, rss, wall = open(os.path.join(tmp, name + ".time")).read().split()[-4:]
    d = r["devices"]
    return {"cpu": float(u) + float(s), "user": float(u), "sys": float(s), "rss": int(rss) / 1024, "wall": float(wall),
            "answered": sum(1 for x in d if x["status"] == "answered"), "devices": len(d),
            "interfaces": sum(x["interfaces"] for x in d), "samples": sum(x["samples"] for x in d),
            "discarded": sum(x["discarded"] for x in d), "agents": int(open(os.path.join(tmp, name + ".agents")).read()) / tck}

def verdict(ok):
    return "meets" if ok else "MISSES"

c1, c2 = cycle("cycle1"), cycle("cycle2")
complete = c2["interfaces"] == expected and c2["answered"] == devices
rounds = sorted(((int(open(os.path.join(tmp, f)).read().split()[0]), f[len("exporter-"):-len(".cpu")])
                 for f in os.listdir(tmp) if f.startswith("exporter-") and f.endswith(".cpu")))
e_ticks, median_round = rounds[len(rounds) // 2]
scrape = json.load(open(os.path.join(tmp, f"scrape-{median_round}.json")))
e_cpu = e_ticks / tck
e_all = ", ".join(f"{t / tck:.2f}" for t, _ in rounds)
ours = c2["cpu"] / (c2["interfaces"] / 1000) if c2["interfaces"] else float("nan")
theirs = e_cpu / (scrape["interfaces"] / 1000) if scrape["interfaces"] and e_cpu else float("nan")
ratio = ours / theirs if theirs == theirs and theirs else float("nan")
due = json.load(open(os.path.join(tmp, "due.json")))["results"][0]
floor = json.load(open(os.path.join(tmp, "floor.json")))["results"][0]

rows = [
    ("cycle 2 (rates), simpul CPU user+sys", f"{c2['cpu']:.2f} s ({c2['user']:.2f} + {c2['sys']:.2f})", "< 5 s", verdict(c2["cpu"] < 5)),
    ("cycle 2, peak RSS", f"{c2['rss']:.1f} MB", "< 150 MB", verdict(c2["rss"] < 150)),
    ("cycle 2, wall time", f"{c2['wall']:.2f} s", "report", "-"),
    ("cycle 2, read", f"{c2['answered']}/{c2['devices']} devices, {c2['interfaces']:,} interfaces, {c2['samples']:,} rates, {c2['discarded']:,} discarded",
     f"{devices} devices, {expected:,} interfaces", "complete" if complete else "INCOMPLETE"),
    ("cycle 1 (first readings), CPU / RSS / wall", f"{c1['cpu']:.2f} s / {c1['rss']:.1f} MB / {c1['wall']:.2f} s",
     f"{c1['interfaces']:,} interfaces", "-"),
    ("snmp_exporter, one round of all targets (median)", f"CPU {e_cpu:.2f} s (rounds: {e_all}), {scrape['scraped']}/{scrape['targets']} targets, {scrape['interfaces']:,} interfaces in {scrape['seconds']:.1f} s",
     "anchor", "-"),
    ("CPU per 1,000 interface samples", f"simpul {ours * 1000:.1f} ms", f"snmp_exporter {theirs * 1000:.1f} ms",
     "-"),
    ("... ratio simpul / snmp_exporter", f"{ratio:.2f}", "<= 0.5", verdict(ratio <= 0.5) if ratio == ratio else "n/a"),
    ("poll right after a cycle (hyperfine mean)", f"{due['mean'] * 1000:,.0f} ms ± {due['stddev'] * 1000:,.0f} (median {due['median'] * 1000:,.0f})",
     "< 100 ms", verdict(due["mean"] < 0.1)),
    ("... floor: poll with no SNMP device", f"{floor['mean'] * 1000:.1f} ms (median {floor['median'] * 1000:.1f})", "report: the least a run costs", "-"),
]
if not snmpsim_note:
    s = cycle("snmpsim")
    rows.append(("cycle 1 against snmpsim (same recordings)",
                 f"{s['answered']}/{s['devices']} devices, {s['interfaces']:,} interfaces; CPU {s['cpu']:.2f} s, wall {s['wall']:.1f} s; snmpsim CPU {s['agents']:.1f} s",
                 "every device answered", "keeps up" if s["answered"] == devices else "snmpsim CANNOT KEEP UP"))
else:
    rows.append(("cycle against snmpsim", snmpsim_note, "", "-"))
w = [max(len(r[i]) for r in rows + [("measure", "simpul", "anchor/goal", "verdict")]) for i in range(4)]
line = lambda r: "| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(r)) + " |"
print(f"Link health, {devices} devices x {ifaces} interfaces on 127.0.0.1 (agents: scripts/bench_poll_agent.py, CPU {c2['agents']:.2f} s during cycle 2)")
print(line(("measure", "simpul", "anchor/goal", "verdict")))
print("|" + "|".join("-" * (x + 2) for x in w) + "|")
for r in rows: print(line(r))
if not complete:
    print(f"NOTE: cycle 2 read {c2['interfaces']:,} of {expected:,} interfaces; its CPU figure is not that of a complete cycle.")
if not snmpsim_note and s["answered"] < devices:
    print(f"NOTE: snmpsim cannot keep up with {devices} devices asked at once on {os.cpu_count()} cores (its own CPU {s['agents']:.1f} s for one cycle):"
          " with it the cycle measures the simulator, which is why 1)-3) use the lean agent on the same recordings.")
PY
