#!/usr/bin/env python3
"""Generate a large, valid Simpul inventory for the import benchmark.

    python3 scripts/gen_inventory.py OUTDIR --agencies 1000 --links 10000

Writes district.yaml, agencies.yaml, providers.yaml, datacenter.yaml, devices.yaml, links.yaml,
pools.yaml and zones.yaml into OUTDIR, in the format of docs/inventory.md. The output is
deterministic for a given set of arguments (--seed, default 2024).

Every address anything would connect to (device management_address, link health_address,
zone server) is on loopback 127.0.0.0/8; private and documentation ranges appear only as pool
prefixes, gateways and reserved ranges. Standard library only: no PyYAML needed.
"""
import argparse
import json
import os
import random
import sys
import time

PROVIDERS = [
    # code, name, circuit prefix, noc domain, sla (response, restore, availability)
    ("NUSANET", "PT Nusantara Data Net", "NUS-CKB", "nusanet.example.net", (30, 240, "99.5")),
    ("CAKRAWALA", "PT Cakrawala Lintas Media", "CLM-CKB", "cakrawala.example.com", (60, 480, "99.0")),
    ("BENTANG", "PT Bentang Serat Optik", "BSO-CKB", "bentang.example.org", (45, 360, "99.7")),
]

# kind, code prefix, weight, (down, up) choices, technology weights
KINDS = [
    ("dinas", "DINAS", 14, [(50, 50), (100, 100)], {"fiber": 6, "metro_ethernet": 2, "radio": 2}),
    ("badan", "BADAN", 6, [(50, 50), (100, 100)], {"fiber": 6, "metro_ethernet": 2, "radio": 2}),
    ("sekretariat", "SEKRET", 2, [(100, 100)], {"fiber": 8, "metro_ethernet": 2}),
    ("inspektorat", "INSP", 1, [(50, 50)], {"fiber": 8, "radio": 2}),
    ("kantor", "KANTOR", 3, [(30, 30), (50, 50)], {"fiber": 5, "radio": 5}),
    ("satpol", "SATPOL", 1, [(30, 30)], {"fiber": 5, "radio": 5}),
    ("kecamatan", "KEC", 10, [(30, 30), (50, 50), (10, 4)], {"fiber": 4, "radio": 4, "vsat": 1, "lte": 1}),
    ("kelurahan", "KEL", 12, [(20, 20), (20, 10)], {"fiber": 4, "radio": 3, "lte": 3}),
    ("desa", "DESA", 10, [(10, 5), (20, 10)], {"radio": 3, "lte": 5, "vsat": 2}),
    ("puskesmas", "PKM", 12, [(30, 30)], {"fiber": 4, "radio": 3, "lte": 1, "vsat": 2}),
    ("rsud", "RSUD", 1, [(200, 200)], {"fiber": 7, "metro_ethernet": 3}),
    ("sekolah", "SEK", 26, [(20, 20)], {"fiber": 4, "radio": 3, "lte": 2, "adsl": 1}),
    ("lainnya", "UPT", 2, [(20, 20), (30, 30)], {"fiber": 5, "radio": 5}),
]

