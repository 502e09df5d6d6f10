"""axe-core audit of every page in both languages, in headless Chromium.

axe-core is the standard accessibility rule engine (bundled by ``axe-playwright-python``, no
download). Zero *serious* or *critical* violations are allowed, except the ones listed in
:data:`STREAMLIT_EXCEPTIONS`, which lie inside Streamlit's own markup and are explained in
``docs/accessibility.md``. The page must also declare its language (``<html lang>``).

Waiting: the helpers here wait for Streamlit's script state to be ``notRunning`` and for the
running indicator to disappear (no fixed sleeps beyond a short paint delay).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 30_000
PAGES = {
    "home": "",
    "mappa": "mappa?indirizzo=Piazza%20Leonardo%20da%20Vinci%2032",
    "calcolatore": "calcolatore?scelta=pv_join",
    "trasparenza": "trasparenza?vista=progetti",
}
BLOCKING = {"serious", "critical"}
#: (rule id, CSS fragment of the offending node) inside Streamlit itself; see the docs.
STREAMLIT_EXCEPTIONS: set[tuple[str, str]] = set()


def settle(page: Page) -> None:
    """Wait until the script run is over and Streamlit's running indicator is gone."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=TIMEOUT_MS)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS
    )
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)  # the last elements are painted just after the state flips


def has_lang(page: Page, lang: str) -> None:
    """The document declares ``lang`` (set by a script Streamlit runs just after drawing it)."""
    page.wait_for_function(
        f"document.documentElement.lang === {lang!r}", timeout=TIMEOUT_MS, polling=200
    )


def blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            if any(
                rule == violation["id"] and part in target for rule, part in STREAMLIT_EXCEPTIONS
            ):
                continue
            found.append(f"{violation['impact']} {violation['id']}: {target}")
    return found


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violation(app_server, page, name, lang):
    path = PAGES[name]
    joiner = "&" if "?" in path else "?"
    page.goto(f"{app_server}/{path}{joiner}lang={lang}" if lang != "it" else f"{app_server}/{path}")
    page.wait_for_selector("h1", timeout=TIMEOUT_MS)
    settle(page)
    has_lang(page, lang)
    violations = blocking_violations(page)
    assert not violations, "\n".join(violations)


def test_phone_width_has_no_serious_accessibility_violation(app_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{app_server}/calcolatore?lang=en")
        page.wait_for_selector("h1", timeout=TIMEOUT_MS)
        settle(page)
        has_lang(page, "en")
        violations = blocking_violations(page)
        assert not violations, "\n".join(violations)
    finally:
        context.close()


@pytest.mark.parametrize(("lang", "visible"), [("it", False), ("en", True)])
def test_streamlit_english_form_hint_only_on_english_pages(app_server, page, lang, visible):
    page.goto(f"{app_server}/?lang={lang}" if lang != "it" else f"{app_server}/")
    page.wait_for_selector("h1", timeout=TIMEOUT_MS)
    settle(page)
    has_lang(page, lang)
    box = page.locator('[data-testid="stForm"] input[type="text"]').first
    box.click()
    box.type("Via Roma 1")
    hint = page.locator('[data-testid="InputInstructions"]').first
    hint.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert hint.is_visible() is visible
