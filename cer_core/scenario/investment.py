"""Investment terms of a plant: capex, capital grant, tax deduction, and owners' cash-flow totals.

Rules: docs/rules.md §8 (investment economics, tax deduction), §14.6 (deduction as a grant).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from cer_core import finance, incentives
from cer_core.parameters import Parameters, load_parameters
from cer_core.scenario.inputs import Plant


def _plant_capex(plant: Plant, p: Parameters) -> float:
    if plant.capex_eur is not None:
        return float(plant.capex_eur)
    vat = float(p["finance.capex_vat_domestic"]) if plant.holder_type == "persona_fisica" else 0.0
    return finance.capex_eur(plant.kwp, p, vat_share=vat)


def _deduction_rate(plant: Plant, p: Parameters) -> float:
    """Tax deduction rate of the plant's spending year (0 when none) [1]."""
    kind = plant.tax_deduction
    if kind == "auto":
        kind = "main_home" if plant.holder_type == "persona_fisica" else "none"
    if kind == "none":
        return 0.0
    spend_year = load_parameters(plant.commissioning_date.year, _overrides(p))
    return float(spend_year[f"finance.tax_deduction_{kind}"])


def _deduction_grant_share(plant: Plant, p: Parameters) -> float:
    """Deduction counted as a capital grant (only if ``finance.deduction_counts_as_grant``)."""
    return _deduction_rate(plant, p) if p["finance.deduction_counts_as_grant"] else 0.0


def _grant_terms(
    plant: Plant, eligibility: incentives.Eligibility, p: Parameters
) -> tuple[incentives.Eligibility, float]:
    """Eligibility and F factor of a plant, counting the tax deduction as a grant if asked."""
    grant = plant.grant_share + _deduction_grant_share(plant, p)
    limit = float(p["tip.grant_not_cumulable_above"])
    if grant > limit + 1e-12 and eligibility.tip_eligible:
        eligibility = replace(
            eligibility,
            tip_eligible=False,
            reasons=(
                *eligibility.reasons,
                f"grant + tax deduction counted as grant = {grant:.0%} > {limit:.0%}: "
                "TIP not cumulable (parameter finance.deduction_counts_as_grant)",
            ),
        )
    return eligibility, incentives.f_factor(min(grant, limit), p)


def _deduction(plant: Plant, capex_gross: float, p: Parameters) -> np.ndarray | None:
    rate = _deduction_rate(plant, p)
    if rate == 0.0:
        return None
    eligible_spend = capex_gross * (1.0 - plant.grant_share)
    # the cap and the instalments of the spending year, like the rate (the cap halves in 2028)
    spend_year = load_parameters(plant.commissioning_date.year, _overrides(p))
    return finance.tax_deduction_instalments_eur(
        eligible_spend,
        rate,
        float(spend_year["finance.tax_deduction_cap_eur"]),
        int(spend_year["finance.tax_deduction_years"]),
    )


def _overrides(p: Parameters) -> dict:
    return {k: p[k] for k in p.overridden}


def _deduction_used(pl: Plant) -> bool:
    return pl.tax_deduction in ("main_home", "other") or (
        pl.tax_deduction == "auto" and pl.holder_type == "persona_fisica"
    )


def _sum_flows(flows: list, start_year: int, horizon: int, p: Parameters) -> finance.CashFlows:
    z = np.zeros(horizon + 1)
    if not flows:
        return finance.CashFlows(
            np.arange(start_year - 1, start_year + horizon),
            z,
            z,
            z,
            z,
            z,
            z,
            float(p["finance.discount_rate"]),
        )

    def total(attr):
        return np.sum([getattr(cf, attr) for cf in flows], axis=0)

    return finance.CashFlows(
        year=flows[0].year,
        capex_eur=total("capex_eur"),
        revenue_eur=total("revenue_eur"),
        opex_eur=total("opex_eur"),
        tax_deduction_eur=total("tax_deduction_eur"),
        net_eur=total("net_eur"),
        production_kwh=total("production_kwh"),
        discount_rate=flows[0].discount_rate,
    )
