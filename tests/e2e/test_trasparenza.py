"""Trasparenza in headless Chromium: every view in both languages, stable URLs, downloads, phone."""

from __future__ import annotations

import csv
import io
import json

import pytest
from playwright.sync_api import expect

from app.i18n import translate
from tests.e2e.helpers import full_screenshot, open_page, page_url

pytestmark = pytest.mark.e2e

VIEWS = {
    "riepilogo": "summary_title",
    "configurazioni": "config_title",
    "municipi": "municipi_title",
    "progetti": "projects_title",
    "flussi": "flows_title",
    "energia": "energy_title",
}
CHARTS = {"configurazioni", "municipi", "flussi", "energia"}


def _open(page, base: str, lang: str, query: str = "") -> None:
    url = page_url(base, "trasparenza", f"lang={lang}{'&' + query if query else ''}")
    open_page(page, url, translate(lang, "trasparenza.title"))


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("vista", list(VIEWS))
def test_view_opens_with_demo_label_and_screenshot(app_server, page, screenshots_dir, vista, lang):
    _open(page, app_server, lang, f"vista={vista}")
    heading = translate(lang, f"trasparenza.{VIEWS[vista]}")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    demo = translate(lang, "trasparenza.demo_banner").split("**")[1]
    expect(page.get_by_text(demo)).to_be_visible()
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(6)
    if vista in CHARTS:
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert page.get_by_text("Choose an option").count() == 0  # every filter shows its value
    full_screenshot(page, screenshots_dir / f"trasparenza-{vista}-{lang}.png")


def test_projects_url_is_stable_and_filter_updates_it(app_server, page):
    _open(page, app_server, "it", "vista=progetti&municipio=3")
    assert "municipio=3" in page.url
    expect(page.get_by_text("3 progetti")).to_be_visible()
    page.get_by_role("radio", name="Riepilogo").click()
    expect(
        page.get_by_role("heading", name=translate("it", "trasparenza.summary_title"))
    ).to_be_visible()
    page.wait_for_function("() => !location.search.includes('vista=')")
    assert "municipio=" not in page.url  # the projects filter left with its view
    page.get_by_role("radio", name="Flussi di denaro").click()
    page.wait_for_function("() => location.search.includes('vista=flussi')")
    expect(
        page.get_by_role("heading", name=translate("it", "trasparenza.flows_title"))
    ).to_be_visible()


def test_csv_download_is_injection_safe_and_json_has_dictionary(app_server, page):
    _open(page, app_server, "en", "vista=progetti")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=translate("en", "trasparenza.download_csv")).click()
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5
    assert {"title", "approved_eur", "municipio", "status"} <= set(rows[0])
    assert not any(v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values() if v)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=translate("en", "trasparenza.download_json")).click()
    dataset = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert dataset["meta"]["contains_demo_data"] is True
    assert "projects" in dataset["data_dictionary"]


def test_phone_width_projects(app_server, browser, screenshots_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    _open(phone, app_server, "it", "vista=flussi")
    expect(phone.locator(".js-plotly-plot").first).to_be_visible()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 400, f"horizontal scroll on a phone: {width}px"
    full_screenshot(phone, screenshots_dir / "trasparenza-flussi-it-390px.png")
    context.close()
