"""The resident's estimate (cer_core.resident): defaults, the four options, numbers equal to the
engine's, validation messages naming fields, and the reference configurations file."""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pandas as pd
import pytest

from cer_core import resident
from cer_core.calendar import arera_bands
from cer_core.commissioning import CONSTITUTION_NOTICES
from cer_core.configurations import load_configurations
from cer_core.errors import InputError
from cer_core.resident import ResidentInputs, estimate
from cer_core.scenario import Result, simulate


@pytest.fixture(scope="module")
def consumer():
    return estimate(ResidentInputs(configuration_id="citta-studi"))


@pytest.fixture(scope="module")
def prosumer():
    return estimate(ResidentInputs(configuration_id="citta-studi", option="pv_join", pv_kwp=4.5))


def test_defaults_give_a_result():
    est = estimate(ResidentInputs())
    head = est.headline()
    assert est.inputs.configuration_id == "default"
    assert est.consumption_kwh == pytest.approx(2700.0, rel=1e-6)
    assert head["shared_thanks_to_me_kwh"] > 0
    assert head["solidarity_eur"] > 0
    assert ("no_configuration", {}) in est.notes


def test_consumer_bill_unchanged_and_positive_solidarity(consumer):
    assert consumer.bill_savings_eur == 0
    assert consumer.rid_eur == 0
    assert consumer.my_total_eur == 0
    assert consumer.production_kwh == 0
    assert consumer.solidarity_eur > 0
    assert consumer.npv_eur is None
    assert consumer.payback_years is None
    assert ("bill_unchanged", {}) in consumer.notes
    # the solidarity slice is (1 − producers' share) of the extra net incentives without the
    # excess TIP, plus the extra excess TIP (docs/rules.md §4)
    share = consumer.producer_share
    assert share == pytest.approx(0.20)
    excess = consumer.delta_excess_eur
    assert consumer.solidarity_eur == pytest.approx(
        (1 - share) * (consumer.delta_net_incentives_eur - excess) + excess
    )
    # shared thanks to me cannot exceed my consumption (docs/rules.md §2.1 invariant)
    assert 0 < consumer.shared_thanks_to_me_kwh <= consumer.consumption_kwh


@pytest.mark.parametrize(
    "kwargs",
    [
        {"option": "consumer"},
        {"option": "pv", "pv_kwp": 4.5},
        {"option": "pv_join", "pv_kwp": 12.0, "who": "shop", "annual_kwh": 20000.0},
        {"option": "producer", "pv_kwp": 40.0, "price_scenario": "high"},
        {"configuration_id": "default", "option": "pv_join", "pv_kwp": 20.0},
        {"configuration_id": "citta-studi", "option": "producer", "pv_kwp": 200.0},
    ],
)
def test_estimate_equals_two_full_runs(kwargs):
    """The estimate adds the user to a reused base run (one marginal effect per price scenario);
    its figures are those of simulating the configuration without and with the user."""
    inputs = ResidentInputs(**{"configuration_id": "chiaravalle", **kwargs})
    est = estimate(inputs)
    ps = inputs.price_scenario
    base = simulate(resident.base_scenario(inputs.configuration_id, inputs.year, ps, inputs.joins))
    with_me = simulate(resident.user_scenario(inputs))
    if inputs.joins:
        assert est.shared_thanks_to_me_kwh == pytest.approx(
            with_me.money.shared_kwh - base.money.shared_kwh, rel=1e-12, abs=1e-9
        )
        assert est.delta_net_incentives_eur == pytest.approx(
            with_me.money.net_incentives_eur - base.money.net_incentives_eur, rel=1e-12, abs=1e-9
        )
        assert est.hourly["shared_thanks_to_me_kwh"].to_numpy() == pytest.approx(
            with_me.shared_kwh - base.shared_kwh, abs=1e-12
        )
        # what goes to the community in year 1, excess TIP included (docs/rules.md §4)
        assert est.solidarity_eur == pytest.approx(
            with_me.community_cash_eur[0] - base.community_cash_eur[0], rel=1e-9, abs=1e-9
        )
    # the same warnings, but a user outside the CER is not told how its plants are checked
    # against its constitution date (the full run of the user alone has that check off, and says so)
    codes = [w.code for w in with_me.warnings]
    if not inputs.joins:
        assert "cer_constitution_check_off" in codes
    assert est.warnings == tuple(
        w for w in with_me.warnings if inputs.joins or w.code not in CONSTITUTION_NOTICES
    )
    mine = next((p for p in with_me.plants if p.name == resident.MY_PLANT), None)
    if mine is None:
        assert est.production_kwh == 0
        return
    assert est.production_kwh == pytest.approx(mine.production_kwh, rel=1e-12)
    assert est.rid_eur == pytest.approx(mine.rid_eur, rel=1e-12)
    assert est.bill_savings_eur == pytest.approx(mine.bill_savings_eur, rel=1e-12, abs=1e-12)
    assert est.npv_eur == pytest.approx(mine.cash_flows.npv_eur, rel=1e-12)
    # year-1 money to me: the engine's year-1 revenue and deduction instalment of my plant
    year_1 = mine.cash_flows.revenue_eur[1] + mine.cash_flows.tax_deduction_eur[1]
    assert est.my_total_eur == pytest.approx(year_1, rel=1e-9)
    assert est.payback_years == pytest.approx(mine.cash_flows.payback_years, rel=1e-12)
    pd.testing.assert_frame_equal(est.cash_flows, mine.cash_flows.table().reset_index())
    i = [p.name for p in with_me.scenario.plants].index(resident.MY_PLANT)
    assert est.hourly["my_plant_shared_kwh"].to_numpy() == pytest.approx(
        with_me.shared_per_plant_kwh[i], abs=1e-12
    )


