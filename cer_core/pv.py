"""Hourly PV production with pvlib, on the local settlement calendar.

Chain (pvlib functions, one per step): solar position (NREL SPA) at each UTC hour start plus the
PVGIS irradiance time offset → Perez transposition onto the plane of array → Martin-Ruiz
incidence-angle losses on the beam and circumsolar parts → Faiman cell temperature → PVWatts DC
with a temperature coefficient → system losses and shading → PVWatts inverter (part-load
efficiency curve, clipping at the AC rating). The TMY (UTC, months from different years) is laid
onto the settlement year by UTC month/day/hour, 29 February reusing 28 February, and then read in
local time: the result is aligned on :func:`cer_core.calendar.year_index`.

Conventions: ``surface_azimuth`` follows pvlib — degrees clockwise from north, **180 = south**,
90 = east, 270 = west, 0 = north. Energy per hour [kWh] = mean AC power over the hour [kW] × 1 h.

Speed: production scales linearly with ``kwp`` (losses and the inverter rating scale with it), so
the per-kWp series is computed once per geometry and parameter set and cached
(``functools.lru_cache``); later calls cost one multiplication.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pvlib

from cer_core import bounds
from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.validation import number
from cer_core.weather import WeatherYear

MAX_PLANT_KWP = bounds.PLANT_KWP.high
"""Largest plant accepted [kWp] (``bounds.PLANT_KWP``: DM 414/2023 admits plants up to 1 MW)."""

DEFAULT_KWP_PER_M2 = 0.2
"""Installed power per m² of usable roof [kWp/m²] (assumption): a 2024-era 420-450 Wp
monocrystalline module covers about 2.0 m² (0.21-0.22 kWp/m² of module area); 0.2 leaves a
margin for gaps and edges on a pitched roof. Flat roofs with tilted rows need spacing against
self-shading: use about 0.1 there."""


@dataclass(frozen=True)
class PVSystemSpec:
    """A PV plant: size, orientation, losses and model parameters.

    Attributes
    ----------
    kwp : float
        Peak DC power [kWp], more than 0 and at most 1,000 (DM 414/2023 limit).
    surface_tilt : float
        Tilt from horizontal [°], 0-90. Default 30.
    surface_azimuth : float
        Azimuth [°] clockwise from north (pvlib convention): 180 = south (default), 90 = east,
        270 = west, 0 = north. 0-360.
    losses_pct : float
        System losses [%] on DC energy — cabling, mismatch, soiling, ageing at start, and the
        inverter's losses beyond its nominal efficiency. Default 14, PVGIS's default "system
        loss". 0-50.
    shading_pct : float
        Extra annual shading loss [%], 0-80. Default 0.
    gamma_pdc : float
        Temperature coefficient of power [1/°C], -0.01 to 0. Default -0.004 (crystalline silicon;
        datasheets give -0.0029 to -0.0040).
    u0, u1 : float
        Faiman heat-loss coefficients [W/(m²·°C)] and [W·s/(m³·°C)]. Defaults 25.0 and 6.84
        (pvlib's Faiman defaults, open-rack c-Si; PVGIS uses 26.9/6.2 for free-standing).
    iam_a_r : float
        Martin-Ruiz angular-loss coefficient [-]. Default 0.16 (glass-faced c-Si; PVGIS's value).
    albedo : float
        Ground reflectance [-], 0-1. Default 0.2 (urban surfaces).
    dc_ac_ratio : float
        DC peak power over inverter AC rating [-], 0.8-2. Default 1.1.
    inverter_efficiency_pct : float
        Inverter nominal (European-weighted) efficiency [%], 80-100. Default 97.
    """

    kwp: float
    surface_tilt: float = 30.0
    surface_azimuth: float = 180.0
    losses_pct: float = 14.0
    shading_pct: float = 0.0
    gamma_pdc: float = -0.004
    u0: float = 25.0
    u1: float = 6.84
    iam_a_r: float = 0.16
    albedo: float = 0.2
    dc_ac_ratio: float = 1.1
    inverter_efficiency_pct: float = 97.0

    def __post_init__(self):
        for bound in (
            bounds.PLANT_KWP,
            bounds.SURFACE_TILT_DEG,
            bounds.SURFACE_AZIMUTH_DEG,
            bounds.LOSSES_PCT,
            bounds.SHADING_PCT,
        ):
            object.__setattr__(self, bound.field, bound.check(getattr(self, bound.field)))
        # the model's own parameters (not user inputs of the pages)
        checks = (
            ("gamma_pdc", -0.01, 0.0, False, " 1/°C"),
            ("u0", 5.0, 60.0, False, " W/(m²·°C)"),
            ("u1", 0.0, 20.0, False, " W·s/(m³·°C)"),
            ("iam_a_r", 0.05, 0.5, False, ""),
            ("albedo", 0.0, 1.0, False, ""),
            ("dc_ac_ratio", 0.8, 2.0, False, ""),
            ("inverter_efficiency_pct", 80.0, 100.0, False, " %"),
        )
        for field, low, high, low_open, unit in checks:
            value = number(field, getattr(self, field), low, high, low_open=low_open, unit=unit)
            object.__setattr__(self, field, value)

    def model_key(self) -> tuple:
        """Every parameter but ``kwp`` (production per kWp depends on these)."""
        return (
            self.surface_tilt,
            self.surface_azimuth,
            self.losses_pct,
            self.shading_pct,
            self.gamma_pdc,
            self.u0,
            self.u1,
            self.iam_a_r,
            self.albedo,
            self.dc_ac_ratio,
            self.inverter_efficiency_pct,
        )


def kwp_from_roof_area(area_m2: float, kwp_per_m2: float = DEFAULT_KWP_PER_M2) -> float:
    """Peak power that fits on a usable roof area.

    Parameters
    ----------
    area_m2 : float
        Usable roof area [m²], more than 0 up to 20,000 (``bounds.ROOF_AREA_M2``).
    kwp_per_m2 : float
        Power density [kWp/m²], more than 0 up to 0.3; default :data:`DEFAULT_KWP_PER_M2`.

    Returns
    -------
    float
        Peak power [kWp].
    """
    area = bounds.ROOF_AREA_M2.check(area_m2, "area_m2")
    density = number("kwp_per_m2", kwp_per_m2, 0.0, 0.3, low_open=True, unit=" kWp/m²")
    return area * density


@lru_cache(maxsize=32)
def _tmy_rows(weather: WeatherYear, year: int) -> np.ndarray:
    """Row of the TMY for each local hour of ``year`` (matched on UTC month, day, hour)."""
    utc = year_index(year).tz_convert("UTC")
    month, day, hour = utc.month.to_numpy(), utc.day.to_numpy(), utc.hour.to_numpy()
    leap = (month == 2) & (day == 29)
    day = np.where(leap, 28, day)
    tmy = weather.data.index
    lookup = np.full(13 * 32 * 24, -1, dtype=np.int64)
    lookup[(tmy.month.to_numpy() * 32 + tmy.day.to_numpy()) * 24 + tmy.hour.to_numpy()] = np.arange(
        len(tmy)
    )
    rows = lookup[(month * 32 + day) * 24 + hour]
    if (rows < 0).any():
        missing = utc[rows < 0][0]
        raise InputError("weather", f"the weather year has no hour for UTC {missing:%m-%d %H}:00")
    return rows


@lru_cache(maxsize=32)
def _sun(latitude: float, longitude: float, year: int, offset_h: float) -> pd.DataFrame:
    times = year_index(year).tz_convert("UTC") + pd.Timedelta(hours=offset_h)
    position = pvlib.solarposition.get_solarposition(times, latitude, longitude)
    position["dni_extra"] = pvlib.irradiance.get_extra_radiation(times).to_numpy()
    position["airmass"] = pvlib.atmosphere.get_relative_airmass(
        position["apparent_zenith"]
    ).to_numpy()
    return position


@lru_cache(maxsize=64)
def _plane_of_array(weather: WeatherYear, year: int, tilt: float, azimuth: float, albedo: float):
    """Beam+circumsolar, sky diffuse and ground POA [W/m²] and the angle of incidence [°]."""
    sun = _sun(weather.latitude, weather.longitude, year, weather.irradiance_time_offset_h)
    rows = _tmy_rows(weather, year)
    zenith = sun["apparent_zenith"].to_numpy()
    up = zenith < 90.0
    ghi = weather.data["ghi"].to_numpy()[rows]
    dni = np.where(up, weather.data["dni"].to_numpy()[rows], 0.0)
    dhi = weather.data["dhi"].to_numpy()[rows]
    poa = pvlib.irradiance.get_total_irradiance(
        tilt, azimuth, zenith, sun["azimuth"].to_numpy(), dni, ghi, dhi,
        dni_extra=sun["dni_extra"].to_numpy(), airmass=sun["airmass"].to_numpy(),
        albedo=albedo, model="perez", diffuse_components=True,
    )  # fmt: skip
    aoi = pvlib.irradiance.aoi(tilt, azimuth, zenith, sun["azimuth"].to_numpy())
    circumsolar = np.nan_to_num(np.asarray(poa["poa_circumsolar"], dtype=float))
    beam = np.nan_to_num(np.asarray(poa["poa_direct"], dtype=float)) + circumsolar
    sky = np.nan_to_num(np.asarray(poa["poa_sky_diffuse"], dtype=float)) - circumsolar
    ground = np.nan_to_num(np.asarray(poa["poa_ground_diffuse"], dtype=float))
    return (
        np.clip(beam, 0, None),
        np.clip(sky, 0, None),
        np.clip(ground, 0, None),
        np.nan_to_num(np.asarray(aoi, dtype=float), nan=90.0),
        weather.data["temp_air"].to_numpy()[rows],
        weather.data["wind_speed"].to_numpy()[rows],
    )


@lru_cache(maxsize=256)
def _ac_per_kwp(weather: WeatherYear, year: int, key: tuple) -> np.ndarray:
    (tilt, azimuth, losses, shading, gamma, u0, u1, a_r, albedo, dc_ac, eta) = key
    beam, sky, ground, aoi, temp_air, wind = _plane_of_array(weather, year, tilt, azimuth, albedo)
    iam_beam = pvlib.iam.martin_ruiz(aoi, a_r=a_r)
    iam_diffuse = pvlib.iam.martin_ruiz_diffuse(tilt, a_r=a_r)
    iam_sky = float(np.nan_to_num(iam_diffuse["sky"]))
    iam_ground = float(np.nan_to_num(iam_diffuse["ground"]))
    effective = beam * iam_beam + sky * iam_sky + ground * iam_ground
    poa_global = beam + sky + ground
    temp_cell = pvlib.temperature.faiman(poa_global, temp_air, wind, u0=u0, u1=u1)
    dc_kw = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, pdc0=1.0, gamma_pdc=gamma)
    dc_kw = np.asarray(dc_kw, dtype=float) * (1 - losses / 100) * (1 - shading / 100)
    ac_rating_kw = 1.0 / dc_ac
    eta_nom = eta / 100
    ac_kw = pvlib.inverter.pvwatts(dc_kw, ac_rating_kw / eta_nom, eta_inv_nom=eta_nom)
    ac = np.clip(np.nan_to_num(np.asarray(ac_kw, dtype=float)), 0.0, None)
    energy = _hour_energy(ac, weather.irradiance_time_offset_h)
    energy.flags.writeable = False
    return energy


def _hour_energy(samples_kw: np.ndarray, offset_h: float) -> np.ndarray:
    """Energy of each hour [kWh] from instantaneous power samples [kW] taken at hour start + offset.

    PVGIS values are instantaneous satellite-time samples at ``HH:00 + offset`` (0.1761 h for
    SARAH), not hourly means. The power is interpolated linearly between samples and integrated
    over ``[HH:00, HH+1:00)``: weights ``d²/2``, ``1 - d²/2 - (1-d)²/2`` and ``(1-d)²/2`` on the
    previous, same and next sample (they sum to 1, so annual energy is preserved).
    """
    d = min(max(float(offset_h), 0.0), 1.0)
    previous, following = d * d / 2, (1 - d) * (1 - d) / 2
    return (
        previous * np.roll(samples_kw, 1)
        + (1 - previous - following) * samples_kw
        + following * np.roll(samples_kw, -1)
    )


def hourly_production_kwh(spec: PVSystemSpec, weather: WeatherYear, year: int) -> np.ndarray:
    """AC energy of a plant in each local hour of a settlement year (year 1, no degradation).

    Parameters
    ----------
    spec : PVSystemSpec
        Plant size, orientation and losses.
    weather : WeatherYear
        Typical year (UTC) and site (:func:`cer_core.weather.load_weather`).
    year : int
        Settlement year: the result is aligned on ``cer_core.calendar.year_index(year)``.

    Returns
    -------
    numpy.ndarray
        AC energy per local hour [kWh], 8,760 values (8,784 in leap years).
    """
    if not isinstance(spec, PVSystemSpec):
        raise InputError("spec", "must be a PVSystemSpec")
    year_index(year)  # validates the year
    return _ac_per_kwp(weather, int(year), spec.model_key()) * spec.kwp


def specific_yield_kwh_per_kwp(spec: PVSystemSpec, weather: WeatherYear, year: int) -> float:
    """Year-1 AC energy per installed kWp [kWh/kWp]."""
    return float(_ac_per_kwp(weather, int(year), spec.model_key()).sum())
