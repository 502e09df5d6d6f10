"""The CER's constitution date and plants commissioned during the settlement year
(docs/rules.md §3.4, §9; cer_core.commissioning)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from cer_core import commissioning
from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.parameters import load_parameters
from cer_core.scenario import MemberGroup, Plant, Scenario, load_scenario, simulate

HOURS = year_index(2025)
FLAT = np.ones(len(HOURS))


def plant(name, when):
    return SimpleNamespace(name=name, commissioning_date=dt.date.fromisoformat(when))


def test_constitution_date_defaults_to_the_parameter_and_says_so():
    p = load_parameters(2025)
    assert p["community.constitution_date"] == "2024-10-14"
    when, notes = commissioning.constitution_date(None, True, p)
    assert when == dt.date(2024, 10, 14)
    assert [n.code for n in notes] == ["cer_constitution_from_parameter"]
    assert "2024-10-14" in notes[0]
    given = dt.date(2023, 6, 1)
    assert commissioning.constitution_date(given, True, p) == (given, [])
    off, notes = commissioning.constitution_date(given, False, p)
    assert off is None
    assert [n.code for n in notes] == ["cer_constitution_check_off"]


def test_operating_hours_start_at_local_midnight_of_the_day():
    running = commissioning.operating_hours(dt.date(2025, 3, 30), HOURS)  # the 23-hour day
    first = int(np.argmax(running))
    assert HOURS[first].isoformat() == "2025-03-30T00:00:00+01:00"
    assert running[:first].sum() == 0
    assert running[first:].all()
    assert running.sum() == len(HOURS) - (31 + 28 + 29) * 24


def test_share_before_the_date_is_of_production_not_of_hours():
    solar = np.where(HOURS.month >= 7, 2.0, 1.0)  # more output in the second half
    share = commissioning.before_share(solar, dt.date(2025, 7, 1), HOURS)
    first_half = float(solar[HOURS.month < 7].sum())
    assert share == pytest.approx(first_half / solar.sum())
    assert commissioning.before_share(np.zeros(len(HOURS)), dt.date(2025, 7, 1), HOURS) == 0


def test_first_year_warns_by_default_and_keeps_the_full_year():
    plants = [plant("old", "2024-05-01"), plant("jan1", "2025-01-01"), plant("sept", "2025-09-15"),
              plant("next", "2026-02-01")]  # fmt: skip
    production = np.vstack([FLAT] * 4)
    out, notes = commissioning.first_year(plants, production, HOURS, 2025, prorate=False)
    assert out is production
    assert [n.code for n in notes] == ["commissioned_during_year", "commissioned_after_year"]
    sept = notes[0]
    assert sept.values["plant"] == "sept"
    before = (HOURS < HOURS[HOURS.month == 9][14 * 24]).sum() / len(HOURS)
    assert sept.values["before_share"] == pytest.approx(before)
    assert "70%" in sept
    assert "prorate_first_year" in sept


def test_first_year_prorated_counts_only_the_hours_from_the_date():
    plants = [plant("old", "2024-05-01"), plant("sept", "2025-09-15"), plant("next", "2026-02-01")]
    production = np.vstack([FLAT] * 3)
    out, notes = commissioning.first_year(plants, production, HOURS, 2025, prorate=True)
    assert out is not production
    assert production.sum() == 3 * len(HOURS)
    assert out[0].sum() == len(HOURS)
    start = int(np.flatnonzero(HOURS.strftime("%Y-%m-%d %H") == "2025-09-15 00")[0])
    assert out[1][:start].sum() == 0
    assert out[1][start:].sum() == len(HOURS) - start
    assert out[2].sum() == 0  # not yet running in 2025
    assert [n.code for n in notes] == ["first_year_prorated", "first_year_prorated"]
    assert notes[1].values["before_share"] == pytest.approx(1.0)


# --- through simulate and the scenario file -------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
HOUR = np.asarray(HOURS.hour)
SOLAR = np.clip(np.sin((HOUR - 6) / 12 * np.pi), 0, None)
SOLAR_KWH_PER_KWP = SOLAR / SOLAR.sum() * 1300


def pv_plant(name, when, kwp=50.0, **kw):
    return Plant(name, kwp, when, production_kwh=SOLAR_KWH_PER_KWP * kwp, **kw)


def homes(count=60):
    return MemberGroup("homes", count, "csv", consumption_kwh=np.full(len(HOURS), 2700 / 8760))


def codes(result) -> list[str]:
    return [w.code for w in result.warnings]


def test_a_scenario_without_a_date_is_checked_against_cer_ca_mi():
    before = pv_plant("before", "2024-06-01")
    r = simulate(Scenario(plants=(before,), members=(homes(),)))
    assert not r.plants[0].tip_eligible
    assert r.money.tip_eur == 0
    assert r.plants[0].valorisation_eur > 0
    assert [x.code for x in r.plants[0].reasons] == ["before_cer_constitution"]
    assert r.plants[0].reasons[0].values == {"date": "2024-10-14"}
    assert codes(r)[0] == "cer_constitution_from_parameter"
    summary = r.summary()
    assert summary["warning_codes"][0]["code"] == "cer_constitution_from_parameter"
    assert summary["plants"][0]["reason_codes"][0]["values"] == {"date": "2024-10-14"}


def test_the_check_can_be_turned_off_explicitly():
    before = pv_plant("before", "2024-06-01")
    off = simulate(Scenario(plants=(before,), members=(homes(),), check_cer_constitution=False))
    assert off.plants[0].tip_eligible
    assert off.money.tip_eur > 0
    assert codes(off)[0] == "cer_constitution_check_off"
    with pytest.raises(InputError) as info:
        Scenario(check_cer_constitution="no")
    assert info.value.field == "check_cer_constitution"


def test_scenario_file_switches(tmp_path):
    text = (REPO / "tests/data/scenarios/mid_year_commissioning.toml").read_text()
    text = text.replace("cer_constitution_date = 2024-10-14\n", "")
    path = tmp_path / "s.toml"
    path.write_text(text.replace("[prices]", "check_cer_constitution = false\n"
                                 "prorate_first_year = true\n\n[prices]"))  # fmt: skip
    s = load_scenario(path)
    assert s.check_cer_constitution is False
    assert s.prorate_first_year is True
    path.write_text(text.replace("[prices]", 'prorate_first_year = "yes"\n\n[prices]'))
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert info.value.field == "scenario.prorate_first_year"


def test_mid_year_plant_full_year_by_default_prorated_on_request():
    new = pv_plant("new", "2025-09-15")
    base = Scenario(plants=(pv_plant("old", "2025-01-01"), new), members=(homes(),))
    full = simulate(base)
    part = simulate(replace(base, prorate_first_year=True))
    warned = [w for w in full.warnings if w.code == "commissioned_during_year"]
    assert [w.values["plant"] for w in warned] == ["new"]
    share = warned[0].values["before_share"]
    assert 0.6 < share < 0.8  # January to mid-September of a solar year
    assert full.plants[1].production_kwh == pytest.approx(50 * 1300)
    assert part.plants[0].production_kwh == pytest.approx(full.plants[0].production_kwh)
    assert part.plants[1].production_kwh == pytest.approx(50 * 1300 * (1 - share))
    assert part.production_kwh[1][: int(np.argmax(part.production_kwh[1] > 0))].sum() == 0
    assert part.money.shared_kwh < full.money.shared_kwh
    assert part.plants[1].rid_eur < full.plants[1].rid_eur
    assert "first_year_prorated" in codes(part)
    assert "commissioned_during_year" not in codes(part)
    # economics: the partial calendar year first, full years of operation after it
    cf_full, cf_part = full.cash_flows, part.cash_flows
    np.testing.assert_allclose(cf_part.revenue_eur[2:], cf_full.revenue_eur[2:])
    np.testing.assert_allclose(cf_part.production_kwh[2:], cf_full.production_kwh[2:])
    assert cf_part.production_kwh[1] == pytest.approx(part.production_kwh.sum())
    assert cf_part.revenue_eur[1] < cf_full.revenue_eur[1]
    assert cf_part.net_eur[1] - cf_full.net_eur[1] == pytest.approx(
        cf_part.revenue_eur[1] - cf_full.revenue_eur[1]
    )
    assert full.cash_flows.npv_eur > part.cash_flows.npv_eur > full.cash_flows.npv_eur - 5000
    np.testing.assert_allclose(part.community_cash_eur[1:], full.community_cash_eur[1:])
    assert part.community_cash_eur[0] < full.community_cash_eur[0]
    new_full, new_part = full.plants[1].cash_flows, part.plants[1].cash_flows
    assert new_part.revenue_eur[1] < new_full.revenue_eur[1]
    np.testing.assert_allclose(new_part.revenue_eur[2:], new_full.revenue_eur[2:])


def test_the_reference_case_is_a_full_year_so_prorating_is_not_the_default():
    # examples/cercami_bovisa.toml (regression snapshot): plant commissioned 1/3/2025 for 2025
    s = load_scenario(REPO / "examples" / "cercami_bovisa.toml")
    result = simulate(s)
    full = result.summary()
    snapshot = json.loads((REPO / "tests/data/regression_snapshot.json").read_text())
    assert full["pv_production_kwh"] == snapshot["cercami_bovisa"]["pv_production_kwh"]
    (warned,) = [w for w in result.warnings if w.code == "commissioned_during_year"]
    share = warned.values["before_share"]
    assert 0.05 < share < 0.15  # January and February of a solar year
    part = simulate(replace(s, prorate_first_year=True)).summary()
    assert part["pv_production_kwh"] == pytest.approx(full["pv_production_kwh"] * (1 - share))
    assert part["shared_kwh"] < full["shared_kwh"]
    assert part["npv_eur"] < full["npv_eur"]  # the partial year repeated over the horizon


def test_rid_without_minimum_prices_via_the_scenario_parameters():
    small = pv_plant("small", "2025-01-01", kwp=20.0)
    base = Scenario(plants=(small,), members=(homes(2),), price_mean_eur_per_mwh=20.0)
    with_pmg = simulate(base)
    without = simulate(replace(base, parameter_overrides=(("rid.apply_pmg", False),)))
    assert without.rid_eur < with_pmg.rid_eur  # at a 20 €/MWh mean the PMG true-up pays
    assert without.rid_eur == pytest.approx(
        float(np.dot(without.injection_kwh[0], without.price_eur_per_mwh)) / 1000
    )
    assert "pmg_off" in codes(without)
    assert "pmg_off" not in codes(with_pmg)
