"""PV investment economics: capex, O&M, degradation, inverter, tax deduction, NPV, IRR, payback, LCOE.

Values from docs/rules.md §8 via :mod:`cer_core.parameters` (capex bands = the PNRR eligible-cost
caps used as a reference ⚠; O&M, degradation, inverter, discount rate are assumptions ⚠).
Convention: year 0 holds the investment, years 1..N the operation; flows are real euros.

Examples
--------
>>> from cer_core.parameters import load_parameters
>>> capex_eur(4.5, params=load_parameters(2025), vat_share=0.0)
6750.0
>>> tax_deduction_instalments_eur(6750.0, 0.50)[:2].tolist()
[337.5, 337.5]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cer_core.errors import InputError
from cer_core.parameters import Parameters


def capex_eur_per_kwp(kwp: float, *, params: Parameters) -> float:
    """Reference specific capex by size band, excl. VAT [€/kWp] (1,500 ≤ 20 kW … 1,050 ≤ 1 MW)."""
    p = params
    if not np.isfinite(kwp) or kwp <= 0:
        raise InputError("kwp", f"must be > 0, not {kwp!r}")
    for upper, cost in zip(
        p["finance.capex_band_max_kw"], p["finance.capex_band_eur_per_kwp"], strict=True
    ):
        if kwp <= upper:
            return float(cost)
    return float(p["finance.capex_band_eur_per_kwp"][-1])


def capex_eur(kwp: float, *, params: Parameters, vat_share: float = 0.0) -> float:
    """Investment of a plant [€] = kWp × band cost × (1 + non-recoverable VAT)."""
    return kwp * capex_eur_per_kwp(kwp, params=params) * (1.0 + vat_share)


def degradation_factors(n_years: int, rate: float) -> np.ndarray:
    """Production factor of operating years 1..N: ``(1 − rate)^(k−1)`` [1].

    >>> float(round(5895 * degradation_factors(10, 0.005)[-1], 2))
    5634.97
    """
    return (1.0 - rate) ** np.arange(n_years)


def tax_deduction_instalments_eur(
    spend_eur: float, rate: float, cap_eur: float = 96000.0, years: int = 10
) -> np.ndarray:
    """Equal annual instalments of the 16-bis TUIR deduction [€/yr] (docs/rules.md §8).

    Parameters
    ----------
    spend_eur : float
        Eligible spending [€].
    rate : float
        Rate of the spending year, :func:`tax_deduction_rates` (50 % main home / 36 % other in
        2025-2026) [1].
    cap_eur : float
        Spending cap per dwelling unit [€].
    years : int
        Number of instalments.
    """
    total = min(spend_eur, cap_eur) * rate
    return np.full(years, total / years)


#: Kinds of tax deduction a plant can claim (``none`` = no deduction).
TAX_DEDUCTION_KINDS = ("main_home", "other", "none")


def tax_deduction_rates(spend_p: Parameters) -> dict[str, float]:
    """Rate of each kind of 16-bis TUIR deduction, from the spending year's parameters [1].

    ``main_home``: owner (or holder of a real right) of their main home; ``other``: any other
    dwelling, tenants, relatives living there; ``none``: 0. On a condominium's common parts each
    condomino deducts their share at the rate of their own unit (docs/rules.md §8). The page
    writes these rates in its choices, so a label never disagrees with the year computed.

    >>> from cer_core.parameters import load_parameters
    >>> tax_deduction_rates(load_parameters(2026))
    {'main_home': 0.5, 'other': 0.36, 'none': 0.0}
    >>> tax_deduction_rates(load_parameters(2027))
    {'main_home': 0.36, 'other': 0.3, 'none': 0.0}
    """
    return {
        "main_home": float(spend_p["finance.tax_deduction_main_home"]),
        "other": float(spend_p["finance.tax_deduction_other"]),
        "none": 0.0,
    }


def npv_eur(flows_eur, rate: float) -> float:
    """Net present value of flows at years 0..N [€]."""
    flows = np.asarray(flows_eur, dtype=float)
    return float(np.sum(flows / (1.0 + rate) ** np.arange(len(flows))))


def irr(flows_eur) -> float | None:
    """Internal rate of return [1/yr], or ``None`` when the flows never change sign.

    Solved by bisection on the NPV between −99 % and +1,000 %.
    """
    flows = np.asarray(flows_eur, dtype=float)
    if not (flows.min() < 0 < flows.max()):
        return None
    t = np.arange(len(flows))

    def f(r):
        return float(np.sum(flows / (1.0 + r) ** t))

    lo, hi = -0.99, 10.0
    flo, fhi = f(lo), f(hi)
    if flo * fhi > 0:
        return None
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if flo * fm <= 0:
            hi = mid
        else:
            lo, flo = mid, fm
        if hi - lo < 1e-10:
            break
    return 0.5 * (lo + hi)


def payback_years(flows_eur, rate: float = 0.0) -> float | None:
    """(Discounted) payback time [yr]: when the cumulative flow first turns ≥ 0.

    Linear interpolation inside the year; ``None`` if never reached within the horizon.
    """
    flows = np.asarray(flows_eur, dtype=float) / (1.0 + rate) ** np.arange(len(flows_eur))
    cum = np.cumsum(flows)
    if cum[0] >= 0:
        return 0.0
    hit = np.nonzero(cum >= 0)[0]
    if len(hit) == 0:
        return None
    k = int(hit[0])
    return float(k - 1 + (-cum[k - 1]) / flows[k])


def lcoe_eur_per_mwh(capex: float, opex_eur, production_kwh, rate: float) -> float:
    """Levelised cost of energy [€/MWh] = (capex + Σ PV(opex)) / Σ PV(production).

    Parameters
    ----------
    capex : float
        Year-0 investment [€].
    opex_eur : array_like, shape (N,)
        Costs of years 1..N (O&M, inverter) [€].
    production_kwh : array_like, shape (N,)
        Production of years 1..N [kWh].
    rate : float
        Discount rate [1/yr].
    """
    disc = (1.0 + rate) ** -np.arange(1, len(production_kwh) + 1)
    energy = float(np.sum(np.asarray(production_kwh, float) * disc))
    if energy <= 0:
        return float("nan")
    cost = capex + float(np.sum(np.asarray(opex_eur, float) * disc))
    return cost / energy * 1000.0


CASH_FLOW_COLUMNS = (
    "capex_eur",
    "revenue_eur",
    "opex_eur",
    "tax_deduction_eur",
    "net_eur",
    "cumulative_eur",
    "production_kwh",
)


@dataclass(frozen=True, eq=False)
class CashFlows:
    """Yearly cash flows of an investment, index 0 = investment year, 1..N = operation [€].

    Attributes
    ----------
    year : numpy.ndarray of int
        Calendar year of each entry.
    capex_eur : numpy.ndarray
        Investment net of capital grants (negative) [€].
    revenue_eur : numpy.ndarray
        RID + bill savings + incentive share (positive) [€].
    opex_eur : numpy.ndarray
        O&M and inverter replacement (negative) [€].
    tax_deduction_eur : numpy.ndarray
        Deduction instalments (positive) [€].
    net_eur : numpy.ndarray
        Sum of the above [€].
    production_kwh : numpy.ndarray
        PV production of each year (0 in year 0) [kWh].
    discount_rate : float
        [1/yr]
    """

    year: np.ndarray
    capex_eur: np.ndarray
    revenue_eur: np.ndarray
    opex_eur: np.ndarray
    tax_deduction_eur: np.ndarray
    net_eur: np.ndarray
    production_kwh: np.ndarray
    discount_rate: float

    def columns(self) -> dict[str, np.ndarray]:
        """The flows by :data:`CASH_FLOW_COLUMNS` name (``cumulative_eur``: running sum of
        ``net_eur``) [€, kWh]."""
        return {
            "capex_eur": self.capex_eur,
            "revenue_eur": self.revenue_eur,
            "opex_eur": self.opex_eur,
            "tax_deduction_eur": self.tax_deduction_eur,
            "net_eur": self.net_eur,
            "cumulative_eur": np.cumsum(self.net_eur),
            "production_kwh": self.production_kwh,
        }

    def table(self) -> pd.DataFrame:
        """The flows as a ``pandas.DataFrame`` indexed by calendar year ``year`` (:meth:`columns`)."""
        return pd.DataFrame(self.columns(), index=pd.Index(self.year.astype(int), name="year"))

    @property
    def npv_eur(self) -> float:
        """Net present value [€]."""
        return npv_eur(self.net_eur, self.discount_rate)

    @property
    def irr(self) -> float | None:
        """Internal rate of return [1/yr]."""
        return irr(self.net_eur)

    @property
    def payback_years(self) -> float | None:
        """Simple payback [yr]."""
        return payback_years(self.net_eur)

    @property
    def discounted_payback_years(self) -> float | None:
        """Discounted payback [yr]."""
        return payback_years(self.net_eur, self.discount_rate)

    @property
    def lcoe_eur_per_mwh(self) -> float:
        """Levelised cost of energy [€/MWh]."""
        return lcoe_eur_per_mwh(
            -float(self.capex_eur[0]),
            -self.opex_eur[1:],
            self.production_kwh[1:],
            self.discount_rate,
        )


def cash_flows(
    start_year: int,
    horizon_years: int,
    capex: float,
    annual_revenue_eur,
    annual_production_kwh,
    kwp: float,
    deduction_eur=None,
    *,
    params: Parameters,
) -> CashFlows:
    """Assemble yearly cash flows (year 0 = investment, years 1..N operation).

    Parameters
    ----------
    start_year : int
        Calendar year of the investment (operation year 1 = ``start_year``, the settlement year).
    horizon_years : int
        Number of operating years N.
    capex : float
        Investment net of grants [€] (positive number).
    annual_revenue_eur : array_like, shape (N,)
        Revenue of years 1..N [€].
    annual_production_kwh : array_like, shape (N,)
        Production of years 1..N [kWh].
    kwp : float
        Installed power (O&M) [kWp].
    deduction_eur : array_like, optional
        Tax deduction instalments from year 1 [€].
    params : Parameters
        Parameter values of the settlement year (:func:`cer_core.parameters.load_parameters`).
    """
    p = params
    n = int(horizon_years)
    capex_arr = np.zeros(n + 1)
    capex_arr[0] = -capex
    revenue = np.zeros(n + 1)
    revenue[1:] = np.asarray(annual_revenue_eur, float)[:n]
    opex = np.zeros(n + 1)
    opex[1:] = -float(p["finance.opex_eur_per_kwp_year"]) * kwp
    inv_year = int(p["finance.inverter_replacement_year"])
    if 1 <= inv_year <= n:
        opex[inv_year] -= float(p["finance.inverter_share_of_capex"]) * capex
    ded = np.zeros(n + 1)
    if deduction_eur is not None:
        d = np.asarray(deduction_eur, float)[:n]
        ded[1 : 1 + len(d)] = d
    prod = np.zeros(n + 1)
    prod[1:] = np.asarray(annual_production_kwh, float)[:n]
    return CashFlows(
        year=np.arange(start_year - 1, start_year + n),
        capex_eur=capex_arr,
        revenue_eur=revenue,
        opex_eur=opex,
        tax_deduction_eur=ded,
        net_eur=capex_arr + revenue + opex + ded,
        production_kwh=prod,
        discount_rate=float(p["finance.discount_rate"]),
    )
