#!/usr/bin/env bash
# The example district's live SNMP agents for `make run`: one snmpsim (PyPI) answering for every
# device of the inventory with SNMP, each on its own loopback address at the inventory's port
# (Inventory/devices.yaml: snmp.port 16100), counters moving at a share of each link's committed rate.
#
#   scripts/demo-agents.sh start            (re)start the agents from the database's inventory
#   scripts/demo-agents.sh down DEVICE...   restart them with DEVICE's links' ports down (a cut fibre)
#   scripts/demo-agents.sh up               restart them with every port up again
#   scripts/demo-agents.sh stop             stop them
#
# Needs: SIMPUL (the simpul binary), SIMPUL_DB, DEMO_SNMP_DIR (where the recordings, the credentials
# file and the pid live), DEMO_PYTHON (a python with snmpsim and pysmi). Only 127.0.0.0/8 is ever
# bound or answered: scripts/demo_agents.py refuses any other address.
set -euo pipefail

: "${SIMPUL:?set SIMPUL to the simpul binary}" "${SIMPUL_DB:?set SIMPUL_DB}" "${DEMO_SNMP_DIR:?set DEMO_SNMP_DIR}" "${DEMO_PYTHON:?set DEMO_PYTHON}"
here="$(cd "$(dirname "$0")" && pwd)"
dir="$DEMO_SNMP_DIR"
mkdir -p "$dir" "$dir/cache"
chmod 700 "$dir"

stop() {
    for pidfile in "$dir/snmpsim.pid" "$dir/snmpd.pid"; do
        if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            kill "$(cat "$pidfile")" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
        fi
        rm -f "$pidfile"
    done
}

# Waits until `snmpget ARGS... ENDPOINT sysName.0` answers, or the process in PIDFILE dies.
ready() {
    local what="$1" pidfile="$2" endpoint="$3"
    shift 3
    for _ in $(seq 100); do
        if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            echo "error: $what stopped at start; see $dir/$what.log" >&2
            tail -n 20 "$dir/$what.log" >&2 || true
            exit 1
        fi
        if snmpget "$@" -t 1 -r 0 "$endpoint" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1; then return 0; fi
        sleep 0.3
    done
    echo "error: $what did not answer on $endpoint within 30 s; see $dir/$what.log" >&2
    exit 1
}

start() {
    "$SIMPUL" device list --json > "$dir/devices.json"
    "$SIMPUL" link list --json > "$dir/links.json"
    "$DEMO_PYTHON" "$here/demo_agents.py" prepare "$dir" "$dir/devices.json" "$dir/links.json" "$@"
    stop
    local user auth priv
    user="$(cat "$dir/snmp-user")"; auth="$(head -n 1 "$dir/auth-password")"; priv="$(head -n 1 "$dir/priv-password")"
    mapfile -t endpoints < <(grep . "$dir/endpoints" || true)
    if [ "${#endpoints[@]}" -gt 0 ]; then
        local own community
        own="$("$DEMO_PYTHON" -c 'import os, snmpsim; print(os.path.join(os.path.dirname(snmpsim.__file__), "variation"))')"
        # snmpsim refuses to run as root unless allowed; it binds only the loopback endpoints above.
        SNMPSIM_ALLOW_ROOT=true nohup "$DEMO_PYTHON" -m snmpsim.commands.responder \
            --data-dir="$dir/data" --cache-dir="$dir/cache" --variation-modules-dir="$own" --log-level=error \
            "${endpoints[@]}" > "$dir/snmpsim.log" 2>&1 &
        echo $! > "$dir/snmpsim.pid"
        community="$(sed -n 's/^  community: //p' "$dir/credentials.yaml" | head -n 1)"
        ready snmpsim "$dir/snmpsim.pid" "udp:${endpoints[0]#--agent-udpv4-endpoint=}" -v2c -c "$community"
    fi
    local listen
    listen="$(head -n 1 "$dir/snmpd-endpoints")"
    if [ -n "$listen" ]; then
        [ -x /usr/sbin/snmpd ] || { echo "error: /usr/sbin/snmpd is missing (scripts/snmpd-ensure.sh installs it)" >&2; exit 1; }
        mkdir -p "$dir/snmpd-persist"
        ( umask 077; printf 'createUser %s SHA-256 "%s" AES "%s"\nrouser %s priv\nsysName simpul-demo-snmpd\nsysLocation Simpul demo\n' \
            "$user" "$auth" "$priv" "$user" > "$dir/snmpd.conf" )
        # -C: only this configuration; -I -smux: no SMUX listener on TCP 199. Loopback endpoints only.
        SNMP_PERSISTENT_DIR="$dir/snmpd-persist" MIBS="" nohup /usr/sbin/snmpd -f -Lo -C -c "$dir/snmpd.conf" -I -smux \
            "$listen" > "$dir/snmpd.log" 2>&1 &
        echo $! > "$dir/snmpd.pid"
        ready snmpd "$dir/snmpd.pid" "${listen%%,*}" -v3 -l authPriv -u "$user" -a SHA-256 -A "$auth" -x AES -X "$priv"
    fi
    echo "==> SNMP agents answer on loopback: ${#endpoints[@]} simulated devices (snmpsim), $(tr ',' '\n' < "$dir/snmpd-endpoints" | grep -c . || true) answered by snmpd; credentials: $dir/credentials.yaml"
}

case "${1:-}" in
    start) start ;;
    down)
        shift
        [ $# -gt 0 ] || { echo "usage: $0 down DEVICE..." >&2; exit 2; }
        args=()
        for device in "$@"; do args+=(--down "$device"); done
        start "${args[@]}"
        ;;
    up) start ;;
    stop) stop ;;
    *) echo "usage: $0 start | down DEVICE... | up | stop" >&2; exit 2 ;;
esac
