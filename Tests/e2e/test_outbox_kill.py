"""A delivery worker killed at any point leaves its outbox row delivered or due again (issue 12:
"Delivery is at least once and never lost: kill -9 at any point leaves every row either delivered
or due again").

Real processes against a real BIND named on 127.0.0.1, each test with a named and a database of its
own (the example district), and no `simpul serve`: its worker would deliver the rows this file wants
to see delivered by a later `simpul outbox deliver`. The worker is killed
  - by the test with SIGKILL while it waits right before sending the update
    (SIMPUL_TEST_PAUSE_DNS_PUSH_MS), so the server never saw it;
  - by itself right after the update was sent, before the outcome is written
    (SIMPUL_TEST_KILL_AFTER_DNS_PUSH=1), so the server has it and the database does not know;
and its claims are made short (SIMPUL_TEST_OUTBOX_LEASE_MS) so that they lapse within the test.
A run whose delivery fails (a wrong TSIG key; named stopped) exits non-zero and leaves the row
waiting with its error shown.

Network safety: Simpul connects to 127.0.0.1 only (the test's named, or a closed port of it); the
10.20.0.x address below is record data of the example district's dc-server pool, never contacted.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import EXAMPLE_DNS_SERVER, REPO, _binary, _start_named, _stop_named

ZONE = "contohkab.go.id"
REVERSE = "0.20.10.in-addr.arpa"
# How long a killed worker's claims hold in these tests: long enough to show that nobody takes the
# row while it holds, short enough to wait for.
LEASE_MS = 3000
PAUSE_MS = 10_000  # the longest pause the failpoint takes: the test kills the worker within it


@dataclass
class District:
    """The example district over its own database and its own named on 127.0.0.1."""

    binary: Path
    env: dict[str, str]
    dns_port: int
    named_dir: Path
    zones: list[str]

    def run(self, *args: str, extra: dict[str, str] | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.binary), *args], env=dict(self.env, **(extra or {})), cwd=REPO,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str, extra: dict[str, str]) -> subprocess.Popen:
        return subprocess.Popen([str(self.binary), *args], env=dict(self.env, **extra), cwd=REPO,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def simpul(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, _said(result, args)
        return result.stdout

    def deliveries(self) -> dict[int, dict]:
        """`simpul outbox list --json`, by delivery number."""
        return {row["id"]: row for row in json.loads(self.simpul("outbox", "list", "--json", "--limit", "500"))}

    def zone(self, name: str) -> dict:
        return next(z for z in json.loads(self.simpul("dns", "zones", "--json")) if z["zone"] == name)

    def check(self, zone: str) -> dict:
        """`simpul dns check ZONE --json`: the inventory against what the server holds (signed AXFR)."""
        result = self.run("dns", "check", zone, "--json")
        report = json.loads(result.stdout)
        return next(z for z in report["zones"] if z["zone"] == zone)

    def dig(self, rtype: str, name: str) -> list[str]:
        result = subprocess.run(["dig", "@127.0.0.1", "-p", str(self.dns_port), "+short", "+tcp", "+time=2", "+tries=1", rtype, name],
                                capture_output=True, text=True, timeout=20)
        return [line for line in result.stdout.splitlines() if line.strip()]

    def server_serial(self, zone: str) -> int:
        soa = self.dig("SOA", zone)
        assert len(soa) == 1, f"the server answers one SOA for {zone}: {soa}"
        return int(soa[0].split()[2])

    def owned(self, name: str, zone: str) -> list[str]:
        """Every record the server holds at `name` (a signed zone transfer): a duplicate would show."""
        result = subprocess.run(["dig", "@127.0.0.1", "-p", str(self.dns_port), "+tcp", "+time=2", "+tries=1", "+noall", "+answer",
                                 "-k", self.env["SIMPUL_TSIG_KEY"], "AXFR", zone], capture_output=True, text=True, timeout=20)
        assert result.returncode == 0, result.stdout + result.stderr
        return [line for line in result.stdout.splitlines() if line.split() and line.split()[0].rstrip(".") == name.rstrip(".")]


def _said(result: subprocess.CompletedProcess, args) -> str:
    return f"`simpul {' '.join(args)}` exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env.update(NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost", SIMPUL_LANG="en")
    return env


@pytest.fixture
def district(tmp_path: Path):
    """A fresh named on 127.0.0.1 and a fresh database with the example district pointing at it."""
    binary = _binary()
    dns_port, key_file, named_dir = _start_named(tmp_path)
    try:
        inventory = tmp_path / "Inventory"
        shutil.copytree(REPO / "Inventory", inventory)
        zones_file = inventory / "zones.yaml"
        zones_file.write_text(zones_file.read_text().replace(EXAMPLE_DNS_SERVER, f"127.0.0.1:{dns_port}"))
        zones = [line.split(":", 1)[1].strip() for line in zones_file.read_text().splitlines() if line.startswith("  - name:")]
        env = dict(_clean_env(), SIMPUL_DB=str(tmp_path / "outbox.db"), SIMPUL_TSIG_KEY=str(key_file))
        d = District(binary, env, dns_port, named_dir, zones)
        d.simpul("inventory", "import", str(inventory))
        yield d
    finally:
        _stop_named(named_dir)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _wait_claimed(d: District, proc: subprocess.Popen, rows: int) -> tuple[dict[int, dict], float]:
    """Polls until the worker `proc` has claimed `rows` rows (each claim counts an attempt); returns
    them and when the claim was seen."""
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the worker ended by itself ({proc.returncode}) before it was killed:\n{proc.communicate()}"
        claimed = {i: r for i, r in d.deliveries().items() if r["state"] == "pending" and r["attempts"] == 1}
        if len(claimed) == rows:
            return claimed, time.monotonic()
        time.sleep(0.05)
    pytest.fail(f"the worker did not claim {rows} row(s) within 8 s: {d.deliveries()}")


def _after_lease(since: float) -> None:
    """Waits until a claim made at `since` (monotonic) has lapsed, with a margin."""
    time.sleep(max(0.0, since + LEASE_MS / 1000 + 0.7 - time.monotonic()))


def _nothing_taken_while_held(d: District, before: dict[int, dict], absent: list[tuple[str, str]]) -> None:
    """A run while the killed worker's claim still holds takes nothing: the rows stay as they were."""
    run = d.run("outbox", "deliver")
    assert run.returncode == 0 and not run.stdout.strip(), "a claim that holds is not taken: " + _said(run, ["outbox", "deliver"])
    after = d.deliveries()
    for i, row in before.items():
        assert (after[i]["state"], after[i]["attempts"]) == ("pending", 1), after[i]
    for rtype, name in absent:
        assert d.dig(rtype, name) == [], f"{rtype} {name} was not sent while the claim held"