def test_reference_runs_are_reused_and_bounded():
    runs = resident.ReferenceRuns(maxsize=4)
    estimate(ResidentInputs(configuration_id="bovisa"), runs)
    assert len(runs) == 3  # one base run per price scenario
    first = runs.base("bovisa", 2026, "central", True)
    estimate(ResidentInputs(configuration_id="bovisa", annual_kwh=3100.0), runs)
    assert runs.base("bovisa", 2026, "central", True) is first  # reused, not simulated again
    estimate(ResidentInputs(configuration_id="bovisa", option="pv", pv_kwp=3.0), runs)
    assert len(runs) == 4  # bounded: the least recently used run went
    with pytest.raises(InputError) as info:
        estimate(ResidentInputs(configuration_id="atlantis"), runs)
    assert info.value.field == "configuration_id"


def test_the_run_cache_holds_two_settlement_years():
    from cer_core.resident.price_scenarios import PRICE_SCENARIO_NAMES
    from cer_core.resident.references import load_reference_configurations

    one_year = len(load_reference_configurations()) * len(PRICE_SCENARIO_NAMES) * 2  # joins or not
    assert one_year == 36
    assert resident.REFERENCE_RUNS_ENTRIES >= 2 * one_year


def same_estimate(a, b) -> None:
    """Equal field by field (frames, arrays, and containers of them)."""

    def same(x, y, where: str) -> None:
        if isinstance(x, pd.Index):
            assert x.equals(y), where
        elif isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y)
        elif isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y, err_msg=where)
        elif isinstance(x, dict):
            assert x.keys() == y.keys(), where
            for key in x:
                same(x[key], y[key], f"{where}.{key}")
        elif isinstance(x, (tuple, list)) and not isinstance(x, str):
            assert len(x) == len(y), where
            for i, (u, v) in enumerate(zip(x, y, strict=True)):
                same(u, v, f"{where}[{i}]")
        else:
            assert x == y, where

    for name, value in vars(a).items():
        same(value, getattr(b, name), name)


def test_shared_runs_are_read_only_and_give_the_same_estimate_again():
    """Cached runs are shared by every session: A, B, A again equals A on a fresh cache."""
    runs = resident.ReferenceRuns()
    a = ResidentInputs(configuration_id="bovisa", option="pv_join", pv_kwp=4.5)
    b = ResidentInputs(configuration_id="bovisa", option="producer", pv_kwp=30.0)
    first = estimate(a, runs)
    estimate(b, runs)
    again = estimate(a, runs)
    same_estimate(again, estimate(a, resident.ReferenceRuns()))
    same_estimate(again, first)
    base = runs.base("bovisa", 2026, "central", True)
    with pytest.raises(ValueError, match="read-only"):
        again.price_eur_per_mwh[0] = 0.0  # the estimate shares the base run's price array
    with pytest.raises(ValueError, match="read-only"):
        base.settlement.withdrawal[0] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        base.cash_flows.net_eur[0] = 0.0


