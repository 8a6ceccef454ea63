"""Browser end-to-end test of fault dispatch on a phone (issue 13), with a real SMTP server (aiosmtpd)
behind the outbox: the clerk takes a phoned-in fault in a handful of fields, the section head assigns
a technician, the technician logs the fix with a part taken from stock and closes it with its cause;
a second fault the technician cannot fix is escalated, and the provider's mail arrives at the SMTP
server with the fault's evidence. Every page is checked at the phone's 390 px for sideways scrolling."""

from __future__ import annotations

import json
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from test_tickets import log_in_as
from test_web import click_and_load, path, screenshot, wait

FAULT_PATH = re.compile(r"^/faults/(\d+)$")


def fits_the_phone(d: WebDriver, what: str) -> None:
    width = d.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"{what} scrolls sideways on a 390 px phone: {width} px wide"


def take_phoned_fault(d: WebDriver, server, agency: str, circuit: str, reporter: str, description: str) -> str:
    """The clerk's form: agency, then its link, then the symptom and who called. Returns the ticket."""
    started = time.monotonic()
    d.get(server.base_url + "/faults/new")
    Select(d.find_element(By.ID, "f-agency")).select_by_value(agency)
    click_and_load(d, By.ID, "fault-agency-next")
    fits_the_phone(d, "the fault form")
    d.find_element(By.CSS_SELECTOR, f'input[name="about"][value="link:{circuit}"]').click()
    d.find_element(By.CSS_SELECTOR, 'input[name="symptom"][value="no_connection"]').click()
    d.find_element(By.ID, "f-reporter").send_keys(reporter)
    d.find_element(By.ID, "f-contact").send_keys("0812 555 0177")
    d.find_element(By.ID, "f-description").send_keys(description)
    click_and_load(d, By.ID, "fault-submit")
    match = FAULT_PATH.match(path(d))
    assert match, f"reporting the fault should land on /faults/<id>, got {d.current_url}"
    assert time.monotonic() - started < 60, "taking a phoned fault must take under a minute"
    assert circuit in d.find_element(By.ID, "fault-about").text
    return match.group(1)


def assign(d: WebDriver, server, ticket: str) -> None:
    d.get(server.base_url + f"/tickets/{ticket}")
    d.find_element(By.ID, "ev-note").send_keys("Teknisi segera ke lokasi")
    Select(d.find_element(By.ID, "assign-to")).select_by_value("e2etek")
    click_and_load(d, By.ID, "complete-submit")
    wait(d, EC.visibility_of_element_located((By.ID, "act-notice")), "the step-done notice")
    assert d.find_element(By.ID, "ticket-assignee").text == "e2etek"


def stock(server, code: str) -> int:
    parts = json.loads(server.simpul("parts", "list", "--json"))
    rows = parts["parts"] if isinstance(parts, dict) else parts
    return next(p["quantity"] for p in rows if p["code"] == code)


