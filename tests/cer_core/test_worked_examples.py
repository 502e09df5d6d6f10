"""docs/rules.md §12 worked examples 1-4 and 6-8 as tests (to the cent), and the wrong rules
(pro-rata attribution, (r − s)/r excess) asserted against."""

from __future__ import annotations

import numpy as np
import pytest

from cer_core import bills, finance, incentives, market
from cer_core.errors import InputError
from cer_core.parameters import load_parameters
from cer_core.sharing import balance

P2025 = load_parameters(2025)  # the 2025 rules, named where a test uses them

CENT = 0.005
P2024 = load_parameters(2024)  # Example 2 valorisation uses 2024's CU_Af = 11.22 €/MWh


# --- Example 1: unit TIP values ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kw", "pz", "region", "source", "grant", "expected"),
    [
        (100, 150, "north", "pv", 0.0, 120),  # a
        (100, 100, "north", "pv", 0.0, 130),  # b
        (100, 140, "north", "pv", 0.0, 130),  # c
        (100, 180, "north", "pv", 0.0, 90),  # d
        (100, 200, "north", "pv", 0.0, 90),  # e
        (100, -10, "north", "pv", 0.0, 130),  # f
        (350, 120, "north", "pv", 0.0, 120),  # g
        (350, 160, "north", "pv", 0.0, 100),  # h
        (800, 160, "north", "pv", 0.0, 90),  # i
        (800, 100, "north", "wind", 0.0, 100),  # j (non-PV: no correction)
        (100, 150, "centre", "pv", 0.0, 114),  # k
        (1000, 150, "north", "hydro", 0.0, 90),  # l (1,000 kW still eligible)
        (100, 150, "Lombardia", "pv", 0.30, 75),  # n (F = 0.375)
    ],
)
def test_example1_unit_tip(kw, pz, region, source, grant, expected):
    tip = incentives.tip_eur_per_mwh(
        kw, pz, region=region, source=source, grant_share=grant, params=P2025
    )
    assert float(tip) == pytest.approx(expected, abs=1e-9)


def test_example1m_above_1mw_is_an_error():
    with pytest.raises(InputError) as err:
        incentives.tip_eur_per_mwh(1001, 150.0, params=P2025)
    assert err.value.field == "plant_kw"
    assert "1000" in err.value.message


def test_example1_vectorised_and_er_tp_range():
    pz = np.array([100.0, 140.0, 160.0, 180.0, 250.0])
    tip = incentives.tip_eur_per_mwh(800, pz, params=P2025)
    assert tip.tolist() == [110.0, 110.0, 90.0, 70.0, 70.0]  # ER-TP: 70-110 for > 600 kW North


# --- Example 2: four hours, GSE attribution order ---------------------------------------------
INJ_A = np.array([30.0, 45.0, 50.0, 20.0])
INJ_B = np.array([100.0, 180.0, 200.0, 60.0])
PRELIEVO = np.array([90.0, 150.0, 400.0, 120.0])
PZ = np.array([140.0, 110.0, 95.0, 160.0])


@pytest.fixture
def example2():
    # B listed first on purpose: the order must come from the commissioning dates
    return balance(
        np.vstack([INJ_B, INJ_A]), PRELIEVO, commissioning_order=["2025-03-01", "2024-11-20"]
    )


def test_example2_shared_and_attribution(example2):
    assert example2.shared_kwh.tolist() == [90, 150, 250, 80]
    assert example2.total_shared_kwh == 570
    b, a = example2.per_plant_kwh
    assert a.tolist() == [30, 45, 50, 20]
    assert b.tolist() == [60, 105, 200, 60]


def test_example2_tip_money_to_the_cent(example2):
    b, a = example2.per_plant_kwh
    tip_a = incentives.tip_money_eur(a, incentives.tip_eur_per_mwh(60, PZ, params=P2025))
    tip_b = incentives.tip_money_eur(b, incentives.tip_eur_per_mwh(250, PZ, params=P2025))
    assert incentives.tip_eur_per_mwh(60, PZ, params=P2025).tolist() == [130, 130, 130, 110]
    assert incentives.tip_eur_per_mwh(250, PZ, params=P2025).tolist() == [120, 120, 120, 100]
    assert tip_a == pytest.approx(18.45, abs=CENT)
    assert tip_b == pytest.approx(49.80, abs=CENT)
    assert tip_a + tip_b == pytest.approx(68.25, abs=CENT)
    # the wrong rule: pro-rata of injection gives 68.0077 €; the engine must not
    share = example2.shared_kwh / (INJ_A + INJ_B)
    prorata = incentives.tip_money_eur(
        INJ_A * share, incentives.tip_eur_per_mwh(60, PZ, params=P2025)
    ) + (incentives.tip_money_eur(INJ_B * share, incentives.tip_eur_per_mwh(250, PZ, params=P2025)))
    assert prorata == pytest.approx(68.0077, abs=1e-4)
    assert abs((tip_a + tip_b) - prorata) > 0.2


