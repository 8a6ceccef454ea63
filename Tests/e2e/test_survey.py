"""Bandwidth surveys (issue 16) in the browser: the admin opens a survey of two agencies with the
form, the agency's operator gives its needs on the survey's page (a bad number first: the reason and
what was typed come back), and the recommendation table takes the stated need, with the total against
the budget line. On the session's `simpul serve` (conftest.py), at 390 px; screenshots S390-….
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from urllib.parse import urlparse

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from test_tickets import log_in_as
from test_web import click_and_load, path, screenshot


def set_value(driver: WebDriver, element_id: str, value: str) -> None:
    """A date field's value as the form posts it (typing into one depends on the browser's locale)."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), value)


def switch_to(driver: WebDriver, server, username: str) -> None:
    """Signs in as someone else (the session cookie gone first: /login sends a signed-in user home)."""
    driver.delete_all_cookies()
    log_in_as(driver, server, username)


def test_open_a_survey_give_needs_and_see_the_recommendation(browser: WebDriver, server) -> None:
    log_in_as(browser, server, "e2eadmin")
    browser.get(server.base_url + "/surveys")
    click_and_load(browser, By.ID, "survey-new-link")
    assert path(browser) == "/surveys/new"
    browser.find_element(By.ID, "s-title").send_keys("Survei bandwidth e2e")
    set_value(browser, "s-from", "2026-11-02")
    set_value(browser, "s-to", "2026-11-06")
    browser.find_element(By.ID, "s-agency-list-open").click()
    for code in ("DINKES", "SETDA"):
        browser.find_element(By.ID, f"s-agency-{code}-on").click()
    Select(browser.find_element(By.ID, "s-method-SETDA")).select_by_value("both")
    Select(browser.find_element(By.ID, "s-responsible")).select_by_value("e2etek")
    screenshot(browser, server, "S390-survey-new")
    click_and_load(browser, By.ID, "survey-open-submit")
    survey = path(browser)
    assert survey.startswith("/surveys/") and survey.split("/")[-1].isdigit(), browser.current_url
    agencies = browser.find_element(By.ID, "survey-agencies").text
    assert "Dinas Kesehatan" in agencies and "Sekretariat Daerah" in agencies, agencies
    assert "SNMP dan tangkapan paket" in agencies, agencies
    assert browser.find_element(By.ID, "survey-step").get_attribute("data-step") == "assign_evaluation"
    screenshot(browser, server, "S390-survey-opened")

    # The agency's operator: its own agency only, a bad number refused with what was typed.
    switch_to(browser, server, "e2edinkes")
    browser.get(server.base_url + "/surveys")
    links = [urlparse(a.get_attribute("href")).path for a in browser.find_elements(By.CSS_SELECTOR, "#survey-list a")]
    assert survey in links, links
    browser.get(server.base_url + survey)
    assert browser.find_element(By.ID, "survey-needs-agency").text == "Dinas Kesehatan"
    assert "Sekretariat Daerah" not in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.ID, "sn-staff").send_keys("85")
    browser.find_element(By.ID, "sn-applications").send_keys("SIMPUS\nRapat video\nCCTV puskesmas")
    browser.find_element(By.ID, "sn-mbps").send_keys("1.250")
    browser.find_element(By.ID, "sn-growth").send_keys("15")
    click_and_load(browser, By.ID, "survey-needs-submit")
    error = browser.find_element(By.ID, "survey-error").text
    assert "tanpa pemisah ribuan" in error, error
    assert browser.find_element(By.ID, "sn-mbps").get_attribute("value") == "1.250"
    assert browser.find_element(By.ID, "sn-staff").get_attribute("value") == "85"
    screenshot(browser, server, "S390-survey-needs-refused")
    mbps = browser.find_element(By.ID, "sn-mbps")
    mbps.clear()
    mbps.send_keys("120,5")
    click_and_load(browser, By.ID, "survey-needs-submit")
    assert browser.find_element(By.ID, "survey-notice").text == "Kebutuhan disimpan."
    row = browser.find_element(By.ID, "agency-DINKES").text
    assert "85 pegawai" in row and "120,5 Mbps" in row and "CCTV puskesmas" in row, row

    # The office sees the recommendation of both agencies: DINKES on its stated need, and the total.
    switch_to(browser, server, "e2eadmin")
    browser.get(server.base_url + survey)
    plan = browser.find_element(By.ID, "survey-plan")
    dinkes = plan.find_element(By.ID, "plan-DINKES").text
    assert "Dinas Kesehatan" in dinkes and "120,5" in dinkes and "kebutuhan OPD" in dinkes, dinkes
    assert "Sekretariat Daerah" in plan.find_element(By.ID, "plan-SETDA").text
    total = browser.find_element(By.ID, "survey-total").text
    assert total.startswith("Jumlah per bulan: Rp ") and "pagu Rp 150.000.000" in total, total
    assert "map_bandwidth" not in browser.page_source and "DINKES" not in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(By.TAG_NAME, "script")
    screenshot(browser, server, "S390-survey")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing: make test installs it")
