#!/usr/bin/env python3
"""Address allocation under load, for scripts/bench.sh (section f). Standard library only.

Phase 1 (latency): one HTTP client, then 8 at once, assign COUNT_1 addresses each time from POOL_1
through the API; prints the median and 99th percentile of one allocation. With 8 at once, each waits
for the others' writes (the database has one writer), so their figures are mostly queueing.

Phase 2 (storm): 64 HTTP clients and 4 CLI processes (each a loop of `simpul ip assign`) allocate
from POOL_2 until it is exhausted. Every answer is kept: the script checks that no address was
handed out twice, that the only refusals were "pool exhausted", and that the database holds exactly
the pool's assignable addresses.

    ip_storm.py BASE_URL TOKEN SIMPUL_BIN DB

Only BASE_URL is contacted, and the caller gives a loopback one.
"""
from __future__ import annotations

import http.client
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import urlparse

POOL_1, COUNT_1 = "bench-16", 2000
POOL_2, CLIENTS_2, CLI_WORKERS = "bench-storm", 64, 4


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(len(ordered) * p / 100 + 0.999999) - 1))]


class Client:
    def __init__(self, base: str, token: str) -> None:
        url = urlparse(base)
        assert url.hostname in ("127.0.0.1", "::1", "localhost"), f"refusing a non-loopback address: {base}"
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def assign(self, pool: str, owner: str) -> tuple[int, dict]:
        body = json.dumps({"owner": owner, "state": "assign"})
        self.connection.request("POST", f"/api/v1/pools/{pool}/addresses", body=body, headers=self.headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")


def phase_latency(base: str, token: str, clients: int) -> tuple[float, float, int]:
    latencies: list[float] = []
    lock = threading.Lock()
    failures: list[str] = []

    def worker(index: int) -> None:
        client = Client(base, token)
        for n in range(COUNT_1 // clients):
            start = time.perf_counter()
            status, answer = client.assign(POOL_1, f"latency-{clients}-{index}-{n}")
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    failures.append(f"{status} {answer}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit(f"phase 1: {len(failures)} allocations failed, e.g. {failures[0]}")
    return statistics.median(latencies), percentile(latencies, 99), len(latencies)


def phase_storm(base: str, token: str, binary: str, db: str) -> dict:
    addresses: list[str] = []
    refusals: dict[str, int] = {}
    lock = threading.Lock()

    def record(address: str | None, refusal: str | None) -> None:
        with lock:
            if address:
                addresses.append(address)
            if refusal:
                refusals[refusal] = refusals.get(refusal, 0) + 1

    def http_worker(index: int) -> None:
        client = Client(base, token)
        n = 0
        while True:
            status, answer = client.assign(POOL_2, f"storm-http-{index}-{n}")
            n += 1
            if status == 200:
                record(answer["address"], None)
                continue
            message = answer.get("error", {}).get("message_en", str(answer))
            record(None, "exhausted" if "exhausted" in message else f"{status}: {message}")
            return

    def cli_worker(index: int) -> None:
        n = 0
        env = dict(os.environ, SIMPUL_DB=db, SIMPUL_LANG="en")
        while True:
            done = subprocess.run([binary, "ip", "assign", POOL_2, "--owner", f"storm-cli-{index}-{n}", "--json"],
                                  capture_output=True, text=True, env=env)
            n += 1
            if done.returncode == 0:
                record(json.loads(done.stdout)["address"], None)
                continue
            message = (done.stderr or done.stdout).strip()
            record(None, "exhausted" if "exhausted" in message else f"cli: {message}")
            return

    threads = [threading.Thread(target=http_worker, args=(i,)) for i in range(CLIENTS_2)]
    threads += [threading.Thread(target=cli_worker, args=(i,)) for i in range(CLI_WORKERS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        stored = connection.execute(
            "SELECT count(*), count(DISTINCT a.key) FROM ip_addresses a JOIN pools p ON p.id = a.pool_id WHERE p.name = ?",
            (POOL_2,)).fetchone()
    return {
        "seconds": seconds,
        "handed_out": len(addresses),
        "distinct": len(set(addresses)),
        "duplicates": len(addresses) - len(set(addresses)),
        "refusals": refusals,
        "stored": stored[0],
        "stored_distinct": stored[1],
    }


def main() -> None:
    base, token, binary, db = sys.argv[1:5]
    for clients in (1, 8):
        median, p99, count = phase_latency(base, token, clients)
        print(f"latency {clients} {count} {median:.2f} {p99:.2f}")
    storm = phase_storm(base, token, binary, db)
    print("storm " + json.dumps(storm, sort_keys=True))
    errors = {k: v for k, v in storm["refusals"].items() if k != "exhausted"}
    if storm["duplicates"] or errors or storm["stored"] != storm["handed_out"] or storm["stored"] != storm["stored_distinct"]:
        raise SystemExit(f"storm: FAILED — duplicates {storm['duplicates']}, other errors {errors}, "
                         f"stored {storm['stored']} of {storm['handed_out']} handed out")


if __name__ == "__main__":
    main()
