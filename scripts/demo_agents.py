#!/usr/bin/env python3
"""The example district's live SNMP agents (make run): one snmpsim serving every device of the
inventory that has SNMP, each on its own loopback address at the inventory's port, each with its own
IF-MIB whose counters move at a share of the link's committed rate.

    demo_agents.py prepare DIR devices.json links.json [--down DEVICE ...]

reads `simpul device list --json` and `simpul link list --json`, and writes into DIR:
  data/COMMUNITY.snmprec        the recording snmpsim answers an SNMP v2c device's community from (each
                                simulated device has a credential of its own)
  endpoints                     one --agent-udpv4-endpoint=ADDRESS:PORT per line: the v2c devices
  snmpd-endpoints               the v3 devices' endpoints, answered by net-snmp's snmpd as this machine
  credentials.yaml              the SNMP credentials file Simpul reads (SIMPUL_SNMP_CREDENTIALS), with
  snmp-user, auth-password, priv-password   the demo's v3 user and its two secrets (mode 600, made once)

Every address must be loopback: anything else is refused and nothing is written. A device named with
--down shows its links' ports down (ifOperStatus 2), as a cut fibre would.
"""
import ipaddress
import json
import os
import secrets
import sys
import zlib

IF_MIB = "1.3.6.1.2.1.2.2.1"
IF_X = "1.3.6.1.2.1.31.1.1.1"


def die(message):
    print(f"demo_agents.py: {message}", file=sys.stderr)
    sys.exit(1)


def secret(path):
    """A secret made once and kept: restarting the demo keeps the same credentials."""
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(18) + "\n")
    with open(path) as f:
        return f.readline().strip()


def share(name, low, high):
    """A steady share of the committed rate for a device, the same every run."""
    return low + (zlib.crc32(name.encode()) % 1000) / 1000 * (high - low)


def interfaces_of(device, links):
    """The device's interfaces: the ones its links name first, then a LAN port or two."""
    named = [(l["interface"], l) for l in links if l.get("interface")]
    rows, seen = [], set()
    for name, link in named:
        if name not in seen:
            rows.append((name, link))
            seen.add(name)
    extra = {"switch": ["1/1/49", "1/1/50", "vlan10"], "firewall": ["port1", "port2"], "server": ["eno1", "eno2"]}.get(
        device.get("kind"), ["bridge-lan", "wlan1"])
    rows += [(name, None) for name in extra if name not in seen]
    return rows


def recording(device, links, down):
    name = device["name"]
    lines = [f"1.3.6.1.2.1.1.1.0|4|{device.get('vendor', '')} {device.get('model', '')}".rstrip(),
             f"1.3.6.1.2.1.1.3.0|67:numeric|rate=100,initial={int(share(name, 1e6, 9e8))}",
             f"1.3.6.1.2.1.1.5.0|4|{name}"]
    rows = []
    for index, (ifname, link) in enumerate(interfaces_of(device, links), start=1):
        if link:
            # Bytes a second: a share of the committed rate (one link in ten runs near its limit).
            heavy = zlib.crc32(link["circuit"].encode()) % 10 == 0
            down_rate = link["downMbps"] * 1e6 / 8 * (share(link["circuit"], 0.92, 0.97) if heavy else share(link["circuit"], 0.15, 0.65))
            up_rate = link["upMbps"] * 1e6 / 8 * share(link["circuit"] + "/up", 0.05, 0.3)
            oper = 2 if name in down else 1
            alias = link["circuit"]
        else:
            down_rate, up_rate, oper, alias = share(name + ifname, 2e4, 4e5), share(name + ifname + "/up", 1e4, 2e5), 1, ""
        # A port that is down moves nothing.
        rate_in, rate_out = (int(down_rate), int(up_rate)) if oper == 1 else (0, 0)
        speed_mbps = 10000 if "sfp" in ifname else 1000
        rows.append((index, [
            (f"{IF_MIB}.1.{index}", f"2|{index}"),
            (f"{IF_MIB}.2.{index}", f"4|{ifname}"),
            (f"{IF_MIB}.3.{index}", "2|6"),
            (f"{IF_MIB}.5.{index}", f"66|{min(speed_mbps * 1_000_000, 4_294_967_295)}"),
            (f"{IF_MIB}.7.{index}", "2|1"),
            (f"{IF_MIB}.8.{index}", f"2|{oper}"),
            (f"{IF_MIB}.10.{index}", f"65:numeric|rate={rate_in},initial=1000,wrap=1" if rate_in else "65|1000"),
            (f"{IF_MIB}.13.{index}", "65|0"),
            (f"{IF_MIB}.14.{index}", "65|0"),
            (f"{IF_MIB}.16.{index}", f"65:numeric|rate={rate_out},initial=1000,wrap=1" if rate_out else "65|1000"),
            (f"{IF_MIB}.19.{index}", "65|0"),
            (f"{IF_MIB}.20.{index}", "65|0"),
            (f"{IF_X}.1.{index}", f"4|{ifname}"),
            (f"{IF_X}.6.{index}", f"70:numeric|rate={rate_in},initial=1000" if rate_in else "70|1000"),
            (f"{IF_X}.10.{index}", f"70:numeric|rate={rate_out},initial=1000" if rate_out else "70|1000"),
            (f"{IF_X}.15.{index}", f"66|{speed_mbps}"),
            (f"{IF_X}.18.{index}", f"4|{alias}"),
            (f"{IF_X}.19.{index}", "67|0"),
        ]))
    # snmprec files are sorted by OID, numerically.
    values = [(oid, value) for _, row in rows for oid, value in row]
    values.sort(key=lambda pair: [int(part) for part in pair[0].split(".")])
    return "\n".join(lines) + "\n" + "\n".join(f"{oid}|{value}" for oid, value in values) + "\n"