def test_the_office_walks_a_survey_to_the_signed_map_and_its_procurement_pdf(browser: WebDriver, server, tmp_path) -> None:
    """The module's steps on the survey's page: the technician ends the measuring (the report is
    attached), the section closes the needs with the answers given, signs the bandwidth map and
    issues the specification; both are A4 PDFs (Chromium) whose text carries the agencies."""
    opened = json.loads(server.simpul("survey", "open", "--as", "kabid.tik", "--title", "Survei peta e2e", "--from", "2026-10-05",
                                      "--to", "2026-10-09", "--agency", "DINKES:snmp", "--agency", "SETDA:pcap",
                                      "--responsible", "e2etek", "--json"))
    survey, ticket = opened["survey"]["id"], opened["survey"]["ticketID"]
    server.simpul("ticket", "step", str(ticket), "--as", "kadis", "--note", "Bidang TIP mengevaluasi kebutuhan")
    server.simpul("ticket", "step", str(ticket), "--as", "kabid.tik", "--note", "Tim teknis siap", "--assign", "e2etek")

    log_in_as(browser, server, "e2etek")
    browser.get(f"{server.base_url}/surveys/{survey}")
    assert browser.find_element(By.ID, "survey-step").get_attribute("data-step") == "survey"
    assert not browser.find_elements(By.ID, "survey-issue-map"), "the technician does not sign the map"
    click_and_load(browser, By.ID, "survey-measure-submit")
    assert browser.find_element(By.ID, "survey-step").get_attribute("data-step") == "agency_data"
    screenshot(browser, server, "S390-survey-measured")

    switch_to(browser, server, "kabid.tik")
    browser.get(f"{server.base_url}/surveys/{survey}")
    click_and_load(browser, By.ID, "survey-close-needs-submit")
    assert browser.find_element(By.ID, "survey-step").get_attribute("data-step") == "map_bandwidth"
    click_and_load(browser, By.ID, "survey-issue-map-submit")
    assert browser.find_element(By.ID, "survey-step").get_attribute("data-step") == "procurement_documents"
    click_and_load(browser, By.ID, "survey-issue-specification-submit")
    # The module's steps are done: procurement (step 7) is the office's paperwork on the ticket.
    assert browser.find_element(By.ID, "survey-step").get_attribute("data-step") == "procurement"
    screenshot(browser, server, "S390-survey-documents")

    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    for kind, heading in (("map", "PEMETAAN"), ("specification", "SPESIFIKASI")):
        link = browser.find_element(By.ID, f"document-{kind}-pdf").get_attribute("href")
        with urllib.request.urlopen(urllib.request.Request(link, headers={"Cookie": cookies}), timeout=120) as response:
            assert response.headers["Content-Type"] == "application/pdf"
            data = response.read()
        assert data.startswith(b"%PDF-")
        pdf = tmp_path / f"{kind}.pdf"
        pdf.write_bytes(data)
        # In the page's reading order, a table cell's words on one line whatever the cell's width.
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
        assert heading in text.upper() and "Dinas Kesehatan" in text and "Sekretariat Daerah" in text, text[:800]
        with urllib.request.urlopen(urllib.request.Request(link, headers={"Cookie": cookies}), timeout=120) as again:
            assert again.read() == data, f"the {kind} is kept as issued: a second download is the same file"
