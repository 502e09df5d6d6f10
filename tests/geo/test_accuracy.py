"""Accuracy of locate() over tests/data/addresses_milano.csv.

The file (built by scripts/build_geo_testset.py) holds 217 real Milan addresses with the Comune's
own Municipio / NIL labels and the configuration of their NIL, each as the Comune writes it and in
one spelling residents type (abbreviation, lower case, typo, natural word order, no accents, no
civic number): 438 queries. The addresses are in the offline gazetteer, so this measures how
well the matching forgives spelling; test_areas.py measures coordinates → Municipio on points
the index has not seen (leave-one-out).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cer_core.geo import LocationNotFound, locate

FILE = Path(__file__).resolve().parents[1] / "data" / "addresses_milano.csv"


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    table = pd.read_csv(FILE, keep_default_na=False)
    rows = []
    for rec in table.itertuples(index=False):
        try:
            found = locate(rec.query)
        except LocationNotFound:
            rows.append((rec.variant, False, False, False))
            continue
        rows.append(
            (
                rec.variant,
                found.municipio == int(rec.expected_municipio),
                found.id_nil == int(rec.expected_id_nil),
                (found.configuration or "") == rec.expected_configuration,
            )
        )
    return pd.DataFrame(rows, columns=["variant", "municipio", "nil", "configuration"])


def test_the_file_is_big_and_varied_enough():
    table = pd.read_csv(FILE, keep_default_na=False)
    assert table.official_address.nunique() >= 200
    assert {"official", "abbreviation", "lower", "typo", "natural_order", "no_civic"} <= set(
        table.variant
    )
    assert set(table.expected_municipio) == set(range(1, 10))
    assert (table.expected_configuration != "").sum() >= 100


def test_municipio_accuracy(results):
    accuracy = results.municipio.mean()
    assert accuracy >= 0.99, accuracy  # measured 0.998 (1 miss, a street without civic number)


def test_configuration_accuracy(results):
    accuracy = results.configuration.mean()
    assert accuracy >= 0.99, accuracy  # measured 0.998


def test_nil_accuracy(results):
    assert results.nil.mean() >= 0.97, results.nil.mean()  # measured 0.984


def test_every_spelling_variant_is_mostly_understood(results):
    by_variant = results.groupby("variant").municipio.mean()
    assert (by_variant >= 0.95).all(), by_variant.to_dict()
