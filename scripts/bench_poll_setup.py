#!/usr/bin/env python3
"""Everything the link-health benchmark (scripts/bench_poll.sh) polls and scrapes, written into OUTDIR:

    python3 scripts/bench_poll_setup.py OUTDIR --devices 500 --interfaces 48 --ports 40001,40002

- inventory/     a district of DEVICES agencies (scripts/gen_inventory.py, one edge router per agency
                 and one link on its ether1), whose devices.yaml is rewritten so that every router's
                 agent is at 127.0.0.1 on one of PORTS (round robin) with a community of its own;
                 every health_address is 127.0.0.1 too.
- agent-K/data/  the .snmprec recordings snmpsim instance K (on the K-th port) answers, one per device
                 community: sysUpTime and sysName, and INTERFACES rows of IF-MIB's ifTable and
                 ifXTable (ifName, ifDescr, ifAlias, ifType, ifSpeed/ifHighSpeed, admin and oper
                 status, 64-bit octet counters and their 32-bit twins, errors, discards,
                 ifCounterDiscontinuityTime). sysUpTime and the octet counters move with time
                 (snmpsim's numeric module: sysUpTime 100 ticks a second, each port at its own rate),
                 so a second cycle has rates to compute.
- credentials.yaml  Simpul's SNMP credentials file (mode 600): one v2c community per device.
- snmp.yml       snmp_exporter's configuration (0.21 format, as its generator writes it): per device a
                 module with if_mib's walk, metrics and lookups and that device's community.
- targets.tsv    device, port, module: what to scrape.

Every address here is 127.0.0.1. Standard library only.
"""
import argparse
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SYS = "1.3.6.1.2.1.1"
IF = "1.3.6.1.2.1.2.2.1"
IFX = "1.3.6.1.2.1.31.1.1.1"


def oid_key(line):
    return [int(arc) for arc in line.split("|", 1)[0].split(".")]


