"""No internet: PVGIS, Nominatim and the map tiles unreachable.

Every page must still work on the embedded data and say what is degraded. The network failures
are injected (a fetch that raises, a browser route that aborts), so the tests behave the same on a
machine that does have internet.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cer_core import scenario as scenario_module
from cer_core import weather
from cer_core.geo import geocode, locate
from cer_core.io import pvgis
from tests.app.apptest import run_page

REPO_ROOT = Path(__file__).resolve().parents[2]
#: A street the gazetteer knows, with a civic number it does not: the online geocoder is asked.
NOT_CONFIDENT_QUERY = "Via Rezzonico 9999"


def _no_network(*_args, **_kwargs):
    raise ConnectionError("Temporary failure in name resolution (test: no internet)")


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """PVGIS and Nominatim raise; empty download caches; online features switched on."""
    calls = {"pvgis": 0, "nominatim": 0}

    def pvgis_down(*args, **kwargs):
        calls["pvgis"] += 1
        _no_network()

    def nominatim_down(query):
        calls["nominatim"] += 1
        _no_network()

    monkeypatch.setenv("CER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv(geocode.ONLINE_ENV, "1")
    monkeypatch.setattr(pvgis, "fetch_pvgis_tmy", pvgis_down)
    monkeypatch.setattr(geocode, "_nominatim_fetch", lambda: nominatim_down)
    weather._online.cache_clear()
    geocode.default_online_geocoder.cache_clear()
    yield calls
    weather._online.cache_clear()
    geocode.default_online_geocoder.cache_clear()


def test_pvgis_down_falls_back_to_the_embedded_year_with_a_note(offline):
    year = weather.load_weather(45.48, 9.23, online=True)
    assert offline["pvgis"] == 1
    assert year.note is not None
    assert "unavailable" in year.note
    assert "embedded" in year.note
    assert year.data.shape[0] == 8760  # the embedded TMY


def test_pvgis_down_is_a_warning_of_the_simulation(offline):
    scenario = scenario_module.load_scenario(REPO_ROOT / "examples" / "cercami_bovisa.toml")
    result = scenario_module.simulate(dataclasses.replace(scenario, online_weather=True))
    assert offline["pvgis"] == 1
    assert any("PVGIS online" in w and "unavailable" in w for w in result.warnings)
    assert "unavailable" in result.weather_source
    assert result.summary()["warnings"] == list(result.warnings)


def test_a_failed_pvgis_fetch_is_not_kept_for_the_life_of_the_process(offline, monkeypatch):
    scenario = dataclasses.replace(
        scenario_module.load_scenario(REPO_ROOT / "examples" / "cercami_bovisa.toml"),
        online_weather=True,
    )
    scenario_module.simulate(scenario)
    scenario_module.simulate(scenario)
    assert offline["pvgis"] == 2  # each run asks PVGIS again, once
    # the service is back: the next run uses the site's PVGIS year, without the warning
    data, info = pvgis.read_embedded_tmy()
    monkeypatch.setattr(pvgis, "fetch_pvgis_tmy", lambda *_args, **_kwargs: (data, info))
    result = scenario_module.simulate(scenario)
    assert "unavailable" not in result.weather_source
    assert result.weather_source.startswith("PVGIS TMY 45.")
    assert not any("PVGIS online" in w for w in result.warnings)


def test_nominatim_down_answers_from_the_offline_gazetteer(offline):
    found = locate(NOT_CONFIDENT_QUERY, online=True)
    assert offline["nominatim"] == 1  # the online geocoder was tried...
    assert found.match.kind != "nominatim"  # ...and the offline answer stands
    assert "online_geocoder" not in found.warnings
    assert found.municipio in range(1, 10)


def test_map_page_works_with_nominatim_down(offline):
    at = run_page("mappa", "it", query={"indirizzo": NOT_CONFIDENT_QUERY})
    assert not at.exception
    assert offline["nominatim"] == 1
    text = " ".join(m.value for m in at.markdown)
    assert "Municipio" in text
    assert "Nominatim" not in " ".join(c.value for c in at.caption)  # not claimed as online


@pytest.mark.e2e
def test_every_page_renders_with_the_internet_blocked(app_server, browser, screenshots_dir):
    """All requests leaving loopback are aborted: pages render, the map still draws its areas."""
    from tests.e2e.helpers import TIMEOUT_MS, open_page

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    blocked: list[str] = []

    def block_outside(route):
        if route.request.url.startswith(app_server):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", block_outside)
    page = context.new_page()
    try:
        for path, heading in (
            ("", "CER Milano"),
            ("calcolatore", "Calcolatore"),
            ("trasparenza", "Trasparenza"),
            ("mappa?indirizzo=Piazza+Leonardo+da+Vinci+32", "Mappa"),
        ):
            open_page(page, f"{app_server}/{path}", heading)
        paths = page.frame_locator('iframe[src*="streamlit_folium"]').locator(
            "path.leaflet-interactive"
        )
        paths.first.wait_for(state="attached", timeout=TIMEOUT_MS)
        assert paths.count() >= 3  # areas, boundary, marker
        page.wait_for_timeout(1000)
        assert any("tile.openstreetmap.org" in url for url in blocked)  # tiles were tried
        page.screenshot(path=str(screenshots_dir / "faults-offline-map.png"))
    finally:
        context.close()
