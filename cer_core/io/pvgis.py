"""PVGIS typical meteorological years: the embedded file, the online API and a disk cache.

All functions return ``(data, info)``: ``data`` is a DataFrame on a UTC hourly index with pvlib's
column names ``ghi, dni, dhi`` [W/m²], ``temp_air`` [°C] and ``wind_speed`` [m/s]; ``info`` is a
dict with ``latitude``, ``longitude`` [°], ``elevation_m`` [m] and ``irradiance_time_offset_h`` [h]
(PVGIS's SARAH time stamp offset inside each hour) when known.

Data: PVGIS © European Union, JRC.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from cer_core.paths import DataFileError, cache_dir, data_file

COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
EMBEDDED_NAME = "pvgis_tmy_45.000_8.000"
PVGIS_URL = "https://re.jrc.ec.europa.eu/api/"
HOURS_IN_TMY = 8760

Fetch = Callable[[float, float], tuple[pd.DataFrame, dict]]


def _tidy(data: pd.DataFrame, where: str) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in data.columns]
    if missing:
        raise ValueError(f"{where}: missing columns {missing}")
    table = data.loc[:, list(COLUMNS)].astype(float)
    index = pd.DatetimeIndex(table.index)
    table.index = index.tz_localize("UTC") if index.tz is None else index.tz_convert("UTC")
    if len(table) != HOURS_IN_TMY:
        raise ValueError(f"{where}: {len(table)} hourly rows, a TMY has {HOURS_IN_TMY}")
    if not np.isfinite(table.to_numpy()).all():
        raise ValueError(f"{where}: non-numeric or missing values")
    # PVGIS writes night-time DNI as -0.0; irradiance is never negative.
    for name in ("ghi", "dni", "dhi"):
        table[name] = table[name].clip(lower=0.0)
    return table


@lru_cache(maxsize=1)
def read_embedded_tmy() -> tuple[pd.DataFrame, dict]:
    """Read the embedded PVGIS TMY (45.000 N 8.000 E, SARAH3/ERA5 2005-2023).

    Returns
    -------
    (pandas.DataFrame, dict)
        Hourly UTC weather (8,760 rows) and its location info.

    Raises
    ------
    DataFileError
        When ``data/weather/`` files are missing or unreadable.
    """
    csv_path = data_file("weather", f"{EMBEDDED_NAME}.csv.gz")
    meta_path = data_file("weather", f"{EMBEDDED_NAME}.json")
    try:
        table = pd.read_csv(csv_path, index_col="time_utc")
        table.index = pd.to_datetime(table.index, utc=True)
        info = json.loads(meta_path.read_text(encoding="utf-8"))
        return _tidy(table, csv_path.name), info
    except (ValueError, KeyError, OSError) as exc:
        raise DataFileError(csv_path, str(exc)) from exc


def parse_pvgis_tmy_json(source) -> tuple[pd.DataFrame, dict]:
    """Parse a PVGIS TMY API JSON response (``outputformat=json``).

    Parameters
    ----------
    source : str, pathlib.Path, file-like or dict
        The JSON file, an open text buffer, or the already decoded JSON.

    Returns
    -------
    (pandas.DataFrame, dict)
        Weather with pvlib names on a UTC index (any number of rows) and location info.
    """
    import pvlib

    if isinstance(source, dict):
        source = io.StringIO(json.dumps(source))
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8") as handle:
            data, meta = pvlib.iotools.read_pvgis_tmy(handle, pvgis_format="json")
    else:
        data, meta = pvlib.iotools.read_pvgis_tmy(source, pvgis_format="json")
    return data, _info_from_meta(meta)


def _info_from_meta(meta) -> dict:
    location = (meta or {}).get("inputs", {}).get("location", {}) if isinstance(meta, dict) else {}
    return {
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "elevation_m": location.get("elevation"),
        "irradiance_time_offset_h": location.get("irradiance_time_offset"),
    }


def fetch_pvgis_tmy(latitude: float, longitude: float, timeout: float = 20.0):
    """Download the PVGIS TMY for a site (network; ``pvlib.iotools.get_pvgis_tmy``).

    Parameters
    ----------
    latitude, longitude : float
        Site [°], WGS84.
    timeout : float
        HTTP timeout [s].

    Returns
    -------
    (pandas.DataFrame, dict)
        Hourly UTC weather (8,760 rows) and location info.
    """
    import pvlib

    data, meta = pvlib.iotools.get_pvgis_tmy(
        latitude, longitude, outputformat="json", map_variables=True, url=PVGIS_URL,
        timeout=timeout, coerce_year=None,
    )  # fmt: skip
    return data, _info_from_meta(meta)


def _cache_paths(latitude: float, longitude: float) -> tuple[Path, Path]:
    stem = f"pvgis_tmy_{latitude:.2f}_{longitude:.2f}"
    folder = cache_dir()
    return folder / f"{stem}.csv.gz", folder / f"{stem}.json"


def cached_or_fetched_tmy(
    latitude: float, longitude: float, fetch: Fetch | None = None
) -> tuple[pd.DataFrame, dict]:
    """The PVGIS TMY for a site from the disk cache, or fetched and then cached.

    Coordinates are rounded to 0.01° (≈1 km, finer than PVGIS's radiation grid) for the cache.

    Parameters
    ----------
    latitude, longitude : float
        Site [°].
    fetch : callable, optional
        ``fetch(latitude, longitude) -> (data, info)``; default :func:`fetch_pvgis_tmy`.
        Injected by tests.

    Returns
    -------
    (pandas.DataFrame, dict)

    Raises
    ------
    Exception
        Whatever the fetch raises, or ``ValueError`` when the answer is not a full TMY.
    """
    lat, lon = round(float(latitude), 2), round(float(longitude), 2)
    csv_path, meta_path = _cache_paths(lat, lon)
    if csv_path.is_file() and meta_path.is_file():
        try:
            table = pd.read_csv(csv_path, index_col="time_utc")
            table.index = pd.to_datetime(table.index, utc=True)
            return _tidy(table, csv_path.name), json.loads(meta_path.read_text("utf-8"))
        except (ValueError, KeyError, OSError):
            pass  # a broken cache entry is fetched again
    data, info = (fetch or fetch_pvgis_tmy)(lat, lon)
    table = _tidy(data, f"PVGIS TMY for {lat:.2f}, {lon:.2f}")
    info = {**dict(info or {}), "fetched_for": [lat, lon]}
    out = table.copy()
    out.index = out.index.strftime("%Y-%m-%dT%H:%MZ")
    out.index.name = "time_utc"
    try:
        tmp = csv_path.with_name(csv_path.name + ".tmp")
        out.to_csv(tmp, float_format="%.2f", compression="gzip")
        tmp.replace(csv_path)
        meta_path.write_text(json.dumps(info), encoding="utf-8")
    except OSError:
        pass  # an unwritable cache only costs a new download next time
    return table, info
