"""Fixtures for Simpul's browser end-to-end tests.

A real `simpul serve` on 127.0.0.1 over a temporary database with the example district
(Inventory/), the playbooks (Playbooks/) and one account per role the tests act as, driven by
headless Chromium (Debian's chromium + chromedriver) emulating a phone (390×844 CSS px, 3× pixel
ratio), or a 1366 px desktop for the layout test. The example zones point at BIND's named, started
for the session on 127.0.0.1 at a free port by scripts/named-local.sh with its own TSIG key. Nothing
leaves the loopback interface.

Environment:
  SIMPUL_BIN    the simpul binary (default: .build/debug/simpul, as `swift build` makes it)
  CHROMIUM_BIN  the browser (default: /usr/bin/chromium)
  CHROMEDRIVER  the driver (default: /usr/bin/chromedriver)
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
ADMIN_USER = "e2eadmin"
# Further accounts for the ticket and hosting tests: (username, role, full name, agency code).
STAFF = [
    ("e2ekasi", "supervisor", "E2E Kasi Jaringan", None),
    ("e2etek", "technician", "E2E Teknisi", None),
    ("e2etu", "clerk", "E2E Tata Usaha", None),
    ("e2ekadis", "head", "E2E Kepala Dinas", None),
    ("e2edinkes", "agency", "E2E Operator Dinkes", "DINKES"),
    # The officials of district.letters (Inventory/district.yaml): the parafs and the signature of LAN letters.
    ("kasi.jaringan", "supervisor", "Rina Wulandari", None),
    ("kabid.tik", "supervisor", "Andi Pratama", None),
    ("kadis", "head", "Hasan Abdullah", None),
]
# The example zones' server in Inventory/zones.yaml, replaced by the session's named.
EXAMPLE_DNS_SERVER = "127.0.0.1:5300"
HEALTH_TIMEOUT_S = 30

# Everything here talks to 127.0.0.1 only: keep any configured proxy out of the way.
for _var in ("NO_PROXY", "no_proxy"):
    os.environ[_var] = "127.0.0.1,localhost"
os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not download anything

_state: dict[str, Path] = {}


@dataclass(frozen=True)
class Server:
    base_url: str
    username: str
    password: str
    screens: Path
    log: Path
    # username -> password of every account made for the tests (the admin's too)
    accounts: dict[str, str] = field(default_factory=dict)
    # the session's named: its port on 127.0.0.1, and the environment for running `simpul` on the
    # same database and key as the server
    dns_port: int = 0
    env: dict[str, str] = field(default_factory=dict)
    binary: Path = Path()
    # the session's SMTP server (aiosmtpd, Tests/Rigs/smtp_server.py): each mail it accepted is a
    # NNNN.json in this directory (envelope, decoded headers and body)
    mail_dir: Path = Path()

    def mails(self) -> list[dict]:
        import json
        return [json.loads(p.read_text()) for p in sorted(self.mail_dir.glob("*.json"))]

    def simpul(self, *args: str) -> str:
        """Runs the CLI on the server's database; fails the test with its output if it fails."""
        return _run([str(self.binary), *args], self.env)

    def dig(self, rtype: str, name: str) -> list[str]:
        """What the session's named answers (127.0.0.1 only)."""
        result = subprocess.run(["dig", "@127.0.0.1", "-p", str(self.dns_port), "+short", "+tcp", "+time=2", "+tries=1", rtype, name],
                                capture_output=True, text=True, timeout=20)
        return [line for line in result.stdout.splitlines() if line.strip()]


def _binary() -> Path:
    override = os.environ.get("SIMPUL_BIN")
    path = Path(override) if override else REPO / ".build" / "debug" / "simpul"
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"simpul binary not found at {path}: run `swift build` first (or set SIMPUL_BIN)")
    return path


