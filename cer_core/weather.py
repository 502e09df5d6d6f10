"""Typical meteorological years (TMY) for PV simulation.

The embedded default is the PVGIS TMY for 45.000 N 8.000 E (SARAH3/ERA5, 2005-2023), about 100 km
west of Milan in the same Po-valley climate; online, the PVGIS TMY for the exact site is fetched,
cached on disk and, if the service fails, replaced by the embedded year with a visible note.
Weather is always in UTC; :mod:`cer_core.pv` converts it once to the local settlement calendar.

Data: PVGIS © European Union, JRC.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from cer_core.bounds import LATITUDE_DEG, LONGITUDE_DEG, MILAN_CENTRE_DEG, near_milan
from cer_core.io import pvgis
from cer_core.notices import notice

MILAN_LATITUDE, MILAN_LONGITUDE = MILAN_CENTRE_DEG
"""Milan, Piazza del Duomo [°N], [°E] (``bounds.MILAN_CENTRE_DEG``)."""
WEATHER_COLUMNS = pvgis.COLUMNS
ATTRIBUTION = "PVGIS © European Union, JRC"
"""Credit to show wherever PVGIS weather or results derived from it appear."""


@dataclass(frozen=True, eq=False)
class WeatherYear:
    """One typical year of hourly weather for a PV site.

    Attributes
    ----------
    data : pandas.DataFrame
        8,760 hourly rows on a UTC index (a TMY mixes months of different years) with pvlib
        columns ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``wind_speed`` [m/s].
    latitude, longitude : float
        The PV site [°] used for the solar geometry (the weather itself may come from a
        stand-in location, see ``source_label``).
    source_label : cer_core.notices.Notice
        Where the weather comes from, e.g. "PVGIS TMY 45.0 N 8.0 E (stand-in for Milan)" (code
        ``weather_embedded_milan``, ``weather_embedded_site`` or ``weather_online``).
    note : cer_core.notices.Notice or None
        Note (code ``weather_online_unavailable``) when the online fetch failed and the embedded
        year is used.
    irradiance_time_offset_h : float
        Offset [h] of the irradiance time stamp inside each UTC hour (PVGIS SARAH: 0.1761 h);
        the solar position is computed at ``hour start + offset``.
    """

    data: pd.DataFrame
    latitude: float
    longitude: float
    source_label: str
    note: str | None = None
    irradiance_time_offset_h: float = 0.0

    @cached_property
    def fingerprint(self) -> str:
        """Digest of the weather values and the site (the cache key of PV computations)."""
        digest = hashlib.blake2b(digest_size=16)
        digest.update(np.ascontiguousarray(self.data[list(WEATHER_COLUMNS)].to_numpy()).tobytes())
        digest.update(np.asarray(self.data.index.asi8).tobytes())
        digest.update(repr((self.latitude, self.longitude, self.irradiance_time_offset_h)).encode())
        return digest.hexdigest()

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __eq__(self, other) -> bool:
        return isinstance(other, WeatherYear) and self.fingerprint == other.fingerprint


def _check_coordinates(latitude, longitude) -> tuple[float, float]:
    return LATITUDE_DEG.check(latitude), LONGITUDE_DEG.check(longitude)


@lru_cache(maxsize=64)
def _embedded(latitude: float, longitude: float, note: str | None) -> WeatherYear:
    data, info = pvgis.read_embedded_tmy()
    tmy = {"tmy_latitude": float(info["latitude"]), "tmy_longitude": float(info["longitude"])}
    if near_milan(latitude, longitude):
        label = notice("weather_embedded_milan", **tmy)
    else:
        label = notice("weather_embedded_site", **tmy, latitude=latitude, longitude=longitude)
    return WeatherYear(
        data=data,
        latitude=latitude,
        longitude=longitude,
        source_label=label,
        note=note,
        irradiance_time_offset_h=float(info.get("irradiance_time_offset_h") or 0.0),
    )


@lru_cache(maxsize=64)
def _online(latitude: float, longitude: float, fetch) -> WeatherYear:
    data, info = pvgis.cached_or_fetched_tmy(latitude, longitude, fetch=fetch)
    return WeatherYear(
        data=data,
        latitude=latitude,
        longitude=longitude,
        source_label=notice("weather_online", latitude=latitude, longitude=longitude),
        note=None,
        irradiance_time_offset_h=float(info.get("irradiance_time_offset_h") or 0.0),
    )


def load_weather(latitude=None, longitude=None, online: bool = False, fetch=None) -> WeatherYear:
    """Typical weather year for a PV site.

    Parameters
    ----------
    latitude, longitude : float, optional
        Site [°], WGS84; default Milan (45.4642 N, 9.1900 E).
    online : bool
        False (default): the embedded PVGIS TMY (45.0 N 8.0 E, stand-in for Milan's area).
        True: the PVGIS TMY for the site, from the disk cache (``cer_core.paths.cache_dir()``) or
        downloaded with ``pvlib.iotools.get_pvgis_tmy``; on any failure, the embedded year with
        ``note`` set.
    fetch : callable, optional
        ``fetch(latitude, longitude) -> (data, info)`` replacing the download (tests).

    Returns
    -------
    WeatherYear

    Raises
    ------
    InputError
        Latitude outside -90..90 or longitude outside -180..180 [°].
    """
    latitude = MILAN_LATITUDE if latitude is None else latitude
    longitude = MILAN_LONGITUDE if longitude is None else longitude
    lat, lon = _check_coordinates(latitude, longitude)
    if not online:
        return _embedded(lat, lon, None)
    try:
        return _online(round(lat, 2), round(lon, 2), fetch)
    except Exception as exc:  # any failure of the service (network, HTTP, format) falls back
        reason = f"{type(exc).__name__}: {exc}"[:200]
        note = notice("weather_online_unavailable", latitude=lat, longitude=lon, reason=reason)
        return _embedded(lat, lon, note)
