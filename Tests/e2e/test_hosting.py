"""Browser end-to-end test of server hosting intake, on a phone-sized headless Chromium against the
session's named on 127.0.0.1: the agency files the request on the form (a bad host name first),
the office's paper steps are walked with the CLI, the admin allocates the address and the DNS name
(pushed and confirmed: named answers it), the technician installs the server with a photo and
enrols it for monitoring, and the admin adds a record on the zone's page."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from hosting_steps import walk_paper_steps
from test_tickets import log_in_as
from test_web import click_and_load, path, screenshot, wait

HOSTING_PATH = re.compile(r"^/hosting/(\d+)$")
LETTER = "045/9/DINKES/XI/2026"


def fill(driver: WebDriver, field_id: str, value: str) -> None:
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(value)


def text(driver: WebDriver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def step(driver: WebDriver) -> str:
    """The id of the request's current step: kept in a data attribute, the page shows its title."""
    return driver.find_element(By.ID, "hosting-step").get_attribute("data-step")


def log_out(driver: WebDriver) -> None:
    driver.delete_all_cookies()


def test_hosting_from_the_agencys_form_to_a_monitored_server(browser: WebDriver, server, tmp_path) -> None:
    d = browser

    # The agency files the request for its own agency.
    log_in_as(d, server, "e2edinkes")
    click_and_load(d, By.ID, "nav-hosting")
    assert path(d) == "/hosting"
    click_and_load(d, By.ID, "hosting-new-link")
    assert path(d) == "/hosting/new"
    assert not d.find_elements(By.ID, "h-agency"), "an agency user files for its own agency only"
    for field_id, value in [
        ("h-letter", LETTER), ("h-signed-by", "dr. Rahmawati"), ("h-contact", "Budi Santoso"),
        ("h-phone", "081234567890"), ("h-email", "budi@dinkes.contohkab.go.id"), ("h-hostname", "Server Kes"),
        ("h-dns", "simkes"), ("h-height", "2"), ("h-depth", "700"), ("h-watts", "400"), ("h-ports", "2"),
        ("h-os", "Debian 12"), ("h-application", "SIMKES, sistem informasi kesehatan"),
    ]:
        fill(d, field_id, value)
    # A date input takes the date as the browser's locale types it; set it directly.
    d.execute_script("document.getElementById('h-letter-date').value = '2026-11-20'")
    click_and_load(d, By.ID, "hosting-submit")
    error = text(d, "hosting-error")
    assert "nama host" in error, f"a host name with a space should be refused, saying why: {error!r}"
    assert d.find_element(By.ID, "h-dns").get_attribute("value") == "simkes", "what was typed is kept"
    assert d.find_element(By.ID, "h-letter").get_attribute("value") == LETTER
    fill(d, "h-hostname", "simkes")
    screenshot(d, server, "40-hosting-form")
    click_and_load(d, By.ID, "hosting-submit")
    match = HOSTING_PATH.match(path(d))
    assert match, f"filing should land on /hosting/<ticket>, got {d.current_url}"
    ticket = match.group(1)
    address = text(d, "hosting-address")
    assert re.fullmatch(r"10\.20\.0\.\d+", address), f"an address should be held in the hosting pool: {address!r}"
    assert step(d) == "receive_request"
    assert not d.find_elements(By.ID, "hosting-racks"), "the agency does not see the technician's check"
    screenshot(d, server, "41-hosting-filed")
    log_out(d)

    # The paper steps: the clerk receives the letter, the head disposes it, the division and the
    # section forward it, and the agency brings the server.
    walk_paper_steps(server, ticket, LETTER, tmp_path)

    # The admin sees the technician's check and allocates: address and DNS, pushed and confirmed.
    log_in_as(d, server, "e2eadmin")
    d.get(f"{server.base_url}/hosting/{ticket}")
    wait(d, EC.presence_of_element_located((By.ID, "hosting-racks")), "the technician's check")
    assert "bebas" in text(d, "hosting-dns-status"), text(d, "hosting-dns-status")
    screenshot(d, server, "42-hosting-check")
    click_and_load(d, By.ID, "hosting-allocate-submit")
    notice = text(d, "hosting-notice")
    assert "terkonfirmasi" in notice, f"the allocation should be published and confirmed: {notice!r}"
    assert step(d) == "install"
    assert server.dig("A", "simkes.contohkab.go.id") == [address]
    reverse = ".".join(reversed(address.split("."))) + ".in-addr.arpa"
    assert server.dig("PTR", reverse) == ["simkes.contohkab.go.id."]
    log_out(d)

    # The technician installs it (the best-fit rack is filled in) with a photo, then enrols it.
    log_in_as(d, server, "e2etek")
    d.get(f"{server.base_url}/hosting/{ticket}")
    wait(d, EC.presence_of_element_located((By.ID, "hosting-install")), "the install form")
    rack = d.find_element(By.ID, "hi-rack").get_attribute("value")
    position = d.find_element(By.ID, "hi-position").get_attribute("value")
    assert rack and position, "the technician's check fills in the best place"
    photo = tmp_path / "simkes.jpg"
    photo.write_bytes(bytes([0xFF, 0xD8, 0xFF, 0xE0]) + b"\x00\x10JFIF\x00" + bytes(64) + bytes([0xFF, 0xD9]))
    d.find_element(By.ID, "hi-photo").send_keys(str(photo))
    fill(d, "hi-report", "Terpasang rapi, kabel berlabel")
    click_and_load(d, By.ID, "hosting-install-submit")
    assert f"{rack} U{position}" in text(d, "hosting-notice")
    fill(d, "hm-port", "443")
    click_and_load(d, By.ID, "hosting-monitor-submit")
    assert step(d) == "in_use"
    assert "Dipantau" in text(d, "hosting-rack")
    screenshot(d, server, "43-hosting-placed")
    click_and_load(d, By.ID, "nav-racks")
    assert "simkes" in d.find_element(By.TAG_NAME, "main").text
    log_out(d)

    # The admin adds a record on the zone's page; named answers it.
    log_in_as(d, server, "e2eadmin")
    d.get(f"{server.base_url}/zones/contohkab.go.id")
    wait(d, EC.presence_of_element_located((By.ID, "record-form")), "the zone's record form")
    assert "simkes.contohkab.go.id" in text(d, "zone-records")
    fill(d, "record-name", "sikes")
    d.find_element(By.CSS_SELECTOR, "#record-type option[value='CNAME']").click()
    fill(d, "record-data", "simkes.contohkab.go.id")
    click_and_load(d, By.ID, "record-submit")
    notice = text(d, "zone-notice")
    assert "sikes.contohkab.go.id" in notice and "Server DNS sudah menjawab" in notice, notice
    assert server.dig("CNAME", "sikes.contohkab.go.id") == ["simkes.contohkab.go.id."]
    screenshot(d, server, "44-zone-record")