def _run(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    result = subprocess.run(
        cmd, env=env, cwd=REPO, input=stdin, capture_output=True, text=True, timeout=180
    )
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(cmd[1:])}` exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result.stdout


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"simpul serve exited with {proc.returncode} before /healthz answered\n{_tail(log)}")
        try:
            with opener.open(url, timeout=2) as resp:
                if resp.status == 200:
                    return
                last = f"HTTP {resp.status}"
        except urllib.error.HTTPError as e:
            last = f"HTTP {e.code}"
        except (urllib.error.URLError, OSError) as e:
            last = str(e)
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer 200 within {HEALTH_TIMEOUT_S} s (last: {last})\n{_tail(log)}")


def _start_named(tmp: Path) -> tuple[int, Path, Path]:
    """named on 127.0.0.1 at a free port, serving the example zones; returns (port, key file, its dir)."""
    for tool in ("named", "tsig-keygen", "dig"):
        if not (shutil.which(tool) or Path("/usr/sbin", tool).exists()):
            pytest.fail(f"{tool} not found: run scripts/named-ensure.sh (make test does)")
    zones_yaml = (REPO / "Inventory" / "zones.yaml").read_text()
    zones = [line.split(":", 1)[1].strip() for line in zones_yaml.splitlines() if line.startswith("  - name:")]
    directory = tmp / "named"
    port = _free_port()
    result = subprocess.run([str(REPO / "scripts" / "named-local.sh"), str(directory), str(port), *zones],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        pytest.fail(f"scripts/named-local.sh failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return port, directory / "simpul.key", directory


def _start_smtp(tmp: Path) -> tuple[subprocess.Popen, int, Path]:
    """aiosmtpd on 127.0.0.1 at a free port (the test venv has it); returns (process, port, mail dir)."""
    import sys
    directory = tmp / "mail"
    directory.mkdir()
    port_file = tmp / "smtp.port"
    log = open(tmp / "smtp.log", "wb")
    proc = subprocess.Popen([sys.executable, str(REPO / "Tests" / "Rigs" / "smtp_server.py"), "--dir", str(directory),
                             "--port-file", str(port_file)], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if port_file.exists() and port_file.read_text().strip():
            return proc, int(port_file.read_text().strip()), directory
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    _stop(proc)
    pytest.fail(f"the test SMTP server did not start (is aiosmtpd in the test venv? make test installs it):\n{_tail(tmp / 'smtp.log')}")


def _stop_named(directory: Path) -> None:
    pid_file = directory / "named.pid"
    try:
        os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
    except (OSError, ValueError):
        pass


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory):
    """A running `simpul serve` with the example district and an admin; yields a Server."""
    binary = _binary()
    tmp = tmp_path_factory.mktemp("simpul-e2e")
    screens = tmp / "screens"
    screens.mkdir()
    log = tmp / "server.log"
    _state["screens"] = screens
    _state["log"] = log

    dns_port, key_file, named_dir = _start_named(tmp)
    inventory = tmp / "Inventory"
    shutil.copytree(REPO / "Inventory", inventory)
    zones = inventory / "zones.yaml"
    zones.write_text(zones.read_text().replace(EXAMPLE_DNS_SERVER, f"127.0.0.1:{dns_port}"))

    smtp, smtp_port, mail_dir = _start_smtp(tmp)
    env = dict(os.environ, SIMPUL_DB=str(tmp / "e2e.db"), SIMPUL_TSIG_KEY=str(key_file),
               SIMPUL_SMTP=f"smtp://127.0.0.1:{smtp_port}", SIMPUL_MAIL_FROM="simpul@contohkab.go.id")
    password = "E2e-" + secrets.token_urlsafe(18)

    try:
        _run([str(binary), "inventory", "import", str(inventory)], env)
        _run([str(binary), "playbook", "import", str(REPO / "Playbooks")], env)
        _run(
            [str(binary), "user", "add", ADMIN_USER, "--role", "admin",
             "--name", "E2E Admin", "--password-stdin"],
            env,
            stdin=password + "\n",
        )
        accounts = {ADMIN_USER: password}
        for username, role, name, agency in STAFF:
            accounts[username] = "E2e-" + secrets.token_urlsafe(18)
            _run(
                [str(binary), "user", "add", username, "--role", role, "--name", name, "--password-stdin"]
                + (["--agency", agency] if agency else []),
                env,
                stdin=accounts[username] + "\n",
            )
    except BaseException:
        _stop_named(named_dir)
        _stop(smtp)
        raise

    port = _free_port()
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(
            [str(binary), "serve", "--host", HOST, "--port", str(port)],
            env=env, cwd=REPO, stdin=subprocess.DEVNULL,
            stdout=log_file, stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://{HOST}:{port}"
        _wait_healthy(base + "/healthz", proc, log)
        yield Server(base, ADMIN_USER, password, screens, log, accounts, dns_port, env, binary, mail_dir)
    finally:
        _stop(proc)
        _stop_named(named_dir)
        _stop(smtp)


# A real phone: Chrome's device emulation, so the page gets a 390 CSS px wide viewport (a headless
# window is never narrower than 500 px, whatever --window-size says), honours the viewport meta tag
# and reports itself as a touch screen.
PHONE = {"width": 390, "height": 844, "pixelRatio": 3.0, "mobile": True, "touch": True}
# An office desktop: 1366 px wide, no emulation of touch.
DESKTOP = {"width": 1366, "height": 768, "pixelRatio": 1.0, "mobile": False, "touch": False}


def _chromium(server: Server, request: pytest.FixtureRequest, metrics: dict):
    """A fresh headless Chromium (no cookies) with `metrics` as its screen; closed after the test,
    with a screenshot and the page's HTML saved when the test failed."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    chromedriver = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    for path in (chromium, chromedriver):
        if not shutil.which(path):
            pytest.fail(f"{path} not found: install Debian's chromium and chromium-driver")

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={metrics['width']},{metrics['height']}",
        "--no-proxy-server", "--disable-dev-shm-usage", "--lang=id-ID", "--hide-scrollbars",
    ):
        options.add_argument(arg)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {
        "width": metrics["width"], "height": metrics["height"], "pixelRatio": metrics["pixelRatio"],
        "mobile": metrics["mobile"], "touch": metrics["touch"],
    }})
    # The office's people read Indonesian; the browser says so, as theirs would.
    options.add_experimental_option("prefs", {"intl.accept_languages": "id-ID,id"})

    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_page_load_timeout(30)
    try:
        driver.get(server.base_url + "/login")
        width = driver.execute_script("return window.innerWidth")
        if width != metrics["width"]:
            pytest.fail(f"the emulated screen should be {metrics['width']} CSS px wide, window.innerWidth is {width}")
        yield driver
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            name = f"FAILED-{request.node.name}"
            try:
                driver.save_screenshot(str(server.screens / f"{name}.png"))
                (server.screens / f"{name}.html").write_text(driver.page_source)
            except Exception:  # noqa: BLE001 - best effort on the way out
                pass
        driver.quit()


@pytest.fixture
def browser(server: Server, request: pytest.FixtureRequest):
    """A fresh headless Chromium (no cookies) emulating a phone: 390×844 CSS px at 3× pixel ratio."""
    yield from _chromium(server, request, PHONE)


@pytest.fixture
def desktop_browser(server: Server, request: pytest.FixtureRequest):
    """A fresh headless Chromium (no cookies) with a 1366×768 desktop screen."""
    yield from _chromium(server, request, DESKTOP)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    screens = _state.get("screens")
    if screens is None:
        return
    terminalreporter.write_sep("-", "simpul e2e")
    terminalreporter.write_line(f"screenshots: {screens}")
    for png in sorted(screens.glob("*.png")):
        terminalreporter.write_line(f"  {png.name}")
    log = _state.get("log")
    if log is not None:
        terminalreporter.write_line(f"server log: {log}")
        if exitstatus != 0:
            terminalreporter.write_line("last lines of the server log:")
            terminalreporter.write_line(_tail(log))