def recording(rng, sysname, interfaces, circuit, committed):
    """One device: `interfaces` ports named ether1..N; ether1 carries the link (always up, loaded to
    about a third of its committed rate, so that the link stays up and not degraded)."""
    lines = [f"{SYS}.3.0|67:numeric|rate=100,initial={rng.randrange(10**8, 3 * 10**9)}", f"{SYS}.5.0|4|{sysname}"]
    for n in range(1, interfaces + 1):
        down = n != 1 and n % 6 == 0
        admin = 2 if n != 1 and n % 12 == 0 else 1
        speed, high = (10_000_000_000, 10_000) if n > interfaces - 2 else (1_000_000_000, 1_000)
        # Bytes a second: up to a tenth of the port, none on a port that is down.
        rate_in = 0 if down else rng.randrange(1_000, speed // 80)
        rate_out = 0 if down else rng.randrange(1_000, speed // 80)
        if n == 1:
            rate_in, rate_out = committed[0] * 1_000_000 // 8 // 3, committed[1] * 1_000_000 // 8 // 4
        hc_in, hc_out = rng.randrange(2**32, 2**50), rng.randrange(2**32, 2**50)
        alias = f"{circuit} uplink" if n == 1 else (f"access port {n}" if n % 3 else "")
        lines += [
            f"{IF}.1.{n}|2|{n}",
            f"{IF}.2.{n}|4|ether{n}",
            f"{IF}.3.{n}|2|6",
            f"{IF}.5.{n}|66|{min(speed, 4294967295)}",
            f"{IF}.7.{n}|2|{admin}",
            f"{IF}.8.{n}|2|{2 if down or admin == 2 else 1}",
            f"{IF}.10.{n}|65:numeric|rate={rate_in},initial={hc_in % 2**32},wrap=1",
            f"{IF}.13.{n}|65|{rng.randrange(0, 50)}",
            f"{IF}.14.{n}|65|{rng.randrange(0, 20)}",
            f"{IF}.16.{n}|65:numeric|rate={rate_out},initial={hc_out % 2**32},wrap=1",
            f"{IF}.19.{n}|65|{rng.randrange(0, 50)}",
            f"{IF}.20.{n}|65|{rng.randrange(0, 5)}",
            f"{IFX}.1.{n}|4|ether{n}",
            f"{IFX}.6.{n}|70:numeric|rate={rate_in},initial={hc_in}",
            f"{IFX}.10.{n}|70:numeric|rate={rate_out},initial={hc_out}",
            f"{IFX}.15.{n}|66|{high}",
            f"{IFX}.18.{n}|4|{alias}",
            f"{IFX}.19.{n}|67|0",
        ]
    return sorted(lines, key=oid_key)


# snmp_exporter's if_mib module as its generator writes it for generator.yml's `if_mib` (walk of
# sysUpTime, interfaces and ifXTable; ifIndex lookups of ifAlias, ifDescr and ifName), limited to the
# columns both pollers read. Types are the generator's: counters, gauges, DisplayString labels.
EXPORTER_METRICS = [
    ("sysUpTime", f"{SYS}.3", "gauge", None),
    ("ifDescr", f"{IF}.2", "DisplayString", "ifIndex"),
    ("ifType", f"{IF}.3", "gauge", "ifIndex"),
    ("ifSpeed", f"{IF}.5", "gauge", "ifIndex"),
    ("ifAdminStatus", f"{IF}.7", "gauge", "ifIndex"),
    ("ifOperStatus", f"{IF}.8", "gauge", "ifIndex"),
    ("ifInOctets", f"{IF}.10", "counter", "ifIndex"),
    ("ifInDiscards", f"{IF}.13", "counter", "ifIndex"),
    ("ifInErrors", f"{IF}.14", "counter", "ifIndex"),
    ("ifOutOctets", f"{IF}.16", "counter", "ifIndex"),
    ("ifOutDiscards", f"{IF}.19", "counter", "ifIndex"),
    ("ifOutErrors", f"{IF}.20", "counter", "ifIndex"),
    ("ifName", f"{IFX}.1", "DisplayString", "ifIndex"),
    ("ifHCInOctets", f"{IFX}.6", "counter", "ifIndex"),
    ("ifHCOutOctets", f"{IFX}.10", "counter", "ifIndex"),
    ("ifHighSpeed", f"{IFX}.15", "gauge", "ifIndex"),
    ("ifAlias", f"{IFX}.18", "DisplayString", "ifIndex"),
    ("ifCounterDiscontinuityTime", f"{IFX}.19", "gauge", "ifIndex"),
]
LOOKUPS = [("ifAlias", f"{IFX}.18"), ("ifDescr", f"{IF}.2"), ("ifName", f"{IFX}.1")]


def exporter_module(name, community):
    out = [f"{name}:\n", "  walk:\n", f"  - {SYS}.3\n", f"  - {IF[:-4]}\n", f"  - {IFX[:-2]}\n", "  metrics:\n"]
    for metric, oid, kind, index in EXPORTER_METRICS:
        out += [f"  - name: {metric}\n", f"    oid: {oid}\n", f"    type: {kind}\n", f"    help: {metric} ({oid})\n"]
        if index:
            out += ["    indexes:\n", "    - labelname: ifIndex\n", "      type: gauge\n", "    lookups:\n"]
            for label, lookup_oid in LOOKUPS:
                out += ["    - labels:\n", "      - ifIndex\n", f"      labelname: {label}\n", f"      oid: {lookup_oid}\n",
                        "      type: DisplayString\n"]
    out += ["  version: 2\n", "  max_repetitions: 25\n", "  retries: 3\n", "  timeout: 5s\n", "  auth:\n",
            f"    community: {community}\n"]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--devices", type=int, default=500)
    ap.add_argument("--interfaces", type=int, default=48)
    ap.add_argument("--ports", required=True, help="comma-separated UDP ports on 127.0.0.1, one per snmpsim instance")
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args(argv)
    ports = [int(p) for p in args.ports.split(",") if p]
    if not ports or args.devices < 1 or not 1 <= args.interfaces <= 10_000:
        ap.error("need --ports, --devices >= 1 and --interfaces 1..10000")
    rng = random.Random(args.seed)
    inv = os.path.join(args.outdir, "inventory")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_inventory.py"), inv, "--agencies", str(args.devices),
                    "--links", str(args.devices), "--device-per", "agency", "--pools", "0", "--providers", "3"],
                   check=True, stdout=subprocess.DEVNULL)

    # The generated links name each agency's router; health addresses go to 127.0.0.1.
    links_path = os.path.join(inv, "links.yaml")
    text = open(links_path, encoding="utf-8").read()
    text = re.sub(r"(?m)^(    health_address: ).*$", r"\g<1>127.0.0.1", text)
    open(links_path, "w", encoding="utf-8").write(text)
    routers = []  # (device, agency, circuit)
    for block in text.split("  - circuit: ")[1:]:
        fields = dict(re.findall(r"(?m)^    (\w+): (.*)$", block))
        routers.append((fields["device"], fields["agency"], block.split("\n", 1)[0].strip().strip('"'),
                        (int(fields["down_mbps"]), int(fields["up_mbps"]))))

    devices = ["# Rewritten by scripts/bench_poll_setup.py: every agent is snmpsim on 127.0.0.1.\ndevices:\n"]
    creds = ["# SNMP v2c communities of the benchmark's simulated routers (scripts/bench_poll_setup.py).\n"]
    modules, targets = [], []
    for k, port in enumerate(ports):
        os.makedirs(os.path.join(args.outdir, f"agent-{k}", "data"), exist_ok=True)
    for i, (device, agency, circuit, committed) in enumerate(routers):
        k = i % len(ports)
        community = f"kab{i + 1:04d}-{rng.randrange(16**6):06x}"
        module = f"if_mib_{i + 1:04d}"
        devices += [f"  - name: {device}\n", "    kind: router\n", f"    agency: {agency}\n", "    management_address: 127.0.0.1\n",
                    "    snmp:\n", "      version: 2c\n", f"      credential: {device}\n", f"      port: {ports[k]}\n",
                    "    vendor: MikroTik\n", "    model: \"CCR2004-16G-2S+\"\n"]
        creds.append(f"{device}:\n  community: {community}\n")
        modules += exporter_module(module, community)
        targets.append(f"{device}\t{ports[k]}\t{module}\n")
        with open(os.path.join(args.outdir, f"agent-{k}", "data", community + ".snmprec"), "w") as f:
            f.write("\n".join(recording(rng, device, args.interfaces, circuit, committed)) + "\n")
    open(os.path.join(inv, "devices.yaml"), "w", encoding="utf-8").write("".join(devices))
    cred_path = os.path.join(args.outdir, "credentials.yaml")
    fd = os.open(cred_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("".join(creds))
    open(os.path.join(args.outdir, "snmp.yml"), "w").write("# snmp_exporter 0.21 modules (scripts/bench_poll_setup.py)\n" + "".join(modules))
    open(os.path.join(args.outdir, "targets.tsv"), "w").write("".join(targets))
    print(f"bench_poll_setup: {len(routers)} devices x {args.interfaces} interfaces on 127.0.0.1 ports {ports} -> {args.outdir}")


if __name__ == "__main__":
    main()
