"""Build the embedded map layers in ``data/geo/`` from the raw public files (a folder given as argument).

Writes (GeoParquet, EPSG:4326, all © Comune di Milano, CC BY 4.0 unless stated):

* ``nil.parquet`` — the 88 NIL (ds964, PGT 2030) with the Municipio each belongs to (majority of
  the Comune's own labelled points inside it; ``municipi`` lists every Municipio seen there);
* ``municipi.parquet`` — the 9 official Municipi (ds379, ``milano-municipi/municipi_ds379_wgs84
  .geojson``);
* ``boundary.parquet`` — Milan's outline (union of the NIL; official ds2841 not held);
* ``areas.parquet`` — cabina-primaria areas. No official GSE polygon is held offline, so each
  pilot configuration of ``data/configurations.toml`` gets an **indicative** area = the union of
  its reference NIL, ``official = False`` (``scripts/build_gse_areas.py`` replaces them with GSE's
  polygons where GSE's permission and internet exist);
* ``labelled_points.parquet`` — the 1,830 Comune points with ``municipio``/``id_nil`` labels,
  an independent check of the Municipio lookup.

The gazetteer is built by ``scripts/build_gazetteer.py``, the GSE area centres by
``scripts/build_area_centres.py``.

Usage: ``python scripts/build_geo.py RAW_DATA_DIR`` (the folder holding ``milano-nil/`` and
``milano-municipi/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.configurations import load_configurations  # noqa: E402
from cer_core.geo.text import display_name  # noqa: E402

CRS = "EPSG:4326"
NIL_SOURCE = "Comune di Milano, ds964 NIL vigenti PGT 2030 (CC BY 4.0)"
MUNICIPI_SOURCE = "Comune di Milano, ds379 Municipi (CC BY 4.0)"
DISTRIBUTOR = "Unareti S.p.A. (⚠ distributor for Milan per press reports, to be confirmed on GSE)"


def build(shared: Path, out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    nil = gpd.read_file(shared / "milano-nil" / "nil_pgt2030.geojson").to_crs(CRS)
    nil = nil.rename(columns={"ID_NIL": "id_nil", "NIL": "nil"})[["id_nil", "nil", "geometry"]]
    nil["id_nil"] = nil["id_nil"].astype(int)
    points = pd.read_csv(shared / "milano-municipi" / "labelled_points_municipio_nil.csv")
    points = points.rename(columns={"ID_NIL": "id_nil"})

    # NIL -> Municipio: majority of the Comune's labels inside; NIL without points: nearest points.
    counts = points.groupby(["id_nil", "municipio"]).size().unstack(fill_value=0)
    majority = counts.idxmax(axis=1)
    seen = counts.apply(lambda row: ",".join(str(m) for m in row.index[row > 0]), axis=1)
    metric = nil.to_crs("EPSG:32632")
    pts = gpd.GeoDataFrame(
        points, geometry=gpd.points_from_xy(points.lon, points.lat), crs=CRS
    ).to_crs("EPSG:32632")
    for idx in nil.index[~nil.id_nil.isin(majority.index)]:
        near = pts.distance(metric.geometry[idx].representative_point()).nsmallest(5).index
        majority.loc[nil.id_nil[idx]] = points.loc[near, "municipio"].mode().iloc[0]
        seen.loc[nil.id_nil[idx]] = str(majority.loc[nil.id_nil[idx]])
    nil["municipio"] = nil.id_nil.map(majority).astype(int)
    nil["municipi"] = nil.id_nil.map(seen).astype(str)
    nil["nil_name"] = nil["nil"].map(display_name)
    nil["source"] = NIL_SOURCE
    nil = nil[["id_nil", "nil", "nil_name", "municipio", "municipi", "source", "geometry"]]
    nil = nil.sort_values("id_nil").reset_index(drop=True)
    nil.to_parquet(out / "nil.parquet", index=False)

    demographics = pd.read_csv(shared / "milano-municipi" / "municipi_demographics_2025.csv")
    municipi = gpd.read_file(shared / "milano-municipi" / "municipi_ds379_wgs84.geojson")
    municipi = municipi.to_crs(CRS).rename(columns={"MUNICIPIO": "municipio"})
    municipi["municipio"] = municipi.municipio.astype(int)
    municipi = municipi.sort_values("municipio").reset_index(drop=True)
    municipi["name"] = municipi.municipio.map(lambda m: f"Municipio {m}")
    municipi["description"] = municipi.municipio.map(
        demographics.set_index("municipio")["description"]
    )
    municipi["approximate"] = False
    municipi["source"] = MUNICIPI_SOURCE
    municipi = municipi[["municipio", "name", "description", "approximate", "source", "geometry"]]
    municipi.to_parquet(out / "municipi.parquet", index=False)

    boundary = gpd.GeoDataFrame(
        {"name": ["Comune di Milano"], "source": [NIL_SOURCE + ", union of the 88 NIL"]},
        geometry=[nil.union_all().buffer(0)],
        crs=CRS,
    )
    boundary.to_parquet(out / "boundary.parquet", index=False)

    rows = []
    as_of = _configurations_as_of()
    for config in load_configurations():
        polygons = nil[nil.id_nil.isin(config.nil_ids)]
        nil_list = ", ".join(f"{n} {nil.set_index('id_nil').nil_name[n]}" for n in config.nil_ids)
        rows.append(
            {
                "code": config.gse_area_code or f"IND-CP{config.cp_number:02d}",
                "name": f"CP {config.cp_number} {config.name}",
                "distributor": DISTRIBUTOR,
                "source": f"indicativo: NIL {nil_list} (Comune di Milano ds964, CC BY 4.0); "
                "not a GSE polygon",
                "as_of": as_of,
                "official": False,
                "configuration": config.id,
                "cp_number": config.cp_number,
                "status": config.status,
                "geometry": polygons.union_all().buffer(0),
            }
        )
    areas = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    areas.to_parquet(out / "areas.parquet", index=False)

    labelled = points[["lat", "lon", "municipio", "id_nil", "kind"]].copy()
    labelled.to_parquet(out / "labelled_points.parquet", index=False)

    return {
        "nil": len(nil),
        "municipi": len(municipi),
        "areas": len(areas),
        "labelled_points": len(labelled),
    }


def _configurations_as_of() -> str:
    import tomllib

    with (REPO / "data" / "configurations.toml").open("rb") as handle:
        return str(tomllib.load(handle).get("as_of", ""))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/build_geo.py RAW_DATA_DIR")
    shared_dir = Path(sys.argv[1])
    for name, count in build(shared_dir, REPO / "data" / "geo").items():
        print(f"{name}: {count} rows")
