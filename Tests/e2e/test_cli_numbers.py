"""Every argument of every `simpul` command, fed numbers that would overflow.

The commands and their arguments are read from the binary itself (`--experimental-dump-help`), so a
command added later is covered without touching this file. Each run must end with an exit code
(a refusal is fine), never a signal: Swift traps on arithmetic overflow, and a trap is a crash.
Also: the options every command takes may come before the subcommand (`simpul --db X agency list`).

Runs against a temporary database with the example district; DNS pushes go to 127.0.0.1 only (the
example zones' server), where nothing may listen: that is a refusal too, not a crash.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXTREMES = ["9223372036854775807", "-9223372036854775808", "99999999999999999999"]
# Options that every command takes; they are given once, not fuzzed here.
GLOBAL = {"db", "lang", "tsig-key", "as"}
# Commands that do not end by themselves.
SKIP = {("serve",)}


def _binary() -> Path:
    override = os.environ.get("SIMPUL_BIN")
    path = Path(override) if override else REPO / ".build" / "debug" / "simpul"
    if not path.is_file():
        pytest.fail(f"simpul binary not found at {path}: run `swift build` first (or set SIMPUL_BIN)")
    return path


def _commands(binary: Path) -> list[tuple[tuple[str, ...], list[dict]]]:
    dump = json.loads(subprocess.run([str(binary), "--experimental-dump-help"], capture_output=True, text=True, check=True).stdout)
    found: list[tuple[tuple[str, ...], list[dict]]] = []

    def walk(command: dict, path: tuple[str, ...]) -> None:
        subcommands = command.get("subcommands") or []
        if not subcommands and path and path not in SKIP:
            found.append((path, command.get("arguments") or []))
        for sub in subcommands:
            if sub["commandName"] != "help":
                walk(sub, path + (sub["commandName"],))

    walk(dump["command"], ())
    return found


def _name(argument: dict) -> str:
    names = argument.get("names") or []
    return names[0]["name"] if names else argument.get("valueName", "")


def _invocation(path: tuple[str, ...], arguments: list[dict], target: dict, value: str) -> list[str]:
    """The command with every required argument given a harmless value and `target` set to `value`."""
    options: list[str] = []
    positionals: list[str] = []
    for argument in arguments:
        name = _name(argument)
        if argument["kind"] == "flag" or name in GLOBAL or name == "help":
            continue
        chosen = value if argument is target else ("1" if not argument.get("isOptional", False) else None)
        if chosen is None:
            continue
        if argument["kind"] == "positional":
            positionals.append(chosen)
        else:
            options += [f"--{name}", chosen] if not chosen.startswith("-") else [f"--{name}={chosen}"]
    return [*path, *options, "--", *positionals] if positionals else [*path, *options]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    binary = _binary()
    tmp = tmp_path_factory.mktemp("cli-numbers")
    env = {**os.environ, "SIMPUL_DB": str(tmp / "simpul.db"), "SIMPUL_BCRYPT_COST": "4", "SIMPUL_TSIG_KEY": ""}
    for args in (["inventory", "import", str(REPO / "Inventory")], ["playbook", "import", str(REPO / "Playbooks")]):
        subprocess.run([str(binary), *args], env=env, capture_output=True, check=True, timeout=120)
    return tmp, env


def test_no_argument_of_any_command_crashes_on_extreme_numbers(database: tuple[Path, dict[str, str]]) -> None:
    binary = _binary()
    tmp, env = database
    commands = _commands(binary)
    assert len(commands) > 40, "the dump lists every command"
    crashes: list[str] = []
    runs = 0
    for path, arguments in commands:
        for target in arguments:
            name = _name(target)
            if target["kind"] == "flag" or name in GLOBAL or name == "help":
                continue
            for value in EXTREMES:
                argv = _invocation(path, arguments, target, value)
                try:
                    result = subprocess.run([str(binary), *argv], env=env, cwd=tmp, capture_output=True, text=True,
                                            stdin=subprocess.DEVNULL, timeout=60)
                except subprocess.TimeoutExpired:
                    crashes.append(f"simpul {' '.join(argv)}: still running after 60 s")
                    continue
                runs += 1
                if result.returncode < 0 or "Fatal error" in result.stderr or "overflow" in result.stderr.lower():
                    crashes.append(f"simpul {' '.join(argv)}: exit {result.returncode}\n{result.stderr[-400:]}")
    assert runs > 100
    assert not crashes, "\n\n".join(crashes)


@pytest.mark.parametrize("argv", [
    ["ticket", "list", "--offset", "9223372036854775807"],
    ["hosting", "install", "1", "--rack", "DC1-R01", "--position", "9223372036854775807", "--photo", "x.png", "--report", "r"],
    ["audit", "list", "--limit", "9223372036854775807"],
    ["dns", "add", "x.contohkab.go.id", "A", "10.20.0.9", "--ttl", "9223372036854775807"],
])
def test_out_of_range_numbers_are_refused_with_the_range(database: tuple[Path, dict[str, str]], argv: list[str]) -> None:
    tmp, env = database
    result = subprocess.run([str(_binary()), *argv], env=env, cwd=tmp, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 64, result.stderr
    assert "harus bilangan bulat dari" in result.stderr, result.stderr


def test_global_options_may_come_before_the_subcommand(database: tuple[Path, dict[str, str]]) -> None:
    tmp, env = database
    env = {k: v for k, v in env.items() if k not in ("SIMPUL_DB", "SIMPUL_LANG")}
    db = env_db = str(tmp / "simpul.db")
    for argv in (["--db", db, "agency", "list"], [f"--db={env_db}", "--lang", "en", "agency", "list"],
                 ["--lang=en", "--db", db, "agency", "show", "DINKES"]):
        result = subprocess.run([str(_binary()), *argv], env=env, cwd=tmp, capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, timeout=60)
        assert result.returncode == 0, f"{argv}: {result.stderr}"
        assert "DINKES" in result.stdout
    english = subprocess.run([str(_binary()), "--lang", "en", "--db", db, "agency", "show", "NOPE"], env=env, cwd=tmp,
                             capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert english.returncode != 0 and "NOPE" in english.stderr
    assert "tidak" not in english.stderr, "--lang before the subcommand is honoured"
    # A relative --db before the subcommand is the same file as after it.
    relative = subprocess.run([str(_binary()), "--db", "simpul.db", "agency", "list"], env=env, cwd=tmp,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert relative.returncode == 0 and "DINKES" in relative.stdout
