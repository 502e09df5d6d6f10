"""Area table for Fase 1: the builder's apportionment, the committed table, the ranking."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from cer_core.errors import InputError
from cer_core.planning.area_table import area_overview, load_gse_areas, load_public_roofs
from cer_core.planning.ranking import DEFAULT_WEIGHTS, rank_areas

REPO = Path(__file__).resolve().parents[2]


def _builder():
    spec = importlib.util.spec_from_file_location("bp", REPO / "scripts" / "build_planning.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


AREAS = pd.DataFrame(
    {
        "area_code": ["AC012E00001", "AC012E00002", "AC001E00099"],
        "distributor": ["Unareti S.p.A.", "Unareti S.p.A.", "e-distribuzione S.p.A."],
        "centre_lat": [45.40, 45.50, 45.45],
        "centre_lon": [9.10, 9.10, 9.10],
    }
)


def test_apportionment_by_residential_civic_numbers():
    bp = _builder()
    # NIL 1: 3 civic numbers near area 1, 1 near area 2 → 75 % / 25 %; NIL 2: all in area 2.
    # The e-distribuzione centre is nearest to one civic but Milan is Unareti's: not used.
    civics = pd.DataFrame(
        {
            "id_nil": [1, 1, 1, 1, 2, 2],
            "lat": [45.40, 45.41, 45.44, 45.49, 45.50, 45.51],
            "lon": [9.10] * 6,
        }
    )
    population = pd.DataFrame(
        {"ID_NIL": [1, 2], "residents": [1000, 500], "households": [400, 200],
         "one_person_households": [200, 50]}
    )  # fmt: skip
    heat = pd.DataFrame(
        {"ID_NIL": [1, 2], "urban_heat_exposure_mean": [0.6, 0.3],
         "urban_heatwave_risk_mean": [0.2, 0.1]}
    )  # fmt: skip
    table = bp.apportion_nil_to_areas(population, heat, civics, AREAS).set_index("area_code")
    assert table.loc["AC012E00001", "residents"] == 750
    assert table.loc["AC012E00002", "residents"] == 250 + 500
    assert table["residents"].sum() == 1500
    assert table.loc["AC012E00002", "households"] == 100 + 200
    assert table.loc["AC012E00002", "one_person_share"] == pytest.approx((50 + 50) / 300, abs=1e-4)
    # resident-weighted heat exposure: (250 × 0.6 + 500 × 0.3) / 750
    assert table.loc["AC012E00002", "heat_exposure_mean"] == pytest.approx(0.4, abs=1e-4)
    assert "AC001E00099" not in table.index


def test_assign_area_is_nearest_centre():
    bp = _builder()
    got = bp.assign_area([45.41, 45.49], [9.10, 9.10], AREAS.iloc[:2])
    assert got.tolist() == ["AC012E00001", "AC012E00002"]


def test_committed_tables_are_consistent():
    table = area_overview()
    # ds205 2021: 1,386,285 residents in the 88 NIL; apportioned shares only round per area
    assert abs(int(table["residents"].sum()) - 1_386_285) <= len(table)
    assert (table["one_person_households"] <= table["households"]).all()
    assert table["area_code"].isin(load_gse_areas()["area_code"]).all()
    pilots = set(table.loc[table["configuration"] != "", "configuration"])
    assert pilots == {"citta-studi", "niguarda-affori", "chiaravalle", "bovisa", "campus-ghisolfa"}
    schools = load_public_roofs()
    assert len(schools) > 300
    assert schools["code"].is_unique
    assert schools["lat"].between(45.38, 45.54).all()
    assert schools["licence"].str.startswith("unverified").all()
    assert table["schools"].sum() == len(schools)


TABLE = pd.DataFrame(
    {
        "area_code": ["A", "B", "C"],
        "residents": [100, 200, 300],
        "one_person_share": [0.6, 0.5, 0.4],
        "heat_exposure_mean": [0.5, 0.5, 0.5],
        "schools": [0, 5, 10],
        "configuration": ["", "x", ""],
    }
)


def test_weights_change_the_order():
    by_people = rank_areas(TABLE, {"residents": 1})
    assert by_people["area_code"].tolist() == ["C", "B", "A"]
    assert by_people["score"].tolist() == [100.0, 50.0, 0.0]
    by_risk = rank_areas(TABLE, {"one_person_share": 1})
    assert by_risk["area_code"].tolist() == ["A", "B", "C"]
    unserved = rank_areas(TABLE, {"not_served": 1, "residents": 1})
    # A: (1 + 0)/2, B: (0 + 0.5)/2, C: (1 + 1)/2
    assert dict(zip(unserved["area_code"], unserved["score"], strict=True)) == {
        "C": 100.0, "A": 50.0, "B": 25.0,
    }  # fmt: skip


def test_equal_criterion_scores_zero_and_ties_share_rank():
    ranked = rank_areas(TABLE, {"heat_exposure": 1})
    assert (ranked["score"] == 0).all()
    assert (ranked["rank"] == 1).all()


def test_bad_weights():
    with pytest.raises(InputError) as err:
        rank_areas(TABLE, {"residents": 0, "schools": 1})
    assert err.value.field == "weights.schools"
    with pytest.raises(InputError) as err:
        rank_areas(TABLE, {"residents": 0})
    assert err.value.code == "all_zero"
    with pytest.raises(InputError):
        rank_areas(TABLE, {"residents": -1})


def test_default_ranking_of_the_real_table_is_complete():
    ranked = rank_areas(area_overview(), DEFAULT_WEIGHTS)
    assert ranked["score"].between(0, 100).all()
    assert ranked["rank"].min() == 1
    assert len(ranked) == len(area_overview())
