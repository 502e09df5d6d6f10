"""End to end in headless Chromium: every page opens in both languages, no exception, screenshots."""

from __future__ import annotations

import pytest

from app.i18n import translate
from tests.app.apptest import PAGES
from tests.e2e.helpers import full_screenshot, open_page, page_url

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("page_name", PAGES)
def test_page_opens_in_browser(app_server, page, screenshots_dir, page_name, lang):
    open_page(
        page, page_url(app_server, page_name, f"lang={lang}"), translate(lang, f"{page_name}.title")
    )
    full_screenshot(page, screenshots_dir / f"shell-{page_name}-{lang}.png")


def test_language_persists_across_pages(app_server, page):
    open_page(page, page_url(app_server, "home", "lang=en"), translate("en", "home.title"))
    page.get_by_role("link", name=translate("en", "home.open_page", page="Map")).click()
    page.wait_for_url("**/mappa**")
    open_page(page, page.url, translate("en", "mappa.title"))
    assert "lang=en" in page.url


def test_phone_width_home(app_server, browser, screenshots_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    open_page(phone, page_url(app_server, "home"), translate("it", "home.title"))
    full_screenshot(phone, screenshots_dir / "shell-home-it-390px.png")
    context.close()


@pytest.mark.parametrize("lang", ["it", "en"])
def test_an_empty_main_area_says_the_page_is_loading(app_server, page, lang):
    """Until a page draws its first element the main area shows the "loading" line (a CSS rule,
    so it vanishes by itself when the title appears). Emptying a loaded page's main area stands
    in for the first moments of a cold visit."""
    open_page(page, page_url(app_server, "home", f"lang={lang}"), translate(lang, "home.title"))
    before = """() => getComputedStyle(
        document.querySelector('[data-testid="stMainBlockContainer"]'), '::before').content"""
    assert page.evaluate(before) in ("none", "normal"), "no loading line on a drawn page"
    page.evaluate(
        """() => document.querySelectorAll('[data-testid="stMainBlockContainer"] '
            + '[data-testid="stElementContainer"]').forEach(e => e.remove())"""
    )
    assert page.evaluate(before) == f'"{translate(lang, "nav.loading")}"'
