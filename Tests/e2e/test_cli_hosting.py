"""Server hosting intake done from the command line alone, against the session's named on 127.0.0.1:
the technician's steps are done `--as` the technician, and an administrator doing them on the
technician's behalf gives `--reason` (issue 11, item 17: `hosting install` could not be done from
the CLI at all)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from hosting_steps import walk_paper_steps

LETTER = "046/9/DINKES/XI/2026"


def run(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(server.binary), *args], env=server.env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


def test_hosting_intake_from_the_command_line(server, tmp_path: Path) -> None:
    filed = server.simpul("hosting", "file", "--agency", "DINKES", "--letter", LETTER, "--letter-date", "2026-11-21",
                          "--signed-by", "dr. Rahmawati", "--contact", "Budi", "--hostname", "simlab", "--dns", "simlab",
                          "--height", "1", "--watts", "250", "--application", "SIMLAB")
    ticket = re.match(r"#(\d+) ", filed).group(1)
    walk_paper_steps(server, ticket, LETTER, tmp_path)
    server.simpul("hosting", "allocate", ticket)
    assert server.dig("A", "simlab.contohkab.go.id"), "the allocation is published"

    photo = tmp_path / "simlab.png"
    photo.write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e5270de40000000049454e44ae426082"))
    place = ["--rack", "DC1-R04", "--position", "30", "--photo", str(photo), "--report", "Terpasang"]
    # An administrator without a reason is refused and told how to correct it; nothing is placed.
    refused = run(server, "hosting", "install", ticket, *place)
    assert refused.returncode == 1 and "alasan" in refused.stderr, refused.stderr
    assert "DC1-R04" not in run(server, "hosting", "show", ticket).stdout
    # The technician does it as themself.
    installed = server.simpul("hosting", "install", ticket, "--as", "e2etek", *place)
    assert "DC1-R04" in installed
    # The administrator enrols monitoring on the technician's behalf, with a reason.
    no_reason = run(server, "hosting", "monitor", ticket, "--tcp", "443")
    assert no_reason.returncode == 1
    server.simpul("hosting", "monitor", ticket, "--tcp", "443", "--reason", "teknisi di lapangan, dicatat oleh admin")
    shown = server.simpul("ticket", "show", ticket)
    # The current step by its title, never its id (issue 11, item 18).
    assert "Langkah saat ini: Pemanfaatan Data Center" in shown and "in_use" not in shown, shown