def test_estimate_keeps_only_what_the_page_reads(prosumer):
    """A cached estimate holds figures, small frames and my own hourly series: no engine run."""
    assert not any(isinstance(v, Result) for v in vars(prosumer).values())
    own = sum(a.nbytes for a in prosumer.hourly_kwh.values() if a.base is None)
    assert own <= 6 * 8784 * 8  # at most six hourly float series of one year


def test_pv_numbers_equal_the_engine(prosumer):
    run = simulate(resident.user_scenario(prosumer.inputs))
    mine = next(p for p in run.plants if p.name == resident.MY_PLANT)
    assert prosumer.production_kwh == pytest.approx(mine.production_kwh, rel=1e-9)
    assert prosumer.self_consumption_kwh == pytest.approx(mine.self_consumption_kwh, rel=1e-9)
    assert prosumer.rid_eur == pytest.approx(mine.rid_eur, rel=1e-9)
    assert prosumer.bill_savings_eur == pytest.approx(mine.bill_savings_eur, rel=1e-9)
    assert prosumer.npv_eur == pytest.approx(mine.cash_flows.npv_eur, rel=1e-9)
    assert prosumer.payback_years == pytest.approx(mine.cash_flows.payback_years, rel=1e-9)
    assert prosumer.cash_flows["net_eur"].to_numpy() == pytest.approx(mine.cash_flows.net_eur)
    # yield in the range docs/rules.md §8 gives for Milan (1,185-1,310 kWh/kWp, ± model)
    assert 1000 < prosumer.production_kwh / 4.5 < 1450
    # 4.5 kW < CER.ca.MI 10 kW minimum: said, and the plant earns no incentive
    assert any(code == "below_community_min" for code, _ in prosumer.notes)
    assert prosumer.producer_share_eur == 0
    # the deduction instalment: 50 % of the gross capex over 10 years (main home)
    assert prosumer.tax_deduction_eur_per_year == pytest.approx(0.5 * mine.capex_eur / 10)


def test_pv_only_shares_nothing_and_pays_no_fee():
    est = estimate(ResidentInputs(option="pv", pv_kwp=12.0))
    assert est.shared_thanks_to_me_kwh == 0
    assert est.solidarity_eur == 0
    assert est.delta_gse_fee_eur == 0
    assert simulate(resident.user_scenario(est.inputs)).money.gse_fee_eur == 0
    assert est.production_kwh > est.self_consumption_kwh > 0
    assert est.my_total_eur == pytest.approx(
        est.bill_savings_eur + est.rid_eur + est.tax_deduction_eur_per_year
    )


def test_cer_constitution_check_only_for_a_user_who_joins():
    """The CER's constitution-date check (DM 414 art. 3) and its notices concern a member: a user
    whose plant stays outside the CER (option ``pv``) gets neither."""
    undated = {
        rid: dataclasses.replace(ref, cer_constitution_date=None)
        for rid, ref in resident.load_reference_configurations().items()
    }
    runs = resident.ReferenceRuns(undated, maxsize=12)

    def codes(option, year=2026):
        inputs = ResidentInputs(configuration_id="bovisa", option=option, pv_kwp=12.0, year=year)
        est = estimate(inputs, runs)
        return [w.code for w in est.warnings], [w.values.get("reason", "") for w in est.warnings]

    # a configuration without a constitution date: the parameter's date is used, and said, to
    # whoever joins it
    for option in ("consumer", "pv_join", "producer"):
        assert "cer_constitution_from_parameter" in codes(option)[0], option
    warnings, _ = codes("pv")
    assert not set(warnings) & CONSTITUTION_NOTICES
    # in 2024 a plant commissioned on 1 January precedes the CER (2024-10-14): a reason for a
    # member's plant, none for a plant outside the CER
    joined = codes("pv_join", 2024)[1]
    assert any(getattr(r, "code", "") == "before_cer_constitution" for r in joined)
    alone_codes, alone_reasons = codes("pv", 2024)
    assert not set(alone_codes) & CONSTITUTION_NOTICES
    assert not any(getattr(r, "code", "") == "before_cer_constitution" for r in alone_reasons)
    assert not resident.user_scenario(ResidentInputs(option="pv")).check_cer_constitution


