"""Calcolatore in headless Chromium: fill the form, cards and charts appear, screenshots in both
languages and at phone width, and the link reproduces the estimate.

How long an update takes in the browser is measured by ``benchmarks/bench_browser.py``, not here."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.i18n import translate
from tests.e2e.helpers import full_screenshot, open_page, page_url, rerun

pytestmark = pytest.mark.e2e

METRIC = '[data-testid="stMetric"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'


def _open(page, base: str, lang: str, query: str = "") -> None:
    url = page_url(base, "calcolatore", f"lang={lang}{'&' + query if query else ''}")
    open_page(page, url, translate(lang, "calcolatore.title"))


def _metric(page, label: str) -> str:
    card = page.locator(METRIC).filter(has_text=label).first
    return card.locator(METRIC_VALUE).inner_text()


def _number_input(page, label: str):
    return page.get_by_label(label, exact=True)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_fill_the_form_cards_and_charts(app_server, page, screenshots_dir, lang):
    page.set_viewport_size({"width": 1280, "height": 1000})
    _open(page, app_server, lang)
    tr = lambda key: translate(lang, f"calcolatore.{key}")  # noqa: E731
    expect(page.locator(METRIC)).to_have_count(5)  # consumer: 5 cards
    # where: type an address (as when arriving from the map)
    address = page.get_by_label(tr("address_label"))
    address.fill("Piazza Leonardo da Vinci 32")
    rerun(page, lambda: address.press("Enter"))
    expect(page.get_by_text("Città Studi").first).to_be_visible()
    # what: PV on my roof and join, 4.5 kWp facing south-east
    rerun(page, lambda: page.get_by_text(tr("option_pv_join"), exact=True).click())
    kwp = _number_input(page, tr("kwp_label"))
    kwp.fill("4.5")
    rerun(page, lambda: kwp.press("Enter"))
    expect(page.locator(METRIC)).to_have_count(7)
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    # monthly, typical days, cash flow (+ where): at least three charts
    expect(page.locator(".js-plotly-plot").nth(2)).to_be_attached()
    assert "scelta=pv_join" in page.url
    assert "kwp=4.5" in page.url
    assert "indirizzo=" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    full_screenshot(page, screenshots_dir / f"calcolatore-pv-join-{lang}.png")
    # the link reproduces the estimate exactly
    shown = {
        label: _metric(page, label)
        for label in (tr("m_production"), tr("m_shared"), tr("m_to_me"), tr("m_npv"))
    }
    url = page.url
    page.goto("about:blank")
    open_page(page, url, translate(lang, "calcolatore.title"))
    expect(page.locator(METRIC)).to_have_count(7)
    for label, value in shown.items():
        assert _metric(page, label) == value, label


def test_consumer_screenshot_and_validation_message(app_server, page, screenshots_dir):
    page.set_viewport_size({"width": 1280, "height": 1000})
    _open(page, app_server, "it", "scelta=pv_join&kwp=40&area=20")
    expect(page.get_by_text("40 kWp non entrano in 20 m²")).to_be_visible()
    full_screenshot(page, screenshots_dir / "calcolatore-error-it.png")
    _open(page, app_server, "it", "conf=bovisa")
    expect(page.locator(METRIC)).to_have_count(5)
    full_screenshot(page, screenshots_dir / "calcolatore-consumer-it.png")
    page.get_by_role("tab", name=translate("it", "calcolatore.tab_explain")).click()
    expect(page.get_by_text("Configurazione di riferimento.", exact=False).first).to_be_visible()
    full_screenshot(page, screenshots_dir / "calcolatore-explain-it.png")
    # the printable report, as downloaded
    page.get_by_role("tab", name=translate("it", "calcolatore.tab_download")).click()
    with page.expect_download() as info:
        page.get_by_role("button", name=translate("it", "calcolatore.dl_report")).click()
    html = open(info.value.path(), encoding="utf-8").read()
    assert "Bovisa" in html
    report = page.context.new_page()
    report.set_viewport_size({"width": 800, "height": 1100})
    report.set_content(html)
    report.screenshot(path=str(screenshots_dir / "calcolatore-report-it.png"), full_page=True)
    report.close()


@pytest.mark.parametrize("lang", ["it", "en"])
def test_phone_width(app_server, page, screenshots_dir, lang):
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, app_server, lang, "scelta=pv_join&kwp=4.5&conf=citta-studi")
    expect(page.locator(METRIC)).to_have_count(7)
    expect(page.locator(".js-plotly-plot").first).to_be_attached()
    overflow = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollWidth"
    )
    assert overflow <= 390 + 2, f"page is {overflow}px wide at 390px"
    full_screenshot(page, screenshots_dir / f"calcolatore-phone-{lang}.png", max_height=9000)


def test_phone_summary_stays_in_view_while_editing_and_follows_the_inputs(app_server, page):
    """On a phone the results sit far below the inputs: the one-line summary above them stays
    under the header while the resident scrolls to a field, and shows the new figures."""
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, app_server, "it", "scelta=pv_join&kwp=4.5&conf=citta-studi")
    summary = page.locator(".st-key-calc_summary")
    expect(summary).to_be_visible()
    before = summary.inner_text()
    field = _number_input(page, translate("it", "calcolatore.kwp_label"))
    assert field.bounding_box()["y"] > 844, "the field starts below the first screen"
    field.scroll_into_view_if_needed()
    assert 0 <= field.bounding_box()["y"] < 844, "the page scrolled to the field"
    box = summary.bounding_box()
    assert 0 <= box["y"] < 150, f"summary left the screen: y={box['y']:.0f}"
    field.fill("6")
    rerun(page, lambda: field.press("Enter"))
    expect(summary).not_to_have_text(before)
    assert summary.bounding_box()["y"] < 150
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(summary).to_be_hidden()  # on a wide screen the results sit next to the inputs
