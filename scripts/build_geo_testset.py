"""Build ``tests/data/addresses_milano.csv``: real Milan addresses with their expected Municipio,
NIL and configuration, for the accuracy test of ``cer_core.geo.locate``.

Ground truth: the Comune di Milano's own ``MUNICIPIO`` / ``ID_NIL`` labels of the addressed
points in ``RAW_DATA_DIR/milano-municipi/labelled_points_municipio_nil.csv`` (EV charging
points, historic shops; CC BY 4.0). The expected configuration is the one whose reference NIL
(``data/configurations.toml``) contains the labelled NIL. Besides the address as the Comune
writes it, the file has spellings residents type: abbreviated street types, lower case, missing
accents, a typo, the name in natural order ("via Francesco Rezzonico" for "VIA REZZONICO
FRANCESCO"), no civic number. Deterministic (fixed seed).

Usage: ``python scripts/build_geo_testset.py RAW_DATA_DIR``.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.configurations import load_configurations  # noqa: E402
from cer_core.geo.text import display_name, parse_official_address  # noqa: E402

ABBREVIATIONS = {
    "via": "v.",
    "viale": "v.le",
    "piazza": "p.za",
    "corso": "c.so",
    "piazzale": "p.le",
    "largo": "l.go",
}
OUT = REPO / "tests" / "data" / "addresses_milano.csv"


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 6:
        return name
    i = rng.randrange(1, len(word) - 2)
    word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap two letters
    words[longest] = word
    return " ".join(words)


def build(shared: Path) -> list[dict]:
    rng = random.Random(20261127)
    points = pd.read_csv(shared / "milano-municipi" / "labelled_points_municipio_nil.csv")
    points = points.dropna(subset=["address"])
    points = points[points.address.str.match(r"^\S+\s.+\s\d+[A-Za-z]?$")]  # street + civic only
    points = points.assign(key=points.address.str.upper()).drop_duplicates("key")
    nil_to_config = {n: c.id for c in load_configurations() for n in c.nil_ids}
    pilot = points[points.ID_NIL.isin(nil_to_config)]
    others = points[~points.ID_NIL.isin(nil_to_config)].sample(n=150, random_state=7)
    chosen = pd.concat([pilot, others]).sort_values(["municipio", "ID_NIL", "address"])
    rows = []
    for rec in chosen.itertuples(index=False):
        street_type, name, civic, _ = parse_official_address(rec.address)
        base = {
            "expected_municipio": int(rec.municipio),
            "expected_id_nil": int(rec.ID_NIL),
            "expected_configuration": nil_to_config.get(int(rec.ID_NIL), ""),
            "lat": rec.lat,
            "lon": rec.lon,
            "official_address": rec.address,
        }
        rows.append({"query": rec.address, "variant": "official", **base})
        pretty = display_name(re.sub(r"\s+\S+$", "", rec.address))
        variant = rng.choice(["abbreviation", "lower", "typo", "natural_order", "no_civic"])
        words = name.split()
        if variant == "abbreviation" and street_type in ABBREVIATIONS:
            query = f"{ABBREVIATIONS[street_type]} {' '.join(pretty.split()[1:])} {civic}"
        elif variant == "typo":
            query = f"{street_type} {_typo(name, rng)} {civic}"
        elif variant == "natural_order" and len(words) == 2:
            query = f"{street_type.capitalize()} {words[1].capitalize()} {words[0].capitalize()}, {civic}"
        elif variant == "no_civic":
            query = pretty
        else:
            variant = "lower"
            query = f"{pretty.lower()} {civic}, milano"
        if any(ch in pretty for ch in "àèéìòù"):
            rows.append(
                {
                    "query": f"{street_type} {name} {civic}",
                    "variant": "no_accents",
                    **base,
                }
            )
        rows.append({"query": query, "variant": variant, **base})
    return rows


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/build_geo_testset.py RAW_DATA_DIR")
    shared_dir = Path(sys.argv[1])
    table = build(shared_dir)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    print(f"{OUT.relative_to(REPO)}: {len(table)} rows")
