#!/usr/bin/env python3
"""Scrapes every device of the link-health benchmark through snmp_exporter at once, as a Prometheus
server with one job over all of them would (scripts/bench_poll.sh):

    python3 scripts/bench_poll_scrape.py http://127.0.0.1:PORT TARGETS.tsv > result.json

TARGETS.tsv (scripts/bench_poll_setup.py) holds `device<TAB>agent port<TAB>module` lines; each is
scraped as GET /snmp?module=MODULE&target=127.0.0.1:PORT, all at the same moment from one thread each.
Prints JSON: targets, scraped (HTTP 200), interfaces (distinct ifIndex of ifHCInOctets over all
targets), samples (metric lines), seconds (wall time of the round), per-target failures. Only
127.0.0.1 is ever asked. Standard library only.
"""
import json
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

IFINDEX = re.compile(r'^ifHCInOctets\{[^}]*ifIndex="(\d+)"', re.M)


def main():
    base, targets_path = sys.argv[1], sys.argv[2]
    if not base.startswith("http://127.0.0.1:"):
        sys.exit("bench_poll_scrape: the exporter must be on 127.0.0.1")
    targets = [line.rstrip("\n").split("\t") for line in open(targets_path) if line.strip()]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    results = [None] * len(targets)
    start = threading.Barrier(len(targets) + 1)

    def scrape(i, device, port, module):
        url = f"{base}/snmp?" + urllib.parse.urlencode({"module": module, "target": f"127.0.0.1:{port}"})
        start.wait()
        t0 = time.monotonic()
        try:
            with opener.open(url, timeout=120) as r:
                body = r.read().decode("utf-8", "replace")
                status = r.status
        except urllib.error.HTTPError as e:
            body, status = e.read().decode("utf-8", "replace"), e.code
        except Exception as e:  # noqa: BLE001 - a failed scrape is reported, not raised
            body, status = str(e), 0
        samples = sum(1 for line in body.splitlines() if line and not line.startswith("#"))
        results[i] = {"device": device, "status": status, "seconds": time.monotonic() - t0,
                      "interfaces": len(set(IFINDEX.findall(body))), "samples": samples,
                      "error": None if status == 200 else body[:200]}

    threads = [threading.Thread(target=scrape, args=(i, *t), daemon=True) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.monotonic()
    for t in threads:
        t.join()
    seconds = time.monotonic() - t0
    ok = [r for r in results if r["status"] == 200]
    durations = sorted(r["seconds"] for r in results)
    print(json.dumps({
        "targets": len(targets), "scraped": len(ok), "interfaces": sum(r["interfaces"] for r in ok),
        "samples": sum(r["samples"] for r in ok), "seconds": round(seconds, 3),
        "slowest": round(durations[-1], 3) if durations else None,
        "failures": [{"device": r["device"], "status": r["status"], "error": r["error"]} for r in results if r["status"] != 200][:5],
        "failureCount": len(results) - len(ok),
    }))


if __name__ == "__main__":
    main()
