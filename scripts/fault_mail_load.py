#!/usr/bin/env python3
"""A fault posted to the API until its escalation mail is accepted by a local SMTP server (issue 13).

For each of N faults on N different links: POST /api/v1/faults, then POST /api/v1/faults/{id}/escalate,
which answers after the escalation mail was handed to the SMTP server (the outbox delivers what the
action wrote at once, after its commit). The time from the first request to the second answer is
one sample; the SMTP server (aiosmtpd on 127.0.0.1, Tests/Rigs/smtp_server.py, started by
scripts/bench_faults.sh) writes each mail it accepted to MAILDIR as NNNN.eml. Prints JSON: median and
p99 in milliseconds, mails accepted, failures.

    fault_mail_load.py run BASE_URL TOKEN LINKS_FILE COUNT MAILDIR

LINKS_FILE holds one circuit id per line (links with a provider whose ladder has an e-mail). Only
127.0.0.1 is contacted.
"""
from __future__ import annotations

import http.client
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse


def percentile(values: list[float], p: float) -> float:
    """Nearest rank, as Simpul's own Percentile.nearestRank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(len(ordered) * p / 100 + 0.999999) - 1))]


def request(host: str, port: int, token: str, method: str, path: str, body: dict | None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    conn.close()
    try:
        return response.status, json.loads(text)
    except json.JSONDecodeError:
        return response.status, {"raw": text[:300]}


def run(base: str, token: str, links_file: str, count: int, maildir: str) -> None:
    url = urlparse(base)
    assert url.hostname in ("127.0.0.1", "::1", "localhost"), "loopback only"
    links = [line.strip() for line in Path(links_file).read_text().splitlines() if line.strip()][:count]
    samples: list[float] = []
    failures: list[str] = []
    for i, circuit in enumerate(links):
        start = time.perf_counter()
        status, opened = request(url.hostname, url.port, token, "POST", "/api/v1/faults", {
            "link": circuit, "symptom": "no_connection", "reporter": "Bench gateway", "contact": "+62 812-555-0000",
            "description": f"bench fault {i}", "external_id": f"bench-{os.getpid()}-{i}",
        })
        if status != 201:
            failures.append(f"{circuit}: POST /faults {status} {opened}")
            continue
        ticket = opened["ticket"]
        status, escalated = request(url.hostname, url.port, token, "POST", f"/api/v1/faults/{ticket}/escalate", None)
        elapsed = (time.perf_counter() - start) * 1000
        sent = [d for d in escalated.get("deliveries", []) if d.get("channel") == "mail"]
        if status != 200 or not sent or not all(d.get("delivered") for d in sent):
            failures.append(f"{circuit}: escalate {status} {escalated.get('deliveries')}")
            continue
        samples.append(elapsed)
    accepted = len(list(Path(maildir).glob("*.eml"))) if Path(maildir).exists() else 0
    print(json.dumps({
        "faults": len(links), "escalated_and_mailed": len(samples), "smtp_accepted": accepted,
        "median_ms": round(statistics.median(samples), 1) if samples else None,
        "p99_ms": round(percentile(samples, 99), 1) if samples else None,
        "failures": failures[:5], "failure_count": len(failures),
    }))


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
