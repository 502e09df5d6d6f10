"""Ritiro Dedicato at the hourly zonal price and the PMG annual true-up."""

from __future__ import annotations

import numpy as np
import pytest

from cer_core import market
from cer_core.parameters import load_parameters

P2025 = load_parameters(2025)  # the 2025 rules, named where a test uses them


def test_rid_uses_hourly_prices_not_the_annual_mean():
    # PV injects at the cheap midday hours: captured value < injection × mean price
    inj = np.array([0.0, 10.0, 10.0, 0.0])
    pz = np.array([150.0, 60.0, 70.0, 160.0])
    hourly = market.zonal_value_eur(inj, pz)
    assert hourly == pytest.approx(1.3)
    assert hourly < inj.sum() * pz.mean() / 1000


def test_pmg_applies_by_size_and_incentive():
    p = load_parameters(2026)
    assert market.pmg_applies(100, "pv", True, params=p)
    assert not market.pmg_applies(100.5, "pv", True, params=p)
    assert market.pmg_applies(500, "pv", False, params=p)
    assert not market.pmg_applies(50, "wind", False, params=p)
    q = load_parameters(2026, {"rid.tip_counts_as_incentive": False})
    assert market.pmg_applies(500, "pv", True, params=q)


def test_true_up_band():
    # 2,000 MWh: PMG only on the first 1,500 MWh
    value = market.pmg_true_up_eur(zonal_value=20_000.0, injected_kwh=2e6, pmg_eur_per_mwh=47.5)
    assert value == pytest.approx(47.5 * 1500 + 20_000 * 0.25)
    assert market.pmg_true_up_eur(0.0, 0.0, 47.5) == 0.0


def test_rid_not_below_zonal():
    rng = np.random.default_rng(1)
    inj = rng.uniform(0, 5, 8760)
    pz = rng.uniform(-20, 200, 8760)
    assert market.rid_eur(inj, pz, 20, params=P2025) >= market.zonal_value_eur(inj, pz) - 1e-9


def test_pmg_switch_turns_the_true_up_off():
    # Example 8 (docs/rules.md §6.1, §12): 4.5 kW, 5,000 kWh at 40 €/MWh → PMG 237.5 €, zonal 200 €
    inj, pz = np.full(10, 500.0), np.full(10, 40.0)
    p = load_parameters(2026)
    assert p["rid.apply_pmg"] is True
    assert market.rid_eur(inj, pz, 4.5, params=p) == pytest.approx(237.5)
    assert market.rid_eur(inj, pz, 4.5, params=p, apply_pmg=False) == pytest.approx(200.0)
    off = load_parameters(2026, {"rid.apply_pmg": False})
    assert not market.pmg_applies(4.5, "pv", True, params=off)
    assert market.rid_eur(inj, pz, 4.5, params=off) == pytest.approx(200.0)
    # the keyword wins over the parameter both ways
    assert market.rid_eur(inj, pz, 4.5, params=off, apply_pmg=True) == pytest.approx(237.5)
