"""Mappa in headless Chromium: search an address, see the result card and the map (no tiles
needed: the areas are vector layers), screenshots in both languages and at phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.i18n import translate
from tests.e2e.helpers import TIMEOUT_MS, full_screenshot, open_page, page_url, rerun

pytestmark = pytest.mark.e2e

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
RESULT = ".st-key-mappa_result"


def _map_has_areas(page) -> None:
    """The folium iframe is there and Leaflet drew the vector areas inside it."""
    page.wait_for_selector(MAP_IFRAME, timeout=TIMEOUT_MS)
    frame = page.frame_locator(MAP_IFRAME).first
    expect(frame.locator(".leaflet-container").first).to_be_visible()
    # the map is built in a nested srcdoc iframe by streamlit-folium
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached()


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        ("it", "p.za Leonardo da Vinci 32", "Città Studi"),
        ("en", "via durando 10", "Bovisa"),
    ],
)
def test_search_shows_card_and_map(app_server, page, screenshots_dir, lang, query, expected):
    open_page(page, page_url(app_server, "mappa", f"lang={lang}"), translate(lang, "mappa.title"))
    box = page.get_by_label(translate(lang, "mappa.search_label"))
    box.fill(query)
    rerun(page, lambda: box.press("Enter"))
    card = page.locator(RESULT)
    expect(card).to_be_visible()
    expect(card).to_contain_text(expected)
    expect(card).to_contain_text(translate(lang, "mappa.indicative_badge"))
    expect(card.get_by_role("link", name=translate(lang, "mappa.next_gse"))).to_have_attribute(
        "href",
        "https://www.gse.it/servizi-per-te/autoconsumo/mappa-interattiva-delle-cabine-primarie",
    )
    assert "indirizzo=" in page.url  # shareable
    _map_has_areas(page)
    page.wait_for_timeout(800)
    full_screenshot(page, screenshots_dir / f"mappa-{lang}.png")


def test_shared_link_and_bad_input(app_server, page, screenshots_dir):
    url = page_url(app_server, "mappa", "lang=it&indirizzo=%3Cb%3Easdf%3C%2Fb%3E")
    open_page(page, url, translate("it", "mappa.title"))
    warning = page.get_by_text("Nessuna via o quartiere di Milano corrisponde")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("<b>asdf</b>")  # shown as text, never as markup
    assert page.locator("b", has_text="asdf").count() == 0
    _map_has_areas(page)


def test_phone_width(app_server, browser, screenshots_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="it-IT")
    phone = context.new_page()
    url = page_url(app_server, "mappa", "lang=it&indirizzo=Bovisa")
    open_page(phone, url, translate("it", "mappa.title"))
    expect(phone.locator(RESULT)).to_contain_text("Bovisa")
    _map_has_areas(phone)
    phone.wait_for_timeout(800)
    full_screenshot(phone, screenshots_dir / "mappa-it-390px.png")
    context.close()


def test_whole_city_with_municipi_outlines(app_server, page, screenshots_dir):
    open_page(page, page_url(app_server, "mappa", "lang=it"), translate("it", "mappa.title"))
    _map_has_areas(page)
    rerun(page, lambda: page.get_by_text(translate("it", "mappa.show_municipi")).click())
    frame = page.frame_locator(MAP_IFRAME).first
    expect(frame.get_by_text("M9", exact=True)).to_be_attached()
    page.wait_for_timeout(800)
    full_screenshot(page, screenshots_dir / "mappa-municipi-it.png")


def test_without_tiles_the_map_says_so_and_frames_milan(app_server, page, screenshots_dir):
    """Tiles blocked (as behind an office proxy): one-line notice, plain background, the whole
    city, the marker and the estimated area's centres in view, a metric scale bar clear of the
    attribution."""
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort("internetdisconnected"))
    url = page_url(app_server, "mappa", "lang=it&indirizzo=Via+Padova+10")
    open_page(page, url, translate("it", "mappa.title"))
    expect(page.locator(RESULT)).to_contain_text(translate("it", "mappa.estimate_badge"))
    _map_has_areas(page)
    frame = page.frame_locator(MAP_IFRAME).first
    notice = frame.locator(".cer-no-tiles")
    expect(notice).to_have_text(translate("it", "mappa.map_no_tiles_notice"), timeout=15_000)
    inside = (
        "el => { const r = el.getBoundingClientRect();"
        " const m = el.closest('.leaflet-container').getBoundingClientRect();"
        " return r.left >= m.left && r.right <= m.right + 1 && r.top >= m.top"
        " && r.bottom <= m.bottom + 1; }"
    )
    centre = frame.locator(".leaflet-marker-icon", has_text="AC012E00001").first
    assert centre.evaluate(inside)  # the estimated area's centre is in view...
    searched = frame.locator('path[fill="#C62828"]').first
    assert searched.evaluate(inside)  # ...with the searched point...
    outline = frame.locator('path[stroke="#555555"]').first
    assert outline.evaluate(inside)  # ...and the whole city outline
    scale = frame.locator(".leaflet-control-scale-line")
    expect(scale).to_have_count(1)  # metric only
    assert scale.first.inner_text().strip().endswith(("km", "m"))
    attribution = frame.locator(".leaflet-control-attribution").first.bounding_box()
    bar = scale.first.bounding_box()
    overlap_x = bar["x"] < attribution["x"] + attribution["width"] and attribution["x"] < (
        bar["x"] + bar["width"]
    )
    overlap_y = bar["y"] < attribution["y"] + attribution["height"] and attribution["y"] < (
        bar["y"] + bar["height"]
    )
    assert not (overlap_x and overlap_y)
    page.wait_for_timeout(500)
    full_screenshot(page, screenshots_dir / "mappa-no-tiles-it.png")


#: Where the searched-point marker(s) of the frame's window ``w`` are: [[lat, lon], ...].
MARKER_AT = """(w) => Object.values(w.map._layers)
    .filter(l => l.options && l.options.fillColor === "#C62828" && l.getLatLng)
    .map(l => [l.getLatLng().lat, l.getLatLng().lng])"""


def test_a_second_search_moves_the_marker_on_the_same_map(app_server, page):
    """A search updates the map on screen (same frame, same Leaflet map): one marker, now at
    the new place, and the earlier map state kept (a flag set in the frame survives)."""
    open_page(page, page_url(app_server, "mappa", "lang=it"), translate("it", "mappa.title"))
    box = page.get_by_label(translate("it", "mappa.search_label"))
    box.fill("Bovisa")
    rerun(page, lambda: box.press("Enter"))
    expect(page.locator(RESULT)).to_contain_text("Bovisa")
    _map_has_areas(page)
    body = page.frame_locator(MAP_IFRAME).first.locator("body")
    page.wait_for_function(
        f"() => {{ const f = document.querySelector('{MAP_IFRAME}');"
        " return f && f.contentWindow.map !== undefined; }",
        timeout=TIMEOUT_MS,
    )
    [(lat, lon)] = body.evaluate(f"() => ({MARKER_AT})(window)")
    assert (lat, lon) == pytest.approx((45.503, 9.155), abs=0.01)  # Bovisa
    body.evaluate("() => { window.cerSameMap = true; }")
    box.fill("p.za Leonardo da Vinci 32")
    rerun(page, lambda: box.press("Enter"))
    expect(page.locator(RESULT)).to_contain_text("Città Studi")
    page.wait_for_function(
        f"() => {{ const f = document.querySelector('{MAP_IFRAME}');"
        " const w = f && f.contentWindow; if (!w || !w.map) return false;"
        f" const at = ({MARKER_AT})(w); return at.length === 1 && at[0][1] > 9.2; }}",
        timeout=TIMEOUT_MS,
    )
    assert body.evaluate("() => window.cerSameMap === true")  # the same map, not a new frame
    # one marker: the old one is gone
    [(lat, lon)] = body.evaluate(f"() => ({MARKER_AT})(window)")
    assert (lat, lon) == pytest.approx((45.478, 9.227), abs=0.01)  # Città Studi
