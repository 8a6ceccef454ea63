"""`simpul capture --iface` stopped early (issue 16): Ctrl-C (SIGINT) and `systemctl stop` (SIGTERM)
end a live capture as its duration would, and what was captured until then is still reported, with
the reason. On the loopback interface only, with traffic the test sends to 127.0.0.1 itself; needs
CAP_NET_RAW (root), skipped otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time

import pytest


@pytest.mark.skipif(os.geteuid() != 0, reason="a live capture needs CAP_NET_RAW: run as root")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_live_capture_stopped_early_reports_what_it_captured(server, stop) -> None:
    process = subprocess.Popen([str(server.binary), "capture", "--iface", "lo", "--duration", "10m", "--filter", "udp and host 127.0.0.1",
                                "--dry-run", "--json"], env=server.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Traffic on loopback only, until the capture has certainly started.
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            sender.sendto(b"simpul", ("127.0.0.1", 9))
            time.sleep(0.01)
        sender.close()
        process.send_signal(stop)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    report = json.loads(out)
    assert "Ctrl-C atau SIGTERM" in report["stopped"] or "Ctrl-C or SIGTERM" in report["stopped"], report["stopped"]
    assert report["received"] is not None and report["seconds"] < 60, report