URUSAN = [
    "Kesehatan", "Pendidikan dan Kebudayaan", "Sosial", "Perhubungan", "Pertanian", "Perikanan",
    "Pariwisata", "Lingkungan Hidup", "Pekerjaan Umum dan Penataan Ruang", "Koperasi dan UKM",
    "Perdagangan", "Perindustrian", "Tenaga Kerja", "Pemuda dan Olahraga", "Ketahanan Pangan",
    "Perumahan dan Kawasan Permukiman", "Pemberdayaan Masyarakat dan Desa", "Kependudukan dan Pencatatan Sipil",
    "Perpustakaan dan Kearsipan", "Pengendalian Penduduk dan Keluarga Berencana",
]
BADAN = [
    "Perencanaan Pembangunan Daerah", "Pengelolaan Keuangan dan Aset Daerah", "Pendapatan Daerah",
    "Kepegawaian dan Pengembangan Sumber Daya Manusia", "Penanggulangan Bencana Daerah",
    "Kesatuan Bangsa dan Politik", "Penelitian dan Pengembangan Daerah",
]
PLACES = [
    "Sukamaju", "Mekarsari", "Tanjung Baru", "Sukajadi", "Sidomulyo", "Karang Anyar", "Bontoa",
    "Pulau Laut", "Batu Putih", "Lembah Hijau", "Suka Damai", "Mattirowalie", "Tamalanrea",
    "Bulukumba Baru", "Watang", "Lamuru", "Pao", "Bangkala", "Tombolo", "Padang Lampe",
    "Sumber Rejo", "Mekar Jaya", "Harapan Baru", "Kampung Baru", "Binanga", "Lappa", "Tellu Limpoe",
]
FIRST = ["Andi", "Budi", "Siti", "Dewi", "Rudi", "Agus", "Nur", "Rina", "Hendra", "Ahmad", "Sri",
         "Yusuf", "Fitri", "Made", "Eko", "Rahmat", "Lilis", "Fajar", "Ratna", "Ilham", "Wahyu", "Ayu"]
LAST = ["Pratama", "Santoso", "Rahmawati", "Lestari", "Hartono", "Salim", "Aisyah", "Kartika",
        "Gunawan", "Maulana", "Wahyuni", "Rahman", "Prasetyo", "Hidayat", "Suryani", "Nugroho",
        "Sari", "Syahputra", "Bahri", "Wirawan", "Puspitasari", "Hasan"]

ROUTERS = {
    "fiber": ("MikroTik", "RB4011iGS+", "ether"),
    "metro_ethernet": ("MikroTik", "RB5009UG+S+IN", "ether"),
    "radio": ("MikroTik", "hAP ac2", "ether"),
    "vsat": ("MikroTik", "RB4011iGS+", "ether"),
    "lte": ("MikroTik", "Chateau LTE12", "lte"),
    "adsl": ("MikroTik", "hAP ac2", "ether"),
}


def q(s):
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(str(s), ensure_ascii=False)


class Loopback:
    """Hands out distinct loopback addresses 127.a.b.c, skipping 127.0.0.0/16 and .0/.255 hosts."""

    def __init__(self):
        self.n = 0

    def next(self):
        while True:
            n = self.n
            self.n += 1
            a, b, c = 1 + n // 65536, (n // 256) % 256, n % 256
            if a > 255:
                sys.exit("gen_inventory: out of loopback addresses")
            if c not in (0, 255):
                return f"127.{a}.{b}.{c}"


