"""LAN installation letters (issue 15) end to end: numbers stay unique when several `simpul`
processes sign at once, and the browser issues a work order whose PDF the test downloads and reads.

Everything runs against the session's `simpul serve` on 127.0.0.1 (conftest.py); the PDFs are
printed by the server's headless Chromium, which fetches nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from test_tickets import log_in_as
from test_web import click_and_load


def file_request(server, n: int) -> int:
    out = json.loads(server.simpul(
        "lan", "request", "--as", "e2etu", "--agency", "DINKES", "--letter", f"045/{n}/DINKES/XII/2026",
        "--letter-date", "2026-12-01", "--signed-by", "dr. Rahmawati", "--disposition", "sekda", "--building", "Gedung A",
        "--points", "4", "--asked", "4 titik LAN ruang arsip", "--contact", "Budi", "--json"))
    return int(out["request"]["ticket"])


def letters(server, ticket: int) -> list[dict]:
    return json.loads(server.simpul("lan", "show", str(ticket), "--json"))["letters"]


def test_numbers_stay_unique_when_processes_sign_at_once(server) -> None:
    tickets = []
    for n in range(8):
        ticket = file_request(server, 900 + n)
        server.simpul("lan", "paraf", str(ticket), "--as", "kasi.jaringan")
        server.simpul("lan", "paraf", str(ticket), "--as", "kabid.tik")
        tickets.append(ticket)
    signers = [subprocess.Popen([str(server.binary), "lan", "sign", str(t), "--as", "kadis"], env=server.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for t in tickets]
    for p in signers:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, f"a signer failed: {err}"
    numbers = [l["number"] for t in tickets for l in letters(server, t)]
    assert len(numbers) == 16 and len(set(numbers)) == 16, numbers
    sequences = sorted(int(n.split("/")[2]) for n in numbers)
    # One block with no gap and no repeat (other tests may have taken numbers before it).
    assert sequences == list(range(sequences[0], sequences[0] + 16)), sequences


def test_signing_before_the_parafs_is_refused(server) -> None:
    ticket = file_request(server, 990)
    result = subprocess.run([str(server.binary), "lan", "sign", str(ticket), "--as", "kadis"], env=server.env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "paraf" in result.stderr, result.stderr
    assert all(l["number"] is None for l in letters(server, ticket))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing: make test installs it")
def test_a_signed_work_order_prints_to_a_pdf_with_its_text(server, tmp_path) -> None:
    ticket = file_request(server, 991)
    server.simpul("lan", "paraf", str(ticket), "--as", "kasi.jaringan")
    server.simpul("lan", "paraf", str(ticket), "--as", "kabid.tik")
    server.simpul("lan", "sign", str(ticket), "--as", "kadis")
    number = next(l["number"] for l in letters(server, ticket) if l["kind"] == "work_order")
    pdf = tmp_path / "spt.pdf"
    server.simpul("lan", "letter", str(ticket), "--kind", "work-order", "--pdf", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert number in text and "SURAT PERINTAH TUGAS" in text and "Hasan Abdullah" in text, text[:800]
    # A reprint is the same file.
    again = tmp_path / "spt-again.pdf"
    server.simpul("lan", "letter", str(ticket), "--kind", "work-order", "--pdf", str(again))
    assert again.read_bytes() == pdf.read_bytes()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing: make test installs it")
def test_the_head_issues_a_work_order_in_the_browser_and_its_pdf_is_downloaded(browser: WebDriver, server, tmp_path) -> None:
    ticket = file_request(server, 992)
    server.simpul("lan", "paraf", str(ticket), "--as", "kasi.jaringan")
    server.simpul("lan", "paraf", str(ticket), "--as", "kabid.tik")
    log_in_as(browser, server, "kadis")
    browser.get(f"{server.base_url}/lan/{ticket}")
    click_and_load(browser, By.ID, "lan-sign-submit")
    number = browser.find_element(By.ID, "letter-work-order-number").text
    assert number.startswith("800/DKISP/"), number
    link = browser.find_element(By.CSS_SELECTOR, f'#letter-work-order a[href$=".pdf"]').get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(link, headers={"Cookie": cookies}), timeout=120) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert "surat-perintah-tugas" in response.headers["Content-Disposition"]
        data = response.read()
    pdf = tmp_path / "spt.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert number in text and "MEMERINTAHKAN" in text, text[:800]