def test_producer_hosts_a_plant_and_gets_the_producers_share():
    est = estimate(ResidentInputs(configuration_id="default", option="producer", pv_kwp=30.0))
    assert est.self_consumption_kwh == 0
    assert est.bill_savings_eur == 0
    assert est.injection_kwh == pytest.approx(est.production_kwh)
    run = simulate(resident.user_scenario(est.inputs))
    mine = next(p for p in run.plants if p.name == resident.MY_PLANT)
    assert mine.in_configuration
    assert mine.tip_eligible
    # the excess TIP stays with the community (docs/rules.md §4)
    net_eur = mine.tip_eur - mine.excess_eur + mine.valorisation_eur - mine.gse_fee_eur
    expected = est.producer_share * net_eur
    assert est.producer_share_eur == pytest.approx(expected)
    assert est.producer_share_eur > 0
    # the three slices add up to the extra incentives
    total = est.producer_share_eur + est.other_producers_eur + est.solidarity_eur
    assert total == pytest.approx(est.delta_net_incentives_eur)


def test_small_producer_is_told_about_the_10_kw_rule():
    est = estimate(ResidentInputs(option="producer", pv_kwp=6.0))
    assert any(code == "below_community_min" for code, _ in est.notes)
    assert est.shared_thanks_to_me_kwh == pytest.approx(0.0, abs=1e-9)


def test_ranges_cover_price_scenarios_and_production_band(prosumer):
    low, central, high = prosumer.ranges["my_total_eur"]
    assert central == pytest.approx(prosumer.my_total_eur)
    assert low < central < high  # higher prices: more RID and bill savings
    p_low, p_mid, p_high = prosumer.ranges["production_kwh"]
    assert p_low < p_mid < p_high
    assert p_high / p_mid == pytest.approx(1 + resident.PRODUCTION_BAND)


def test_monthly_and_typical_days_add_up(prosumer):
    assert prosumer.monthly["production_kwh"].sum() == pytest.approx(prosumer.production_kwh)
    assert len(prosumer.monthly) == 12
    td = prosumer.typical_days
    assert set(td["season"]) == set(resident.SEASONS)
    assert len(td) == 4 * 24
    summer = td[td["season"] == "summer"]["production_kwh"].sum()
    winter = td[td["season"] == "winter"]["production_kwh"].sum()
    assert summer > 1.5 * winter
    h = prosumer.hourly
    assert np.allclose(h["self_consumption_kwh"] + h["injection_kwh"], h["production_kwh"])
    assert (h["sold_not_shared_kwh"] >= -1e-9).all()


def test_bands_and_household_class():
    est = estimate(ResidentInputs(f_bands_kwh=(1000, 800, 900)))
    assert est.consumption_kwh == pytest.approx(2700.0)
    bands = arera_bands(est.hourly.index)
    cons = est.hourly["consumption_kwh"].to_numpy()
    assert cons[bands == 1].sum() == pytest.approx(1000.0, rel=1e-6)
    assert cons[bands == 3].sum() == pytest.approx(900.0, rel=1e-6)


def test_area_sizing():
    est = estimate(ResidentInputs(option="pv", pv_sizing="area", roof_area_m2=25.0))
    assert est.inputs.kwp == pytest.approx(5.0)


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"who": "castle"}, "who"),
        ({"option": "buy"}, "option"),
        ({"annual_kwh": -5}, "annual_kwh"),
        ({"annual_kwh": "lots"}, "annual_kwh"),
        ({"pv_kwp": 0, "option": "pv"}, "pv_kwp"),
        ({"pv_kwp": 1500, "option": "pv"}, "pv_kwp"),
        ({"surface_tilt": 95}, "surface_tilt"),
        ({"surface_azimuth": -1}, "surface_azimuth"),
        ({"shading_pct": 90}, "shading_pct"),
        ({"price_scenario": "crazy"}, "price_scenario"),
        ({"configuration_id": ""}, "configuration_id"),
        ({"f_bands_kwh": (1, 2)}, "f_bands_kwh"),
        ({"f_bands_kwh": (0, 0, 0)}, "f1_kwh"),
        ({"f_bands_kwh": (100, -1, 100)}, "f2_kwh"),
        ({"option": "pv", "pv_sizing": "area"}, "roof_area_m2"),
        ({"capex_eur": -1}, "capex_eur"),
    ],
)
def test_validation_names_the_field(kwargs, field):
    with pytest.raises(InputError) as info:
        ResidentInputs(**kwargs)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")


