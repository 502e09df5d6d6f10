"""Build the offline gazetteer (``data/geo/gazetteer_streets.parquet`` and
``data/geo/gazetteer_civici.parquet``) from the Comune di Milano's civic-number register.

Inputs (command-line arguments, nothing is downloaded):

* ``CIVICI_CSV`` — the register (ds634 "Numeri civici con coordinate"; release 2020-03-02 used
  here) joined to its street list, one row per civic number, comma-separated (gzip allowed), with
  the columns ``CODICE_VIA, TIPO_VIA, DENOMINAZIONE, DESCRITTIVO, ANNCSU, NUMERO, LETTERA, BARRA,
  BARRA2, MUNICIPIO, RESIDENZIALE, STATOCIVICO_DESC, LAT_WGS84, LONG_WGS84``. Suppressed civic
  numbers (``Soppresso``) are dropped; shop windows and driveways of the same civic number
  (``BARRA2`` = N01, P01 …) collapse into one point, the door itself when the register has it.
* ``--stradario CSV`` (optional) — the Comune's street guide with postcodes (``CODICE_VIA,
  CIVICO, BARRATO, CAP``); civic numbers it lacks take the postcode of the nearest number on the
  same street.
* ``--nil`` — the NIL layer (default ``data/geo/nil.parquet``): the 88 neighbourhood names.

Run: ``python scripts/build_gazetteer.py civici.csv.gz --stradario stradario.csv.gz``
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.bounds import MILAN_BBOX_DEG  # noqa: E402
from cer_core.geo.text import display_name, fold, normalise_name  # noqa: E402

SOURCE = "Comune di Milano, ds634 Numeri civici (CC BY 4.0), release 2020-03-02"
NIL_SOURCE = "Comune di Milano, ds964 NIL (PGT 2030)"
MILAN_BBOX = MILAN_BBOX_DEG  # cer_core.bounds
REQUIRED = {
    "CODICE_VIA",
    "TIPO_VIA",
    "DENOMINAZIONE",
    "DESCRITTIVO",
    "ANNCSU",
    "NUMERO",
    "LETTERA",
    "BARRA",
    "BARRA2",
    "MUNICIPIO",
    "RESIDENZIALE",
    "STATOCIVICO_DESC",
    "LAT_WGS84",
    "LONG_WGS84",
}


def _variants(denominazione: str, descrittivo: str, anncsu: str) -> str:
    """Normalised name forms of one street, ``|``-separated: the usual order ("pietro
    borsieri"), the Comune's inverted order ("borsieri pietro") and the ANNCSU national form."""
    forms = []
    official = re.sub(r"\s+GIA'?\s.*$", "", denominazione)  # "... GIA' VIA DEGLI ANGIOLI"
    official = re.sub(r"[()]", " ", official)
    for text in (descrittivo, official, anncsu):
        if not text or re.search(r"\d+-", text):
            continue
        name = normalise_name(text)
        if name.startswith("di via "):  # ANNCSU's "DI VIA CIOVASSO"
            name = name[len("di via ") :]
        if name and name not in forms:
            forms.append(name)
    return "|".join(forms)


def read_register(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = REQUIRED - set(raw.columns)
    if missing:
        raise ValueError(f"{path}: register columns missing: {sorted(missing)}")
    raw = raw[raw.STATOCIVICO_DESC.str.strip().str.lower() != "soppresso"].copy()
    raw["lat"] = pd.to_numeric(raw.LAT_WGS84.str.replace(",", "."), errors="coerce")
    raw["lon"] = pd.to_numeric(raw.LONG_WGS84.str.replace(",", "."), errors="coerce")
    raw["number"] = pd.to_numeric(raw.NUMERO, errors="coerce")
    west, south, east, north = MILAN_BBOX
    ok = raw.lat.between(south, north) & raw.lon.between(west, east) & raw.number.notna()
    raw = raw[ok].copy()
    raw["number"] = raw.number.astype(int)
    raw["letter"] = raw.LETTERA.str.strip().str.lower()
    raw["bar"] = pd.to_numeric(raw.BARRA, errors="coerce").fillna(0).astype(int)
    raw["door"] = raw.BARRA2.str.strip() == ""
    # one point per civic number: the door itself when present, else its first shop window
    raw = raw.sort_values(
        ["CODICE_VIA", "number", "letter", "bar", "door"], ascending=[1, 1, 1, 1, 0]
    )
    return raw.drop_duplicates(["CODICE_VIA", "number", "letter", "bar"]).reset_index(drop=True)


def _postcodes(civici: pd.DataFrame, stradario: Path | None) -> np.ndarray:
    """Postcode of each civic number as its last three digits (``20133`` → 133), 0 unknown."""
    if stradario is None:
        return np.zeros(len(civici), dtype=np.int16)
    guide = pd.read_csv(stradario, dtype=str, keep_default_na=False)
    guide = guide[guide.CAP.str.fullmatch(r"\d{3}")]
    guide = guide.assign(
        number=pd.to_numeric(guide.CIVICO, errors="coerce"),
        letter=guide.BARRATO.str.strip().str.lower().where(~guide.BARRATO.str.isdigit(), ""),
        cap=guide.CAP.astype(int),
    ).dropna(subset=["number"])
    guide["number"] = guide.number.astype(int)
    keys = ["CODICE_VIA", "number", "letter"]
    joined = civici[keys].merge(guide.drop_duplicates(keys)[keys + ["cap"]], on=keys, how="left")
    plain = guide.drop_duplicates(["CODICE_VIA", "number"])[["CODICE_VIA", "number", "cap"]]
    joined["cap"] = joined.cap.fillna(civici[["CODICE_VIA", "number"]].merge(plain, how="left").cap)
    # nearest known number on the same street for the rest
    out = joined.cap.to_numpy(float, copy=True)
    for rows in joined.groupby("CODICE_VIA").groups.values():
        rows = np.asarray(rows)
        known = rows[~np.isnan(out[rows])]
        if not len(known):
            continue
        numbers = joined.number.to_numpy(copy=True)
        for row in rows[np.isnan(out[rows])]:
            out[row] = out[known[np.argmin(np.abs(numbers[known] - numbers[row]))]]
    return np.nan_to_num(out, nan=0).astype(np.int16)


def build(
    civici_csv: Path, nil: gpd.GeoDataFrame, stradario: Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Register → (streets, civici) tables; see :mod:`cer_core.geo.gazetteer` for the columns."""
    civici = read_register(civici_csv)
    civici["cap"] = _postcodes(civici, stradario)
    firsts = civici.drop_duplicates("CODICE_VIA").sort_values(
        "CODICE_VIA", key=lambda s: s.astype(int)
    )
    streets = pd.DataFrame(
        {
            "kind": "street",
            "code": firsts.CODICE_VIA.astype(int).to_numpy(),
            "street_type": [fold(t) for t in firsts.TIPO_VIA],
            "label": [
                display_name(f"{t} {d}".strip())
                for t, d in zip(firsts.TIPO_VIA, firsts.DESCRITTIVO, strict=True)
            ],
            "names": [
                _variants(a, b, c)
                for a, b, c in zip(
                    firsts.DENOMINAZIONE, firsts.DESCRITTIVO, firsts.ANNCSU, strict=True
                )
            ],
        }
    )
    position = {code: i for i, code in enumerate(firsts.CODICE_VIA)}
    civici["street"] = civici.CODICE_VIA.map(position).astype(np.int16)
    civici = civici.sort_values(["street", "number", "letter", "bar"]).reset_index(drop=True)
    bounds = civici.groupby("street").apply(lambda g: (g.index.min(), g.index.max() + 1))
    streets["start"] = np.asarray([b[0] for b in bounds], dtype=np.int32)
    streets["stop"] = np.asarray([b[1] for b in bounds], dtype=np.int32)
    streets["lat"] = np.nan
    streets["lon"] = np.nan
    streets["id_nil"] = 0
    places = []
    for rec in nil.itertuples(index=False):
        point = rec.geometry.representative_point()
        official = str(rec.nil)
        names = [normalise_name(official)]
        names += [normalise_name(p) for p in official.split(" - ") if p.strip()]
        places.append(
            {
                "kind": "place",
                "code": 0,
                "street_type": "",
                "label": display_name(official),
                "names": "|".join(dict.fromkeys(n for n in names if n)),
                "start": 0,
                "stop": 0,
                "lat": round(point.y, 6),
                "lon": round(point.x, 6),
                "id_nil": int(rec.id_nil),
            }
        )
    streets = pd.concat([streets, pd.DataFrame(places)], ignore_index=True)
    streets["code"] = streets.code.astype(np.int32)
    streets["id_nil"] = streets.id_nil.astype(np.int8)
    table = pd.DataFrame(
        {
            "street": civici.street.astype(np.int16),
            "number": civici.number.astype(np.int16),
            "letter": pd.Categorical(civici.letter),
            "bar": civici.bar.astype(np.int16),
            "lat": civici.lat.astype(np.float32),
            "lon": civici.lon.astype(np.float32),
            "municipio": pd.to_numeric(civici.MUNICIPIO, errors="coerce").fillna(0).astype(np.int8),
            "residential": civici.RESIDENZIALE.str.strip() == "1",
            "cap": civici.cap.astype(np.int16),
        }
    )
    return streets, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="civic-number register → offline gazetteer")
    parser.add_argument("civici", type=Path, help="register joined to its streets (CSV, .gz ok)")
    parser.add_argument("--stradario", type=Path, help="street guide with postcodes (CSV)")
    parser.add_argument("--nil", type=Path, default=REPO / "data" / "geo" / "nil.parquet")
    parser.add_argument("--data-dir", type=Path, default=REPO / "data" / "geo")
    args = parser.parse_args(argv)
    streets, civici = build(args.civici, gpd.read_parquet(args.nil), args.stradario)
    streets.to_parquet(args.data_dir / "gazetteer_streets.parquet", index=False, compression="zstd")
    civici.to_parquet(args.data_dir / "gazetteer_civici.parquet", index=False, compression="zstd")
    print(
        f"{(streets.kind == 'street').sum()} streets, {(streets.kind == 'place').sum()} places, "
        f"{len(civici)} civic numbers ({int(civici.residential.sum())} residential, "
        f"{int((civici.cap > 0).sum())} with a postcode)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
