#!/usr/bin/env python3
"""Writes the committed snmpsim recordings (*.snmprec) of the SNMP tests, from the tables below.

Run it again after changing a table:  python3 Tests/Rigs/snmp/make_recordings.py
A recording is one line per value, `OID|TAG|VALUE`, sorted by OID; TAG is the ASN.1 type
(2 INTEGER, 4 OCTET STRING, 65 Counter32, 66 Gauge32, 67 TimeTicks, 70 Counter64), with
`:module` for a snmpsim variation module (`numeric`: counters that move with time; `buffer`, in
variation/: an agent whose buffer holds a limited number of values).
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SYS = "1.3.6.1.2.1.1"
IF = "1.3.6.1.2.1.2.2.1"
IFX = "1.3.6.1.2.1.31.1.1.1"


def oid_key(line):
    return [int(arc) for arc in line.split("|", 1)[0].split(".")]


def write(name, lines):
    lines = sorted(lines, key=oid_key)
    with open(os.path.join(HERE, name + ".snmprec"), "w") as f:
        f.write("\n".join(lines) + "\n")


def device(uptime, sysname, interfaces, hc=True, tags=None):
    """interfaces: dicts with index, name, descr, alias, type, speed, high, admin, oper, in32, out32,
    hcin, hcout (None: absent), inerr, indisc, outerr, outdisc, disc."""
    tags = tags or {}
    lines = [f"{SYS}.3.0|67|{uptime}" if isinstance(uptime, int) else f"{SYS}.3.0|{uptime}", f"{SYS}.5.0|4|{sysname}"]
    for i in interfaces:
        n = i["index"]
        lines += [
            f"{IF}.1.{n}|2|{n}",
            f"{IF}.2.{n}|4|{i['descr']}",
            f"{IF}.3.{n}|2|{i['type']}",
            f"{IF}.5.{n}|66|{i['speed']}",
            f"{IF}.7.{n}|2|{i['admin']}",
            f"{IF}.8.{n}|2|{i['oper']}",
            f"{IF}.10.{n}|{tags.get('in32', '65')}|{i['in32']}",
            f"{IF}.13.{n}|65|{i['indisc']}",
            f"{IF}.14.{n}|65|{i['inerr']}",
            f"{IF}.16.{n}|{tags.get('out32', '65')}|{i['out32']}",
            f"{IF}.19.{n}|65|{i['outdisc']}",
            f"{IF}.20.{n}|65|{i['outerr']}",
        ]
        if hc:
            lines += [f"{IFX}.1.{n}|{tags.get('name', '4')}|{i['name']}", f"{IFX}.15.{n}|66|{i['high']}", f"{IFX}.18.{n}|4|{i['alias']}",
                      f"{IFX}.19.{n}|67|{i['disc']}"]
            if i.get("hcin") is not None:
                lines.append(f"{IFX}.6.{n}|{tags.get('hcin', '70')}|{i['hcin']}")
            if i.get("hcout") is not None:
                lines.append(f"{IFX}.10.{n}|{tags.get('hcout', '70')}|{i['hcout']}")
    return lines


def port(index, name, **values):
    base = dict(index=index, name=name, descr=name, alias="", type=6, speed=1000000000, high=1000, admin=1, oper=1,
                in32=0, out32=0, hcin=0, hcout=0, inerr=0, indisc=0, outerr=0, outdisc=0, disc=0)
    base.update(values)
    return base


# A router with ifXTable: 64-bit counters (above 2^32, to prove they are read whole), a 10G port whose
# ifSpeed is saturated, a port administratively down, and a tunnel without 64-bit counters (read by GET).
ROUTER64 = [
    port(1, "lo", descr="lo", type=24, speed=10000000, high=10, hcin=5000, hcout=5000, in32=5000, out32=5000),
    port(2, "ether1", descr="ether1 uplink NUSANET", alias="NUS-CKB-0001 ke Dinkes", hcin=123456789012345, hcout=98765432109876,
         in32=3197704825, out32=1287608372, inerr=3, indisc=7, outerr=1, outdisc=2, disc=4200),
    port(3, "ether2", descr="ether2", admin=2, oper=2, hcin=0, hcout=0),
    port(4, "sfp-sfpplus1", descr="sfp-sfpplus1", speed=4294967295, high=10000, hcin=18446744073709551000, hcout=4294967296,
         in32=4294966680, out32=0, oper=7),
    port(7, "gre-dc", descr="gre-dc tunnel", type=131, speed=0, high=0, hcin=None, hcout=None, in32=4294967000, out32=12345),
]
write("router64", device(4711000, "rtr-dinkes", ROUTER64))

# An old switch without ifXTable: every counter 32-bit, read by a walk of the two columns.
SWITCH32 = [
    port(1, "", descr="Port 1", speed=100000000, in32=4294967295, out32=1, inerr=9),
    port(2, "", descr="Port 2", speed=100000000, in32=0, out32=0, oper=2),
    port(3, "", descr="Port 3", speed=10000000, in32=77, out32=88),
]
write("switch32", device(99, "sw-lama", SWITCH32, hc=False))

# Switches whose buffer holds 100 values (variation/buffer.py): a GETBULK asking for more
# (max-repetitions x columns) is answered tooBig by one, as some agents do instead of sending fewer
# rows, and not answered at all by the other, as when an oversized answer is lost on the way.
BUSY = [port(i, f"ge-0/0/{i}", hcin=i * 1000, hcout=i * 2000) for i in range(1, 31)]
for name, reply in [("toobig", "toobig"), ("dropping", "drop")]:
    lines = device(1234, "sw-kecil", BUSY)
    write(name, [line.replace("|4|ge-0/0/", f"|4:buffer|limit=100,reply={reply},value=ge-0/0/", 1) if line.startswith(IFX + ".1.") else line
                 for line in lines])

# A device whose counters move with time (snmpsim's numeric module): sysUpTime at 100 ticks a second,
# ether1 at 1,250,000 bytes a second in and 250,000 out (10 and 2 Mbit/s), its 32-bit twins wrapping.
MOVING = [port(1, "ether1", descr="ether1", hcin="rate=1250000,initial=1000", hcout="rate=250000,initial=1000",
               in32="rate=1250000,initial=1000,wrap=1", out32="rate=250000,initial=1000,wrap=1")]
moving = device("67:numeric|rate=100,initial=1000", "rtr-bergerak", MOVING,
                tags={"hcin": "70:numeric", "hcout": "70:numeric", "in32": "65:numeric", "out32": "65:numeric"})
write("moving", moving)

# One device in six states, for rates across polls (each a restart of snmpsim with the next file):
# 1 baseline; 2 a minute later, ifInOctets of port 2 wrapped past 2^32; 3 rebooted (sysUpTime back,
# counters from zero); 4 port 3 vanished; 5 port 3 back with a new ifCounterDiscontinuityTime;
# 6 rebooted again with ports renumbered: ether1 (was ifIndex 2) is now ifIndex 5.
def links(uptime, ports):
    return device(uptime, "rtr-urutan", ports)

write("links-1", links(360000, [port(1, "lo", type=24, in32=100, out32=100, hcin=100, hcout=100),
                                port(2, "ether1", in32=4294000000, out32=1000, hcin=8589000000, hcout=1000, disc=0),
                                port(3, "ether2", in32=500, out32=600, hcin=500, hcout=600)]))
write("links-2-wrap", links(366000, [port(1, "lo", type=24, in32=160, out32=160, hcin=160, hcout=160),
                                     port(2, "ether1", in32=1032704, out32=61000, hcin=8590000000, hcout=61000, disc=0),
                                     port(3, "ether2", in32=1500, out32=1600, hcin=1500, hcout=1600)]))
write("links-3-reboot", links(3000, [port(1, "lo", type=24, in32=10, out32=10, hcin=10, hcout=10),
                                     port(2, "ether1", in32=20000, out32=3000, hcin=20000, hcout=3000),
                                     port(3, "ether2", in32=50, out32=60, hcin=50, hcout=60)]))
write("links-4-vanished", links(9000, [port(1, "lo", type=24, in32=70, out32=70, hcin=70, hcout=70),
                                       port(2, "ether1", in32=620000, out32=63000, hcin=620000, hcout=63000)]))
write("links-5-returned", links(15000, [port(1, "lo", type=24, in32=130, out32=130, hcin=130, hcout=130),
                                        port(2, "ether1", in32=1220000, out32=123000, hcin=1220000, hcout=123000),
                                        port(3, "ether2", in32=5, out32=6, hcin=5, hcout=6, disc=14000)]))
write("links-6-renumbered", links(2000, [port(1, "lo", type=24, in32=1, out32=1, hcin=1, hcout=1),
                                         port(4, "ether2", in32=2, out32=2, hcin=2, hcout=2),
                                         port(5, "ether1", in32=3, out32=3, hcin=3, hcout=3)]))
