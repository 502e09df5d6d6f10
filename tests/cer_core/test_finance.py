"""Capex bands, deduction, NPV/IRR/payback/LCOE, cash-flow assembly."""

from __future__ import annotations

import numpy as np
import pytest

from cer_core import finance
from cer_core.errors import InputError
from cer_core.parameters import load_parameters

P2025 = load_parameters(2025)  # the 2025 rules, named where a test uses them


@pytest.mark.parametrize(
    ("kwp", "cost"), [(4.5, 1500), (20, 1500), (20.5, 1200), (200, 1200), (500, 1100), (1000, 1050)]
)
def test_capex_bands(kwp, cost):
    assert finance.capex_eur_per_kwp(kwp, params=P2025) == cost


def test_capex_bad():
    with pytest.raises(InputError):
        finance.capex_eur_per_kwp(-1, params=P2025)


def test_deduction_cap():
    inst = finance.tax_deduction_instalments_eur(200_000, 0.5, cap_eur=96_000, years=10)
    assert inst.sum() == pytest.approx(48_000)
    assert len(inst) == 10


def test_npv_irr_payback_consistent():
    flows = np.array([-1000.0] + [150.0] * 10)
    r = finance.irr(flows)
    assert finance.npv_eur(flows, r) == pytest.approx(0.0, abs=1e-6)
    assert r == pytest.approx(0.0814, abs=1e-3)
    assert finance.payback_years(flows) == pytest.approx(6 + 100 / 150)
    assert finance.payback_years(flows, 0.05) > finance.payback_years(flows)
    assert finance.irr(np.array([100.0, 10.0])) is None
    assert finance.payback_years(np.array([-1000.0, 10.0, 10.0])) is None


def test_lcoe():
    # 1,000 € capex, no opex, 1,000 kWh/yr for 2 years at 0 % → 500 €/MWh
    assert finance.lcoe_eur_per_mwh(1000, [0, 0], [1000, 1000], 0.0) == pytest.approx(500)


def test_cash_flows_assembly():
    p = load_parameters(2025)
    cf = finance.cash_flows(
        2025, 20, 6000.0, np.full(20, 800.0), np.full(20, 5000.0), 4.0, np.full(10, 300.0), params=p
    )
    assert cf.year[0] == 2024
    assert cf.year[-1] == 2044
    assert cf.capex_eur[0] == -6000
    assert cf.capex_eur[1:].sum() == 0
    assert cf.opex_eur[1] == pytest.approx(-18.0 * 4)
    assert cf.opex_eur[12] == pytest.approx(-18.0 * 4 - 0.15 * 6000)  # inverter replacement
    assert cf.tax_deduction_eur[1:11].sum() == pytest.approx(3000)
    assert cf.tax_deduction_eur[11] == 0
    np.testing.assert_allclose(
        cf.net_eur, cf.capex_eur + cf.revenue_eur + cf.opex_eur + cf.tax_deduction_eur
    )
    assert cf.npv_eur == pytest.approx(finance.npv_eur(cf.net_eur, 0.04))
    assert 0 < cf.payback_years < 20
    assert cf.discounted_payback_years > cf.payback_years
    assert cf.lcoe_eur_per_mwh > 0


@pytest.mark.parametrize(
    ("year", "main_home", "other", "cap_eur"),
    [
        (2024, 0.50, 0.50, 96000.0),  # 50 % for everyone up to 2024
        (2025, 0.50, 0.36, 96000.0),  # Legge di Bilancio 2025
        (2026, 0.50, 0.36, 96000.0),  # Legge di Bilancio 2026 kept the 2025 rates
        (2027, 0.36, 0.30, 96000.0),
        (2028, 0.30, 0.30, 48000.0),  # ⚠ secondary sources
    ],
)
def test_tax_deduction_rates_by_year_of_spending(year, main_home, other, cap_eur):
    assert finance.tax_deduction_rates(load_parameters(year)) == {
        "main_home": main_home,
        "other": other,
        "none": 0.0,
    }
    assert load_parameters(year)["finance.tax_deduction_cap_eur"] == cap_eur
    assert set(finance.tax_deduction_rates(load_parameters(year))) == set(
        finance.TAX_DEDUCTION_KINDS
    )


@pytest.mark.parametrize("year", [2026, 2028])
def test_the_deduction_takes_cap_and_rate_of_the_spending_year(year):
    """100,000 € spent: capped at 96,000 € at 50 % in 2026, at 48,000 € at 30 % in 2028 (the
    spending year's rules, not the settlement year's)."""
    import datetime as dt

    from cer_core.scenario.inputs import Plant
    from cer_core.scenario.investment import deduction_instalments_eur, spend_year_parameters

    plant = Plant(
        name="p",
        kwp=10.0,
        commissioning_date=dt.date(year, 3, 1),
        holder_type="persona_fisica",
        tax_deduction="main_home",
    )
    settlement = load_parameters(2025)
    spend = spend_year_parameters([plant], settlement)[year]
    instalments = deduction_instalments_eur(plant, 100000.0, settlement, spend)
    expected = min(100000.0, 96000.0 if year < 2028 else 48000.0) * (0.50 if year < 2027 else 0.30)
    assert instalments.sum() == pytest.approx(expected)
    assert instalments[0] == pytest.approx(expected / 10)