def test_killed_while_paused_before_the_push_is_delivered_by_a_later_run(district: District) -> None:
    d = district
    name = f"paused-kill.{ZONE}"
    serial_before = d.server_serial(ZONE)
    worker = d.start("dns", "add", name, "TXT", "killed before the push",
                     extra={"SIMPUL_TEST_PAUSE_DNS_PUSH_MS": str(PAUSE_MS), "SIMPUL_TEST_OUTBOX_LEASE_MS": str(LEASE_MS)})
    try:
        claimed, since = _wait_claimed(d, worker, rows=1)
        time.sleep(0.3)  # past the zone's claim, into the pause before the update is sent
        assert worker.poll() is None, "the worker is still waiting before the push"
        os.kill(worker.pid, signal.SIGKILL)
        out, _ = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate(timeout=10)
    assert worker.returncode == -signal.SIGKILL
    assert "pushed and confirmed" not in out
    (row_id, row), = claimed.items()
    assert row["subject"] == f"zone:{ZONE}" and row["channel"] == "dns"

    # Killed before sending: the server never saw it, and the row waits with its attempt counted.
    assert d.dig("TXT", name) == []
    assert d.server_serial(ZONE) == serial_before
    row = d.deliveries()[row_id]
    assert (row["state"], row["attempts"]) == ("pending", 1), row
    assert "deliveredAt" not in row
    assert d.zone(ZONE)["waiting"] == 1
    _nothing_taken_while_held(d, claimed, [("TXT", name)])
    # Asked for by hand while the dead worker's claim holds, `dns push` says who holds it and until
    # when, and exits non-zero: nothing went out.
    listed = d.deliveries()[row_id]
    assert listed.get("claimedBy") and listed.get("claimExpiresAt") and listed["nextAttemptAt"] == listed["claimExpiresAt"], listed
    push = d.run("dns", "push", ZONE)
    assert push.returncode != 0 and f"#{row_id}" in push.stderr and "held by another process" in push.stderr, _said(push, ["dns", "push"])
    assert d.dig("TXT", name) == []
    # Nor may a person retry or dismiss it while it is held (it might be going out that moment).
    for args in (["outbox", "retry", str(row_id)], ["outbox", "dismiss", str(row_id), "--reason", "x"]):
        held = d.run(*args)
        assert held.returncode != 0 and "held by a worker" in held.stderr, _said(held, args)
    assert (d.deliveries()[row_id]["state"], d.deliveries()[row_id]["attempts"]) == ("pending", 1)

    # The claim lapses: the next run (the timer's `simpul outbox deliver`) delivers it.
    _after_lease(since)
    run = d.run("outbox", "deliver")
    assert run.returncode == 0, _said(run, ["outbox", "deliver"])
    assert f"#{row_id} " in run.stdout and "delivered" in run.stdout, run.stdout
    assert d.dig("TXT", name) == ['"killed before the push"']
    row = d.deliveries()[row_id]
    assert (row["state"], row["attempts"]) == ("delivered", 2), row
    assert row.get("deliveredAt") and "lastError" not in row
    listed = d.simpul("outbox", "list", "--state", "delivered")
    assert any(line.startswith(f"#{row_id} ") and "Delivered" in line for line in listed.splitlines()), listed
    zone = d.zone(ZONE)
    assert zone["waiting"] == 0
    assert d.server_serial(ZONE) == zone["serial"] > serial_before
    check = d.check(ZONE)
    assert check["inSync"] and check["serialMatches"], check
    # Nothing is left for another run.
    again = d.run("outbox", "deliver")
    assert again.returncode == 0 and not again.stdout.strip(), _said(again, ["outbox", "deliver"])