def test_40_kwp_on_20_m2_is_explained():
    with pytest.raises(InputError) as info:
        ResidentInputs(option="pv_join", pv_kwp=40, roof_area_m2=20)
    err = info.value
    assert err.field == "pv_kwp"
    assert err.code == "roof_too_small"
    assert "200 m²" in err.message
    assert "4.0 kWp" in err.message
    assert err.values["fits"] == pytest.approx(4.0)


def test_3_kw_household_using_60000_kwh_is_explained():
    with pytest.raises(InputError) as info:
        ResidentInputs(annual_kwh=60000, power_class="1.5-3")
    err = info.value
    assert err.field == "annual_kwh"
    assert err.code == "power_class_too_small"
    assert "3 kW" in err.message
    assert "6.8 kW" in err.message
    # the same consumption is fine for a > 6 kW contract, and for a business
    ResidentInputs(annual_kwh=60000, power_class=">6")
    ResidentInputs(annual_kwh=60000, who="school")


def test_roof_area_bound_only_applies_with_pv():
    ResidentInputs(option="consumer", pv_kwp=40, roof_area_m2=20)  # PV inputs ignored
    ResidentInputs(option="pv", pv_kwp=4, roof_area_m2=20)


# --- reference configurations ------------------------------------------------------------------


def test_reference_configurations_cover_every_pilot_configuration():
    refs = resident.load_reference_configurations()
    assert resident.DEFAULT_REFERENCE in refs
    for config in load_configurations():
        assert config.id in refs, config.id
    for ref in refs.values():
        assert ref.plants
        assert ref.members
        assert "illustra" in ref.label_it.lower() or "tipo" in ref.label_it.lower()
    # published figures: PoliMi 1,049 kW Città Studi, 194 kW Bovisa (docs/rules.md §9)
    assert refs["citta-studi"].kwp == pytest.approx(1049, abs=0.5)
    assert refs["bovisa"].kwp == pytest.approx(194, abs=0.5)
    assert resident.reference_for(None) == "default"
    assert resident.reference_for("nowhere") == "default"


# --- exports ----------------------------------------------------------------------------------------


def test_csv_injection_is_neutralised():
    frame = pd.DataFrame({"=cmd": ["=1+1", "+A1", "-2", "@x", "ok"]})
    text = resident.to_csv(frame)
    back = pd.read_csv(io.StringIO(text), index_col=0)
    assert list(back.columns) == ["'=cmd"]
    assert list(back.iloc[:, 0]) == ["'=1+1", "'+A1", "'-2", "'@x", "ok"]


def test_hourly_and_yearly_csv(prosumer, consumer):
    hourly = pd.read_csv(io.StringIO(resident.hourly_csv(prosumer)))
    assert len(hourly) == len(prosumer.hourly)
    assert hourly["production_kwh"].sum() == pytest.approx(prosumer.production_kwh, rel=1e-4)
    yearly = pd.read_csv(io.StringIO(resident.yearly_csv(prosumer)))
    assert len(yearly) == 21  # investment year + 20 operating years
    one = pd.read_csv(io.StringIO(resident.yearly_csv(consumer)))
    assert one["solidarity_eur"].iloc[0] == pytest.approx(consumer.solidarity_eur, abs=0.01)


def test_a_plant_in_a_saturated_configuration_is_explained():
    """Città Studi's reference already covers the members in sunny hours: a 12 kW plant adds little
    shared energy and its 15 €/yr GSE fee exceeds the extra incentives — said, not hidden."""
    est = estimate(ResidentInputs(configuration_id="citta-studi", option="pv_join", pv_kwp=12.0))
    assert est.delta_gse_fee_eur == pytest.approx(15.0)
    assert est.delta_net_incentives_eur < 0
    codes = [code for code, _ in est.notes]
    assert "saturated" in codes
    # where plants are missing, the same plant adds incentives
    other = estimate(ResidentInputs(configuration_id="chiaravalle", option="pv_join", pv_kwp=12.0))
    assert other.delta_net_incentives_eur > 0
    assert "saturated" not in [code for code, _ in other.notes]


def test_inputs_read_no_file(monkeypatch):
    """Building inputs is pure: the reference configurations are data the estimate is given."""

    def no_file(*_args, **_kwargs):
        raise AssertionError("ResidentInputs read a data file")

    monkeypatch.setattr("cer_core.resident.references.read_toml", no_file)
    monkeypatch.setattr("cer_core.resident.references._load", no_file)
    inputs = ResidentInputs(configuration_id="bovisa", option="pv_join", pv_kwp=12.0)
    assert inputs.kwp == 12.0
