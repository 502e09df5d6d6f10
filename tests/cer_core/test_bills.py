"""Avoided bill cost of self-consumed energy from ARERA components."""

from __future__ import annotations

import numpy as np
import pytest

from cer_core import bills
from cer_core.errors import InputError
from cer_core.parameters import load_parameters

P2025 = load_parameters(2025)  # the 2025 rules, named where a test uses them

P = load_parameters(2025)


def test_domestic_unit_cost_from_components():
    expected = (0.1515 + 0.0105 + 0.0313) * 1.10
    assert bills.avoided_cost_eur_per_kwh("domestic", params=P) == pytest.approx(expected)
    # with excise, inside the reference's 0.22-0.26 €/kWh range (docs/rules.md §7.1)
    assert 0.22 <= expected + 0.0227 * 1.10 <= 0.26


def test_excise_exemption_first_150_kwh_per_month():
    month = np.repeat(np.arange(1, 13), 730)[:8760]
    consumption = np.full(8760, 200.0 / 730)  # 200 kWh/month
    sc = np.full(8760, 100.0 / 730)  # 100 kWh/month self-consumed
    with_excise = bills.bill_savings_eur(sc, "domestic", consumption, None, month, params=P)
    base = bills.avoided_cost_eur_per_kwh("domestic", params=P) * sc.sum()
    # only the 50 kWh/month above the 150 kWh exemption carried excise
    assert with_excise - base == pytest.approx(0.0227 * 50 * 12 * 1.10, rel=1e-9)
    assert with_excise < bills.bill_savings_eur(sc, "domestic", params=P)


def test_business_indexed_to_hourly_price_without_vat():
    pz = np.array([100.0, 200.0])
    unit = bills.avoided_cost_eur_per_kwh("business", pz, params=P)
    extra = 0.02 + 0.01 + 0.03 + 0.0125
    np.testing.assert_allclose(unit, pz / 1000 + extra)
    no_vat_recovery = load_parameters(2025, {"bills.business.vat_recoverable": False})
    np.testing.assert_allclose(
        bills.avoided_cost_eur_per_kwh("business", pz, params=no_vat_recovery),
        (pz / 1000 + extra) * 1.22,
    )


def test_flat_override_parameter():
    q = load_parameters(2025, {"bills.flat_avoided_cost_eur_per_kwh": 0.25})
    assert bills.bill_savings_eur(np.array([100.0]), "business", params=q) == pytest.approx(25.0)


def test_bad_customer():
    with pytest.raises(InputError) as err:
        bills.bill_savings_eur(np.array([1.0]), "industrial", params=P2025)
    assert err.value.field == "customer"