def prepare(directory, devices_path, links_path, down):
    with open(devices_path) as f:
        devices = [d for d in json.load(f) if d.get("snmp") and d.get("managementAddress")]
    versions = {d["snmp"]["credential"]: str(d["snmp"].get("version")) for d in devices}
    with open(links_path) as f:
        links = [entry["link"] for entry in json.load(f)]
    for device in devices:
        address = ipaddress.ip_address(device["managementAddress"])
        if not address.is_loopback or address.version != 4:
            die(f"{device['name']} is at {address}, not an IPv4 loopback address: the demo starts agents on 127.0.0.0/8 only")
    unknown = sorted(set(down) - {d["name"] for d in devices})
    if unknown:
        die(f"no device with SNMP is named {', '.join(unknown)}; see simpul device list")
    data = os.path.join(directory, "data")
    os.makedirs(data, exist_ok=True)
    for old in os.listdir(data):
        path = os.path.join(data, old)
        if os.path.isdir(path):
            for inner in os.listdir(path):
                os.remove(os.path.join(path, inner))
            os.rmdir(path)
        else:
            os.remove(path)
    endpoints, snmpd, communities = [], [], {}
    for device in devices:
        credential = device["snmp"]["credential"]
        where = f"{device['managementAddress']}:{device['snmp'].get('port', 161)}"
        if versions[credential] == "3":
            # SNMPv3 devices are answered by net-snmp's snmpd (a v3 authPriv user), as the machine it
            # runs on: its own interfaces and counters.
            snmpd.append(f"udp:{where}")
            continue
        # SNMPv2c: snmpsim answers a community from the recording of that name, so each simulated
        # device has a credential (a community) of its own, as the example inventory gives them.
        if credential in communities:
            die(f"{device['name']} and {communities[credential]} share the credential {credential}: the demo's simulated devices need one each")
        communities[credential] = device["name"]
        carried = [l for l in links if l.get("device") == device["name"]]
        with open(os.path.join(data, f"{credential}.snmprec"), "w") as f:
            f.write(recording(device, carried, set(down)))
        endpoints.append(f"--agent-udpv4-endpoint={where}")
    with open(os.path.join(directory, "snmpd-endpoints"), "w") as f:
        f.write(",".join(snmpd) + "\n")
    with open(os.path.join(directory, "endpoints"), "w") as f:
        f.write("\n".join(endpoints) + "\n")
    user = "simpul-demo"
    auth = secret(os.path.join(directory, "auth-password"))
    priv = secret(os.path.join(directory, "priv-password"))
    names = sorted({d["snmp"]["credential"] for d in devices})
    text = "# The demo's SNMP credentials (make run): the agents of scripts/demo-agents.sh answer these.\n"
    for name in names:
        if versions[name] == "3":
            text += (f"{name}:\n  user: {user}\n  auth: sha256\n  auth_password_file: auth-password\n"
                     f"  priv: aes128\n  priv_password_file: priv-password\n")
        else:
            text += f"{name}:\n  community: {name}\n"
    fd = os.open(os.path.join(directory, "credentials.yaml"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    with open(os.path.join(directory, "snmp-user"), "w") as f:
        f.write(user + "\n")
    print(f"{len(endpoints)} simulated devices (snmpsim, SNMP v2c), {len(snmpd)} answered by snmpd (SNMP v3)"
          + (f"; down: {', '.join(sorted(down))}" if down else ""))


def main(argv):
    if len(argv) < 5 or argv[1] != "prepare":
        die("usage: demo_agents.py prepare DIR devices.json links.json [--down DEVICE ...]")
    down = []
    rest = argv[5:]
    while rest:
        if rest[0] == "--down" and len(rest) > 1:
            down.append(rest[1])
            rest = rest[2:]
        else:
            die(f"unknown argument {rest[0]!r}")
    prepare(argv[2], argv[3], argv[4], down)


if __name__ == "__main__":
    main(sys.argv)
