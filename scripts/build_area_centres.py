"""Build ``data/geo/area_centres.parquet``: GSE area codes with the centre point of each area.

Input (command-line argument): a CSV of GSE *aree convenzionali* around Milan, one row per area,
with ``codice_ac`` (GSE's 11-character code), ``operator`` (distributor), ``lat``, ``lng`` (the
centroid of the area's polygon, WGS84 [deg]). Used by :mod:`cer_core.geo.estimate` to estimate an
area for every Milan address; GSE's polygons themselves are not held.

Licence of the codes: GSE's areas as redistributed by ondata, CC BY-NC-SA 3.0 (non-commercial,
share-alike): the output carries it in its ``licence`` column.

Run: ``python scripts/build_area_centres.py gse_area_centroids.csv``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]

#: Distributor holding the concession for the Comune di Milano (GSE code prefix AC012E).
MILAN_DISTRIBUTOR_PREFIX = "AC012E"
LICENCE = "CC BY-NC-SA 3.0 (GSE aree convenzionali as redistributed by ondata)"
SOURCE = "GSE S.p.A., aree convenzionali sottese alle cabine primarie (centroids)"


def build(source: Path) -> pd.DataFrame:
    raw = pd.read_csv(source, dtype={"codice_ac": str})
    missing = {"codice_ac", "operator", "lat", "lng"} - set(raw.columns)
    if missing:
        raise ValueError(f"{source}: columns missing: {sorted(missing)}")
    bad = raw[~raw.codice_ac.str.fullmatch(r"AC\d{3}E\d{5}")]
    if len(bad):
        raise ValueError(f"{source}: codes not in GSE's form: {bad.codice_ac.tolist()}")
    out = pd.DataFrame(
        {
            "code": raw.codice_ac,
            "operator": raw.operator,
            "lat": raw.lat.astype(float).round(6),
            "lon": raw.lng.astype(float).round(6),
            "milan_distributor": raw.codice_ac.str.startswith(MILAN_DISTRIBUTOR_PREFIX),
            "source": SOURCE,
            "licence": LICENCE,
        }
    )
    return out.sort_values("code").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GSE area centres → data/geo/area_centres.parquet")
    parser.add_argument("csv", type=Path)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "geo" / "area_centres.parquet")
    args = parser.parse_args(argv)
    table = build(args.csv)
    table.to_parquet(args.out, index=False)
    print(
        f"{args.out}: {len(table)} areas ({int(table.milan_distributor.sum())} of Milan's distributor)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
