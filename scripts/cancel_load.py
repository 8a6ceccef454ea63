#!/usr/bin/env python3
"""Hosting cancels whose DNS server is away, for scripts/bench.sh (section i). Standard library only.

Two parts, each run as its own process:

    cancel_load.py listen PORT READY_FILE
        The DNS server "away" in the worst way: a TCP listener on 127.0.0.1:PORT that accepts every
        connection and never answers (what it is sent is read and thrown away), so each DNS delivery
        waits for its full deadline. READY_FILE is written once it listens. On SIGTERM it prints
        what it saw as JSON (connections accepted, bytes received) and exits.

    cancel_load.py cancel BASE_URL USER PASSWORD START_AT TICKET...
        Logs in as USER (an admin), reads each ticket's page for its cancel form and CSRF token,
        waits until START_AT (seconds since the epoch), then cancels every ticket at once through the
        web (POST /tickets/ID/cancel with a reason), one thread per ticket, each cancel timed. Prints
        JSON: how many, their statuses, median / p99 / max in milliseconds, and when the first started
        and the last ended (seconds since the epoch).

Only 127.0.0.1 is listened on; only BASE_URL is contacted, and the caller gives a loopback one.
"""
from __future__ import annotations

import html
import http.client
import json
import re
import selectors
import signal
import socket
import statistics
import sys
import threading
import time
from urllib.parse import urlencode, urlparse


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(len(ordered) * p / 100 + 0.999999) - 1))]


# ------------------------------------------------------------------------------------ the listener

def listen(port: int, ready_file: str) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(1024)
    server.setblocking(False)
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ)
    seen = {"accepted": 0, "bytesReceived": 0, "closedByClient": 0, "maxOpen": 0}
    stop = False

    def on_term(_signum, _frame) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    with open(ready_file, "w") as ready:
        ready.write(f"{port}\n")
    open_connections = 0
    while not stop:
        for key, _ in selector.select(timeout=0.5):
            if key.fileobj is server:
                try:
                    conn, _ = server.accept()
                except BlockingIOError:
                    continue
                conn.setblocking(False)
                selector.register(conn, selectors.EVENT_READ)
                seen["accepted"] += 1
                open_connections += 1
                seen["maxOpen"] = max(seen["maxOpen"], open_connections)
                continue
            conn = key.fileobj
            try:
                data = conn.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if data:
                seen["bytesReceived"] += len(data)  # read and never answered
            else:
                selector.unregister(conn)
                conn.close()
                open_connections -= 1
                seen["closedByClient"] += 1
    print(json.dumps(seen), flush=True)


# ------------------------------------------------------------------------------------ the cancels

class Session:
    def __init__(self, base: str, cookies: dict[str, str] | None = None) -> None:
        url = urlparse(base)
        if url.hostname != "127.0.0.1":
            raise SystemExit(f"refusing {base}: only 127.0.0.1 is contacted")
        self.host, self.port = url.hostname, url.port
        self.cookies: dict[str, str] = dict(cookies or {})

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
    def csrf(page: str, action: str | None = None) -> str:
        """The _csrf of the form posting to `action` (or of the first form with one)."""
        forms = re.findall(r"<form\b[^>]*>.*?</form>", page, flags=re.S | re.I)
        for form in forms if action else [page]:
            if action and f'action="{action}"' not in form:
                continue
            for tag in re.findall(r"<input\b[^>]*>", form):
                if 'name="_csrf"' in tag:
                    match = re.search(r'value="([^"]*)"', tag)
                    if match:
                        return html.unescape(match.group(1))
        raise SystemExit(f"no _csrf input in a form posting to {action or 'anything'}")

    def log_in(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/login")
        status, _ = self.request("POST", "/login", {"_csrf": self.csrf(page), "next": "/", "username": username, "password": password})
        if status != 303:
            raise SystemExit(f"login of {username} answered {status}")


def cancel(base: str, user: str, password: str, start_at: float, tickets: list[int]) -> None:
    session = Session(base)
    session.log_in(user, password)
    forms: dict[int, str] = {}
    for ticket in tickets:
        status, page = session.request("GET", f"/tickets/{ticket}")
        if status != 200:
            raise SystemExit(f"GET /tickets/{ticket} answered {status}")
        forms[ticket] = Session.csrf(page, f"/tickets/{ticket}/cancel")
    prepared_at = time.time()

    results: dict[int, tuple[int, float, float, float]] = {}
    barrier = threading.Barrier(len(tickets))

    def one(ticket: int) -> None:
        own = Session(base, session.cookies)
        barrier.wait()
        delay = start_at - time.time()
        if delay > 0:
            time.sleep(delay)
        started_wall = time.time()
        started = time.perf_counter()
        try:
            status, _ = own.request("POST", f"/tickets/{ticket}/cancel",
                                    {"_csrf": forms[ticket], "reason": "uji beban: pembatalan saat server DNS tidak menjawab"})
        except OSError as error:
            print(f"cancel of #{ticket}: {error}", file=sys.stderr)
            status = 0
        results[ticket] = (status, (time.perf_counter() - started) * 1000, started_wall, time.time())

    threads = [threading.Thread(target=one, args=(t,), daemon=True) for t in tickets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    times = [r[1] for r in results.values()]
    statuses: dict[str, int] = {}
    for status, *_ in results.values():
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    print(json.dumps({
        "count": len(tickets), "answered": len(results), "statuses": statuses,
        "ok": sum(1 for r in results.values() if r[0] == 303),
        "medianMs": statistics.median(times) if times else None, "p99Ms": percentile(times, 99) if times else None,
        "minMs": min(times, default=None), "maxMs": max(times, default=None),
        "preparedAt": prepared_at, "startAt": start_at,
        "firstStarted": min((r[2] for r in results.values()), default=None),
        "lastEnded": max((r[3] for r in results.values()), default=None),
    }))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "listen":
        listen(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) >= 7 and sys.argv[1] == "cancel":
        cancel(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), [int(t) for t in sys.argv[6:]])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
