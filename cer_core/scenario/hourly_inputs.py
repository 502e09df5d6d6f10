"""The hourly series a simulation starts from: plant production, member consumption, prices.

Production per kWp and consumption profiles are cached per geometry / profile and year.
"""

from __future__ import annotations

import numpy as np

from cer_core.calendar import year_index
from cer_core.scenario.inputs import MemberGroup, Plant, Scenario

_WEATHER: dict = {}


_PV: dict = {}


_PROFILES: dict = {}


def _weather(lat: float, lon: float, online: bool):
    from cer_core.weather import load_weather

    key = (round(lat, 4), round(lon, 4), online)
    if key not in _WEATHER:
        _WEATHER[key] = load_weather(lat, lon, online=online)
    return _WEATHER[key]


def _production_per_kwp(plant: Plant, scenario: Scenario) -> np.ndarray:
    """Hourly production of 1 kWp with the plant's geometry (cached per geometry and year)."""
    from cer_core.pv import PVSystemSpec, hourly_production_kwh

    weather = _weather(scenario.latitude, scenario.longitude, scenario.online_weather)
    key = (
        weather.source_label,
        scenario.latitude,
        scenario.longitude,
        scenario.year,
        plant.surface_tilt,
        plant.surface_azimuth,
        plant.losses_pct,
        plant.shading_pct,
    )
    if key not in _PV:
        if len(_PV) > 256:
            _PV.clear()
        spec = PVSystemSpec(
            kwp=1.0,
            surface_tilt=plant.surface_tilt,
            surface_azimuth=plant.surface_azimuth,
            losses_pct=plant.losses_pct,
            shading_pct=plant.shading_pct,
        )
        _PV[key] = hourly_production_kwh(spec, weather, scenario.year)
    return _PV[key]


def plant_production_kwh(plant: Plant, scenario: Scenario) -> np.ndarray:
    """Year-1 hourly production of a plant [kWh] (its own series or pvlib, cached)."""
    n = len(year_index(scenario.year))
    if plant.production_kwh is not None:
        if len(plant.production_kwh) != n:
            from cer_core.profiles import fit_to_year

            return fit_to_year(plant.production_kwh, scenario.year, f"plants[{plant.name}].csv")
        return plant.production_kwh
    return _production_per_kwp(plant, scenario) * plant.kwp


def member_consumption_kwh(group: MemberGroup, year: int) -> np.ndarray:
    """Hourly consumption of ONE member of the group [kWh] (profile cached)."""
    n = len(year_index(year))
    if group.consumption_kwh is not None:
        if len(group.consumption_kwh) != n:
            from cer_core.profiles import fit_to_year

            return fit_to_year(group.consumption_kwh, year, f"members[{group.name}].csv")
        return group.consumption_kwh
    from cer_core.profiles import profile_kwh

    key = (group.profile, group.annual_kwh, group.f_bands_kwh, year)
    if key not in _PROFILES:
        if len(_PROFILES) > 512:
            _PROFILES.clear()
        _PROFILES[key] = profile_kwh(group.profile, group.annual_kwh, year, group.f_bands_kwh)
    return _PROFILES[key]


def _prices(scenario: Scenario) -> tuple[np.ndarray, str]:
    from cer_core import prices as pr
    from cer_core.profiles import fit_to_year

    if scenario.prices_eur_per_mwh is not None:
        values = fit_to_year(scenario.prices_eur_per_mwh, scenario.year, "prices.csv")
        label = "own hourly price series (CSV)"
    else:
        values = fit_to_year(
            pr.load_zonal_prices(scenario.price_year, "NORD"), scenario.year, "prices.year"
        )
        label = f"GME MGP hourly NORD {scenario.price_year}"
    if scenario.price_mean_eur_per_mwh is not None:
        values = pr.scale_to_mean(values, scenario.price_mean_eur_per_mwh)
        label += f", scaled to a mean of {scenario.price_mean_eur_per_mwh:g} €/MWh"
    return np.asarray(values, dtype=float), label
