"""The README's tours, run as written, on the data `make run` makes.

Every ```sh block of every "## Tour" section of README.md, in order, is run as one bash script
(`set -euo pipefail`) in a copy of the repository's root where `make run` has just started: the
Makefile's own `run` target (`dns`, `db`, then `simpul serve`) is run with `-o build` (the binary
under test stands in for .build/release/simpul), so the database, its demo data and the demo
named are made exactly the way a developer's are. Only loopback is used and nothing clashes with a
developer's running demo:

- named listens on 127.0.0.1 at a free port (not 5300): the root's Inventory/ is a copy whose zone
  servers say that port, as Tests/e2e/conftest.py does for its own named;
- `simpul serve` listens on 127.0.0.1 at a free port (not 8080);
- in the tours, `127.0.0.1:8080` and `-p 5300` are replaced by those ports, and nothing else.

`curl` fails on an HTTP error status (`--fail-with-body`), so an API call the server refuses fails
the tour. A line of a tour that starts with `! ` is a command that must be refused: the runner fails if it
succeeds (pasted by hand, bash shows the refusal and goes on). A tour's block that cannot run here
is marked in the README with `<!-- tour: skip -->` on the line before its opening fence.

A failure names the README line of the command that failed, the command, and what it printed.

Environment: SIMPUL_BIN, the binary (default .build/debug/simpul, as `swift build` makes it).
Needs make, bash, jq, curl and BIND (named, tsig-keygen, dig, named-checkzone; `make test` installs them).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
HOST = "127.0.0.1"
# The example district's DNS server in Inventory/zones.yaml, and make run's web address.
EXAMPLE_DNS_SERVER = "127.0.0.1:5300"
EXAMPLE_DNS_PORT = "5300"
EXAMPLE_WEB = "127.0.0.1:8080"
SKIP_MARK = "<!-- tour: skip -->"
START_TIMEOUT_S = 300
TOURS_TIMEOUT_S = 900
# Top-level entries of the repository not linked into the demo root: made afresh there.
NOT_LINKED = {"Inventory", "simpul.db", "simpul.db-wal", "simpul.db-shm", "demo-credentials.txt"}

for _var in ("NO_PROXY", "no_proxy"):
    os.environ[_var] = "127.0.0.1,localhost"


# ---------------------------------------------------------------------------- reading the README

@dataclass(frozen=True)
class Command:
    """One logical command of a tour: its first README line and its text (continuations joined)."""
    line: int
    text: str
    section: str


def tour_commands(readme: str) -> list[Command]:
    """The commands of every ```sh block in the "## Tour" sections, in order; blocks marked skip left out."""
    commands: list[Command] = []
    section = ""
    in_tour = False
    fence: str | None = None  # the language of the open fence, "" for a plain one
    skip_next = False
    skipping = False
    pending: list[str] = []
    pending_line = 0
    for number, line in enumerate(readme.splitlines(), start=1):
        if fence is None:
            if line.startswith("## "):
                section = line[3:].strip()
                in_tour = section.startswith("Tour")
            if line.strip() == SKIP_MARK:
                skip_next = True
                continue
            if line.startswith("```"):
                fence = line[3:].strip()
                skipping = skip_next or not in_tour or fence != "sh"
                skip_next = False
            elif line.strip():
                skip_next = False
            continue
        if line.startswith("```"):
            if pending:
                raise AssertionError(f"README.md:{pending_line}: a command ends its block with a line continuation")
            fence = None
            continue
        if skipping:
            continue
        if not pending:
            pending_line = number
        pending.append(line)
        if line.endswith("\\"):
            continue
        text = "\n".join(pending)
        pending = []
        if text.strip() and not text.lstrip().startswith("#"):
            commands.append(Command(pending_line, text, section))
    return commands


