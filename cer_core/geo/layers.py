"""Load the embedded map layers (GeoParquet, EPSG:4326) from ``data/geo/``.

Each loader reads one file and returns a GeoDataFrame; callers cache (the app with
``st.cache_resource``, the command line once per process). Built by ``scripts/build_geo.py``.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from cer_core.paths import DataFileError, data_file

#: Coordinate reference system of every layer: WGS84 longitude/latitude [deg].
CRS = "EPSG:4326"
#: Metric CRS used for distances (UTM 32 N, covers Milan) [m].
METRIC_CRS = "EPSG:32632"

AREA_COLUMNS = (
    "code",
    "name",
    "distributor",
    "source",
    "as_of",
    "official",
    "configuration",
    "cp_number",
    "status",
)


def _read_table(name: str) -> pd.DataFrame:
    path = data_file("geo", name)
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise DataFileError(path, f"not a readable Parquet file ({exc})") from exc


def _read_geo(name: str) -> gpd.GeoDataFrame:
    path = data_file("geo", name)
    try:
        frame = gpd.read_parquet(path)
    except Exception as exc:  # pyarrow/geopandas raise several types for a bad file
        raise DataFileError(path, f"not a readable GeoParquet file ({exc})") from exc
    return frame.to_crs(CRS) if frame.crs and frame.crs != CRS else frame


def load_nil() -> gpd.GeoDataFrame:
    """The 88 NIL polygons: ``id_nil``, ``nil`` (official name), ``nil_name`` (display name),
    ``municipio`` (majority Municipio of the Comune's labelled points, int 1-9),
    ``municipi`` (every Municipio seen in the NIL, e.g. "2,3"), ``geometry``."""
    return _read_geo("nil.parquet")


def load_municipi() -> gpd.GeoDataFrame:
    """The 9 official Municipi (ds379): ``municipio`` (int 1-9), ``name``, ``description``,
    ``approximate`` (False), ``source``, ``geometry``."""
    return _read_geo("municipi.parquet")


def load_boundary() -> gpd.GeoDataFrame:
    """Milan's outline (one polygon, derived from the union of the NIL)."""
    return _read_geo("boundary.parquet")


def load_areas() -> gpd.GeoDataFrame:
    """Cabina-primaria areas: see :data:`AREA_COLUMNS`; ``official`` is False for indicative areas."""
    return _read_geo("areas.parquet")


def load_labelled_points() -> pd.DataFrame:
    """The Comune's points labelled with Municipio and NIL (``lat``, ``lon``, ``municipio``,
    ``id_nil``), used to estimate the Municipio inside NIL split between two Municipi."""
    return _read_table("labelled_points.parquet")


def load_gazetteer() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The offline gazetteer: (streets and places, civic numbers); columns in
    :mod:`cer_core.geo.gazetteer`."""
    return _read_table("gazetteer_streets.parquet"), _read_table("gazetteer_civici.parquet")


def load_area_centres() -> pd.DataFrame:
    """GSE area codes with the centre point of each area (``code``, ``operator``, ``lat``,
    ``lon`` [deg], ``milan_distributor``), for the estimated area."""
    return _read_table("area_centres.parquet")
