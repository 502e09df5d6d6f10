"""The hourly series a simulation starts from: plant production, member consumption, prices.

Two bounded caches, each an ``functools.lru_cache`` one can inspect (``cache_info()``) and empty
(``cache_clear()``): production of 1 kWp per weather year, settlement year and geometry
(:data:`PV_CACHE_ENTRIES`), and the hourly profile of one member per profile, annual kWh, bands
and year (:data:`PROFILE_CACHE_ENTRIES`). Weather years are cached by :mod:`cer_core.weather`
itself, successful downloads only: when the online PVGIS year is unavailable the embedded year is
used with a note, and the next simulation tries PVGIS again.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from cer_core import prices as price_data
from cer_core.calendar import year_index
from cer_core.notices import Notice, notice
from cer_core.profiles import fit_to_year, profile_kwh
from cer_core.pv import PVSystemSpec, hourly_production_kwh
from cer_core.scenario.inputs import MemberGroup, Plant, Scenario
from cer_core.weather import WeatherYear, load_weather

PV_CACHE_ENTRIES = 64
"""Most geometries kept [entries] (~70 kB each: 8,760 float64); the calculator's user changes
tilt, azimuth or shading a few times, the reference configurations use a handful."""
PROFILE_CACHE_ENTRIES = 128
"""Most member profiles kept [entries] (~70 kB each); every new annual kWh the calculator sees
is one entry, so the bound keeps a busy server's memory flat."""


def weather_year(latitude: float, longitude: float, online: bool) -> WeatherYear:
    """The weather year of a site (embedded, or the PVGIS year when ``online``).

    Parameters
    ----------
    latitude, longitude : float
        Site [°].
    online : bool
        Fetch the PVGIS year for the site (falls back to the embedded year with a note).
    """
    return load_weather(latitude, longitude, online=online)


@lru_cache(maxsize=PV_CACHE_ENTRIES)
def _production_per_kwp(
    weather: WeatherYear,
    year: int,
    surface_tilt: float,
    surface_azimuth: float,
    losses_pct: float,
    shading_pct: float,
) -> np.ndarray:
    """Hourly production of 1 kWp [kWh] (read-only: it is shared by every caller)."""
    spec = PVSystemSpec(
        kwp=1.0,
        surface_tilt=surface_tilt,
        surface_azimuth=surface_azimuth,
        losses_pct=losses_pct,
        shading_pct=shading_pct,
    )
    values = np.asarray(hourly_production_kwh(spec, weather, year), dtype=float)
    values.flags.writeable = False
    return values


def plant_production_kwh(
    plant: Plant, scenario: Scenario, weather: WeatherYear | None = None
) -> np.ndarray:
    """Year-1 hourly production of a plant [kWh] (its own series, or pvlib per kWp, cached).

    Parameters
    ----------
    plant : Plant
    scenario : Scenario
        Settlement year and site.
    weather : WeatherYear, optional
        The scenario's weather year when already loaded (one load per simulation, so a failed
        online fetch is tried once); loaded here if needed and not given.
    """
    n = len(year_index(scenario.year))
    if plant.production_kwh is not None:
        if len(plant.production_kwh) != n:
            return fit_to_year(plant.production_kwh, scenario.year, f"plants[{plant.name}].csv")
        return plant.production_kwh
    if weather is None:
        weather = weather_year(scenario.latitude, scenario.longitude, scenario.online_weather)
    per_kwp = _production_per_kwp(
        weather,
        scenario.year,
        plant.surface_tilt,
        plant.surface_azimuth,
        plant.losses_pct,
        plant.shading_pct,
    )
    return per_kwp * plant.kwp


@lru_cache(maxsize=PROFILE_CACHE_ENTRIES)
def _profile(profile: str, annual_kwh: float, f_bands_kwh: tuple | None, year: int) -> np.ndarray:
    """Hourly consumption of one member [kWh] (read-only: it is shared by every caller)."""
    values = np.asarray(profile_kwh(profile, annual_kwh, year, f_bands_kwh), dtype=float)
    values.flags.writeable = False
    return values


def member_consumption_kwh(group: MemberGroup, year: int) -> np.ndarray:
    """Hourly consumption of ONE member of the group [kWh] (profile cached, read-only).

    Parameters
    ----------
    group : MemberGroup
    year : int
        Settlement year.
    """
    n = len(year_index(year))
    if group.consumption_kwh is not None:
        if len(group.consumption_kwh) != n:
            return fit_to_year(group.consumption_kwh, year, f"members[{group.name}].csv")
        return group.consumption_kwh
    return _profile(group.profile, group.annual_kwh, group.f_bands_kwh, year)


def prices_eur_per_mwh(scenario: Scenario) -> tuple[np.ndarray, Notice]:
    """Hourly zonal price of the settlement year [€/MWh] and a label saying which series
    (a notice: code ``prices_own_csv``, ``prices_gme`` or ``prices_scaled``).

    Parameters
    ----------
    scenario : Scenario
        Its own series, or the embedded GME NORD year, optionally scaled to an annual mean.
    """
    if scenario.prices_eur_per_mwh is not None:
        values = fit_to_year(scenario.prices_eur_per_mwh, scenario.year, "prices.csv")
        label = notice("prices_own_csv")
    else:
        values = fit_to_year(
            price_data.load_zonal_prices(scenario.price_year, "NORD"), scenario.year, "prices.year"
        )
        label = notice("prices_gme", price_year=scenario.price_year)
    if scenario.price_mean_eur_per_mwh is not None:
        values = price_data.scale_to_mean(values, scenario.price_mean_eur_per_mwh)
        label = notice(
            "prices_scaled", source=label, mean_eur_per_mwh=scenario.price_mean_eur_per_mwh
        )
    return np.asarray(values, dtype=float), label


def clear_caches() -> None:
    """Empty the production and profile caches (tests; after replacing data files)."""
    _production_per_kwp.cache_clear()
    _profile.cache_clear()