def tour_script(commands: list[Command], web_port: int, dns_port: int) -> str:
    """One bash script: each command preceded by a marker naming its README line; the first failure
    (or a `! ` command that succeeds) prints a marker with the line and exit status and stops."""
    out = [
        "set -euo pipefail",
        "__line=0",
        "trap '__rc=$?; printf \"\\n@@TOUR-FAILED %s %s@@\\n\" \"$__line\" \"$__rc\"; exit \"$__rc\"' ERR",
        # An API answer of 4xx/5xx fails the command (its body is still shown), as `curl -s` alone would not.
        'curl() { command curl --fail-with-body "$@"; }',
    ]
    for command in commands:
        text = command.text.replace(EXAMPLE_WEB, f"{HOST}:{web_port}")
        text = re.sub(rf"-p {EXAMPLE_DNS_PORT}\b", f"-p {dns_port}", text)
        out.append(f"__line={command.line}; printf '\\n@@TOUR-LINE %s@@\\n' {command.line}")
        if text.startswith("! "):
            # Must be refused. The newline keeps a trailing comment from swallowing `then`.
            out.append(f"if {text[2:]}\nthen printf 'this command should have been refused, and it succeeded\\n'; false; fi")
        else:
            out.append(text)
    out.append("printf '\\n@@TOUR-DONE@@\\n'")
    return "\n".join(out) + "\n"


def failure_report(output: str, commands: list[Command]) -> str | None:
    """None when the script ran to its end; else which README line failed, the command and its output."""
    if "@@TOUR-DONE@@" in output:
        return None
    by_line = {c.line: c for c in commands}
    failed = re.search(r"@@TOUR-FAILED (\d+) (\d+)@@", output)
    markers = list(re.finditer(r"@@TOUR-LINE (\d+)@@\n", output))
    if failed:
        line, status = int(failed.group(1)), failed.group(2)
        start = max((m.end() for m in markers if int(m.group(1)) == line and m.end() <= failed.start()), default=0)
        printed = output[start:failed.start()].strip("\n")
    elif markers:
        line, status = int(markers[-1].group(1)), "none (the script stopped without an error trap: killed or timed out?)"
        printed = output[markers[-1].end():].strip("\n")
    else:
        return "the tour script stopped before its first command:\n" + output[-4000:]
    command = by_line.get(line)
    where = f"README.md:{line}" + (f" (section \"{command.section}\")" if command else "")
    text = command.text if command else "?"
    if len(printed) > 6000:
        printed = "…\n" + printed[-6000:]
    return (f"{where}: the tour command failed with exit status {status}\n"
            f"  command: {text}\n"
            f"  its output (stdout and stderr):\n" + "\n".join("    " + l for l in (printed or "(nothing)").splitlines()))


# ---------------------------------------------------------------------------- the demo root

def _binary() -> Path:
    override = os.environ.get("SIMPUL_BIN")
    path = Path(override) if override else REPO / ".build" / "debug" / "simpul"
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"simpul binary not found at {path}: run `swift build` first (or set SIMPUL_BIN)")
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a developer's fresh terminal: no SIMPUL_* of whoever runs the tests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env.update(NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost", LC_ALL="C.UTF-8")
    env.update(extra)
    return env


@dataclass
class Demo:
    root: Path
    web_port: int
    dns_port: int
    log: Path


def _make_root(tmp: Path, binary: Path, dns_port: int) -> Path:
    """A stand-in for the repository's root: its files linked, Inventory/ copied with the zone
    servers at `dns_port`, and .build/release/simpul a copy of the binary under test."""
    root = tmp / "simpul"
    root.mkdir()
    for entry in REPO.iterdir():
        if entry.name.startswith(".") or entry.name in NOT_LINKED:
            continue
        (root / entry.name).symlink_to(entry)
    shutil.copytree(REPO / "Inventory", root / "Inventory")
    for yaml in (root / "Inventory").glob("*.yaml"):
        yaml.write_text(yaml.read_text().replace(EXAMPLE_DNS_SERVER, f"{HOST}:{dns_port}"))
    (root / ".build" / "release").mkdir(parents=True)
    # A copy, not a link: a `swift build` relinking the binary meanwhile must not change it mid-tour.
    shutil.copy2(binary, root / ".build" / "release" / "simpul")
    return root


