"""Build the embedded map layers in ``data/geo/`` from the public files in ``../shared/data/``.

Writes (GeoParquet, EPSG:4326, all © Comune di Milano, CC BY 4.0 unless stated):

* ``nil.parquet`` — the 88 NIL (ds964, PGT 2030) with the Municipio each belongs to (majority of
  the Comune's own labelled points inside it; ``municipi`` lists every Municipio seen there);
* ``municipi.parquet`` — the 9 Municipi **approximated** by dissolving the NIL by that majority
  Municipio (the official ds379 polygons are not held offline; 16 NIL straddle two Municipi);
* ``boundary.parquet`` — Milan's outline (union of the NIL; official ds2841 not held);
* ``areas.parquet`` — cabina-primaria areas. No official GSE polygon is held offline, so each
  pilot configuration of ``data/configurations.toml`` gets an **indicative** area = the union of
  its reference NIL, ``official = False`` (``scripts/build_gse_areas.py`` replaces them with GSE's
  polygons where GSE's permission and internet exist);
* ``labelled_points.parquet`` — the 1,830 Comune points with ``municipio``/``id_nil`` labels,
  used to estimate the Municipio inside the NIL that straddle two Municipi;
* ``gazetteer.parquet`` — the offline gazetteer: the 1,107 addressed labelled points, their
  streets and crossings, the NIL names (``scripts/build_gazetteer_ds634.py`` adds every civic
  number of ds634 in production).

Usage: ``python scripts/build_geo.py [SHARED_DATA_DIR]`` (default ``../shared/data``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.configurations import load_configurations  # noqa: E402
from cer_core.geo.gazetteer import build_gazetteer_frame  # noqa: E402
from cer_core.geo.text import display_name  # noqa: E402

CRS = "EPSG:4326"
NIL_SOURCE = "Comune di Milano, ds964 NIL vigenti PGT 2030 (CC BY 4.0)"
POINTS_SOURCES = {
    "public_fountain": "Comune di Milano, Vedovelle (CC BY 4.0)",
    "ev_charging_point": "Comune di Milano, Colonnine di ricarica (CC BY 4.0)",
    "historic_shop": "Comune di Milano, DS290 Botteghe storiche 2024 (CC BY 4.0)",
}
MUNICIPI_SOURCE = (
    "approximate: NIL (ds964) dissolved by the majority Municipio of the Comune's labelled "
    "points; official polygons: ds379 (not held offline)"
)
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
    municipi = nil.dissolve(by="municipio", as_index=False)[["municipio", "geometry"]]
    municipi["geometry"] = municipi.geometry.buffer(0)
    municipi["name"] = municipi.municipio.map(lambda m: f"Municipio {m}")
    municipi["description"] = municipi.municipio.map(
        demographics.set_index("municipio")["description"]
    )
    municipi["approximate"] = True
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

    addressed = points.dropna(subset=["address"]).copy()
    addressed["source"] = addressed["kind"].map(POINTS_SOURCES)
    gazetteer = build_gazetteer_frame(
        addressed[["address", "lat", "lon", "municipio", "id_nil", "source"]], nil
    )
    gazetteer.to_parquet(out / "gazetteer.parquet", index=False)
    return {
        "nil": len(nil),
        "municipi": len(municipi),
        "areas": len(areas),
        "labelled_points": len(labelled),
        "gazetteer": len(gazetteer),
    }


def _configurations_as_of() -> str:
    import tomllib

    with (REPO / "data" / "configurations.toml").open("rb") as handle:
        return str(tomllib.load(handle).get("as_of", ""))


if __name__ == "__main__":
    shared_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data"
    for name, count in build(shared_dir, REPO / "data" / "geo").items():
        print(f"{name}: {count} rows")