def test_killed_after_the_push_before_its_outcome_is_delivered_again_idempotently(district: District) -> None:
    d = district
    name = f"pushed-kill.{ZONE}"
    killed = d.run("dns", "add", name, "TXT", "killed after the push",
                   extra={"SIMPUL_TEST_KILL_AFTER_DNS_PUSH": "1", "SIMPUL_TEST_OUTBOX_LEASE_MS": str(LEASE_MS)})
    since = time.monotonic()  # the claim was made a moment before: the wait below has its margin
    assert killed.returncode == 137, _said(killed, ["dns", "add", name])
    assert "pushed and confirmed" not in killed.stdout

    # The update reached the server; the database does not know it: the row is due again.
    assert d.dig("TXT", name) == ['"killed after the push"']
    (row_id, row), = d.deliveries().items()
    assert (row["state"], row["attempts"]) == ("pending", 1), row
    assert "deliveredAt" not in row
    zone = d.zone(ZONE)
    assert zone["waiting"] == 1, "the change set is not marked pushed"
    serial = d.server_serial(ZONE)
    assert serial == zone["serial"], "the update carried the change's serial"
    _nothing_taken_while_held(d, {row_id: row}, [])

    # The claim lapses: a new run sends the same update again (at least once), and it is a no-op.
    _after_lease(since)
    run = d.run("outbox", "deliver")
    assert run.returncode == 0, _said(run, ["outbox", "deliver"])
    assert f"#{row_id} " in run.stdout and "delivered" in run.stdout, run.stdout
    row = d.deliveries()[row_id]
    assert (row["state"], row["attempts"]) == ("delivered", 2), row
    assert d.dig("TXT", name) == ['"killed after the push"']
    assert len(d.owned(name, ZONE)) == 1, d.owned(name, ZONE)
    assert d.server_serial(ZONE) == serial, "sending the same update again does not move the serial"
    zone = d.zone(ZONE)
    assert zone["waiting"] == 0 and zone["serial"] == serial
    check = d.check(ZONE)
    assert check["inSync"] and check["serialMatches"] and not check["extra"] and not check["missing"], check


