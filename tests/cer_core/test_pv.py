"""PV production: yield, time alignment, azimuth convention, validation, caching."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
import pytest

from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.pv import (
    PVSystemSpec,
    hourly_production_kwh,
    kwp_from_roof_area,
    specific_yield_kwh_per_kwp,
)
from cer_core.weather import WeatherYear, load_weather

MILAN = (45.4642, 9.19)


@pytest.fixture(scope="module")
def milan():
    return load_weather(*MILAN)


def test_milan_south_30_yield_is_in_the_pvgis_range(milan):
    energy = hourly_production_kwh(PVSystemSpec(kwp=1.0), milan, 2023)
    assert len(energy) == 8760
    assert 1200 <= energy.sum() <= 1400  # PVGIS for Milan ≈ 1,310 kWh/kWp
    assert energy.min() >= 0
    assert energy.max() < 1.0 / 1.1 + 1e-9  # never above the inverter's AC rating
    assert len(hourly_production_kwh(PVSystemSpec(kwp=1.0), milan, 2024)) == 8784


def test_production_is_linear_in_kwp(milan):
    one = hourly_production_kwh(PVSystemSpec(kwp=1.0), milan, 2023)
    fifty = hourly_production_kwh(PVSystemSpec(kwp=50.0), milan, 2023)
    np.testing.assert_allclose(fifty, 50 * one)
    fifty[0] = 99  # callers get their own array, the cache is not touched
    assert hourly_production_kwh(PVSystemSpec(kwp=1.0), milan, 2023)[0] == one[0]


def _july_profile(energy, year=2023):
    series = pd.Series(energy, index=year_index(year))
    july = series[series.index.month == 7]
    return july.groupby(july.index.hour).mean()


def _solar_noon_local_hours(latitude, longitude):
    times = pd.date_range("2023-07-15", periods=24 * 60, freq="min", tz="Europe/Rome")
    sun = pvlib.solarposition.get_solarposition(times, latitude, longitude)
    noon = sun["apparent_elevation"].idxmax()
    return noon.hour + noon.minute / 60


def test_july_profile_peaks_in_the_hour_of_local_solar_noon(milan):
    noon = _solar_noon_local_hours(*MILAN)
    assert 13 < noon < 14  # ≈ 13:29 CEST
    profile = _july_profile(hourly_production_kwh(PVSystemSpec(kwp=1.0), milan, 2023))
    assert profile.idxmax() == int(noon)
    # energy-weighted centre of the July day (hour centres) within 15 min of solar noon
    centre = ((profile.index + 0.5) * profile).sum() / profile.sum()
    assert abs(centre - noon) < 0.25


def test_clear_sky_year_peaks_at_solar_noon_and_is_symmetric():
    """A clear-sky weather year isolates the time convention from the TMY's clouds."""
    times = pd.date_range("2023-01-01", periods=8760, freq="h", tz="UTC")
    location = pvlib.location.Location(*MILAN, altitude=120)
    clear = location.get_clearsky(times + pd.Timedelta(minutes=30))
    data = pd.DataFrame(
        {"ghi": clear["ghi"].to_numpy(), "dni": clear["dni"].to_numpy(),
         "dhi": clear["dhi"].to_numpy(), "temp_air": 20.0, "wind_speed": 1.0},
        index=times,
    )  # fmt: skip
    weather = WeatherYear(data, *MILAN, "clear sky", irradiance_time_offset_h=0.5)
    profile = _july_profile(hourly_production_kwh(PVSystemSpec(kwp=1.0), weather, 2023))
    noon = _solar_noon_local_hours(*MILAN)
    assert profile.idxmax() == int(noon)
    centre = ((profile.index + 0.5) * profile).sum() / profile.sum()
    assert abs(centre - noon) < 0.1
    # in January (CET) the peak moves one hour earlier on the clock
    series = pd.Series(hourly_production_kwh(PVSystemSpec(kwp=1.0), weather, 2023),
                       index=year_index(2023))  # fmt: skip
    january = series[series.index.month == 1]
    assert january.groupby(january.index.hour).mean().idxmax() == 12


def test_azimuth_convention_end_to_end(milan):
    def yield_at(azimuth):
        spec = PVSystemSpec(kwp=1.0, surface_azimuth=azimuth)
        return specific_yield_kwh_per_kwp(spec, milan, 2023)

    south, east, west, north = yield_at(180), yield_at(90), yield_at(270), yield_at(0)
    assert south > east
    assert south > west
    assert east > north
    assert west > north
    assert north < 0.65 * south  # azimuth 0 is north, never south
    assert yield_at(360) == pytest.approx(north)
    # east-facing panels produce earlier in the day than west-facing ones
    east_july = _july_profile(
        hourly_production_kwh(PVSystemSpec(1.0, surface_azimuth=90), milan, 2023)
    )
    west_july = _july_profile(
        hourly_production_kwh(PVSystemSpec(1.0, surface_azimuth=270), milan, 2023)
    )
    assert east_july.idxmax() < 13 < west_july.idxmax()


def test_losses_and_shading_reduce_yield(milan):
    base = specific_yield_kwh_per_kwp(PVSystemSpec(kwp=1), milan, 2023)
    assert specific_yield_kwh_per_kwp(PVSystemSpec(kwp=1, losses_pct=0), milan, 2023) > base
    shaded = specific_yield_kwh_per_kwp(PVSystemSpec(kwp=1, shading_pct=10), milan, 2023)
    assert shaded == pytest.approx(0.9 * base, rel=0.01)
    flat = specific_yield_kwh_per_kwp(PVSystemSpec(kwp=1, surface_tilt=0), milan, 2023)
    assert flat < base


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kwp": -3}, "kwp"),
        ({"kwp": 0}, "kwp"),
        ({"kwp": 5000}, "kwp"),
        ({"kwp": float("nan")}, "kwp"),
        ({"kwp": "ten"}, "kwp"),
        ({"kwp": 10, "surface_tilt": 120}, "surface_tilt"),
        ({"kwp": 10, "surface_azimuth": -10}, "surface_azimuth"),
        ({"kwp": 10, "surface_azimuth": 400}, "surface_azimuth"),
        ({"kwp": 10, "losses_pct": 70}, "losses_pct"),
    ],
)
def test_bad_specs_name_the_field(kwargs, field):
    with pytest.raises(InputError) as info:
        PVSystemSpec(**kwargs)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")


def test_error_message_gives_the_range():
    with pytest.raises(InputError, match=r"kwp: must be more than 0 up to 1,000 kWp"):
        PVSystemSpec(kwp=5000)


def test_roof_area():
    assert kwp_from_roof_area(100) == pytest.approx(20.0)
    assert kwp_from_roof_area(100, kwp_per_m2=0.1) == pytest.approx(10.0)
    with pytest.raises(InputError, match="area_m2"):
        kwp_from_roof_area(-5)


def test_leap_day_reuses_the_28th_of_february(milan):
    series = pd.Series(
        hourly_production_kwh(PVSystemSpec(kwp=1.0), milan, 2024), index=year_index(2024)
    )
    feb28, feb29 = series["2024-02-28"].to_numpy(), series["2024-02-29"].to_numpy()
    assert feb28.sum() > 0
    # same weather, sun one day later: within 2 %
    assert feb29.sum() == pytest.approx(feb28.sum(), rel=0.02)
