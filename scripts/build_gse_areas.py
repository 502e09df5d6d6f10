"""Turn GSE's official cabina-primaria polygons into the app's areas layer (``data/geo/areas.parquet``).

Run only where there is internet **and GSE's permission to redistribute** the Milan subset (GSE
states no licence for the layer; see docs/geo.md). Two steps:

1. Download (``--download``): a bounding-box query on GSE's ArcGIS service ``AC_Comuni_2025``
   (``COD_AC``, ``RAG_SOC``; ``outSR=4326``, ``f=geojson``, paged), saved as GeoJSON:

       python scripts/build_gse_areas.py --download gse_areas_milano.geojson

2. Build: clip to Milan, attach the configurations of ``data/configurations.toml`` by their
   ``gse_area_code``, mark ``official = True``, keep the indicative area of any configuration
   whose code is still unknown, write ``data/geo/areas.parquet``:

       python scripts/build_gse_areas.py gse_areas_milano.geojson --as-of 2025-11-21

Attribution on the map: "Aree convenzionali: GSE S.p.A."
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.bounds import MILAN_BBOX_DEG  # noqa: E402
from cer_core.configurations import load_configurations  # noqa: E402

SERVICE = (
    "https://services-eu1.arcgis.com/sawHMGY9o8rHlY2j/arcgis/rest/services/"
    "AC_Comuni_2025/FeatureServer/0/query"
)
MILAN_BBOX = MILAN_BBOX_DEG  # lon/lat, with a margin (cer_core.bounds)
SOURCE = "GSE S.p.A., aree convenzionali sottese alle cabine primarie (AC_Comuni_2025)"
CRS = "EPSG:4326"


def download(target: Path, page_size: int = 200) -> int:
    """Harvest the areas intersecting Milan's bounding box into one GeoJSON file."""
    import requests

    features, offset = [], 0
    west, south, east, north = MILAN_BBOX
    while True:
        params = {
            "where": "1=1",
            "geometry": f"{west},{south},{east},{north}",
            "geometryType": "esriGeometryEnvelope",
            "inSR": 4326,
            "spatialRel": "esriSpatialRelIntersects",
            "outFields": "COD_AC,RAG_SOC",
            "returnGeometry": "true",
            "outSR": 4326,
            "f": "geojson",
            "resultOffset": offset,
            "resultRecordCount": page_size,
        }
        response = requests.get(SERVICE, params=params, timeout=60)
        response.raise_for_status()
        page = response.json().get("features", [])
        features += page
        if len(page) < page_size:
            break
        offset += page_size
    target.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return len(features)


def build(
    source: Path, boundary: gpd.GeoDataFrame, current: gpd.GeoDataFrame | None, as_of: str
) -> gpd.GeoDataFrame:
    """Official areas (GSE GeoJSON with ``COD_AC``, ``RAG_SOC``) → the app's areas layer.

    Parameters
    ----------
    source : Path
        GeoJSON in GSE's shape.
    boundary : GeoDataFrame
        Milan's outline: areas not touching it are dropped; geometry is kept whole (an area can
        extend beyond the city: members outside Milan share the same cabina).
    current : GeoDataFrame or None
        The current areas layer, whose indicative rows are kept for configurations without an
        official code.
    as_of : str
        Date of GSE's publication (ISO).
    """
    raw = gpd.read_file(source)
    raw = raw.set_crs(CRS) if raw.crs is None else raw.to_crs(CRS)
    missing = {"COD_AC", "RAG_SOC"} - set(raw.columns)
    if missing:
        raise ValueError(f"{source}: GSE fields missing: {sorted(missing)}")
    bad = raw[~raw.COD_AC.astype(str).str.fullmatch(r"AC\d{3}E\d{5}")]
    if len(bad):
        raise ValueError(f"{source}: COD_AC not in GSE's 11-character form: {bad.COD_AC.tolist()}")
    inside = raw[raw.intersects(boundary.union_all())].copy()
    inside["geometry"] = inside.geometry.make_valid()
    merged = inside.dissolve(by="COD_AC", as_index=False, aggfunc="first")
    by_code = {c.gse_area_code: c for c in load_configurations() if c.gse_area_code}
    rows = []
    for rec in merged.itertuples(index=False):
        config = by_code.get(rec.COD_AC)
        rows.append(
            {
                "code": rec.COD_AC,
                "name": f"CP {config.cp_number} {config.name}" if config else rec.COD_AC,
                "distributor": str(rec.RAG_SOC),
                "source": SOURCE,
                "as_of": as_of,
                "official": True,
                "configuration": config.id if config else None,
                "cp_number": config.cp_number if config else pd.NA,
                "status": config.status if config else None,
                "geometry": rec.geometry,
            }
        )
    official = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    if current is not None and len(current):
        keep = current[~current.official & ~current.configuration.isin(official.configuration)]
        official = pd.concat([official, keep], ignore_index=True)
    official["cp_number"] = pd.array(official["cp_number"], dtype="Int64")
    return gpd.GeoDataFrame(official, geometry="geometry", crs=CRS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "geojson", type=Path, help="GSE areas GeoJSON (input, or output of --download)"
    )
    parser.add_argument("--download", action="store_true", help="download from GSE first")
    parser.add_argument("--as-of", default="", help="date of GSE's publication (ISO)")
    parser.add_argument("--data-dir", type=Path, default=REPO / "data" / "geo")
    args = parser.parse_args(argv)
    if args.download:
        print(f"downloaded {download(args.geojson)} areas to {args.geojson}")
    boundary = gpd.read_parquet(args.data_dir / "boundary.parquet")
    current_path = args.data_dir / "areas.parquet"
    current = gpd.read_parquet(current_path) if current_path.exists() else None
    areas = build(args.geojson, boundary, current, args.as_of)
    areas.to_parquet(current_path, index=False)
    print(
        f"{current_path}: {int(areas.official.sum())} official, {int((~areas.official).sum())} indicative"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