def test_killed_between_two_zones_leaves_both_rows_due_and_a_later_run_publishes_each_once(district: District) -> None:
    """An A record and its PTR are two change sets in two zones, two rows claimed together: the worker
    dies after sending the first, before the second was tried."""
    d = district
    name, address = f"two-zones.{ZONE}", "10.20.0.77"  # record data only: nothing connects to it
    d.simpul("ip", "assign", "--address", address, "--owner", "device:E2E-OUTBOX-KILL")
    ptr = "77.0.20.10.in-addr.arpa"
    killed = d.run("dns", "add", name, "A", address,
                   extra={"SIMPUL_TEST_KILL_AFTER_DNS_PUSH": "1", "SIMPUL_TEST_OUTBOX_LEASE_MS": str(LEASE_MS)})
    since = time.monotonic()
    assert killed.returncode == 137, _said(killed, ["dns", "add", name, "A", address])

    rows = d.deliveries()
    assert sorted(r["subject"] for r in rows.values()) == sorted([f"zone:{ZONE}", f"zone:{REVERSE}"]), rows
    for row in rows.values():
        assert (row["state"], row["attempts"]) == ("pending", 1), row
    published = [bool(d.dig("A", name)), bool(d.dig("PTR", ptr))]
    assert published.count(True) == 1, f"one zone's update was sent before the kill, the other's not: A, PTR = {published}"
    assert d.zone(ZONE)["waiting"] == 1 and d.zone(REVERSE)["waiting"] == 1
    _nothing_taken_while_held(d, rows, [])

    _after_lease(since)
    run = d.run("outbox", "deliver")
    assert run.returncode == 0, _said(run, ["outbox", "deliver"])
    for row_id, row in d.deliveries().items():
        assert (row["state"], row["attempts"]) == ("delivered", 2), row
        assert f"#{row_id} " in run.stdout
    assert d.dig("A", name) == [address]
    assert d.dig("PTR", ptr) == [name + "."]
    assert len(d.owned(name, ZONE)) == 1 and len(d.owned(ptr, REVERSE)) == 1
    for zone_name in (ZONE, REVERSE):
        zone = d.zone(zone_name)
        assert zone["waiting"] == 0 and d.server_serial(zone_name) == zone["serial"], zone
        check = d.check(zone_name)
        assert check["inSync"] and check["serialMatches"], check


def _wrong_key(d: District, tmp_path: Path) -> Path:
    """A key with the server's key name and another secret: named refuses it."""
    name = Path(d.env["SIMPUL_TSIG_KEY"]).read_text().split('"')[1]
    out = subprocess.run(["tsig-keygen", "-a", "hmac-sha256", name], capture_output=True, text=True, check=True, timeout=20)
    path = tmp_path / "wrong.key"
    path.write_text(out.stdout)
    return path


