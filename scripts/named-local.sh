#!/usr/bin/env bash
# Start BIND's named on 127.0.0.1 only, for a demo or a benchmark: a TSIG key
# (tsig-keygen -a hmac-sha256 simpul-update), primary zones that take updates and transfers signed
# with it, and nothing else (no recursion, no notify, no IPv6 listener: it never sends a query out).
#   scripts/named-local.sh [--keep] DIR PORT PRIMARY-ZONE [ZONE...]
# Writes DIR/named.conf, DIR/simpul.key, DIR/<zone>.zone, DIR/named.log and DIR/named.pid, and
# returns once named answers. Stop it with: kill "$(cat DIR/named.pid)"
# --keep (make run): a named of DIR that already answers is left running; otherwise the key and the
# zones in DIR (with what updates wrote to them) are kept from the last run, and only what is
# missing is made.
set -euo pipefail
keep=0
if [ "${1:-}" = "--keep" ]; then keep=1; shift; fi
[ "$#" -ge 3 ] || { echo "usage: $0 [--keep] DIR PORT PRIMARY-ZONE [ZONE...]" >&2; exit 2; }
dir="$(mkdir -p "$1" && cd "$1" && pwd)"; port="$2"; shift 2
primary="$1"
for tool in named tsig-keygen dig; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "error: $tool is missing; run scripts/named-ensure.sh" >&2; exit 1; }
done
PATH="$PATH:/usr/sbin"
answers() { dig @127.0.0.1 -p "$port" +short +time=1 +tries=1 SOA "$primary" 2>/dev/null | grep -q .; }
running() { [ -s "$dir/named.pid" ] && kill -0 "$(cat "$dir/named.pid")" 2>/dev/null; }
if [ "$keep" -eq 1 ] && running && answers; then
    echo "==> named of $dir already answers on 127.0.0.1:$port"
    exit 0
fi
if [ "$keep" -eq 0 ] || [ ! -s "$dir/simpul.key" ]; then
    tsig-keygen -a hmac-sha256 simpul-update >"$dir/simpul.key"
fi
chmod 600 "$dir/simpul.key"
if running; then
    # A named of DIR that does not answer (another port, or stuck): stop it before starting afresh.
    kill "$(cat "$dir/named.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do running || break; sleep 0.1; done
fi
{
    cat <<CONF
options {
    directory "$dir";
    listen-on port $port { 127.0.0.1; };
    listen-on-v6 { none; };
    pid-file "$dir/named.pid";
    session-keyfile "$dir/session.key";
    recursion no;
    dnssec-validation no;
    notify no;
    allow-query { 127.0.0.1; };
};
include "$dir/simpul.key";
controls { };
CONF
    for zone in "$@"; do
        if [ "$keep" -eq 1 ] && [ -s "$dir/$zone.zone" ]; then
            echo "zone \"$zone\" { type primary; file \"$dir/$zone.zone\"; allow-update { key simpul-update; }; allow-transfer { key simpul-update; }; };"
            continue
        fi
        rm -f "$dir/$zone.zone.jnl"
        printf '$TTL 3600\n@ IN SOA ns1.%s. hostmaster.%s. 1 3600 900 1209600 300\n@ IN NS ns1.%s.\n' "$primary" "$primary" "$primary" >"$dir/$zone.zone"
        [ "$zone" = "$primary" ] && echo "ns1 IN A 127.0.0.1" >>"$dir/$zone.zone"
        echo "zone \"$zone\" { type primary; file \"$dir/$zone.zone\"; allow-update { key simpul-update; }; allow-transfer { key simpul-update; }; };"
    done
} >"$dir/named.conf"
named -c "$dir/named.conf" -n 1 -L "$dir/named.log"
for _ in $(seq 1 100); do
    if answers; then exit 0; fi
    sleep 0.1
done
echo "error: named did not answer on 127.0.0.1:$port (is the port taken?); its log:" >&2
tail -n 20 "$dir/named.log" >&2 || true
if running; then kill "$(cat "$dir/named.pid")" 2>/dev/null || true; fi
exit 1
