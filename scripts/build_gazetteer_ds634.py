"""Build the full offline gazetteer from the Comune di Milano's civic numbers (ds634).

Dataset ``ds634-numeri-civici-coordinate`` (CC BY 4.0, ~63.5 k civic numbers, updated often):
https://dati.comune.milano.it/dataset/ds634-numeri-civici-coordinate — CKAN datastore resource
``533b4e63-3d78-4bb5-aeb4-6c5f648f7f21`` or its CSV download. Fields used (as published):
``DESCRITTIVO`` (street as the Comune writes it, e.g. "VIA REZZONICO FRANCESCO") or
``TIPO`` + ``DESCRITTIVO`` when the type is separate, ``NUMEROCOMPLETO`` ("6", "6/A"),
``MUNICIPIO``, ``NIL``, ``LAT_WGS84``, ``LONG_WGS84`` and, when present, ``STATOCIVICO`` (rows
marked as suppressed are skipped). Separator ``;`` or ``,`` (detected).

Usage (production, with internet):

    curl -L -o ds634.csv "https://dati.comune.milano.it/dataset/.../download/ds634_civici_coordinategeografiche.csv"
    python scripts/build_gazetteer_ds634.py ds634.csv

Writes ``data/geo/gazetteer.parquet`` = ds634 addresses + the current gazetteer's street points
and NIL names (ds634 rows win over the labelled points for the same street and civic number).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.geo.gazetteer import GAZETTEER_COLUMNS, build_gazetteer_frame  # noqa: E402
from cer_core.geo.text import STREET_TYPES  # noqa: E402

SOURCE = "Comune di Milano, ds634 Numeri civici con coordinate (CC BY 4.0)"
SUPPRESSED = {"soppresso", "cessato", "annullato", "non attivo", "storico"}
MILAN_BBOX = (9.02, 45.37, 9.30, 45.55)


def read_ds634(path: Path) -> pd.DataFrame:
    """ds634 CSV → ``address, lat, lon, municipio, id_nil, source`` rows (bad rows dropped)."""
    with path.open(encoding="utf-8-sig") as handle:
        header = handle.readline()
    sep = ";" if header.count(";") > header.count(",") else ","
    raw = pd.read_csv(path, sep=sep, dtype=str, encoding="utf-8-sig")
    raw.columns = [c.strip().upper() for c in raw.columns]
    required = {"DESCRITTIVO", "NUMEROCOMPLETO", "LAT_WGS84", "LONG_WGS84"}
    missing = required - set(raw.columns)
    if missing:
        raise ValueError(f"{path}: ds634 columns missing: {sorted(missing)}")
    if "STATOCIVICO" in raw.columns:
        state = raw["STATOCIVICO"].fillna("").str.strip().str.lower()
        raw = raw[~state.isin(SUPPRESSED)]
    street = raw["DESCRITTIVO"].fillna("").str.strip()
    if "TIPO" in raw.columns:
        # DESCRITTIVO usually carries the street type; prefix TIPO when it does not
        kinds = raw["TIPO"].fillna("").str.strip()
        street = pd.Series(
            [
                f"{k} {d}"
                if k
                and k.isalpha()
                and not d.upper().startswith(k.upper() + " ")
                and d.split(" ")[0].lower() not in STREET_TYPES
                else d
                for k, d in zip(kinds, street, strict=True)
            ],
            index=street.index,
        )
    number = raw["NUMEROCOMPLETO"].fillna("").str.replace(" ", "", regex=False)
    out = pd.DataFrame(
        {
            "address": (street + " " + number).str.strip(),
            "lat": pd.to_numeric(raw["LAT_WGS84"].str.replace(",", "."), errors="coerce"),
            "lon": pd.to_numeric(raw["LONG_WGS84"].str.replace(",", "."), errors="coerce"),
            "municipio": pd.to_numeric(raw.get("MUNICIPIO"), errors="coerce"),
            "id_nil": pd.to_numeric(raw.get("NIL"), errors="coerce"),
            "source": SOURCE,
        }
    )
    west, south, east, north = MILAN_BBOX
    ok = out.lat.between(south, north) & out.lon.between(west, east) & (number != "")
    return out[ok].reset_index(drop=True)


def build(ds634: Path, nil: gpd.GeoDataFrame, current: pd.DataFrame | None) -> pd.DataFrame:
    """ds634 rows + NIL names, plus the current gazetteer's rows not in ds634."""
    frame = build_gazetteer_frame(read_ds634(ds634), nil)
    if current is not None and len(current):
        frame = pd.concat([frame, current[list(GAZETTEER_COLUMNS)]], ignore_index=True)
        frame = frame.drop_duplicates(subset=["kind", "street_type", "name", "civic"], keep="first")
    return frame.reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ds634 civic numbers → data/geo/gazetteer.parquet")
    parser.add_argument("csv", type=Path)
    parser.add_argument("--data-dir", type=Path, default=REPO / "data" / "geo")
    args = parser.parse_args(argv)
    nil = gpd.read_parquet(args.data_dir / "nil.parquet")
    target = args.data_dir / "gazetteer.parquet"
    current = pd.read_parquet(target) if target.exists() else None
    frame = build(args.csv, nil, current)
    frame.to_parquet(target, index=False)
    print(f"{target}: {len(frame)} rows ({int((frame.source == SOURCE).sum())} from ds634)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
