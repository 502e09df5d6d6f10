"""AID planner on a hand-worked 4-hour case, plus invariants on random portfolios."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cer_core.errors import InputError
from cer_core.parameters import load_parameters
from cer_core.planning.roofs import PlanInputs, plan_roofs, portfolio_value_eur

# Hand-worked case (4 hours, flat price 100 €/MWh, parameters of 2026 with O&M set to 0):
#   unit TIP tier ≤ 200 kW = min(120, 80 + (180 − 100)) + 10 (north)  = 130 €/MWh
#   CU_Af = TRAS_E 10.57 + BTAU 0.65                                 = 11.22 €/MWh
#   RID (3 kW, PMG 47.5 < 100)                                        = 0.1 €/kWh injected
#   avoided business bill = (0.100 + 0.02 + 0.01 + 0.03 + 0.0125) × 1.22 (VAT not recovered)
#                                                                      = 0.21045 €/kWh
#   GSE fee for 3 kW = 0.
# Roof R1 in area A (no building under it): production 0, 10, 20, 5 kWh.
# Roof R2 in area B on the building of point P2: production 0, 8, 8, 0 kWh.
# Points: P1 in A withdraws 5, 5, 5, 5; P2 in B withdraws 2, 4, 10, 2.
PRICE = 100.0
P_HAND = {"finance.opex_eur_per_kwp_year": 0.0}


def hand_inputs(**changes) -> PlanInputs:
    values = dict(
        roof_ids=("R1", "R2"),
        production_kwh=np.array([[0, 10, 20, 5], [0, 8, 8, 0]], float),
        kwp=np.array([3.0, 3.0]),
        capex_eur=np.array([4500.0, 4500.0]),
        roof_area=("A", "B"),
        roof_zone=("NORD", "NORD"),
        host_point=np.array([-1, 1]),
        consumption_kwh=np.array([[5, 5, 5, 5], [2, 4, 10, 2]], float),
        point_area=("A", "B"),
        point_zone=("NORD", "NORD"),
        price_eur_per_mwh=np.full(4, PRICE),
    )
    values.update(changes)
    return PlanInputs(**values)


def test_hand_worked_order_and_marginal_values():
    p = load_parameters(2026, P_HAND)
    plan = plan_roofs(hand_inputs(), params=p)
    # Step 1, R1 alone: TIP on min(inj, P1) = 0+5+5+5 = 15 kWh → 1.95 €; valorisation on
    # min(inj, P1+P2) = 0+9+15+5 = 29 kWh → 0.32538 €; RID 35 kWh → 3.5 €.   = 5.77538 €
    # R2 alone: on site min(prod, P2) = 0+4+8+0 = 12 kWh → 2.5254 €; injects 0,4,0,0: no TIP
    # (P2 has 2,0,2,2 left, never in the same hour); valorisation 4 kWh → 0.04488 €; RID 0.4 €
    #                                                                         = 2.97028 €
    # Step 2, R2 after R1: P2's lower withdrawal cuts the zone's shared energy from 29 to
    # min(0,14,20,5 ; 7,5,7,7) = 17 kWh (−12 kWh → −0.13464 €): 2.5254 + 0.4 − 0.13464 = 2.79076
    assert [s.roof_id for s in plan.steps] == ["R1", "R2"]
    assert plan.steps[0].marginal_eur_per_year == pytest.approx(5.77538, abs=1e-9)
    assert plan.steps[1].marginal_eur_per_year == pytest.approx(2.79076, abs=1e-9)
    assert plan.total_eur_per_year == pytest.approx(8.56614, abs=1e-9)
    assert plan.steps[0].marginal_score == pytest.approx(5.77538 / 4500.0)
    r1, r2 = plan.plants
    # Final portfolio: R1 (older) takes the zone's 17 kWh, R2 none; R1 keeps 15 kWh of TIP.
    assert r1.shared_at_distance_kwh == pytest.approx(17.0)
    assert r1.incentivised_kwh == pytest.approx(15.0)
    assert r1.surplus_kwh == pytest.approx(18.0)
    assert r1.tip_eur == pytest.approx(1.95)
    assert r1.valorisation_eur == pytest.approx(0.19074)
    assert r1.net_eur_per_year == pytest.approx(5.64074)
    assert r2.self_consumed_on_site_kwh == pytest.approx(12.0)
    assert r2.shared_at_distance_kwh == pytest.approx(0.0)
    assert r2.surplus_kwh == pytest.approx(4.0)
    assert r2.bill_savings_eur == pytest.approx(2.5254)
    assert r2.net_eur_per_year == pytest.approx(2.9254)
    assert r1.net_eur_per_year + r2.net_eur_per_year == pytest.approx(plan.total_eur_per_year)


def test_budget_caps_in_kwp_and_eur():
    p = load_parameters(2026, P_HAND)
    plan = plan_roofs(hand_inputs(), budget_kwp=4.0, params=p)
    assert [s.roof_id for s in plan.steps] == ["R1"]
    assert plan.left_out == ({"roof_id": "R2", "name": "R2", "reason": "budget",
                              "marginal_eur_per_year": None},)  # fmt: skip
    plan = plan_roofs(hand_inputs(), budget_eur=4499.0, params=p)
    assert plan.steps == ()
    assert {d["reason"] for d in plan.left_out} == {"budget"}


def test_valorisation_on_the_area_when_the_parameter_says_so():
    # With the narrower reading, R1's valorisation is on area A only: 15 kWh → 0.1683 €.
    p = load_parameters(2026, {**P_HAND, "aid.valorisation_perimeter": "cabina_primaria"})
    plan = plan_roofs(hand_inputs(), params=p)
    r1 = next(f for f in plan.plants if f.roof_id == "R1")
    assert r1.valorisation_eur == pytest.approx(15 * 11.22 / 1000)
    assert r1.shared_at_distance_kwh == pytest.approx(15.0)


def test_opex_and_fee_lower_the_value_and_a_useless_roof_is_left_out():
    p = load_parameters(2026)  # O&M 18 €/kWp/yr: 54 € on 3 kWp, more than 4 hours earn
    plan = plan_roofs(hand_inputs(), params=p)
    assert plan.steps == ()
    assert {d["reason"] for d in plan.left_out} == {"no_value"}
    assert all(d["marginal_eur_per_year"] < 0 for d in plan.left_out)


def test_host_point_must_be_in_the_roofs_area():
    with pytest.raises(InputError) as err:
        hand_inputs(host_point=np.array([1, -1]))
    assert err.value.code == "host_area_mismatch"


def test_bad_arguments_name_the_field():
    with pytest.raises(InputError) as err:
        plan_roofs(hand_inputs(), objective="cheapest")
    assert err.value.field == "objective"
    with pytest.raises(InputError) as err:
        plan_roofs(hand_inputs(), budget_kwp=-1)
    assert err.value.field == "budget_kwp"


HOURS = 24


@st.composite
def portfolios(draw):
    n_roofs, n_points = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    areas = ["A", "B", "C"]
    point_area = tuple(areas[k] for k in rng.integers(0, 3, n_points))
    roof_area, host = [], []
    for _ in range(n_roofs):
        if rng.random() < 0.5:
            j = int(rng.integers(0, n_points))
            roof_area.append(point_area[j])
            host.append(j)
        else:
            roof_area.append(areas[int(rng.integers(0, 3))])
            host.append(-1)
    kwp = rng.uniform(5, 300, n_roofs).round(1)
    return PlanInputs(
        roof_ids=tuple(f"R{i}" for i in range(n_roofs)),
        production_kwh=rng.uniform(0, 1, (n_roofs, HOURS)) * kwp[:, None] * 30,
        kwp=kwp,
        capex_eur=kwp * rng.uniform(900, 1600, n_roofs),
        roof_area=tuple(roof_area),
        roof_zone=("NORD",) * n_roofs,
        host_point=np.array(host),
        consumption_kwh=rng.uniform(0, 3000, (n_points, HOURS)),
        point_area=point_area,
        point_zone=("NORD",) * n_points,
        price_eur_per_mwh=rng.uniform(-10, 300, HOURS),
    )


P_INV = load_parameters(2026, P_HAND)


@settings(max_examples=60, deadline=None)
@given(portfolios(), st.sampled_from(["per_eur", "per_kwp"]))
def test_invariants(inputs, objective):
    plan = plan_roofs(inputs, objective=objective, params=P_INV)
    order = [inputs.roof_ids.index(s.roof_id) for s in plan.steps]
    # the marginal values add up to the value of the final portfolio, computed afresh
    assert plan.total_eur_per_year == pytest.approx(
        portfolio_value_eur(inputs, order, P_INV), rel=1e-9, abs=1e-6
    )
    assert sum(f.net_eur_per_year for f in plan.plants) == pytest.approx(
        plan.total_eur_per_year, rel=1e-9, abs=1e-6
    )
    assert len(plan.steps) + len(plan.left_out) == len(inputs.roof_ids)
    for f in plan.plants:
        assert -1e-9 <= f.shared_at_distance_kwh <= f.injection_kwh + 1e-6
        assert f.injection_kwh + f.self_consumed_on_site_kwh == pytest.approx(f.production_kwh)
        assert f.surplus_kwh >= -1e-6
    # energy shared inside areas never exceeds what is shared in the whole zone
    total_area = sum(f.incentivised_kwh for f in plan.plants)
    total_zone = sum(f.shared_at_distance_kwh for f in plan.plants)
    assert total_area <= total_zone + 1e-6
    # every built roof added value; the steps' cumulative columns add up
    assert all(s.marginal_eur_per_year > 0 for s in plan.steps)
    if plan.steps:
        assert plan.steps[-1].cumulative_kwp == pytest.approx(sum(s.kwp for s in plan.steps))


def test_budget_is_never_exceeded():
    inputs = hand_inputs()
    p = load_parameters(2026, P_HAND)
    for cap in (0.0, 2.9, 3.0, 5.9, 6.0, 100.0):
        plan = plan_roofs(inputs, budget_kwp=cap, params=p)
        assert sum(s.kwp for s in plan.steps) <= cap + 1e-9


def test_tip_on_the_market_zone_when_the_parameter_says_so():
    # R1 alone with the TIP on the zone: 29 kWh × 130 €/MWh = 3.77 € + 0.32538 + 3.5 = 7.59538 €
    p = load_parameters(2026, {**P_HAND, "aid.tip_perimeter": "market_zone"})
    plan = plan_roofs(hand_inputs(), params=p)
    assert plan.steps[0].roof_id == "R1"
    assert plan.steps[0].marginal_eur_per_year == pytest.approx(7.59538, abs=1e-9)
    order = [0, 1]
    assert plan.total_eur_per_year == pytest.approx(portfolio_value_eur(hand_inputs(), order, p))
    r1 = plan.plants[0]
    assert r1.incentivised_kwh == pytest.approx(r1.shared_at_distance_kwh)
