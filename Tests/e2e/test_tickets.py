"""Browser end-to-end test of an SOP ticket: a supervisor on a phone records a phoned-in fault for
an agency (the fault form: agency, then its link, then the symptom), which does the agency's
report step on its behalf; assigns the repair to a technician; and the technician finds it under
"Pekerjaan saya" and is sent to the fault's page for the repair's work log."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from test_web import click_and_load, path, screenshot, wait

TICKET_PATH = re.compile(r"^/tickets/(\d+)$")
# "21 Nov 2026 17.48 WITA": a time in the office's zone, as the pages show it.
OFFICE_TIME = re.compile(r"\d{1,2} \w{3} \d{4} \d{2}\.\d{2} WITA")


def log_in_as(driver: WebDriver, server, username: str) -> None:
    driver.get(server.base_url + "/login")
    wait(driver, EC.presence_of_element_located((By.ID, "username")), "the login form")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(server.accounts[username])
    click_and_load(driver, By.ID, "login-submit")
    assert path(driver) == "/", f"{username} did not reach the dashboard: {driver.current_url}"


def step_classes(driver: WebDriver, step: str) -> list[str]:
    return (driver.find_element(By.ID, f"step-{step}").get_attribute("class") or "").split()


def test_open_fault_report_and_complete_two_steps(browser: WebDriver, server) -> None:
    d = browser
    log_in_as(d, server, "e2ekasi")

    click_and_load(d, By.ID, "nav-faults")
    assert path(d) == "/faults"
    click_and_load(d, By.ID, "fault-new-link")
    assert path(d) == "/faults/new"
    Select(d.find_element(By.ID, "f-agency")).select_by_value("DINKES")
    click_and_load(d, By.ID, "fault-agency-next")
    # The agency's links and devices, then the symptom: a handful of fields on a phone.
    d.find_element(By.CSS_SELECTOR, 'input[name="about"][value="link:NUS-CKB-0008"]').click()
    d.find_element(By.CSS_SELECTOR, 'input[name="symptom"][value="no_connection"]').click()
    d.find_element(By.ID, "f-reporter").send_keys("Budi (operator Dinkes)")
    d.find_element(By.ID, "f-contact").send_keys("0812 555 0101")
    d.find_element(By.ID, "f-description").send_keys("Koneksi ke SIMPUS terputus; lampu ONT merah")
    screenshot(d, server, "20-fault-new")
    click_and_load(d, By.ID, "fault-submit")
    match = re.match(r"^/faults/(\d+)$", path(d))
    assert match, f"reporting the fault should land on /faults/<id>, got {d.current_url}"
    ticket = match.group(1)
    assert "dicatat" in d.find_element(By.ID, "fault-notice").text
    assert "NUS-CKB-0008" in d.find_element(By.ID, "fault-about").text
    screenshot(d, server, "21-fault-reported")
    d.get(server.base_url + f"/tickets/{ticket}")
    assert "Tidak ada koneksi" in d.find_element(By.ID, "ticket-title").text

    # Step 1, the agency's report, was recorded with the fault, on the agency's behalf.
    assert "done" in step_classes(d, "report")
    assert "current" in step_classes(d, "assign")

    # Step 2, the supervisor's own: assign the technician.
    d.find_element(By.ID, "ev-note").send_keys("Teknisi segera ke Dinkes")
    Select(d.find_element(By.ID, "assign-to")).select_by_value("e2etek")
    click_and_load(d, By.ID, "complete-submit")
    wait(d, EC.visibility_of_element_located((By.ID, "act-notice")), "the step-done notice")

    for step in ("report", "assign"):
        classes = step_classes(d, step)
        assert "done" in classes, f"step {step} should be done, has classes {classes}"
        item = d.find_element(By.ID, f"step-{step}")
        ended = item.find_element(By.CSS_SELECTOR, "dd.ended").text
        assert OFFICE_TIME.fullmatch(ended), f"step {step} should show when it ended in WITA, got {ended!r}"
        entered = item.find_element(By.CSS_SELECTOR, "dd.entered").text
        assert OFFICE_TIME.fullmatch(entered), f"step {step} should show when it began in WITA, got {entered!r}"
    assert "Perangkat Daerah" in d.find_element(By.CSS_SELECTOR, "#step-report .on-behalf").text
    assert "current" in step_classes(d, "repair")
    current = d.find_element(By.ID, "current-step").text
    assert current.startswith("Melakukan tindakan perbaikan"), f"the current step should be repair, got {current!r}"
    assert d.find_element(By.ID, "ticket-assignee").text == "e2etek"
    assert "pending" in step_classes(d, "report_result")
    screenshot(d, server, "22-ticket-two-steps-done")

    # The technician finds it under "Pekerjaan saya", first in the menu after the dashboard.
    click_and_load(d, By.ID, "logout")
    log_in_as(d, server, "e2etek")
    menu = [a.get_attribute("id") for a in d.find_elements(By.CSS_SELECTOR, "nav a")]
    assert menu[:2] == ["nav-dashboard", "nav-work"], f"menu order: {menu}"
    click_and_load(d, By.ID, "nav-work")
    row = wait(d, EC.presence_of_element_located((By.ID, f"ticket-{ticket}")), "the ticket under my work")
    assert row.find_element(By.CSS_SELECTOR, ".badge").text.strip(), "the row should show its lateness"
    screenshot(d, server, "23-my-work")
    click_and_load(d, By.CSS_SELECTOR, f"#ticket-{ticket} a.ticket-link")
    assert path(d) == f"/tickets/{ticket}"
    # The repair is the fault module's step: the ticket page sends the technician to the fault's page,
    # whose work-log form offers the outcomes.
    assert not d.find_elements(By.CSS_SELECTOR, 'input[name="branch"][value="not_fixed"]'), "the ticket's own form does not do the repair"
    screenshot(d, server, "24-ticket-for-technician")
    d.get(server.base_url + f"/faults/{ticket}")
    assert d.find_elements(By.CSS_SELECTOR, 'input[name="outcome"][value="not_fixed"]'), "the work-log form offers the outcomes"


# A 1×1 PNG: what a phone's camera would send, only smaller.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005fe02fea7d6a0"
    "5d0000000049454e44ae426082"
)


def test_photo_evidence_is_uploaded_and_downloadable(browser: WebDriver, server, tmp_path) -> None:
    import urllib.request

    d = browser
    photo = tmp_path / "lensa-retak.png"
    photo.write_bytes(PNG)
    log_in_as(d, server, "e2ekasi")
    d.get(server.base_url + "/tickets/new?playbook=equipment-repair")
    d.find_element(By.ID, "open-subject").send_keys("Kamera media center rusak")
    click_and_load(d, By.ID, "open-submit")
    assert TICKET_PATH.match(path(d)), f"expected the ticket page, got {d.current_url}"
    form = d.find_element(By.ID, "complete-form")
    assert form.get_attribute("enctype") == "multipart/form-data"
    d.find_element(By.ID, "ev-note").send_keys("Lensa retak, perlu diganti")
    d.find_element(By.ID, "ev-photo").send_keys(str(photo))
    click_and_load(d, By.ID, "complete-submit")
    wait(d, EC.visibility_of_element_located((By.ID, "act-notice")), "the step-done notice")
    link = d.find_element(By.CSS_SELECTOR, "#step-identify a.attachment-link")
    assert link.text == "lensa-retak.png"
    screenshot(d, server, "25-photo-evidence")

    # The download, with the browser's session: the same bytes, as an attachment.
    cookie = d.get_cookie("simpul_session")
    assert cookie, "no session cookie"
    request = urllib.request.Request(link.get_attribute("href"), headers={"Cookie": f"simpul_session={cookie['value']}"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "image/png"
        assert answer.headers["Content-Disposition"].startswith('attachment; filename="lensa-retak.png"')
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.read() == PNG