def test_example2_valorisation_and_rid(example2):
    assert incentives.cu_af_eur_per_mwh(params=P2024) == pytest.approx(11.22)
    assert incentives.valorisation_eur(example2.shared_kwh, params=P2024) == pytest.approx(
        6.3954, abs=1e-9
    )
    transmission_only = load_parameters(2024, {"valorisation.include_btau_for_cer": False})
    assert incentives.valorisation_eur(
        example2.shared_kwh, params=transmission_only
    ) == pytest.approx(6.0249, abs=1e-9)
    assert market.zonal_value_eur(INJ_A, PZ) == pytest.approx(17.10, abs=CENT)
    assert market.zonal_value_eur(INJ_B, PZ) == pytest.approx(62.40, abs=CENT)
    unshared = INJ_A + INJ_B - example2.shared_kwh
    assert unshared.tolist() == [40, 75, 0, 0]


# --- Example 3: annual excess rule ---------------------------------------------------------------
def test_example3_excess_per_set():
    tip_only = incentives.ExcessSet(500_000, 350_000, 40_000, 0.55)
    with_grant = incentives.ExcessSet(100_000, 50_000, 5_000, 0.45)
    other_cer = incentives.ExcessSet(500_000, 250_000, 20_000, 0.55)
    assert tip_only.excess_eur == pytest.approx(6000, abs=CENT)
    assert with_grant.excess_eur == pytest.approx(250, abs=CENT)
    assert other_cer.excess_eur == 0
    assert (tip_only.excess_eur + with_grant.excess_eur) == pytest.approx(6250, abs=CENT)
    # wrong formula (r - s)/r would give 8,571 €
    wrong = (0.70 - 0.55) / 0.70 * 40_000
    assert wrong == pytest.approx(8571.43, abs=0.01)
    assert tip_only.excess_eur != pytest.approx(wrong, abs=1)
    # per set, not on aggregated energies
    aggregated = max(0.0, 400_000 / 600_000 - 0.55) * 45_000
    assert (tip_only.excess_eur + with_grant.excess_eur) != pytest.approx(aggregated, abs=1)


# --- Example 4: F factor and exempt withdrawal points ------------------------------------------
def test_example4_grant_factor_with_exemptions():
    assert incentives.f_factor(0.30, params=P2025) == pytest.approx(0.375)
    full = incentives.tip_full_eur_per_mwh(100, 150.0, params=P2025)
    assert float(full) == 120
    assert float(
        incentives.tip_eur_per_mwh(100, 150.0, grant_share=0.30, params=P2025)
    ) == pytest.approx(75)
    per_plant = np.array([[100.0]])
    p2025 = load_parameters(2025)
    assert "persona_fisica" in p2025["tip.f_exempt_holders"]
    exempt = incentives.exempt_energy_kwh(
        per_plant, [60.0], [100.0], grant_plant=[True], order=[0], mode="prorata_withdrawals"
    )
    assert exempt.tolist() == [[60.0]]
    money = incentives.tip_money_eur(per_plant[0], full, 0.375, exempt[0])
    assert money == pytest.approx(10.20, abs=CENT)
    # before DM 127/2025 natural persons were not exempt
    p2024 = load_parameters(2024)
    assert "persona_fisica" not in p2024["tip.f_exempt_holders"]
    assert incentives.tip_money_eur(per_plant[0], full, 0.375) == pytest.approx(7.50, abs=CENT)
    assert incentives.tip_money_eur(per_plant[0], full, 0.0) == pytest.approx(12.00, abs=CENT)
    assert float(
        incentives.tip_eur_per_mwh(100, 150.0, grant_share=0.40, params=P2025)
    ) == pytest.approx(60)
    with pytest.raises(InputError) as err:
        incentives.tip_eur_per_mwh(100, 150.0, grant_share=0.45, params=P2025)
    assert err.value.field == "grant_share"
    assert "40" in err.value.message


