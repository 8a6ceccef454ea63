"""Browser end-to-end tests: a person on a phone logs in, looks at an agency, switches language, logs out."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

WAIT_S = 15
AGENCY_PATH = re.compile(r"^/agencies/([A-Z0-9_-]{2,32})$")


# ---------------------------------------------------------------------------- helpers

def wait(driver: WebDriver, condition, what: str):
    try:
        return WebDriverWait(
            driver, WAIT_S, ignored_exceptions=(StaleElementReferenceException,)
        ).until(condition)
    except TimeoutException:
        raise AssertionError(
            f"timed out after {WAIT_S} s waiting for {what}; at {driver.current_url}"
        ) from None


def path(driver: WebDriver) -> str:
    return urlparse(driver.current_url).path


def html_lang(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang") or ""


def click_and_load(driver: WebDriver, by: str, selector: str) -> None:
    """Click an element that navigates (a link or a form button) and wait for the new page."""
    reveal(driver, by, selector)
    old = driver.find_element(By.TAG_NAME, "html")
    element = wait(driver, EC.element_to_be_clickable((by, selector)), f"{selector} to be clickable")
    element.click()
    wait(driver, replaced(old), f"a new page after clicking {selector}")
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete",
         "the page to finish loading")


def replaced(old):
    """True once `old` (an element of the page before) is gone. Like EC.staleness_of, but Chrome may
    also answer for a node of a page being torn down with "does not belong to the document"."""
    def check(_driver: WebDriver) -> bool:
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return check


def reveal(driver: WebDriver, by: str, selector: str) -> None:
    """On a phone the menu may be folded away behind #nav-toggle; open it if what we want is hidden."""
    found = driver.find_elements(by, selector)
    if found and found[0].is_displayed():
        return
    toggles = [t for t in driver.find_elements(By.ID, "nav-toggle") if t.is_displayed()]
    if toggles:
        toggles[0].click()
        wait(driver, EC.visibility_of_element_located((by, selector)), f"{selector} to show")


def nav_text(driver: WebDriver) -> str:
    return (driver.find_element(By.ID, "nav-agencies").get_attribute("textContent") or "").strip()


def screenshot(driver: WebDriver, server, name: str) -> None:
    """The whole page, not only the phone's viewport, for a person to look at later."""
    target = server.screens / f"{name}.png"
    try:
        import base64

        data = driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
        )["data"]
        target.write_bytes(base64.b64decode(data))
    except Exception:  # noqa: BLE001 - fall back to the viewport
        driver.save_screenshot(str(target))


def log_in(driver: WebDriver, server, password: str) -> None:
    driver.get(server.base_url + "/login")
    wait(driver, EC.presence_of_element_located((By.ID, "username")), "the login form")
    driver.find_element(By.ID, "username").send_keys(server.username)
    driver.find_element(By.ID, "password").send_keys(password)
    click_and_load(driver, By.ID, "login-submit")


# ---------------------------------------------------------------------------- tests

def test_login_browse_agency_switch_language_logout(browser: WebDriver, server) -> None:
    d = browser

    d.get(server.base_url + "/login")
    wait(d, EC.presence_of_element_located((By.ID, "login-submit")), "the login form")
    assert path(d) == "/login"
    screenshot(d, server, "01-login")

    log_in(d, server, server.password)
    assert path(d) == "/", f"after logging in expected the dashboard at /, got {d.current_url}"
    assert html_lang(d) == "id", "the dashboard should be in Indonesian by default"
    h1 = d.find_element(By.TAG_NAME, "h1")
    assert h1.text.strip(), "the dashboard's h1 is empty"
    screenshot(d, server, "02-dashboard")

    assert nav_text(d) == "Instansi", "the menu should read Indonesian by default"
    click_and_load(d, By.ID, "nav-agencies")
    assert path(d) == "/agencies", f"the agencies link went to {d.current_url}"
    screenshot(d, server, "03-agencies")

    links = d.find_elements(By.CSS_SELECTOR, "a.agency-link")
    assert links, "the agency list shows no a.agency-link (is Inventory/ imported?)"
    href_path = urlparse(links[0].get_attribute("href") or "").path
    click_and_load(d, By.CSS_SELECTOR, "a.agency-link")
    match = AGENCY_PATH.match(path(d))
    assert match, f"expected /agencies/<CODE>, got {d.current_url}"
    assert path(d) == href_path, f"clicked {href_path}, landed on {path(d)}"
    name = wait(d, EC.presence_of_element_located((By.ID, "agency-name")), "#agency-name")
    assert name.text.strip(), "#agency-name is empty"
    screenshot(d, server, "04-agency")

    click_and_load(d, By.ID, "lang-en")
    wait(d, lambda drv: html_lang(drv) == "en", 'lang="en" after #lang-en')
    assert nav_text(d) == "Agencies"
    screenshot(d, server, "05-agency-en")

    click_and_load(d, By.ID, "lang-id")
    wait(d, lambda drv: html_lang(drv) == "id", 'lang="id" after #lang-id')
    assert nav_text(d) == "Instansi"

    click_and_load(d, By.ID, "logout")
    wait(d, lambda drv: path(drv) == "/login", "the login page after #logout")
    screenshot(d, server, "06-logged-out")

    d.get(server.base_url + "/agencies")
    wait(d, lambda drv: path(drv) == "/login", "/agencies to redirect to /login once logged out")
    assert not d.find_elements(By.CSS_SELECTOR, "a.agency-link"), "agency links shown after logout"


def test_wrong_password_shows_error_and_stays_on_login(browser: WebDriver, server) -> None:
    d = browser

    log_in(d, server, server.password + "-salah")
    error = wait(d, EC.visibility_of_element_located((By.ID, "login-error")), "#login-error")
    assert error.text.strip(), "#login-error is empty"
    assert path(d) == "/login", f"a failed login should stay on /login, got {d.current_url}"
    screenshot(d, server, "10-login-error")

    d.get(server.base_url + "/agencies")
    wait(d, lambda drv: path(drv) == "/login", "/agencies to redirect to /login after a failed login")
