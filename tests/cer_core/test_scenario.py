"""Scenarios end to end: prosumers, eligibility, F exemptions, economics, marginal effect,
TOML loading and bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cer_core import incentives
from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.parameters import load_parameters
from cer_core.scenario import (
    MemberGroup,
    Plant,
    Scenario,
    added_energy,
    load_scenario,
    marginal_effect,
    marginal_money,
    member_consumption_kwh,
    simulate,
)
from tests.cer_core.tier_bounds import tip_bounds_eur_per_mwh

P2025 = load_parameters(2025)  # the 2025 rules, named where a test uses them

REPO = Path(__file__).resolve().parents[2]
H = 8760
HOUR = np.asarray(year_index(2025).hour)
SOLAR = np.clip(np.sin((HOUR - 6) / 12 * np.pi), 0, None)  # synthetic bell 06-18
SOLAR_KWH_PER_KWP = SOLAR / SOLAR.sum() * 1300
FLAT = np.full(H, 1.0 / H)  # 1 kWh per year, flat
EVENING = np.where(HOUR >= 18, 1.0, 0.0)
EVENING = EVENING / EVENING.sum()

SUMMARY_KEYS = {
    "pv_production_kwh",
    "self_consumption_kwh",
    "injection_kwh",
    "withdrawal_kwh",
    "shared_kwh",
    "tip_eur",
    "valorisation_eur",
    "rid_eur",
    "gse_fee_eur",
    "excess_eur",
    "bill_savings_eur",
    "npv_eur",
    "irr",
    "payback_years",
    "plants",
}


def plant(name="P", kwp=50.0, when="2025-03-01", **kw):
    return Plant(
        name, kwp, dt.date.fromisoformat(when), production_kwh=SOLAR_KWH_PER_KWP * kwp, **kw
    )


def group(name="homes", count=20, shape=FLAT, annual=2700.0, **kw):
    return MemberGroup(name, count, "csv", consumption_kwh=shape * annual, **kw)


def test_summary_keys_and_consistency():
    s = Scenario(plants=(plant(),), members=(group(),), year=2025)
    r = simulate(s)
    out = r.summary()
    assert SUMMARY_KEYS <= set(out)
    assert out["pv_production_kwh"] == pytest.approx(50 * 1300)
    expected_shared = np.minimum(r.injection_kwh.sum(axis=0), r.withdrawal_kwh).sum()
    assert out["shared_kwh"] == pytest.approx(expected_shared)
    assert out["withdrawal_kwh"] == pytest.approx(20 * 2700)
    assert len(out["plants"]) == 1
    assert out["plants"][0]["shared_kwh"] == pytest.approx(expected_shared)
    tip = incentives.tip_money_eur(
        r.shared_per_plant_kwh[0], incentives.tip_eur_per_mwh(50, r.price_eur_per_mwh, params=P2025)
    )
    assert out["tip_eur"] == pytest.approx(tip)
    assert out["gse_fee_eur"] == pytest.approx(15 + 30)
    assert math.isfinite(out["npv_eur"])
    assert r.hours.equals(year_index(2025))


def test_prosumer_self_consumption_is_never_shared():
    home = group("villa", 1, EVENING * 0.5 + FLAT * 0.5, 4000.0)
    pv = plant("roof", 6.0, behind_meter_of="villa", holder_type="persona_fisica")
    r = simulate(Scenario(plants=(pv,), members=(home,), community_min_plant_kw_rule=False))
    out = r.summary()
    assert out["self_consumption_kwh"] > 0
    # alone, a prosumer cannot share with itself: at one meter residual injection and
    # residual withdrawal never happen in the same hour
    assert out["shared_kwh"] == pytest.approx(0.0, abs=1e-9)
    assert out["tip_eur"] == pytest.approx(0.0, abs=1e-9)
    assert out["bill_savings_eur"] > 0
    np.testing.assert_allclose(
        r.self_consumption_kwh[0], np.minimum(r.production_kwh[0], r.consumption_kwh)
    )
    # with a neighbour, only residual injection is shared
    neighbour = group("neighbour", 1, FLAT, 3000.0)
    r2 = simulate(
        Scenario(plants=(pv,), members=(home, neighbour), community_min_plant_kw_rule=False)
    )
    assert 0 < r2.summary()["shared_kwh"] <= r2.summary()["injection_kwh"] + 1e-9
    assert r2.summary()["self_consumption_kwh"] == pytest.approx(out["self_consumption_kwh"])


def test_community_rule_excludes_small_plants_from_the_configuration():
    small = plant("small", 6.0)
    members = (group(),)
    on = simulate(Scenario(plants=(small,), members=members, community_min_plant_kw_rule=True))
    off = simulate(Scenario(plants=(small,), members=members, community_min_plant_kw_rule=False))
    assert on.summary()["shared_kwh"] == 0
    assert on.summary()["tip_eur"] == 0
    assert on.summary()["rid_eur"] == pytest.approx(off.summary()["rid_eur"])  # still sells
    assert off.summary()["shared_kwh"] > 0
    assert not on.plants[0].in_configuration
    assert any("community rule" in w for w in on.warnings)


def test_plant_before_cer_constitution_gets_valorisation_but_no_tip():
    s = Scenario(
        plants=(plant("old", 50, "2024-06-01"), plant("new", 50, "2025-01-10")),
        members=(group(count=60),),
        cer_constitution_date="2024-10-14",
    )
    r = simulate(s)
    old, new = r.plants
    assert not old.tip_eligible
    assert old.tip_eur == 0
    assert old.valorisation_eur > 0
    assert new.tip_eligible
    assert new.tip_eur > 0
    assert old.shared_kwh >= new.shared_kwh  # older plant served first


def test_f_exemption_natural_persons_from_2025():
    grant = plant("grant", 50, grant_share=0.30)
    homes = group(holder_type="persona_fisica")
    firms = group("firms", holder_type="impresa")
    full = simulate(Scenario(plants=(plant("grant", 50),), members=(homes,))).money.tip_eur
    exempt = simulate(Scenario(plants=(grant,), members=(homes,), year=2025)).money.tip_eur
    reduced = simulate(Scenario(plants=(grant,), members=(firms,), year=2025)).money.tip_eur
    assert exempt == pytest.approx(full)  # all withdrawal points are natural persons
    assert reduced == pytest.approx(full * (1 - 0.375))


def test_excess_rule_reported():
    # a small plant entirely shared: ratio 1.0 > 0.55 → 45 % of the TIP is excess
    s = Scenario(plants=(plant("P", 20.0),), members=(group(count=200),))
    r = simulate(s)
    assert r.money.shared_kwh == pytest.approx(r.injection_kwh.sum())
    assert r.money.excess_eur == pytest.approx(0.45 * r.money.tip_eur)
    assert r.plants[0].excess_eur == pytest.approx(r.money.excess_eur)
    assert any("55 %" in w for w in r.warnings)
    # producers keep 100 % of the rest, the excess stays with the community
    owners = simulate(dataclasses.replace(s, producer_share=1.0))
    assert owners.community_cash_eur[0] == pytest.approx(r.money.excess_eur)


def test_monthly_and_cash_flow_tables():
    r = simulate(Scenario(plants=(plant(),), members=(group(),), horizon_years=20))
    monthly = r.monthly()
    assert list(monthly.index) == list(range(1, 13))
    assert monthly["shared_kwh"].sum() == pytest.approx(r.money.shared_kwh)
    table = r.cash_flow_table()
    assert len(table) == 21
    assert table["net_eur"].sum() == pytest.approx(r.cash_flows.net_eur.sum())
    assert table["community_eur"].iloc[0] == 0


def test_tip_stops_after_20_years_valorisation_continues():
    s = Scenario(
        plants=(plant(when="2025-01-01"),), members=(group(),), horizon_years=25, producer_share=0.0
    )
    r = simulate(s)
    community = r.community_cash_eur
    assert len(community) == 25
    assert community[19] > community[20] > 0  # TIP years 2025-2044, then valorisation only


def test_leap_year_runs():
    r = simulate(
        Scenario(
            plants=(Plant("P", 50, "2024-03-01", production_kwh=np.full(8784, 0.7)),),
            members=(MemberGroup("m", 3, "csv", consumption_kwh=np.full(8784, 0.3)),),
            year=2024,
        )
    )
    assert r.shared_kwh.shape == (8784,)
    assert r.summary()["shared_kwh"] == pytest.approx(0.7 * 8784)


def test_marginal_member_matches_two_full_runs():
    base = Scenario(plants=(plant(),), members=(group(),))
    newcomer = group("newcomer", 1, EVENING, 3000.0, holder_type="impresa")
    m = marginal_effect(base, add_member=newcomer)
    with_it = simulate(dataclasses.replace(base, members=(*base.members, newcomer)))
    assert m.after.shared_kwh == pytest.approx(with_it.money.shared_kwh)
    assert m.after.tip_eur == pytest.approx(with_it.money.tip_eur)
    assert m.after.valorisation_eur == pytest.approx(with_it.money.valorisation_eur)
    assert m.delta_shared_kwh >= 0
    assert m.as_dict()["delta_net_incentives_eur"] == pytest.approx(m.delta_net_incentives_eur)


def test_marginal_plant_matches_two_full_runs():
    base = Scenario(plants=(plant(),), members=(group(count=80),))
    extra = plant("second", 30.0, "2025-06-01", grant_share=0.2)
    m = marginal_effect(base, add_plant=extra)
    with_it = simulate(dataclasses.replace(base, plants=(*base.plants, extra)))
    assert m.after.shared_kwh == pytest.approx(with_it.money.shared_kwh)
    assert m.after.tip_eur == pytest.approx(with_it.money.tip_eur)
    assert m.after.gse_fee_eur == pytest.approx(with_it.money.gse_fee_eur)
    assert m.after.excess_eur == pytest.approx(with_it.money.excess_eur)
    assert m.added_production_kwh == pytest.approx(30 * 1300)


def test_marginal_prosumer_plant_matches_full_run():
    home = group("villa", 1, EVENING * 0.5 + FLAT * 0.5, 4000.0)
    base = Scenario(plants=(plant(),), members=(group(), home))
    pv = plant("villa roof", 12.0, behind_meter_of="villa")
    m = marginal_effect(base, add_plant=pv)
    with_it = simulate(dataclasses.replace(base, plants=(*base.plants, pv)))
    assert m.after.shared_kwh == pytest.approx(with_it.money.shared_kwh)
    assert m.after.tip_eur == pytest.approx(with_it.money.tip_eur)


def test_marginal_plant_started_mid_year_warns_as_a_full_run():
    """The added plant goes through the same first-year step as in simulate (docs/rules.md §3.4)."""
    base = Scenario(plants=(plant(),), members=(group(count=80),))
    extra = plant("second", 40.0, "2025-07-01")
    m = marginal_effect(base, add_plant=extra)
    with_it = simulate(dataclasses.replace(base, plants=(*base.plants, extra)))
    assert [w.code for w in m.warnings] == [w.code for w in with_it.warnings]
    assert "commissioned_during_year" in [w.code for w in m.warnings]
    assert m.plant.production_kwh == pytest.approx(with_it.plants[-1].production_kwh)
    assert m.plant.cash_flows.npv_eur == pytest.approx(with_it.plants[-1].cash_flows.npv_eur)


def test_marginal_refuses_a_mid_year_plant_when_prorating():
    base = Scenario(plants=(plant(),), members=(group(count=80),), prorate_first_year=True)
    with pytest.raises(InputError) as caught:
        marginal_effect(base, add_plant=plant("second", 40.0, "2025-07-01"))
    assert caught.value.code == "prorate_added_plant"
    # a plant running from 1 January needs no pro-rating: computed as before
    m = marginal_effect(base, add_plant=plant("third", 40.0, "2025-01-01"))
    assert m.added_production_kwh > 0


def test_marginal_needs_an_addition():
    base = Scenario(plants=(plant(),), members=(group(),))
    with pytest.raises(InputError):
        marginal_effect(base)


def test_added_energy_settled_under_other_prices_is_the_marginal_effect_there():
    """The energies of an addition are computed once and settled on another price run: the
    figures are those of the marginal effect computed on that run (what the estimate relies on)."""
    home = group("villa", 1, EVENING * 0.5 + FLAT * 0.5, 4000.0)
    pv = plant("villa roof", 6.0, behind_meter_of="villa")
    config = Scenario(plants=(plant(), plant("grant", 40.0, grant_share=0.3)), members=(group(),))
    central = simulate(config)
    high = simulate(dataclasses.replace(config, price_year=2023))
    assert not np.array_equal(central.price_eur_per_mwh, high.price_eur_per_mwh)
    energy = added_energy(central, add_member=home, add_plant=pv)
    reused = marginal_money(high, energy)
    direct = marginal_effect(high, add_member=home, add_plant=pv)
    assert reused.as_dict() == direct.as_dict()
    assert reused.after == direct.after
    assert reused.plant.rid_eur == direct.plant.rid_eur
    assert reused.plant.bill_savings_eur == direct.plant.bill_savings_eur
    assert reused.plant.cash_flows.npv_eur == direct.plant.cash_flows.npv_eur
    assert np.array_equal(reused.delta_shared_hourly_kwh, direct.delta_shared_hourly_kwh)
    assert [w.code for w in reused.warnings] == [w.code for w in direct.warnings]
    # the prices do change the money
    assert reused.plant.rid_eur != marginal_money(central, energy).plant.rid_eur


def test_added_energy_refuses_a_run_with_other_energies():
    base = simulate(Scenario(plants=(plant(),), members=(group(),)))
    other = simulate(Scenario(plants=(plant(),), members=(group(count=80),)))
    energy = added_energy(base, add_member=group("newcomer", 1, EVENING, 3000.0))
    with pytest.raises(ValueError, match="another configuration"):
        marginal_money(other, energy)


def test_added_energy_refuses_a_run_under_other_rules():
    """Same arrays, another rule for the added plant (the minimum size): not reused."""
    config = Scenario(plants=(plant(),), members=(group(),))
    base = simulate(config)
    stricter = simulate(
        dataclasses.replace(config, parameter_overrides={"community.min_plant_kw": 50.0})
    )
    energy = added_energy(base, add_member=group("newcomer", 1, EVENING, 3000.0))
    with pytest.raises(ValueError, match="another configuration"):
        marginal_money(stricter, energy)
    dearer_bills = simulate(
        dataclasses.replace(config, parameter_overrides={"bills.domestic.energy_eur_per_kwh": 0.5})
    )
    marginal_money(dearer_bills, energy)  # a bill price is what a price scenario may move


# --- TOML -------------------------------------------------------------------------------------

GOOD = """
[scenario]
year = 2025
community_min_plant_kw_rule = false
[[plants]]
name = "roof"
kwp = 20
commissioning_date = 2025-02-01
{plant_extra}
[[members]]
name = "homes"
count = 5
{member_extra}
"""


def write(tmp_path, text, csv_rows=None, csv_name="series.csv"):
    if csv_rows is not None:
        (tmp_path / csv_name).write_text("\n".join(csv_rows) + "\n")
    path = tmp_path / "s.toml"
    path.write_text(text)
    return path


def test_toml_with_csv_series(tmp_path):
    rows = ["timestamp,kwh"] + [
        f"2025-01-01 {i},{v:.5f}" for i, v in enumerate(SOLAR_KWH_PER_KWP * 20)
    ]
    path = write(
        tmp_path,
        GOOD.format(plant_extra='production_csv = "series.csv"', member_extra="annual_kwh = 2700"),
        rows,
    )
    s = load_scenario(path)
    assert s.plants[0].production_kwh.sum() == pytest.approx(20 * 1300, rel=1e-5)
    assert s.members[0].count == 5
    assert simulate(s).summary()["pv_production_kwh"] == pytest.approx(26000, rel=1e-5)


@pytest.mark.parametrize(
    ("plant_extra", "member_extra", "field", "words"),
    [
        ("surface_tilt = 120", "", "plants[0].surface_tilt", "90"),
        ("grant_share = 0.45", "", "plants[0].grant_share", "0.4"),
        ('surface_azimuth = "south"', "", "plants[0].surface_azimuth", "a number"),
        ("losses_pct = nan", "", "plants[0].losses_pct", "50"),
        ("colour = 1", "", "plants[0].colour", "unknown"),
        ('behind_meter_of = "nobody"', "", "plants[0].behind_meter_of", "member group"),
        ('commissioning_date = "soon"', "", "plants[0].commissioning_date", "YYYY"),
        ("", "count = 2.5", "members[0].count", "whole"),
        ("", 'holder_type = "alien"', "members[0].holder_type", "persona_fisica"),
        ("", 'profile = "castle"', "members[0].profile", "household"),
    ],
)
def test_bad_toml_values_name_the_field(tmp_path, plant_extra, member_extra, field, words):
    text = GOOD.format(plant_extra=plant_extra, member_extra=member_extra)
    if 'commissioning_date = "soon"' in plant_extra:
        text = text.replace("commissioning_date = 2025-02-01\n", "")
    if "count = 2.5" in member_extra:
        text = text.replace("count = 5\n", "")
    with pytest.raises(InputError) as err:
        load_scenario(write(tmp_path, text))
    assert err.value.field == field
    assert words in err.value.message


@pytest.mark.parametrize(
    ("kwp", "words"), [("-3", "more than 0"), ("5000", "1,000"), ('"ten"', "number")]
)
def test_bad_kwp(tmp_path, kwp, words):
    text = GOOD.format(plant_extra="", member_extra="").replace("kwp = 20", f"kwp = {kwp}")
    with pytest.raises(InputError) as err:
        load_scenario(write(tmp_path, text))
    assert err.value.field == "plants[0].kwp"
    assert words in err.value.message


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (["0.5"] * 8759, "8,759"),
        (["0.5"] * 8759 + ["nan"], "not a finite number"),
        (["0.5"] * 8759 + ["abc"], "line 8760"),
        (["0.5"] * 8759 + ["-1"], "line 8760"),
    ],
)
def test_bad_csv_series(tmp_path, rows, words):
    text = GOOD.format(plant_extra="", member_extra='consumption_csv = "series.csv"')
    with pytest.raises(InputError) as err:
        load_scenario(write(tmp_path, text, rows))
    assert err.value.field.startswith("members[0].consumption_csv")
    assert words in str(err.value)


def test_bad_scenario_level_fields(tmp_path):
    text = GOOD.format(plant_extra="", member_extra="").replace(
        "year = 2025", "year = 2025\nlatitude = 123"
    )
    with pytest.raises(InputError) as err:
        load_scenario(write(tmp_path, text))
    assert err.value.field == "scenario.latitude"
    text = GOOD.format(plant_extra="", member_extra="") + '\n[parameters]\n"tip.nope" = 1\n'
    with pytest.raises(InputError) as err:
        load_scenario(write(tmp_path, text))
    assert err.value.field == "parameters.tip.nope"
    text = GOOD.format(plant_extra="", member_extra="") + "\n[prices]\nyear = 1999\n"
    with pytest.raises(InputError) as err:
        load_scenario(write(tmp_path, text))
    assert err.value.field == "prices.year"
    with pytest.raises(InputError) as err:
        load_scenario(tmp_path / "missing.toml")
    assert err.value.field == "scenario"
    (tmp_path / "broken.toml").write_text("[scenario\nyear=")
    with pytest.raises(InputError):
        load_scenario(tmp_path / "broken.toml")


@pytest.mark.parametrize("name", ["cercami_bovisa.toml", "condominium_prosumers.toml"])
def test_examples_run_with_pvlib_and_embedded_data(name):
    r = simulate(load_scenario(REPO / "examples" / name))
    out = r.summary()
    assert 0 < out["shared_kwh"] <= out["injection_kwh"]
    assert out["tip_eur"] > 0
    assert out["rid_eur"] > 0
    for p in out["plants"]:
        # Milan area yields with these tilts: 1,000-1,450 kWh/kWp
        assert 1000 < p["production_kwh"] / p["kwp"] < 1450


def test_tip_power_share_rescales_tip_not_valorisation():
    full = simulate(Scenario(plants=(plant(),), members=(group(),)))
    part = simulate(Scenario(plants=(plant(tip_power_share=0.6),), members=(group(),)))
    assert part.money.tip_eur == pytest.approx(0.6 * full.money.tip_eur)
    assert part.money.valorisation_eur == pytest.approx(full.money.valorisation_eur)


def test_roof_area_instead_of_kwp(tmp_path):
    text = GOOD.format(plant_extra="", member_extra="").replace("kwp = 20", "roof_area_m2 = 100")
    s = load_scenario(write(tmp_path, text))
    assert 10 < s.plants[0].kwp < 30
    bad = text.replace("roof_area_m2 = 100", "roof_area_m2 = -5")
    with pytest.raises(InputError) as err:
        load_scenario(write(tmp_path, bad))
    assert err.value.field == "plants[0].roof_area_m2"


def test_deduction_counted_as_grant_parameter():
    home = group("villa", 1, EVENING * 0.5 + FLAT * 0.5, 4000.0)
    pv = plant("roof", 12.0, behind_meter_of="villa", holder_type="persona_fisica")
    members = (home, group("neighbours", 5))
    plain = simulate(Scenario(plants=(pv,), members=members))
    assert plain.plants[0].tip_eligible
    assert any("tax deduction" in w for w in plain.warnings)
    strict = simulate(
        Scenario(
            plants=(pv,),
            members=members,
            parameter_overrides={"finance.deduction_counts_as_grant": True},
        )
    )
    assert not strict.plants[0].tip_eligible  # 50 % deduction > 40 %: not cumulable
    assert strict.money.tip_eur == 0
    assert strict.money.valorisation_eur == pytest.approx(plain.money.valorisation_eur)
    assert "not cumulable" in strict.plants[0].reasons[-1]


@settings(max_examples=25, deadline=None)
@given(
    kwp=st.floats(min_value=1.0, max_value=300.0),
    counts=st.lists(st.integers(1, 50), min_size=1, max_size=3),
    host_kwh=st.floats(min_value=500.0, max_value=20_000.0),
    grant=st.floats(min_value=0.0, max_value=0.4),
)
def test_scenario_invariants(kwp, counts, host_kwh, grant):
    groups = tuple(
        group(
            f"g{i}",
            c,
            EVENING if i % 2 else FLAT,
            2700.0,
            holder_type="impresa" if i else "persona_fisica",
        )
        for i, c in enumerate(counts)
    )
    host = group("host", 1, FLAT, host_kwh, customer="business", holder_type="impresa")
    plants = (
        plant("A", kwp, grant_share=grant),
        plant("B", 20.0, "2025-05-01", behind_meter_of="host"),
    )
    r = simulate(Scenario(plants=plants, members=(*groups, host)))
    tol = 1e-6
    assert (r.shared_kwh <= r.injection_kwh.sum(axis=0) + tol).all()
    assert (r.shared_kwh <= r.withdrawal_kwh + tol).all()
    assert (r.self_consumption_kwh <= r.production_kwh + tol).all()
    np.testing.assert_allclose(r.shared_per_plant_kwh.sum(axis=0), r.shared_kwh, atol=1e-6)
    np.testing.assert_allclose(
        r.withdrawal_kwh + r.self_consumption_kwh.sum(axis=0), r.consumption_kwh, atol=1e-6
    )
    low, _ = tip_bounds_eur_per_mwh(kwp, grant_share=grant, params=P2025)
    e = r.shared_per_plant_kwh[0].sum()
    assert (
        low * e / 1000 - tol
        <= r.plants[0].tip_eur
        <= tip_bounds_eur_per_mwh(kwp, params=P2025)[1] * e / 1000 + tol
    )


def test_engine_caches_are_bounded():
    from cer_core.scenario import hourly_inputs

    hourly_inputs.clear_caches()
    for k in range(hourly_inputs.PROFILE_CACHE_ENTRIES + 5):
        member_consumption_kwh(MemberGroup("m", annual_kwh=1000.0 + k), 2025)
    info = hourly_inputs._profile.cache_info()
    assert info.maxsize == hourly_inputs.PROFILE_CACHE_ENTRIES
    assert info.currsize == hourly_inputs.PROFILE_CACHE_ENTRIES
    shared = member_consumption_kwh(MemberGroup("m", annual_kwh=1000.0), 2025)
    assert not shared.flags.writeable  # a cached series cannot be changed by a caller