def weighted(rng, table):
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--agencies", type=int, default=1000, help="number of agencies (default 1000)")
    ap.add_argument("--links", type=int, default=10000, help="number of links over all agencies (default 10000)")
    ap.add_argument("--providers", type=int, default=3, choices=[1, 2, 3], help="providers to spread links over")
    ap.add_argument("--device-per", choices=["link", "agency"], default="link",
                    help="one edge router per link (default) or one per agency with one interface per link")
    ap.add_argument("--pools", type=int, default=8, help="extra /24 agency pools besides the 4 fixed ones")
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args(argv)
    if args.agencies < 1 or args.links < args.agencies:
        ap.error("need --agencies >= 1 and --links >= --agencies (every agency gets at least one link)")
    if not 0 <= args.pools <= 3900:
        ap.error("--pools must be 0..3900 (VLAN ids 100..3999)")

    t0 = time.monotonic()
    rng = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    providers = PROVIDERS[: args.providers]
    loop = Loopback()

    def write(name, parts):
        with open(os.path.join(args.outdir, name), "w", encoding="utf-8") as f:
            f.write("# Generated by scripts/gen_inventory.py — benchmark data, not a real district.\n")
            f.write("".join(parts))

    write("district.yaml", [
        "district:\n",
        "  name: Kabupaten Contoh\n",
        "  office: Dinas Komunikasi, Informatika, Statistik dan Persandian\n",
        "  domain: contohkab.go.id\n",
        "  time_zone: Asia/Makassar\n",
    ])

    # ------------------------------------------------------------------ agencies
    kinds = [k for k in KINDS]
    counters = {}
    agencies = []  # (code, kind-row)
    out = ["agencies:\n"]
    for i in range(args.agencies):
        if i == 0:
            kind = ("dinas", "DISKOMINFO", 0, [(1000, 1000)], {"metro_ethernet": 1})
            code, name = "DISKOMINFO", "Dinas Komunikasi, Informatika, Statistik dan Persandian"
        else:
            kind = rng.choices(kinds, weights=[k[2] for k in kinds])[0]
            counters[kind[1]] = counters.get(kind[1], 0) + 1
            n = counters[kind[1]]
            code = f"{kind[1]}-{n:04d}"
            place = rng.choice(PLACES)
            name = {
                "dinas": lambda: f"Dinas {rng.choice(URUSAN)}",
                "badan": lambda: f"Badan {rng.choice(BADAN)}",
                "sekretariat": lambda: rng.choice(["Sekretariat Daerah", "Sekretariat DPRD"]),
                "inspektorat": lambda: "Inspektorat Daerah",
                "kantor": lambda: f"Kantor {rng.choice(URUSAN)}",
                "satpol": lambda: "Satuan Polisi Pamong Praja",
                "kecamatan": lambda: f"Kecamatan {place}",
                "kelurahan": lambda: f"Kelurahan {place}",
                "desa": lambda: f"Desa {place}",
                "puskesmas": lambda: f"Puskesmas {place}",
                "rsud": lambda: f"RSUD {place}",
                "sekolah": lambda: f"{rng.choice(['SD', 'SMP'])} Negeri {rng.randint(1, 30)} {place}",
                "lainnya": lambda: f"UPT {rng.choice(URUSAN)} {place}",
            }[kind[0]]()
            name = f"{name} ({n})" if kind[0] in ("dinas", "badan", "sekretariat", "inspektorat", "kantor", "satpol") else name
        agencies.append((code, kind))
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        phone = f"+62 812-{i // 10000:04d}-{i % 10000:04d}"
        out += [
            f"  - code: {code}\n",
            f"    name: {q(name)}\n",
            f"    kind: {kind[0]}\n",
            f"    address: {q(f'Jl. {rng.choice(PLACES)} No. {rng.randint(1, 120)}, {rng.choice(PLACES)}')}\n",
            "    contact:\n",
            f"      name: {q(person)}\n",
            f"      phone: {q(phone)}\n",
            f"      whatsapp: {q(phone)}\n",
            f"      email: {q(person.lower().replace(' ', '.') + '@' + code.lower() + '.contohkab.go.id')}\n",
        ]
    write("agencies.yaml", out)

    # ------------------------------------------------------------------ providers
    out = ["providers:\n"]
    for k, (code, name, _, dom, (resp, rest, avail)) in enumerate(providers):
        out += [
            f"  - code: {code}\n",
            f"    name: {q(name)}\n",
            "    noc:\n",
            f"      phone: {q(f'+62 21-555-0{k + 1}00')}\n",
            f"      whatsapp: {q(f'+62 811-555-0{k + 1}00')}\n",
            f"      email: noc@{dom}\n",
            "    sla:\n",
            f"      response_minutes: {resp}\n",
            f"      restore_minutes: {rest}\n",
            f"      availability_percent: {avail}\n",
            "    escalation:\n",
            "      - level: 1\n        name: NOC 24 jam\n        title: Network Operations Center\n",
            f"        phone: {q(f'+62 21-555-0{k + 1}00')}\n        email: noc@{dom}\n        after_minutes: 0\n",
            "      - level: 2\n        name: Account Manager\n        title: Account Manager\n",
            f"        phone: {q(f'+62 811-555-0{k + 1}99')}\n        email: am@{dom}\n        after_minutes: 120\n",
            "      - level: 3\n        name: Manajer Operasional\n        title: Regional Operations Manager\n",
            f"        phone: {q(f'+62 811-555-0{k + 1}50')}\n        email: ops@{dom}\n        after_minutes: 240\n",
        ]
    write("providers.yaml", out)

    # ------------------------------------------------------------------ data center
    racks = [("DC1-R01", "Rak Jaringan Inti"), ("DC1-R02", "Rak Server Diskominfo"),
             ("DC1-R03", "Rak Server Titipan OPD"), ("DC1-R04", "Rak Penyimpanan dan Cadangan")]
    out = ["rooms:\n", "  - code: DC1\n", "    name: Ruang Server Diskominfo\n",
           "    site: Kantor Diskominfo, Jl. Pemuda No. 1, Contoh\n", "    racks:\n"]
    for code, name in racks:
        out += [f"      - code: {code}\n", f"        name: {name}\n", "        height_u: 42\n",
                "        feed_a_watts: 5000\n", "        feed_b_watts: 5000\n"]
    write("datacenter.yaml", out)

    # ------------------------------------------------------------------ devices and links
    dc_devices = [
        ("sw-inti-01", "switch", "DC1-R01", 38, 1, 150), ("sw-inti-02", "switch", "DC1-R01", 37, 1, 150),
        ("fw-inti-01", "firewall", "DC1-R01", 34, 1, 120), ("fw-inti-02", "firewall", "DC1-R01", 33, 1, 120),
        ("srv-ns1", "server", "DC1-R02", 10, 1, 250), ("srv-ns2", "server", "DC1-R02", 11, 1, 250),
        ("srv-simpul", "server", "DC1-R02", 13, 1, 250), ("srv-virt-01", "server", "DC1-R02", 16, 2, 600),
        ("srv-virt-02", "server", "DC1-R02", 18, 2, 600), ("ups-dc1-01", "ups", "DC1-R04", 1, 3, 60),
        ("srv-backup-01", "server", "DC1-R04", 10, 2, 500),
    ]
    dev = ["devices:\n"]
    for name, kind, rack, pos, hu, watts in dc_devices:
        dev += [
            f"  - name: {name}\n", f"    kind: {kind}\n", f"    management_address: {loop.next()}\n",
            "    snmp:\n      version: 3\n      credential: v3-noc\n",
            f"    rack: {rack}\n    position: {pos}\n    height_u: {hu}\n    power_watts: {watts}\n",
        ]
    lnk = ["links:\n"]
    seq = [0] * len(providers)
    base, extra = divmod(args.links, args.agencies)
    n_links = 0
    for i, (code, kind) in enumerate(agencies):
        count = base + (1 if i < extra else 0)
        lower = code.lower()
        agency_router = None
        for j in range(count):
            tech = weighted(rng, kind[4])
            down, up = rng.choice(kind[3])
            if tech == "vsat":
                down, up = 10, 4
            elif tech == "lte":
                down, up = min(down, 20), min(up, 10)
            p = rng.randrange(len(providers))
            seq[p] += 1
            circuit = f"{providers[p][2]}-{seq[p]:06d}"
            vendor, model, ifbase = ROUTERS[tech]
            if args.device_per == "link" or agency_router is None:
                name = f"rtr-{lower}" if args.device_per == "agency" else f"rtr-{lower}-{j + 1:02d}"
                addr = loop.next()
                v3 = rng.random() < 0.1
                dev += [
                    f"  - name: {name}\n", "    kind: router\n", f"    agency: {code}\n",
                    f"    management_address: {addr}\n",
                    "    snmp:\n", f"      version: {'3' if v3 else '2c'}\n",
                    f"      credential: {'v3-noc' if v3 else 'ro-kantor'}\n",
                    f"    vendor: {vendor}\n", f"    model: {q(model)}\n",
                    f"    serial: {q(f'HFD{rng.randrange(16 ** 8):08X}')}\n",
                ]
                agency_router = (name, addr)
            name, addr = agency_router
            iface = f"{ifbase}1" if args.device_per == "link" else f"ether{j + 1}"
            lnk += [
                f"  - circuit: {circuit}\n", f"    agency: {code}\n", f"    provider: {providers[p][0]}\n",
                f"    down_mbps: {down}\n", f"    up_mbps: {up}\n", f"    technology: {tech}\n",
                f"    device: {name}\n", f"    interface: {iface}\n", f"    health_address: {addr}\n",
            ]
            n_links += 1
    write("devices.yaml", dev)
    write("links.yaml", lnk)

    # ------------------------------------------------------------------ pools and zones
    zone_names = [("contohkab.go.id", "forward")]
    out = ["pools:\n",
           "  - name: dc-server\n    prefix: 10.20.0.0/24\n    scope: private\n    gateway: 10.20.0.1\n    vlan: 20\n",
           "    description: Server titipan OPD di pusat data\n    reserved:\n",
           "      - range: 10.20.0.2-10.20.0.9\n        note: Perangkat jaringan pusat data\n",
           "  - name: dc-management\n    prefix: 10.99.0.0/24\n    scope: private\n    gateway: 10.99.0.1\n    vlan: 99\n",
           "  - name: public-v4\n    prefix: 203.0.113.0/24\n    scope: public\n    gateway: 203.0.113.1\n    vlan: 300\n",
           "    reserved:\n      - range: 203.0.113.2-203.0.113.6\n        note: Firewall inti dan NAT\n",
           "  - name: public-v6\n    prefix: \"2001:db8:20::/64\"\n    scope: public\n    gateway: \"2001:db8:20::1\"\n    vlan: 301\n"]
    zone_names += [("0.20.10.in-addr.arpa", "reverse"), ("0.99.10.in-addr.arpa", "reverse"),
                   ("113.0.203.in-addr.arpa", "reverse"),
                   ("0.0.0.0.0.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa", "reverse")]
    for k in range(args.pools):
        # 10.64.0.0/10 carved into /24s: 10.(64 + k // 256).(k % 256).0/24
        b, c = 64 + k // 256, k % 256
        out += [f"  - name: opd-{k + 1:04d}\n", f"    prefix: 10.{b}.{c}.0/24\n", "    scope: private\n",
                f"    gateway: 10.{b}.{c}.1\n", f"    vlan: {100 + k}\n",
                f"    description: {q(f'LAN perangkat daerah {agencies[k % len(agencies)][0]}')}\n"]
        zone_names.append((f"{c}.{b}.10.in-addr.arpa", "reverse"))
    write("pools.yaml", out)

    out = ["zones:\n"]
    for name, kind in zone_names:
        out += [f"  - name: {name}\n", f"    kind: {kind}\n", "    primary_ns: ns1.contohkab.go.id\n",
                *(["    primary_ns_address: 127.0.0.1\n"] if name == "contohkab.go.id" else []),
                "    admin_email: hostmaster@contohkab.go.id\n", "    default_ttl: 3600\n",
                "    tsig_key: simpul-update\n", "    server: \"127.0.0.1:5300\"\n"]
    write("zones.yaml", out)

    n_dev = len(dev) and sum(1 for s in dev if s.startswith("  - name: "))
    print(f"gen_inventory: {args.agencies} agencies, {n_links} links, {len(providers)} providers, "
          f"{n_dev} devices, {4 + args.pools} pools, {len(zone_names)} zones -> {args.outdir} "
          f"({time.monotonic() - t0:.2f} s)")


if __name__ == "__main__":
    main()