def test_phoned_fault_is_fixed_with_a_part_and_another_is_escalated_by_mail(browser: WebDriver, server) -> None:
    d = browser
    server.simpul("parts", "add", "PC-UTP-3M", "--name", "Patch cord UTP 3 m", "--unit", "buah", "--minimum", "2",
                  "--location", "Lemari NOC", "--as", "e2eadmin")
    server.simpul("parts", "receive", "PC-UTP-3M", "--quantity", "5", "--as", "e2eadmin")
    assert stock(server, "PC-UTP-3M") == 5

    # The clerk answers the phone: SETWAN's link is down.
    log_in_as(d, server, "e2etu")
    fixed = take_phoned_fault(d, server, "SETWAN", "NUS-CKB-0003", "Sari (staf Setwan)",
                              "Internet mati di ruang rapat; lampu switch berkedip")
    screenshot(d, server, "60-fault-taken-by-clerk")
    # A second call about the same link is attached to the open fault, not a second ticket.
    again = take_phoned_fault(d, server, "SETWAN", "NUS-CKB-0003", "Anton (Setwan)", "Masih mati")
    assert again == fixed, f"a second report on the same link should join fault #{fixed}, made #{again}"
    assert "ditambahkan" in d.find_element(By.ID, "fault-notice").text
    # And BAPPEDA's link, which the technician will not be able to fix.
    escalated = take_phoned_fault(d, server, "BAPPEDA", "NUS-CKB-0005", "Dewi (Bappeda)",
                                  "Tidak ada koneksi sejak pagi; ONT LOS merah")
    click_and_load(d, By.ID, "logout")

    # The section head assigns both to the technician.
    log_in_as(d, server, "e2ekasi")
    assign(d, server, fixed)
    assign(d, server, escalated)
    fits_the_phone(d, "the ticket page")
    click_and_load(d, By.ID, "logout")

    # The technician, in the field: the patch cord was broken; one from stock fixes it.
    log_in_as(d, server, "e2etek")
    d.get(server.base_url + f"/faults/{fixed}")
    fits_the_phone(d, "the fault page")
    d.find_element(By.ID, "fl-checked").send_keys("Switch lantai 2, kabel ke router")
    d.find_element(By.ID, "fl-found").send_keys("Patch cord putus")
    d.find_element(By.ID, "fl-did").send_keys("Patch cord diganti")
    Select(d.find_element(By.NAME, "part1")).select_by_value("PC-UTP-3M")
    d.find_element(By.NAME, "qty1").send_keys("1")
    d.find_element(By.CSS_SELECTOR, 'input[name="outcome"][value="fixed"]').click()
    screenshot(d, server, "61-fault-log-on-phone")
    click_and_load(d, By.ID, "fault-log-submit")
    assert path(d) == f"/faults/{fixed}", f"the log should return to the fault, got {d.current_url}"
    assert "Patch cord putus" in d.find_element(By.ID, "fault-log").text
    assert stock(server, "PC-UTP-3M") == 4, "the part used is taken from stock with the log entry"
    d.find_element(By.CSS_SELECTOR, 'input[name="cause"][value="device_failure"]').click()
    d.find_element(By.ID, "fc-resolution").send_keys("Patch cord diganti, koneksi normal")
    click_and_load(d, By.ID, "fault-close-submit")
    assert "Patch cord diganti" in d.find_element(By.ID, "fault-cause").text
    screenshot(d, server, "62-fault-fixed")

    # BAPPEDA's: the ONT shows loss of signal from the provider's side; not fixed, so escalated.
    before = len(server.mails())
    d.get(server.base_url + f"/faults/{escalated}")
    d.find_element(By.ID, "fl-checked").send_keys("ONT dan kabel drop")
    d.find_element(By.ID, "fl-found").send_keys("LOS merah, redaman dari sisi penyedia")
    d.find_element(By.CSS_SELECTOR, 'input[name="outcome"][value="not_fixed"]').click()
    click_and_load(d, By.ID, "fault-log-submit")
    assert "dieskalasi" in d.find_element(By.ID, "fault-notice").text
    assert "PT Nusantara Data Net" in d.find_element(By.ID, "fault-provider").text, "the provider by its name, not its code"
    screenshot(d, server, "63-fault-escalated")

    # The mail went out at once through the outbox to the provider's first level.
    deadline = time.monotonic() + 15
    while len(server.mails()) <= before and time.monotonic() < deadline:
        time.sleep(0.2)
    mails = server.mails()[before:]
    assert mails, "the provider's escalation mail did not reach the SMTP server"
    mail = mails[-1]
    text = json.dumps(mail, ensure_ascii=False)
    assert "noc@nusanet.example.net" in text, f"the mail should go to NUSANET's NOC: {mail.get('envelope', mail)}"
    assert "NUS-CKB-0005" in text, "the mail names the circuit"
    assert "LOS merah" in text, "the mail carries the technician's findings as evidence"

    # The ticket shows the delivery and its attempt.
    d.get(server.base_url + f"/tickets/{escalated}")
    delivery = wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "#ticket-deliveries li")), "the ticket's deliveries")
    assert "outbox-delivered" in delivery.find_element(By.CSS_SELECTOR, ".badge").get_attribute("class")
    fits_the_phone(d, "the ticket page with its deliveries")
    screenshot(d, server, "64-fault-delivery-on-ticket")
