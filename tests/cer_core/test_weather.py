"""Weather years: the embedded PVGIS TMY, the online path with cache and fallback."""

from __future__ import annotations

import pandas as pd
import pytest

from cer_core.errors import InputError
from cer_core.io import pvgis
from cer_core.weather import MILAN_LATITUDE, WeatherYear, load_weather

DATA = __import__("pathlib").Path(__file__).parents[1] / "data"


def test_embedded_tmy_is_a_utc_year_with_pvlib_names():
    weather = load_weather()
    assert isinstance(weather, WeatherYear)
    assert list(weather.data.columns) == ["ghi", "dni", "dhi", "temp_air", "wind_speed"]
    assert len(weather.data) == 8760
    assert str(weather.data.index.tz) == "UTC"
    assert weather.latitude == MILAN_LATITUDE
    assert weather.source_label == "PVGIS TMY 45.0 N 8.0 E (stand-in for Milan)"
    assert weather.note is None
    assert (weather.data[["ghi", "dni", "dhi"]] >= 0).all().all()
    # annual GHI of this TMY is 1,435.9 kWh/m² (data/SOURCES.md)
    assert weather.data["ghi"].sum() / 1000 == pytest.approx(1435.9, abs=0.5)
    assert weather.irradiance_time_offset_h == pytest.approx(0.1761)


def test_weather_is_hashable_by_content():
    a, b = load_weather(), load_weather(45.4642, 9.19)
    assert a == b
    assert hash(a) == hash(b)
    assert load_weather(41.9, 12.5) != a
    assert "41.90 N 12.50 E" in load_weather(41.9, 12.5).source_label


@pytest.mark.parametrize(("lat", "lon", "field"), [(91, 9, "latitude"), (45, -181, "longitude"),
                                                   ("x", 9, "latitude")])  # fmt: skip
def test_bad_coordinates(lat, lon, field):
    with pytest.raises(InputError) as info:
        load_weather(lat, lon)
    assert info.value.field == field


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CER_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_failed_fetch_falls_back_with_a_note(cache):
    def failing(latitude, longitude):
        raise ConnectionError("PVGIS is down")

    weather = load_weather(45.47, 9.18, online=True, fetch=failing)
    assert weather.note
    assert "unavailable" in weather.note
    assert "PVGIS is down" in weather.note
    assert weather.source_label.startswith("PVGIS TMY 45.0 N 8.0 E")
    assert len(weather.data) == 8760
    assert not list(cache.iterdir())


def test_short_answer_is_a_failure_too(cache):
    data, info = pvgis.parse_pvgis_tmy_json(DATA / "pvgis_tmy_45.000_8.000_48h.json")
    weather = load_weather(45.48, 9.17, online=True, fetch=lambda lat, lon: (data, info))
    assert weather.note
    assert "8760" in weather.note


def test_fetched_year_is_used_and_cached(cache):
    embedded, info = pvgis.read_embedded_tmy()
    brighter = embedded.copy()
    brighter["ghi"] *= 1.1
    calls = []

    def fetch(latitude, longitude):
        calls.append((latitude, longitude))
        return brighter, {**info, "latitude": latitude, "longitude": longitude}

    weather = load_weather(45.4911, 9.2022, online=True, fetch=fetch)
    assert calls == [(45.49, 9.2)]
    assert weather.note is None
    assert weather.source_label == "PVGIS TMY 45.49 N 9.20 E"
    assert weather.data["ghi"].sum() == pytest.approx(embedded["ghi"].sum() * 1.1, rel=1e-4)
    assert any(p.name.endswith(".csv.gz") for p in cache.iterdir())
    # a new process (empty memory cache) reads the disk cache without fetching
    data, _ = pvgis.cached_or_fetched_tmy(45.4911, 9.2022, fetch=lambda *a: 1 / 0)
    assert data["ghi"].sum() == pytest.approx(brighter["ghi"].sum(), rel=1e-4)


def test_pvgis_json_parsing():
    data, info = pvgis.parse_pvgis_tmy_json(DATA / "pvgis_tmy_45.000_8.000_48h.json")
    assert {"ghi", "dni", "dhi", "temp_air", "wind_speed"} <= set(data.columns)
    assert len(data) == 48
    assert data.index[12] == pd.Timestamp("2006-06-30 12:00", tz="UTC")
    assert data["ghi"].iloc[12] == 961.0
    assert data["temp_air"].iloc[12] == 33.07
    assert info["latitude"] == 45.0
    assert info["irradiance_time_offset_h"] == 0.1761


@pytest.mark.remote_data
def test_real_pvgis_fetch(cache):
    weather = load_weather(45.4642, 9.19, online=True)
    assert weather.note is None, weather.note
    assert 1300 < weather.data["ghi"].sum() / 1000 < 1600
