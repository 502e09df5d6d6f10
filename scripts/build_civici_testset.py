"""Build ``tests/data/civici_testset.csv``: register addresses typed the way residents type them,
with the Comune's own Municipio, the NIL and the point, for the accuracy benchmark and test.

Input (command-line argument): the civic-number register joined to its streets (the same CSV
``scripts/build_gazetteer.py`` reads, with ``ID_NIL`` = the NIL polygon holding each point).
50 residential, non-suppressed civic numbers per Municipio (450), drawn with a fixed seed; each is
written in one spelling variant, chosen in turn among:

``official`` (the register's upper-case inverted name), ``natural`` (usual order, title case),
``inverted`` ("Via Celoria Giovanni 2"), ``abbreviation`` (v., v.le, c.so, p.za, p.le, l.go,
alz.), ``no_type``, ``lower_no_accents``, ``typo1`` / ``typo2`` (one / two wrong letters),
``initials`` ("Via G. Celoria 2"), ``surname_only``, ``postcode_tail`` ("…, 20133 Milano MI"),
``tail`` ("… Milano (MI), Italia"), ``commas`` ("Via Celoria, 2, Milano"). Civic numbers with a
letter are written 5/A, 5A or "5 a"; *bis* as "5 bis".

Run: ``python scripts/build_civici_testset.py civici.csv.gz``
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.geo.text import display_name, fold  # noqa: E402

OUT = REPO / "tests" / "data" / "civici_testset.csv"
PER_MUNICIPIO = 50
ABBREVIATIONS = {
    "Via": "v.",
    "Viale": "v.le",
    "Corso": "c.so",
    "Piazza": "p.za",
    "Piazzale": "p.le",
    "Largo": "l.go",
    "Alzaia": "alz.",
}
VARIANTS = (
    "official",
    "natural",
    "inverted",
    "abbreviation",
    "no_type",
    "lower_no_accents",
    "typo1",
    "typo2",
    "initials",
    "surname_only",
    "postcode_tail",
    "tail",
    "commas",
)
_SMALL = {"di", "da", "de", "del", "della", "delle", "dei", "degli", "dell", "la", "il", "san"}


def _typo(name: str, rng: random.Random, slips: int) -> str | None:
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < (5 if slips == 1 else 7):
        return None
    letters = list(word)
    for position in rng.sample(range(1, len(word) - 1), slips):
        choices = [c for c in "aeiourstnlcm" if c != letters[position].lower()]
        letters[position] = rng.choice(choices)
    words[longest] = "".join(letters)
    return " ".join(words)


def _civic(rec, rng: random.Random) -> str:
    number, letter, bar = rec.NUMERO, rec.LETTERA.strip(), rec.BARRA.strip()
    if letter.upper() == "BIS":
        return f"{number} bis"
    if letter:
        return rng.choice([f"{number}/{letter}", f"{number}{letter}", f"{number} {letter.lower()}"])
    return f"{number}/{bar}" if bar else str(number)


def _query(rec, variant: str, rng: random.Random) -> str | None:
    kind = rec.TIPO_VIA.strip()
    natural = display_name(rec.DESCRITTIVO)
    inverted = display_name(re.sub(r"\s*\(.*?\)", "", rec.DENOMINAZIONE))
    civic = _civic(rec, rng)
    if variant == "official":
        return f"{kind.upper()} {rec.DENOMINAZIONE} {civic}".strip()
    if variant == "natural":
        return f"{kind} {natural} {civic}".strip()
    if variant == "inverted":
        return f"{kind} {inverted} {civic}".strip() if inverted != natural else None
    if variant == "abbreviation":
        return f"{ABBREVIATIONS[kind]} {natural} {civic}" if kind in ABBREVIATIONS else None
    if variant == "no_type":
        return f"{natural} {civic}"
    if variant == "lower_no_accents":
        return fold(f"{kind} {natural} {civic}")
    if variant in ("typo1", "typo2"):
        wrong = _typo(natural, rng, 1 if variant == "typo1" else 2)
        return f"{kind} {wrong} {civic}".strip() if wrong else None
    words = natural.split()
    person = re.sub(r"\s*\(.*?\)", "", rec.DENOMINAZIONE).strip() != rec.DESCRITTIVO.strip()
    if variant in ("initials", "surname_only") and not person:
        return None  # only names of people have a first name to shorten ("Popoli Uniti" has not)
    if variant == "initials":
        if len(words) < 2 or words[0].lower() in _SMALL or not words[0].isalpha():
            return None
        return f"{kind} {words[0][0]}. {' '.join(words[1:])} {civic}".strip()
    if variant == "surname_only":
        if len(words) < 2 or words[0].lower() in _SMALL or not words[0].isalpha():
            return None
        return f"{kind} {' '.join(words[1:])} {civic}".strip()
    if variant == "postcode_tail":
        cap = f"20{rec.CAP}" if rec.CAP else "20100"
        return f"{kind} {natural} {civic}, {cap} Milano MI".strip()
    if variant == "tail":
        return f"{kind} {natural} {civic} Milano (MI), Italia".strip()
    if variant == "commas":
        return f"{kind} {natural}, {civic}, Milano".strip()
    raise ValueError(variant)


def build(civici_csv: Path, stradario: Path | None) -> pd.DataFrame:
    raw = pd.read_csv(civici_csv, dtype=str, keep_default_na=False)
    raw = raw[(raw.STATOCIVICO_DESC != "Soppresso") & (raw.RESIDENZIALE == "1")]
    raw = raw[(raw.BARRA2 == "") & raw.NUMERO.str.isdigit() & (raw.MUNICIPIO != "")]
    raw = raw[raw.TIPO_VIA != ""]
    raw = raw.drop_duplicates(["CODICE_VIA", "NUMERO", "LETTERA", "BARRA"])
    raw["CAP"] = ""
    if stradario is not None:
        guide = pd.read_csv(stradario, dtype=str, keep_default_na=False)
        caps = (
            guide.drop_duplicates(["CODICE_VIA", "CIVICO"]).set_index(["CODICE_VIA", "CIVICO"]).CAP
        )
        raw["CAP"] = [caps.get((a, b), "") for a, b in zip(raw.CODICE_VIA, raw.NUMERO, strict=True)]
    # letters and bis are rarer: over-sample them so every civic format is tried
    with_letter = raw[raw.LETTERA != ""]
    chosen = []
    for municipio, group in raw.groupby("MUNICIPIO"):
        letters = with_letter[with_letter.MUNICIPIO == municipio].sample(
            n=8, random_state=int(municipio)
        )
        plain = group.drop(letters.index).sample(
            n=PER_MUNICIPIO - 8, random_state=100 + int(municipio)
        )
        chosen.append(pd.concat([plain, letters]))
    chosen = pd.concat(chosen).sample(frac=1, random_state=7).reset_index(drop=True)
    rng = random.Random(20261202)
    rows = []
    for i, rec in enumerate(chosen.itertuples(index=False)):
        query = None
        for shift in range(len(VARIANTS)):
            variant = VARIANTS[(i + shift) % len(VARIANTS)]
            query = _query(rec, variant, rng)
            if query:
                break
        rows.append(
            {
                "query": query,
                "variant": variant,
                "expected_municipio": int(rec.MUNICIPIO),
                "expected_id_nil": int(rec.ID_NIL),
                "lat": float(rec.LAT_WGS84),
                "lon": float(rec.LONG_WGS84),
                "register_address": f"{rec.TIPO_VIA} {rec.DESCRITTIVO} {rec.NUMEROCOMPLETO}",
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="register → tests/data/civici_testset.csv")
    parser.add_argument("civici", type=Path)
    parser.add_argument("--stradario", type=Path, help="street guide with postcodes (CSV)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    table = build(args.civici, args.stradario)
    table.to_csv(args.out, index=False)
    print(f"{args.out}: {len(table)} queries; variants {table.variant.value_counts().to_dict()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