# --- Example 6: 4.5 kWp prosumer -----------------------------------------------------------------
def test_example6_prosumer_economics():
    production = 4.5 * 1310
    assert production == pytest.approx(5895)
    e_sc = 0.30 * production
    e_imm = production - e_sc
    assert e_sc == pytest.approx(1768.5)
    assert e_imm == pytest.approx(4126.5)
    assert 2700 - e_sc == pytest.approx(931.5)
    saving = bills.bill_savings_eur(
        np.array([e_sc]), "domestic", flat_eur_per_kwh=0.25, params=P2025
    )
    assert saving == pytest.approx(442.125, abs=CENT)
    rid = market.zonal_value_eur(np.array([e_imm]), np.array([95.0]))
    assert rid == pytest.approx(392.0175, abs=CENT)
    assert saving + rid == pytest.approx(834.1425, abs=CENT)
    capex = finance.capex_eur(4.5, vat_share=0.0, params=P2025)
    assert capex == pytest.approx(6750)
    instalments = finance.tax_deduction_instalments_eur(capex, 0.50)
    assert instalments.sum() == pytest.approx(3375)
    assert instalments.tolist() == [337.5] * 10
    assert load_parameters(2026)["finance.tax_deduction_main_home"] == 0.50
    # step 4: in a CER with 50 % of the injection shared at TIP 130
    e_aci = 0.5 * e_imm
    tip = incentives.tip_money_eur(
        np.array([e_aci]), incentives.tip_eur_per_mwh(4.5, 120.0, params=P2025)
    )
    val = incentives.valorisation_eur(np.array([e_aci]), params=P2024)
    fee = incentives.gse_fee_eur(4.5, params=P2025)
    assert e_aci == pytest.approx(2063.25)
    assert tip == pytest.approx(268.2225, abs=CENT)
    assert val == pytest.approx(23.149665, abs=CENT)
    assert fee == 15
    assert tip + val - fee == pytest.approx(276.372165, abs=CENT)
    # 4.5 kW would not join CER.ca.MI (community rule), but is eligible nationally
    elig = incentives.check_eligibility(4.5, "2025-06-01", community_min_kw=10.0, params=P2025)
    assert not elig.in_configuration
    assert not elig.tip_eligible
    assert "community rule" in elig.reasons[0]
    assert incentives.check_eligibility(4.5, "2025-06-01", params=P2025).tip_eligible
    # step 5: degradation
    deg = finance.degradation_factors(20, 0.005) * production
    assert deg[9] == pytest.approx(5634.97, abs=CENT)
    assert deg[19] == pytest.approx(5359.48, abs=CENT)


# --- Example 7: consumer-only household ---------------------------------------------------------
def test_example7_consumer_household():
    shared = 2700 * 0.334
    assert shared == pytest.approx(901.8)
    tip = incentives.tip_money_eur(
        np.array([shared]), incentives.tip_eur_per_mwh(100, 130.0, params=P2025)
    )
    val = incentives.valorisation_eur(np.array([shared]), params=P2024)
    assert tip == pytest.approx(117.234, abs=CENT)
    assert val == pytest.approx(10.118196, abs=CENT)
    assert tip + val == pytest.approx(127.352196, abs=CENT)
    # the member's own bill is unchanged: no self-consumption, no saving
    assert bills.bill_savings_eur(np.zeros(8760), "domestic", params=P2025) == 0


# --- Example 8: GSE fee and PMG ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kw", "fee"), [(3, 0), (4.5, 15), (20, 15), (60, 55), (250, 245), (999, 994)]
)
def test_example8_gse_fee(kw, fee):
    assert incentives.gse_fee_eur(kw, params=P2025) == pytest.approx(fee, abs=CENT)


def test_example8_pmg_true_up():
    hourly = np.full(10, 500.0)  # 5,000 kWh injected
    p2026 = load_parameters(2026)
    assert p2026["rid.pmg_pv_eur_per_mwh"] == 47.5
    assert market.rid_eur(hourly, np.full(10, 95.0), 4.5, params=p2026) == pytest.approx(475.0)
    assert market.rid_eur(hourly, np.full(10, 40.0), 4.5, params=p2026) == pytest.approx(237.5)
    # incentivised PV above 100 kW gets the zonal value only
    assert market.rid_eur(hourly, np.full(10, 40.0), 150, params=p2026) == pytest.approx(200.0)