def _stop_group(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _stop_named(root: Path) -> None:
    try:
        os.kill(int((root / ".demo-dns" / "named.pid").read_text().strip()), signal.SIGTERM)
    except (OSError, ValueError):
        pass


def _wait_serving(url: str, proc: subprocess.Popen, log: Path) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + START_TIMEOUT_S
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"make run exited with {proc.returncode} before {url} answered; its output:\n{_tail(log)}")
        try:
            with opener.open(url, timeout=2) as resp:
                if resp.status == 200:
                    return
                last = f"HTTP {resp.status}"
        except urllib.error.HTTPError as e:
            last = f"HTTP {e.code}"
        except (urllib.error.URLError, OSError) as e:
            last = str(e)
        time.sleep(0.3)
    pytest.fail(f"{url} did not answer 200 within {START_TIMEOUT_S} s (last: {last}); make run's output:\n{_tail(log)}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """`make run` in a stand-in root: named and `simpul serve` on free loopback ports, a fresh database."""
    for tool in ("make", "bash", "jq", "curl"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} not found: the README's tours use it")
    binary = _binary()
    tmp = tmp_path_factory.mktemp("readme-tours")
    dns_port, web_port = _free_port(), _free_port()
    root = _make_root(tmp, binary, dns_port)
    log = tmp / "make-run.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "-f", str(REPO / "Makefile"), "-o", "build", "run",
             f"HOST={HOST}", f"PORT={web_port}", f"DNS_PORT={dns_port}",
             # The test venv has snmpsim already: the demo's agents need not install it again.
             f"DEMO_VENV={REPO / '.venv-test'}"],
            cwd=root, env=_clean_env(), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_serving(f"http://{HOST}:{web_port}/healthz", proc, log)
        if "warning: the demo DNS server did not start" in log.read_text(errors="replace"):
            pytest.fail(f"make run could not start the demo named on 127.0.0.1:{dns_port}:\n{_tail(log)}")
        yield Demo(root, web_port, dns_port, log)
    finally:
        _stop_group(proc)
        _stop_named(root)


# ---------------------------------------------------------------------------- tests

def test_every_tour_has_commands():
    """The runner finds the tours: each "## Tour" section with a ```sh block gives commands."""
    commands = tour_commands(README.read_text())
    sections = {c.section for c in commands}
    assert len(sections) >= 5, f"expected the README's tours, found commands in: {sorted(sections)}"
    assert len(commands) > 50


def _simpul(demo: Demo, *args: str) -> str:
    """The CLI on make run's database, as `make run` prints it; fails the test with its output."""
    env = _clean_env(SIMPUL_DB=str(demo.root / "simpul.db"), SIMPUL_TSIG_KEY=str(demo.root / ".demo-dns" / "simpul.key"))
    result = subprocess.run([str(demo.root / ".build" / "release" / "simpul"), *args], cwd=demo.root, env=env,
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.fail(f"`simpul {' '.join(args)}` exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def test_the_example_district_looks_like_a_working_office(demo: Demo):
    """make run's demo (simpul demo seed): open work mostly on time, a few due soon, two or three late;
    most tickets closed, a few cancelled; every pool in use; hosted servers placed through hosting
    intake with their addresses and DNS names, answered by the demo named; and everything Simpul
    connects to on loopback. Runs before the tours change the data."""
    def total(*args: str) -> int:
        return json.loads(_simpul(demo, "ticket", "list", "--json", "--limit", "1", *args))["total"]

    late, due_soon, on_time = (total("--lateness", state) for state in ("late", "due_soon", "on_time"))
    open_, closed = total(), total("--scope", "closed")
    counts = f"open {open_}: on time {on_time}, due soon {due_soon}, late {late}; closed {closed}"
    assert 2 <= late <= 3, f"two or three late tickets, not a crisis: {counts}"
    assert due_soon >= 1 and on_time > late + due_soon, f"open work mostly on time, a few due soon: {counts}"
    assert closed >= 0.7 * (open_ + closed), f"most of a month's tickets are closed: {counts}"
    statuses = [t["status"] for t in json.loads(_simpul(demo, "ticket", "list", "--scope", "closed", "--json", "--limit", "500"))["tickets"]]
    assert 0 < statuses.count("cancelled") < statuses.count("done") / 5, f"a few cancelled among the closed: {statuses}"

    for pool in json.loads(_simpul(demo, "ip", "list", "--json")):
        assert pool["assigned"] > 0, f"pool {pool['pool']} has no address in use: {pool}"

    hosted = json.loads(_simpul(demo, "hosting", "list", "--json"))
    placed = [h for h in hosted if h["state"] == "placed"]
    assert len(placed) >= 3, f"hosted servers placed through hosting intake: {hosted}"
    pools = {p["pool"]: p["prefix"] for p in json.loads(_simpul(demo, "ip", "list", "--json"))}
    for server in placed:
        address, name = server["address"], server["form"]["dnsName"]
        assert ipaddress.ip_address(address) in ipaddress.ip_network(pools[server["pool"]]), server
        assert server["monitored"] and server["rack"], server
        answer = subprocess.run(["dig", "@127.0.0.1", "-p", str(demo.dns_port), "+short", "+time=2", "+tries=1", "A", name],
                                capture_output=True, text=True, timeout=20).stdout.split()
        assert answer == [address], f"the demo named answers {answer} for {name}, not its address {address}"
    forward = json.loads(_simpul(demo, "dns", "records", "contohkab.go.id", "--json"))
    names = {r["record"]["name"].rstrip(".") for r in forward if r["record"]["type"] in ("A", "AAAA")}
    assert {h["form"]["dnsName"] for h in placed} <= names and len(names) >= 4, f"the forward zone: {sorted(names)}"
    # The name server's address comes with its zone (Inventory/zones.yaml), and the server agrees with the inventory.
    assert "\nns1\t3600\tIN\tA\t127.0.0.1\n" in _simpul(demo, "dns", "export", "contohkab.go.id")
    _simpul(demo, "dns", "check")

    # Network safety: what Simpul connects to is loopback; pool addresses are data. A hosted server's
    # monitoring target is its pool address, so nothing may probe monitoring targets in this version
    # (the hosting module, service and store, only enrols and counts them).
    for device in json.loads(_simpul(demo, "device", "list", "--json")):
        if device.get("snmp"):
            assert ipaddress.ip_address(device["managementAddress"]).is_loopback, f"Simpul polls {device}"
    for link in json.loads(_simpul(demo, "link", "list", "--json")):
        health = link["link"].get("healthAddress")
        assert health is None or ipaddress.ip_address(health).is_loopback, f"Simpul probes {link}"
    # The probes (Sources/SimpulCore/Probes, Sources/SimpulProbe) send nothing outside ProbeScope, which
    # every make recipe sets to loopback (SIMPUL_PROBE_ALLOW); nothing else may read the targets.
    assert "export SIMPUL_PROBE_ALLOW := 127.0.0.0/8,::1/128" in (REPO / "Makefile").read_text()
    readers = [str(f.relative_to(REPO)) for f in (REPO / "Sources").rglob("*.swift")
               if "monitor_targets" in f.read_text() and not f.name.startswith(("HostingService", "HostingStore", "Migrations"))
               and "Probes" not in f.parts and "SimpulProbe" not in f.parts]
    assert not readers, ("monitor_targets is read by " + ", ".join(readers) + ": the example district's hosted servers are "
                         "enrolled with pool addresses (10.20.0.x, 203.0.113.x) that must never be probed; the poller reads "
                         "them through HostingService.monitored and checks them only through the probes (ProbeScope)")
    # The cycle checks hosted servers through the probes and nothing else.
    poll = (REPO / "Sources" / "SimpulServices" / "PollService.swift").read_text()
    assert "prober.check(" in poll and "simpul.hosting.monitored(" in poll


def test_readme_tours_run_in_order_on_make_runs_data(demo: Demo):
    commands = tour_commands(README.read_text())
    script = tour_script(commands, demo.web_port, demo.dns_port)
    (demo.root.parent / "tours.sh").write_text(script)
    started = time.monotonic()
    try:
        result = subprocess.run(["bash", "-c", script], cwd=demo.root, env=_clean_env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=TOURS_TIMEOUT_S)
        output = result.stdout
    except subprocess.TimeoutExpired as e:
        output = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
    (demo.root.parent / "tours.log").write_text(output)
    report = failure_report(output, commands)
    if report is not None:
        pytest.fail(f"{report}\n(script: {demo.root.parent / 'tours.sh'}; whole output: {demo.root.parent / 'tours.log'}; "
                    f"make run's output: {demo.log})", pytrace=False)
    print(f"README tours: {len(commands)} commands in {time.monotonic() - started:.1f} s")


def test_a_failing_tour_command_is_named_with_its_line_and_output(tmp_path: Path):
    """The runner itself: a `! ` line that is refused passes, a failing line is named with its output."""
    readme = "\n".join([
        "# T", "## Tour — one", "```sh", "echo first", "! false            # refused, as meant", "```",
        "<!-- tour: skip -->", "```sh", "exit 9", "```",
        "## Tour — two", "```sh", "X=$(echo two | tr a-z A-Z)", "echo \"$X\" && ls /nonexistent-simpul-path \\",
        "    --color=never", "echo never", "```", "## Elsewhere", "```sh", "exit 7", "```",
    ])
    commands = tour_commands(readme)
    assert [c.line for c in commands] == [4, 5, 13, 14, 16]
    assert commands[3].text == "echo \"$X\" && ls /nonexistent-simpul-path \\\n    --color=never"
    script = tour_script(commands, web_port=1, dns_port=2)
    output = subprocess.run(["bash", "-c", script], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=_clean_env(), timeout=30).stdout
    report = failure_report(output, commands)
    assert report is not None and report.startswith("README.md:14 (section \"Tour — two\")"), report
    assert "TWO" in report and "nonexistent-simpul-path" in report and "never" not in report.split("its output")[1], report
    succeeded = tour_script([Command(3, "! true", "Tour")], 1, 2)
    output = subprocess.run(["bash", "-c", succeeded], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30).stdout
    assert "README.md:3" in (failure_report(output, [Command(3, "! true", "Tour")]) or ""), output