def _fails_and_waits(d: District, row_id: int, extra: dict[str, str], error: str) -> None:
    """`simpul outbox retry` then `simpul outbox deliver`: the run fails (exit 1) and says why, and the
    row waits for its next attempt with that error shown."""
    d.simpul("outbox", "retry", str(row_id))
    run = d.run("outbox", "deliver", extra=extra)
    assert run.returncode == 1, _said(run, ["outbox", "deliver"])
    assert f"#{row_id} " in run.stderr and error in run.stderr and "tried again later" in run.stderr, run.stderr
    row = d.deliveries()[row_id]
    assert (row["state"], row["attempts"]) == ("pending", 1), row
    assert error in row.get("lastError", ""), row
    assert row["nextAttemptAt"] > row["createdAt"], "it waits a while before the next attempt"
    listed = d.simpul("outbox", "list", "--state", "pending")
    assert any(line.startswith(f"#{row_id} ") and "Waiting" in line for line in listed.splitlines()), listed
    assert error in listed, listed
    # Not due again at once: the next timer run leaves it alone and succeeds.
    quiet = d.run("outbox", "deliver", extra=extra)
    assert quiet.returncode == 0 and not quiet.stdout.strip(), _said(quiet, ["outbox", "deliver"])


def test_a_delivery_refused_by_the_server_fails_the_run_and_waits_with_its_error(district: District, tmp_path: Path) -> None:
    d = district
    name = f"bad-key.{ZONE}"
    bad = {"SIMPUL_TSIG_KEY": str(_wrong_key(d, tmp_path))}
    added = d.run("dns", "add", name, "TXT", "signed with the wrong key", extra=bad)
    assert added.returncode == 1, _said(added, ["dns", "add", name])
    (row_id, row), = d.deliveries().items()
    assert row["state"] == "pending" and "BADSIG" in row.get("lastError", ""), row
    _fails_and_waits(d, row_id, bad, "BADSIG")
    assert d.dig("TXT", name) == []

    # With the right key, the retried row goes out.
    d.simpul("outbox", "retry", str(row_id))
    run = d.run("outbox", "deliver")
    assert run.returncode == 0 and "delivered" in run.stdout, _said(run, ["outbox", "deliver"])
    assert d.dig("TXT", name) == ['"signed with the wrong key"']
    row = d.deliveries()[row_id]
    assert row["state"] == "delivered" and "lastError" not in row, row


def test_a_delivery_while_named_is_stopped_fails_the_run_and_goes_out_when_it_is_back(district: District) -> None:
    d = district
    name = f"named-down.{ZONE}"
    _stop_named(d.named_dir)
    deadline = time.monotonic() + 10
    while _answers(d.dns_port):
        assert time.monotonic() < deadline, "named did not stop"
        time.sleep(0.1)

    added = d.run("dns", "add", name, "TXT", "while named was down")
    assert added.returncode == 1, _said(added, ["dns", "add", name])
    (row_id, row), = d.deliveries().items()
    assert row["state"] == "pending", row
    assert f"127.0.0.1:{d.dns_port}" in row.get("lastError", ""), row
    _fails_and_waits(d, row_id, {}, f"127.0.0.1:{d.dns_port}")
    assert d.zone(ZONE)["waiting"] == 1

    # named comes back with its key and zones (--keep); the row, retried, goes out.
    back = subprocess.run([str(REPO / "scripts" / "named-local.sh"), "--keep", str(d.named_dir), str(d.dns_port), *d.zones],
                          capture_output=True, text=True, timeout=60)
    assert back.returncode == 0, back.stdout + back.stderr
    d.simpul("outbox", "retry", str(row_id))
    run = d.run("outbox", "deliver")
    assert run.returncode == 0 and "delivered" in run.stdout, _said(run, ["outbox", "deliver"])
    assert d.dig("TXT", name) == ['"while named was down"']
    row = d.deliveries()[row_id]
    assert row["state"] == "delivered" and "lastError" not in row, row
    assert d.zone(ZONE)["waiting"] == 0
