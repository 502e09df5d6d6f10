"""Investment terms of a plant: capex, capital grant, tax deduction, and owners' cash-flow totals.

Rules: docs/rules.md §8 (investment economics, tax deduction), §14.6 (deduction as a grant).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from cer_core import finance, incentives
from cer_core.notices import notice
from cer_core.parameters import Parameters, load_parameters
from cer_core.scenario.inputs import Plant


def plant_capex_eur(plant: Plant, p: Parameters) -> float:
    """Investment of a plant [€]: its own quote, or the size-band cost (+ VAT for a person)."""
    if plant.capex_eur is not None:
        return float(plant.capex_eur)
    vat = float(p["finance.capex_vat_domestic"]) if plant.holder_type == "persona_fisica" else 0.0
    return finance.capex_eur(plant.kwp, params=p, vat_share=vat)


def spend_year_parameters(plants, p: Parameters) -> dict:
    """Parameters of each plant's commissioning (spending) year, by year.

    The tax deduction rate is the one in force when the money is spent, not in the settlement
    year (docs/rules.md §8); loaded once per simulation, before any plant is computed.

    Parameters
    ----------
    plants : iterable of Plant
    p : Parameters
        Settlement-year parameters; their overrides apply to every year.

    Returns
    -------
    dict of int to Parameters
    """
    overrides = {k: p[k] for k in p.overridden}
    years = {pl.commissioning_date.year for pl in plants}
    return {y: p if y == p.year else load_parameters(y, overrides) for y in sorted(years)}


def _deduction_rate(plant: Plant, spend_p: Parameters) -> float:
    """Tax deduction rate of the plant's spending year (0 when none) [1]."""
    kind = plant.tax_deduction
    if kind == "auto":
        kind = "main_home" if plant.holder_type == "persona_fisica" else "none"
    if kind == "none":
        return 0.0
    return float(spend_p[f"finance.tax_deduction_{kind}"])


def _deduction_grant_share(plant: Plant, p: Parameters, spend_p: Parameters) -> float:
    """Deduction counted as a capital grant (only if ``finance.deduction_counts_as_grant``)."""
    return _deduction_rate(plant, spend_p) if p["finance.deduction_counts_as_grant"] else 0.0


def grant_terms(
    plant: Plant, eligibility: incentives.Eligibility, p: Parameters, spend_p: Parameters
) -> tuple[incentives.Eligibility, float]:
    """Eligibility and F factor of a plant, counting the tax deduction as a grant if asked.

    Parameters
    ----------
    plant : Plant
    eligibility : incentives.Eligibility
        From :func:`cer_core.incentives.check_eligibility`.
    p, spend_p : Parameters
        Settlement-year and spending-year parameters.

    Returns
    -------
    eligibility : incentives.Eligibility
        Not TIP-eligible when grant + deduction exceed ``tip.grant_not_cumulable_above``.
    f : float
        F factor [1].
    """
    grant = plant.grant_share + _deduction_grant_share(plant, p, spend_p)
    limit = float(p["tip.grant_not_cumulable_above"])
    if grant > limit + 1e-12 and eligibility.tip_eligible:
        eligibility = replace(
            eligibility,
            tip_eligible=False,
            reasons=(
                *eligibility.reasons,
                notice("grant_not_cumulable", grant_share=grant, limit_share=limit),
            ),
        )
    return eligibility, incentives.f_factor(min(grant, limit), params=p)


def deduction_instalments_eur(
    plant: Plant, capex_gross: float, p: Parameters, spend_p: Parameters
) -> np.ndarray | None:
    """Yearly tax deduction instalments of the owner [€] (``None`` without a deduction).

    Parameters
    ----------
    plant : Plant
    capex_gross : float
        Investment before the capital grant [€].
    p, spend_p : Parameters
        Settlement-year and spending-year parameters: the rate, the cap and the number of
        instalments are the spending year's (the cap halves in 2028, docs/rules.md §8).
    """
    rate = _deduction_rate(plant, spend_p)
    if rate == 0.0:
        return None
    eligible_spend = capex_gross * (1.0 - plant.grant_share)
    return finance.tax_deduction_instalments_eur(
        eligible_spend,
        rate,
        float(spend_p["finance.tax_deduction_cap_eur"]),
        int(spend_p["finance.tax_deduction_years"]),
    )


def deduction_used(pl: Plant) -> bool:
    """The owner takes a tax deduction (explicitly, or ``auto`` for a natural person)."""
    return pl.tax_deduction in ("main_home", "other") or (
        pl.tax_deduction == "auto" and pl.holder_type == "persona_fisica"
    )


def sum_flows(flows: list, start_year: int, horizon: int, p: Parameters) -> finance.CashFlows:
    """Owners' aggregate cash flows [€] (zeros over the horizon without plants)."""
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