def test_the_example_district_exports_zones_bind_accepts(tmp_path: Path):
    """A freshly imported example district (no DNS server needed) exports every zone as a file that
    named-checkzone accepts: ns1's address comes with its zone (primary_ns_address). Without it the
    import is refused, naming the file, the line and the field. Checks stay local (-i local): no
    lookup of names outside the zone leaves the machine."""
    checkzone = shutil.which("named-checkzone") or "/usr/bin/named-checkzone"
    if not Path(checkzone).exists():
        pytest.fail("named-checkzone not found: run scripts/named-ensure.sh (make test does)")
    binary = _binary()
    env = _clean_env(SIMPUL_DB=str(tmp_path / "example.db"))

    def simpul(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(binary), *args], env=env, capture_output=True, text=True, timeout=120)

    imported = simpul("inventory", "import", str(REPO / "Inventory"))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    zones = [line.split(":", 1)[1].strip() for line in (REPO / "Inventory" / "zones.yaml").read_text().splitlines()
             if line.startswith("  - name:")]
    assert "contohkab.go.id" in zones
    for zone in zones:
        exported = simpul("dns", "export", zone)
        assert exported.returncode == 0, exported.stdout + exported.stderr
        path = tmp_path / f"{zone}.zone"
        path.write_text(exported.stdout)
        check = subprocess.run([checkzone, "-i", "local", "-k", "fail", "-m", "fail", "-n", "fail", zone, str(path)],
                               capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, f"named-checkzone {zone}:\n{check.stdout}{check.stderr}\n{exported.stdout}"
        if zone == "contohkab.go.id":
            assert "\nns1\t3600\tIN\tA\t127.0.0.1\n" in exported.stdout, exported.stdout

    broken = tmp_path / "Inventory"
    shutil.copytree(REPO / "Inventory", broken)
    text = (broken / "zones.yaml").read_text()
    assert "primary_ns_address:" in text
    (broken / "zones.yaml").write_text("\n".join(l for l in text.splitlines() if "primary_ns_address:" not in l) + "\n")
    env["SIMPUL_DB"] = str(tmp_path / "broken.db")
    refused = simpul("inventory", "import", str(broken), "--lang", "en")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert re.search(r"zones\.yaml:\d+: zones\[0\]\.primary_ns: ns1\.contohkab\.go\.id lies inside the zone contohkab\.go\.id",
                     refused.stdout + refused.stderr), refused.stdout + refused.stderr
