"""Browser end-to-end test of the layout: every page of the menu and the detail pages, for the admin,
a technician and an agency's operator, on an emulated phone (390×844 CSS px) and a 1366 px desktop.

On every page: the page never scrolls sideways (nothing sticks out of the screen); no box inside it
has to be scrolled sideways on a phone either (tables become cards, long codes wrap); every labelled
field of a form sits under its label (full width on a phone); there is no script. On a phone the
header with the folded menu takes less than a quarter of the first screen, and the menu opens and
folds again without JavaScript. A screenshot of each page is saved (L390-… and L1366-…)."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from conftest import DESKTOP, PHONE
from test_tickets import log_in_as
from test_web import click_and_load, path, screenshot, wait

# The header (brand, who is signed in, the folded menu) may take at most this share of a phone's
# first screen.
HEADER_SHARE = 0.25
ROLES = ["e2eadmin", "e2etek", "e2edinkes"]
# Detail pages found from the list pages: the first link in <main> under each of these.
DETAIL_PREFIXES = ["/agencies/", "/providers/", "/pools/", "/zones/", "/playbooks/", "/health/links/", "/reports/providers/"]


@dataclass(frozen=True)
class Data:
    ticket: int
    hosting: int
    lan: int
    visit: int | None
    survey: int


@pytest.fixture(scope="module")
def data(server) -> Data:
    """A fault ticket for DINKES assigned to the technician (so the technician sees the step's form)
    and a hosting request filed for DINKES, both made with the CLI."""
    opened = json.loads(server.simpul(
        "fault", "open", "--agency", "DINKES", "--device", "rtr-dinkes", "--symptom", "no_connection",
        "--reporter", "Budi Santoso (operator Puskesmas Kecamatan Selatan)", "--contact", "081234567890",
        "--description", "Sudah dicoba menyalakan ulang router; lampu LOS merah sejak pagi tadi", "--json"))
    # The supervisor assigns it to the technician, so the technician sees the work-log form.
    server.simpul("ticket", "step", opened["ticket"], "--as", "e2ekasi", "--note", "Teknisi ke lokasi", "--assign", "e2etek")
    server.simpul(
        "hosting", "file", "--agency", "DINKES", "--letter", "045/77/DINKES/XI/2026", "--letter-date", "2026-11-20",
        "--signed-by", "dr. Rahmawati", "--contact", "Budi Santoso", "--phone", "081234567890",
        "--email", "budi.santoso@dinkes.contohkab.go.id", "--hostname", "simpeglayout", "--dns", "simpeglayout",
        "--height", "2", "--watts", "400", "--application", "SIMPEG, sistem informasi kepegawaian")
    # One poll of the example devices, with no agent listening on their loopback ports: the poller's
    # page lists every device failing with its reason, the links page their states. Exit 1 (devices
    # failed) is what it should say; the output is JSON either way.
    polled = subprocess.run([str(server.binary), "poll", "--all", "--json"], env={**server.env, "SIMPUL_PROBE_ALLOW": "127.0.0.0/8,::1/128"},
                            capture_output=True, text=True, timeout=180)
    assert polled.returncode in (0, 1) and json.loads(polled.stdout), f"simpul poll failed: {polled.stderr[-2000:]}"
    requests = json.loads(server.simpul("hosting", "list", "--json"))
    hosting = [r["ticketID"] for r in requests if "simpeglayout" in json.dumps(r.get("form"))]
    assert hosting, f"the hosting request filed for the layout test is not listed: {requests}"
    # A LAN request for DINKES with its letters signed (the request page, its letters), and the upkeep
    # plan (the board, one visit's checklist).
    filed = json.loads(server.simpul(
        "lan", "request", "--as", "e2etu", "--agency", "DINKES", "--letter", "045/500/DINKES/XII/2026", "--letter-date", "2026-12-01",
        "--signed-by", "dr. Rahmawati, M.Kes (Kepala Dinas Kesehatan Kabupaten Contoh)", "--disposition", "sekda",
        "--building", "Gedung Pelayanan Terpadu Dinas Kesehatan", "--floor", "2", "--rooms", "Ruang rapat, ruang arsip dan ruang kepala bidang",
        "--points", "24", "--wifi", "--asked", "24 titik LAN dan jangkauan Wi-Fi untuk ruang rapat dan ruang arsip lantai dua",
        "--contact", "Budi Santoso 0812-3456-7890", "--json"))
    lan = int(filed["request"]["ticket"])
    server.simpul("lan", "paraf", str(lan), "--as", "kasi.jaringan")
    server.simpul("lan", "paraf", str(lan), "--as", "kabid.tik")
    server.simpul("lan", "sign", str(lan), "--as", "kadis")
    server.simpul("upkeep", "plan", "--as", "e2ekasi")
    board = json.loads(server.simpul("upkeep", "board", "--json"))
    visit = next((line["nextTicket"] for line in board["lines"] if line.get("nextTicket")), None)
    # A bandwidth survey of three agencies with DINKES's needs given (the survey's page with its
    # report, charts and recommendation; the opening form).
    survey = json.loads(server.simpul(
        "survey", "open", "--as", "e2ekadis", "--title", "Survei kebutuhan bandwidth perangkat daerah tahun anggaran 2027",
        "--from", "2026-11-02", "--to", "2026-11-27", "--agency", "DINKES", "--agency", "SETDA:pcap", "--agency", "BKPSDM:both",
        "--responsible", "e2etek", "--json"))["survey"]["id"]
    server.simpul("survey", "needs", str(survey), "--as", "e2edinkes", "--agency", "DINKES", "--staff", "120", "--app", "SIMPUS",
                  "--app", "Rapat video dengan puskesmas di seluruh kecamatan", "--mbps", "150", "--growth", "20",
                  "--note", "Gedung pelayanan baru dibuka awal tahun; kebutuhan naik untuk telekonsultasi")
    return Data(ticket=int(opened["ticket"]), hosting=int(hosting[0]), lan=lan, visit=visit, survey=int(survey))


# Measures one page, its folded parts opened: its width against the screen's, the header, boxes that
# scroll sideways, labels that are not above their fields, and scripts.
MEASURE = r"""
// Folded parts of the page (filters, the audit's JSON) are opened: they must fit too.
for (const details of document.querySelectorAll('main details')) details.open = true;
const vw = window.innerWidth, vh = window.innerHeight, doc = document.documentElement;
const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
const header = document.querySelector('header');
const result = {
  innerWidth: vw, innerHeight: vh, scrollWidth: doc.scrollWidth, height: doc.scrollHeight,
  header: header ? header.getBoundingClientRect().height : 0, scripts: document.scripts.length,
  wide: [], sideways: [], labels: [],
};
// What sticks out past the right edge of the screen (named only when the page is too wide).
if (doc.scrollWidth > vw) {
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width && r.right > vw + 1 && !e.closest('.sideways-ok')) result.wide.push(describe(e) + ' right=' + Math.round(r.right));
    if (result.wide.length > 8) break;
  }
}
// Boxes inside the page that have to be scrolled sideways to see all of them.
for (const e of document.querySelectorAll('main *')) {
  const x = getComputedStyle(e).overflowX;
  if ((x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth + 1 && e.getBoundingClientRect().width)
    result.sideways.push(describe(e) + ' ' + e.scrollWidth + '>' + e.clientWidth);
}
// Every labelled field (not a radio or a checkbox, which sit beside their words) starts under its
// label's words; on a phone it takes the width of its form (or fieldset).
for (const label of document.querySelectorAll('main form label')) {
  const control = label.htmlFor ? document.getElementById(label.htmlFor) : label.querySelector('input, select, textarea');
  if (!control || ['radio', 'checkbox', 'hidden'].includes(control.type)) continue;
  const c = control.getBoundingClientRect();
  if (!c.width || !c.height) continue;
  const words = [...label.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
  let l = label.getBoundingClientRect();
  if (words) { const range = document.createRange(); range.selectNodeContents(words); l = range.getBoundingClientRect(); }
  const name = '#' + (control.id || control.name);
  if (c.top < l.bottom - 1) result.labels.push(name + ' is beside its label, not under it');
  const box = control.closest('fieldset') || control.closest('form');
  const inner = box.clientWidth - parseFloat(getComputedStyle(box).paddingLeft) - parseFloat(getComputedStyle(box).paddingRight);
  if (vw < 600 && c.width < inner - 2) result.labels.push(name + ' is ' + Math.round(c.width) + ' px wide in a form ' + Math.round(inner) + ' px wide');
}
return result;
"""


def slug(page: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", page.lower()).strip("-") or "dashboard"


def measure(driver: WebDriver, server, label: str, page: str, phone: bool) -> list[str]:
    """Opens `page`, saves its screenshot, and returns what is wrong with its layout."""
    driver.get(server.base_url + page)
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete", f"{page} to load")
    assert path(driver) == urlparse(server.base_url + page).path, f"{page} sent {label} to {driver.current_url}"
    return measure_here(driver, server, label, page, phone)


def measure_here(driver: WebDriver, server, label: str, page: str, phone: bool) -> list[str]:
    """Saves the screenshot of the page the browser is on and returns what is wrong with its layout."""
    m = driver.execute_script(MEASURE)
    width = PHONE["width"] if phone else DESKTOP["width"]
    screenshot(driver, server, f"L{width}-{label}-{slug(page)}")
    problems = []
    where = f"{label} {page}"
    if m["innerWidth"] != width:
        problems.append(f"{where}: window.innerWidth is {m['innerWidth']}, not {width}")
    if m["scrollWidth"] > m["innerWidth"]:
        problems.append(f"{where}: the page scrolls sideways ({m['scrollWidth']} > {m['innerWidth']}): {m['wide']}")
    if phone and m["sideways"]:
        problems.append(f"{where}: boxes to scroll sideways on a phone: {m['sideways']}")
    if not phone and m["sideways"]:
        problems.append(f"{where}: boxes cut off at {width} px: {m['sideways']}")
    if m["labels"]:
        problems.append(f"{where}: {m['labels']}")
    if m["scripts"]:
        problems.append(f"{where}: {m['scripts']} script(s) on the page")
    if phone and m["header"] >= HEADER_SHARE * m["innerHeight"]:
        problems.append(f"{where}: the header takes {m['header']:.0f} of {m['innerHeight']} px of the first screen")
    return problems


def menu(driver: WebDriver) -> list[str]:
    """The menu's pages, in its order (read from the markup: on a phone it is folded away)."""
    return [urlparse(a.get_attribute("href") or "").path for a in driver.find_elements(By.CSS_SELECTOR, "nav a")]


def pages_for(driver: WebDriver, username: str, data: Data, links: dict[str, str]) -> list[str]:
    """The detail pages `username` can open, beyond the menu's."""
    pages = list(dict.fromkeys(links.values()))
    pages += [f"/tickets/{data.ticket}", f"/faults/{data.ticket}", f"/hosting/{data.hosting}", "/tickets/new", "/hosting/new",
              "/faults/new", "/faults/new?agency=DINKES"]
    pages += [f"/lan/{data.lan}", "/lan/new", "/agencies/DINKES/book"]
    pages += ["/surveys", f"/surveys/{data.survey}"] + (["/surveys/new"] if username == "e2eadmin" else [])
    if username != "e2edinkes" and data.visit:
        pages.append(f"/upkeep/{data.visit}")
    if username == "e2edinkes":
        pages.append("/agencies/DINKES")
    else:
        # The link-health pages beyond the list: the poller's page, and one link's charts at each range.
        pages += ["/health/poller"] + [f"/health/links/NUS-CKB-0002?period={r}" for r in ("1h", "1d", "1w", "1m")]
    return list(dict.fromkeys(pages))


def first_links(driver: WebDriver, found: dict[str, str]) -> None:
    """Notes the first link in <main> under each of DETAIL_PREFIXES not yet found."""
    for prefix in DETAIL_PREFIXES:
        if prefix in found:
            continue
        for a in driver.find_elements(By.CSS_SELECTOR, f'main a[href^="{prefix}"]'):
            href = urlparse(a.get_attribute("href") or "").path
            if href.startswith(prefix) and len(href) > len(prefix):
                found[prefix] = href
                break


def walk(driver: WebDriver, server, data: Data, username: str, phone: bool) -> tuple[list[str], list[str]]:
    """Every page `username` reaches from the menu and the detail pages; returns (pages, problems)."""
    log_in_as(driver, server, username)
    pages = menu(driver)
    assert pages, f"{username} has no menu"
    problems: list[str] = []
    links: dict[str, str] = {}
    for page in pages:
        problems += measure(driver, server, username, page, phone)
        first_links(driver, links)
    details = pages_for(driver, username, data, links)
    for page in details:
        problems += measure(driver, server, username, page, phone)
    return pages + details, problems


@pytest.mark.parametrize("username", ROLES)
def test_every_page_fits_a_phone(browser: WebDriver, server, data: Data, username: str) -> None:
    pages, problems = walk(browser, server, data, username, phone=True)
    assert len(pages) >= 8, f"{username} saw too few pages: {pages}"
    assert not problems, f"{len(problems)} layout problem(s) at {PHONE['width']} px:\n" + "\n".join(problems)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_fits_a_desktop(desktop_browser: WebDriver, server, data: Data, username: str) -> None:
    _, problems = walk(desktop_browser, server, data, username, phone=False)
    assert not problems, f"{len(problems)} layout problem(s) at {DESKTOP['width']} px:\n" + "\n".join(problems)


@pytest.mark.parametrize("kind", ["approval", "work-order", "book"])
def test_a_letter_page_fits_a_phone(browser: WebDriver, server, data: Data, kind: str) -> None:
    """A letter (and the printed inventory book) is an A4 document of its own; on a phone it still
    reads without scrolling sideways."""
    log_in_as(browser, server, "e2edinkes")
    page = "/agencies/DINKES/book/print" if kind == "book" else f"/lan/{data.lan}/letters/{kind}"
    problems = measure(browser, server, "e2edinkes", page, True)
    # The letter has no site header or menu: only the width is judged.
    problems = [p for p in problems if "sideways" in p or "innerWidth" in p]
    assert not problems, "\n".join(problems)


def test_login_page_fits(browser: WebDriver, desktop_browser: WebDriver, server) -> None:
    problems = measure(browser, server, "anon", "/login", phone=True)
    problems += measure(desktop_browser, server, "anon", "/login", phone=False)
    assert not problems, "\n".join(problems)


def test_confirmation_page_fits_a_phone(browser: WebDriver, server) -> None:
    """Disabling a user asks first: the question's page fits too (nothing is confirmed here)."""
    d = browser
    log_in_as(d, server, "e2eadmin")
    d.get(server.base_url + "/users")
    click_and_load(d, By.CSS_SELECTOR, 'form[action="/users/e2etu/disable"] button')
    wait(d, EC.presence_of_element_located((By.ID, "confirm-form")), "the confirmation page")
    problems = measure_here(d, server, "e2eadmin", "/users/e2etu/disable", phone=True)
    assert not problems, "\n".join(problems)


def test_menu_folds_on_a_phone_and_opens_without_script(browser: WebDriver, server) -> None:
    d = browser
    log_in_as(d, server, "e2eadmin")
    assert not d.find_element(By.ID, "nav-agencies").is_displayed(), "on a phone the menu starts folded"
    toggle = d.find_element(By.ID, "nav-toggle")
    assert toggle.is_displayed(), "the menu button shows on a phone"
    toggle.click()
    wait(d, EC.visibility_of_element_located((By.ID, "nav-agencies")), "the menu to open")
    for element in ("nav-audit", "logout", "lang-en"):
        assert d.find_element(By.ID, element).is_displayed(), f"#{element} shows in the open menu"
    screenshot(d, server, "L390-menu-open")
    toggle.click()
    wait(d, EC.invisibility_of_element_located((By.ID, "nav-agencies")), "the menu to fold again")


def test_menu_is_open_on_a_desktop(desktop_browser: WebDriver, server) -> None:
    d = desktop_browser
    log_in_as(d, server, "e2eadmin")
    assert d.find_element(By.ID, "nav-agencies").is_displayed(), "on a desktop the menu is always open"
    assert not d.find_element(By.ID, "nav-toggle").is_displayed(), "no menu button on a desktop"
    assert d.find_element(By.ID, "logout").is_displayed()
