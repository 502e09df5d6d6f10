"""Pianificazione in headless Chromium: both parts render, maps and curve drawn, no error box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.i18n import translate
from tests.e2e.helpers import full_screenshot, open_page, page_url

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["it", "en"])
def test_areas_and_roofs(app_server, page, screenshots_dir, lang):
    url = page_url(app_server, "pianificazione", f"lang={lang}")
    open_page(page, url, translate(lang, "pianificazione.title"))
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    full_screenshot(page, screenshots_dir / f"pianificazione-areas-{lang}.png")
    page.get_by_role("tab", name=translate(lang, "pianificazione.tab_roofs")).click()
    illustrative = translate(lang, "pianificazione.illustrative").split("**")[1]
    expect(page.get_by_text(illustrative, exact=True)).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(3)
    assert page.locator('[data-testid="stException"]').count() == 0
    full_screenshot(page, screenshots_dir / f"pianificazione-roofs-{lang}.png")
