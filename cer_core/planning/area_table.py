"""The GSE area codes known around Milan and the per-area indicators (``data/planning/``).

Built by ``scripts/build_planning.py``; see ``data/SOURCES.md``. The area codes are GSE's
*aree convenzionali* (one per cabina primaria); the market zone of all of them is NORD.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from cer_core.geo.areas import to_metric
from cer_core.paths import DataFileError, data_file

MILAN_DISTRIBUTOR = "Unareti"
"""Milan's distribution network is Unareti's: points inside the Comune get Unareti areas."""

AREAS_FILE = "gse_areas.csv"
POPULATION_FILE = "areas_population.csv"
SCHOOLS_FILE = "public_roofs_schools.csv"


def _read(name: str, required: tuple[str, ...]) -> pd.DataFrame:
    path = data_file("planning", name)
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataFileError(path, f"not a readable CSV file ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataFileError(path, f"missing columns {', '.join(missing)}")
    return frame


@cache
def load_gse_areas() -> pd.DataFrame:
    """One row per area: ``area_code``, ``distributor``, ``centre_lat``, ``centre_lon`` [deg],
    ``centre_in_milan``, ``market_zone``, ``configuration`` (pilot id or empty),
    ``configuration_inferred``, ``source``."""
    frame = _read(AREAS_FILE, ("area_code", "market_zone", "centre_lat", "centre_lon"))
    frame["configuration"] = frame["configuration"].fillna("")
    return frame


def market_zones() -> dict[str, str]:
    """``{area_code: market zone}`` for every known area."""
    frame = load_gse_areas()
    return dict(zip(frame["area_code"], frame["market_zone"], strict=True))


@cache
def load_area_population() -> pd.DataFrame:
    """Per area: residents, households, one-person households and heat indicators (see the
    build script for how each is apportioned)."""
    return _read(POPULATION_FILE, ("area_code", "residents", "households"))


@cache
def load_public_roofs() -> pd.DataFrame:
    """Schools inside Milan (public-roof layer): code, name, address, lat, lon, area_code."""
    return _read(SCHOOLS_FILE, ("code", "name", "lat", "lon", "area_code"))


def area_overview() -> pd.DataFrame:
    """The table the Pianificazione page shows: every area with residents, with its centre, the
    serving configuration (pilot id, empty when none) and the schools counted in it."""
    areas = load_gse_areas()[
        ["area_code", "distributor", "centre_lat", "centre_lon", "market_zone"]
    ]
    population = load_area_population().drop(columns=["configuration"], errors="ignore")
    table = population.merge(areas, on="area_code", how="left")
    served = load_gse_areas().set_index("area_code")["configuration"]
    table["configuration"] = table["area_code"].map(served).fillna("")
    if "schools" not in table.columns:
        table["schools"] = 0
    return table


def nearest_area_code(lat, lon, areas: pd.DataFrame | None = None) -> np.ndarray:
    """GSE area code of each point [deg]: the **nearest area centre** (provisional estimate).

    Every point of the planning tables gets its area here, and only here, so that the official
    area estimate (point in the GSE area polygon, :mod:`cer_core.geo`) can replace this rule in
    one place. The centres are 1-4 km from the districts their areas serve: near a border the
    answer can be wrong.

    Parameters
    ----------
    lat, lon : array_like
        WGS84 [deg].
    areas : pandas.DataFrame, optional
        ``area_code``, ``centre_lat``, ``centre_lon``; default: Milan's Unareti areas of
        :func:`load_gse_areas`.

    Returns
    -------
    numpy.ndarray of str
    """
    if areas is None:
        table = load_gse_areas()
        areas = table[table["distributor"].str.contains(MILAN_DISTRIBUTOR)]
    px, py = to_metric(np.atleast_1d(np.asarray(lon, float)), np.atleast_1d(np.asarray(lat, float)))
    cx, cy = to_metric(areas["centre_lon"].to_numpy(), areas["centre_lat"].to_numpy())
    d2 = (px[:, None] - cx[None, :]) ** 2 + (py[:, None] - cy[None, :]) ** 2
    return areas["area_code"].to_numpy()[np.argmin(d2, axis=1)]
