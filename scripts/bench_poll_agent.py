#!/usr/bin/env python3
"""A lean SNMP v2c agent for the link-health benchmark (scripts/bench_poll.sh): it answers GET,
GETNEXT and GETBULK from the same .snmprec recordings snmpsim serves, one community per file, with
snmpsim's `numeric` variation (rate, initial, wrap) for the values that move with time.

    python3 scripts/bench_poll_agent.py --data-dir DIR --port PORT [--port-file FILE]

Why it exists: snmpsim (pysnmp + pyasn1) spends about 60 ms of CPU on one GETBULK of 15 columns x 25
rows, so 500 devices x 48 interfaces (1,500 such requests a cycle) cost it some 90 s of CPU; asked all
at once, as a poller does, every device's answer queues behind hundreds of others and times out. A
real router answers in milliseconds. This agent answers the same request in about a millisecond
(encoded values are prepared when the recordings are loaded), so the benchmark measures the poller,
not the simulator. It binds 127.0.0.1 only; a request with an unknown community gets no answer, as
from a real agent. Standard library only.
"""
import argparse
import bisect
import os
import socket
import sys
import time

BOOTED = time.time()


# ---------------------------------------------------------------------------- BER

def enc_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + enc_len(len(body)) + body


def enc_int(tag, v):
    """INTEGER (signed) for tag 2; the application integers are unsigned, so a leading 0 when the top bit is set."""
    if tag == 0x02:
        n = (v.bit_length() + 8) // 8 if v else 1
        return tlv(tag, v.to_bytes(n, "big", signed=True))
    n = max(1, (v.bit_length() + 7) // 8)
    b = v.to_bytes(n, "big")
    if b[0] & 0x80:
        b = b"\x00" + b
    return tlv(tag, b)


def enc_oid(arcs):
    body = bytearray([arcs[0] * 40 + arcs[1]])
    for a in arcs[2:]:
        if a < 0x80:
            body.append(a)
        else:
            chunk = []
            while a:
                chunk.append(a & 0x7F)
                a >>= 7
            chunk.reverse()
            body += bytes([c | 0x80 for c in chunk[:-1]] + [chunk[-1]])
    return tlv(0x06, bytes(body))


def dec_oid(b):
    arcs = [b[0] // 40, b[0] % 40] if b else []
    a = 0
    for c in b[1:]:
        a = (a << 7) | (c & 0x7F)
        if not c & 0x80:
            arcs.append(a)
            a = 0
    return tuple(arcs)


def read_tlv(buf, i):
    """(tag, start of value, end of value) of the TLV at i."""
    tag = buf[i]
    n = buf[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[i:i + k], "big")
        i += k
    return tag, i, i + n


def dec_int(buf, start, end):
    return int.from_bytes(buf[start:end], "big", signed=True)


# ---------------------------------------------------------------------------- recordings

TAGS = {"2": 0x02, "4": 0x04, "65": 0x41, "66": 0x42, "67": 0x43, "70": 0x46}
MAX = {0x41: 2**32 - 1, 0x42: 2**32 - 1, 0x43: 2**32 - 1, 0x46: 2**64 - 1, 0x02: 2**31 - 1}


class Entry:
    __slots__ = ("oid", "oid_bytes", "tag", "static", "rate", "initial", "wrap")

    def __init__(self, oid, tag_text, value):
        self.oid = oid
        self.oid_bytes = enc_oid(oid)
        base, _, module = tag_text.partition(":")
        self.tag = TAGS[base]
        self.static = None
        if module == "numeric":
            s = dict(kv.split("=", 1) for kv in value.split(",") if "=" in kv)
            self.rate, self.initial, self.wrap = float(s.get("rate", 1)), int(float(s.get("initial", 0))), "wrap" in s
        elif module:
            raise ValueError(f"variation module {module} is not supported here")
        elif self.tag == 0x04:
            self.static = tlv(0x30, self.oid_bytes + tlv(0x04, value.encode()))
        else:
            self.static = tlv(0x30, self.oid_bytes + enc_int(self.tag, int(value)))

    def varbind(self, now):
        if self.static is not None:
            return self.static
        v = self.initial + int((now - BOOTED) * self.rate)
        top = MAX[self.tag]
        if v > top:
            v = v % top if self.wrap else top
        return tlv(0x30, self.oid_bytes + enc_int(self.tag, v))


def load(data_dir):
    agents = {}
    for name in sorted(os.listdir(data_dir)):
        if not name.endswith(".snmprec"):
            continue
        entries = []
        with open(os.path.join(data_dir, name)) as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                oid, tag, value = line.split("|", 2)
                entries.append(Entry(tuple(int(a) for a in oid.split(".")), tag, value))
        entries.sort(key=lambda e: e.oid)
        agents[name[: -len(".snmprec")].encode()] = (entries, [e.oid for e in entries])
    return agents


# ---------------------------------------------------------------------------- answering

END = b"\x82\x00"  # endOfMibView
NO_INSTANCE = b"\x81\x00"
BUDGET = 60_000  # bytes of varbinds in one answer (a UDP datagram holds 65,507)


def answer(agents, buf):
    tag, s, e = read_tlv(buf, 0)
    if tag != 0x30:
        return None
    t, vs, ve = read_tlv(buf, s)
    version = dec_int(buf, vs, ve)
    if version != 1:  # v2c only
        return None
    t, cs, ce = read_tlv(buf, ve)
    agent = agents.get(bytes(buf[cs:ce]))
    if agent is None:
        return None
    entries, keys = agent
    pdu, ps, pe = read_tlv(buf, ce)
    t, rs, re_ = read_tlv(buf, ps)
    request_id = buf[rs:re_]
    t, a_s, a_e = read_tlv(buf, re_)
    non_repeaters = dec_int(buf, a_s, a_e)
    t, b_s, b_e = read_tlv(buf, a_e)
    max_repetitions = dec_int(buf, b_s, b_e)
    t, ls, le = read_tlv(buf, b_e)
    oids = []
    i = ls
    while i < le:
        t, vbs, vbe = read_tlv(buf, i)
        t, os_, oe = read_tlv(buf, vbs)
        oids.append((buf[vbs:oe], dec_oid(buf[os_:oe])))
        i = vbe
    now = time.time()
    out = []
    if pdu == 0xA0:  # GET
        for raw, oid in oids:
            k = bisect.bisect_left(keys, oid)
            if k < len(keys) and keys[k] == oid:
                out.append(entries[k].varbind(now))
            else:
                out.append(tlv(0x30, bytes(raw) + NO_INSTANCE))
    elif pdu in (0xA1, 0xA5):  # GETNEXT, GETBULK
        if pdu == 0xA1:
            non_repeaters, max_repetitions = len(oids), 0
        non_repeaters = max(0, min(non_repeaters, len(oids)))
        size = 0
        for raw, oid in oids[:non_repeaters]:
            k = bisect.bisect_right(keys, oid)
            vb = entries[k].varbind(now) if k < len(keys) else tlv(0x30, bytes(raw) + END)
            out.append(vb)
            size += len(vb)
        repeaters = oids[non_repeaters:]
        cursors = [bisect.bisect_right(keys, oid) for _, oid in repeaters]
        last = [bytes(raw) for raw, _ in repeaters]
        for _ in range(max(0, max_repetitions)):
            if size > BUDGET:
                break
            for j, k in enumerate(cursors):
                if k < len(keys):
                    vb = entries[k].varbind(now)
                    last[j] = entries[k].oid_bytes
                    cursors[j] = k + 1
                else:
                    vb = tlv(0x30, last[j] + END)
                out.append(vb)
                size += len(vb)
            if all(k >= len(keys) for k in cursors):
                break
    else:
        return None
    body = tlv(0x02, bytes(request_id)) + b"\x02\x01\x00\x02\x01\x00" + tlv(0x30, b"".join(out))
    return tlv(0x30, b"\x02\x01\x01" + tlv(0x04, bytes(buf[cs:ce])) + tlv(0xA2, body))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--port-file", help="written with the port once the agent answers")
    args = ap.parse_args(argv)
    agents = load(args.data_dir)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind(("127.0.0.1", args.port))
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(str(args.port))
    print(f"bench_poll_agent: {len(agents)} communities on 127.0.0.1:{args.port}", flush=True)
    buf = bytearray(65536)
    view = memoryview(buf)
    errors = 0
    while True:
        n, peer = sock.recvfrom_into(buf)
        try:
            reply = answer(agents, view[:n])
        except (IndexError, ValueError):
            reply = None
            errors += 1
            if errors <= 5:
                print(f"bench_poll_agent: malformed request from {peer}", file=sys.stderr, flush=True)
        if reply is not None:
            sock.sendto(reply, peer)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
