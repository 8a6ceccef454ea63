#!/usr/bin/env python3
"""/healthz while users change their passwords, for scripts/bench.sh (section h). Standard library only.

bcrypt takes a quarter of a second of CPU per hash at the production cost. Hashing on the server's
cooperative threads (two on a 2-core machine) stalls every other request; off them, /healthz stays
fast. This measures /healthz alone (baseline), then with USERS users changing their password in a
loop (each change checks the current password and hashes the new one: two bcrypt runs), and
prints both as JSON: median and p99 in milliseconds, and how many password changes went through.

    bcrypt_load.py BASE_URL USER_PREFIX PASSWORD USERS SECONDS

The users USER_PREFIX1..USERS exist with PASSWORD. Only BASE_URL is contacted; the caller gives a
loopback one. Each user's password is changed back and forth between PASSWORD and PASSWORD + "-b".
"""
from __future__ import annotations

import html
import http.client
import json
import re
import statistics
import sys
import threading
import time
from urllib.parse import urlencode, urlparse


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(len(ordered) * p / 100 + 0.999999) - 1))]


class Session:
    def __init__(self, base: str) -> None:
        url = urlparse(base)
        self.host, self.port = url.hostname, url.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text

    @staticmethod
    def csrf(page: str) -> str:
        for tag in re.findall(r"<input\b[^>]*>", page):
            if 'name="_csrf"' in tag:
                match = re.search(r'value="([^"]*)"', tag)
                if match:
                    return html.unescape(match.group(1))
        raise SystemExit("no _csrf input on the page")

    def log_in(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/login")
        status, _ = self.request("POST", "/login", {"_csrf": self.csrf(page), "next": "/", "username": username, "password": password})
        if status != 303:
            raise SystemExit(f"login of {username} answered {status}")


def healthz_latencies(base: str, seconds: float) -> list[float]:
    url = urlparse(base)
    times: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        started = time.perf_counter()
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        times.append((time.perf_counter() - started) * 1000)
        conn.close()
        time.sleep(0.02)
    return times


def main() -> None:
    base, prefix, password, users, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    baseline = healthz_latencies(base, min(seconds, 5))
    stop = threading.Event()
    changes = [0] * users

    def churn(index: int) -> None:
        session = Session(base)
        session.log_in(f"{prefix}{index + 1}", password)
        current, other = password, password + "-b"
        while not stop.is_set():
            _, page = session.request("GET", "/account")
            status, _ = session.request("POST", "/account/password",
                                        {"_csrf": Session.csrf(page), "current": current, "new": other, "confirm": other})
            if status != 303:
                raise SystemExit(f"password change answered {status}")
            changes[index] += 1
            current, other = other, current

    threads = [threading.Thread(target=churn, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    loaded = healthz_latencies(base, seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    print(json.dumps({
        "baselineMedianMs": statistics.median(baseline), "baselineP99Ms": percentile(baseline, 99),
        "loadedMedianMs": statistics.median(loaded), "loadedP99Ms": percentile(loaded, 99),
        "users": users, "passwordChanges": sum(changes), "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
