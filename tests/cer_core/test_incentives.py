"""TIP tiers and bounds (hypothesis), eligibility, F exemptions, fee, valorisation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cer_core import incentives
from cer_core.errors import InputError
from cer_core.parameters import load_parameters
from tests.cer_core.tier_bounds import tip_bounds_eur_per_mwh

P2025 = load_parameters(2025)  # the 2025 rules, named where a test uses them


@settings(max_examples=200, deadline=None)
@given(
    kw=st.floats(min_value=0.1, max_value=1000.0),
    pz=st.floats(min_value=-500.0, max_value=4000.0),
    region=st.sampled_from(["north", "centre", "south"]),
    source=st.sampled_from(["pv", "wind"]),
    grant=st.floats(min_value=0.0, max_value=0.40),
)
def test_tip_within_tier_bounds(kw, pz, region, source, grant):
    low, high = tip_bounds_eur_per_mwh(kw, region, source, grant, params=P2025)
    tip = float(incentives.tip_eur_per_mwh(kw, pz, region, source, grant, params=P2025))
    assert low - 1e-9 <= tip <= high + 1e-9
    tier = incentives.tier_index(kw, params=P2025)
    assert high <= (120, 110, 100)[tier] + 10 + 1e-9


@pytest.mark.parametrize(
    ("kw", "low", "high"), [(200, 90, 130), (200.01, 80, 120), (600, 80, 120), (601, 70, 110)]
)
def test_tier_boundaries_north_pv(kw, low, high):
    assert tip_bounds_eur_per_mwh(kw, params=P2025) == pytest.approx((low, high))


def test_tip_decreases_with_price():
    pz = np.linspace(-100, 300, 41)
    tip = incentives.tip_eur_per_mwh(100, pz, params=P2025)
    assert (np.diff(tip) <= 0).all()


@pytest.mark.parametrize("kw", [0, -5, float("nan"), "abc", 5000])
def test_bad_power(kw):
    with pytest.raises(InputError) as err:
        incentives.tip_eur_per_mwh(kw, 100.0, params=P2025)
    assert err.value.field == "plant_kw"


def test_unknown_region():
    with pytest.raises(InputError) as err:
        incentives.tip_eur_per_mwh(100, 100.0, region="Atlantis", params=P2025)
    assert err.value.field == "region"


def test_zone_names_and_regions():
    assert incentives.macro_area("NORD") == "north"
    assert incentives.macro_area("Lombardia") == "north"
    assert incentives.macro_area("Toscana") == "centre"
    assert incentives.macro_area("Sicilia") == "south"


def test_eligibility_rules():
    ok = incentives.check_eligibility(
        50, dt.date(2025, 3, 1), cer_constitution_date="2024-10-14", params=P2025
    )
    assert ok.tip_eligible
    assert ok.in_configuration
    assert ok.reasons == ()
    old = incentives.check_eligibility(50, "2020-05-01", params=P2025)
    assert old.in_configuration
    assert not old.tip_eligible
    assert "2021-12-16" in old.reasons[0]
    before_cer = incentives.check_eligibility(
        50, "2024-06-01", cer_constitution_date="2024-10-14", params=P2025
    )
    assert not before_cer.tip_eligible
    assert "constituted" in before_cer.reasons[0]
    exception = load_parameters(2025, {"tip.cer_timing_exception": True})
    assert incentives.check_eligibility(
        50, "2024-06-01", cer_constitution_date="2024-10-14", params=exception
    ).tip_eligible
    late = incentives.check_eligibility(50, "2028-02-01", params=P2025)
    assert not late.tip_eligible
    assert incentives.check_eligibility(1000, "2025-01-01", params=P2025).tip_eligible
    with pytest.raises(InputError):
        incentives.check_eligibility(1000.5, "2025-01-01", params=P2025)
    with pytest.raises(InputError) as err:
        incentives.check_eligibility(50, "2025-01-01", grant_share=0.45, params=P2025)
    assert err.value.field == "grant_share"
    with pytest.raises(InputError) as err:
        incentives.check_eligibility(50, "March 2025", params=P2025)
    assert err.value.field == "commissioning_date"


def test_community_rule_is_separate_from_national_rules():
    small = incentives.check_eligibility(6, "2025-01-01", community_min_kw=10, params=P2025)
    assert not small.in_configuration
    assert all(r.startswith("community rule") for r in small.reasons)
    assert incentives.check_eligibility(
        6, "2025-01-01", community_min_kw=None, params=P2025
    ).tip_eligible


def test_exempt_split_modes():
    per_plant = np.array([[40.0, 10.0], [60.0, 0.0]])  # plant 0 (grant), plant 1 (no grant)
    ex_w, tot_w = np.array([50.0, 5.0]), np.array([100.0, 10.0])
    pro = incentives.exempt_energy_kwh(per_plant, ex_w, tot_w, [True, False], [0, 1])
    np.testing.assert_allclose(pro, [[20.0, 5.0], [30.0, 0.0]])
    prio = incentives.exempt_energy_kwh(
        per_plant, ex_w, tot_w, [True, False], [1, 0], mode="priority_grant_plants"
    )
    # hour 1: exempt pool = 0.5 × 100 = 50 → 40 to the grant plant first, 10 to the other
    np.testing.assert_allclose(prio, [[40.0, 5.0], [10.0, 0.0]])
    assert not incentives.exempt_energy_kwh(
        per_plant, ex_w, tot_w, [True, False], [0, 1], "none"
    ).any()
    with pytest.raises(InputError):
        incentives.exempt_energy_kwh(per_plant, ex_w, tot_w, [True, False], [0, 1], "bogus")


def test_gse_fee_bad_power():
    with pytest.raises(InputError):
        incentives.gse_fee_eur(-1, params=P2025)


def test_valorisation_years_and_flag():
    assert incentives.cu_af_eur_per_mwh(params=load_parameters(2022)) == pytest.approx(8.22)
    assert incentives.cu_af_eur_per_mwh(params=load_parameters(2023)) == pytest.approx(9.09)
    p = load_parameters(2026)
    assert "valorisation.tras_e_eur_per_mwh" in p.extrapolated
    assert incentives.cu_af_eur_per_mwh(params=p) == pytest.approx(11.22)
