"""Avoided bill cost of physically self-consumed energy (prosumers), from ARERA components.

A kWh produced and consumed behind the meter is a kWh not withdrawn: the customer avoids the
per-kWh parts of the bill — energy, the variable network and system charges, excise and (for
households) VAT — but not the fixed (€/yr) and power (€/kW/yr) quotas (docs/rules.md §7.1, §7.4).
A consumer member's bill does not change in a CER (virtual model): savings exist only behind a
meter. The per-kWh split is ⚠ (not retrieved): every component is a parameter.

Examples
--------
>>> import numpy as np
>>> from cer_core.parameters import load_parameters
>>> p = load_parameters(2025)
>>> bill_savings_eur(np.array([1768.5]), customer="domestic", params=p, flat_eur_per_kwh=0.25)
442.125
"""

from __future__ import annotations

import numpy as np

from cer_core.errors import InputError
from cer_core.parameters import Parameters

CUSTOMERS = ("domestic", "business")


def _check_customer(customer: str) -> str:
    if customer not in CUSTOMERS:
        raise InputError("customer", f"must be 'domestic' or 'business', not {customer!r}")
    return customer


def avoided_cost_eur_per_kwh(
    customer: str = "domestic", price_eur_per_mwh=None, *, params: Parameters
):
    """Avoided cost of one self-consumed kWh, excluding the domestic excise band [€/kWh].

    Domestic: ``(energy + network_var + system_var) × (1 + VAT)`` (excise handled monthly by
    :func:`bill_savings_eur` because of the 150 kWh/month exemption).
    Business: ``Pz/1000 + spread + network_var + system_var + excise`` hour by hour, plus VAT
    only if it is not recoverable.

    Parameters
    ----------
    customer : {"domestic", "business"}
    price_eur_per_mwh : array_like, optional
        Hourly zonal price [€/MWh] (business energy is indexed to it; default 0).
    params : Parameters
        Parameter values of the settlement year (:func:`cer_core.parameters.load_parameters`).

    Returns
    -------
    float or numpy.ndarray
        [€/kWh]; an array for business customers when prices are given.
    """
    p = params
    _check_customer(customer)
    if customer == "domestic":
        base = (
            p["bills.domestic.energy_eur_per_kwh"]
            + p["bills.domestic.network_variable_eur_per_kwh"]
            + p["bills.domestic.system_variable_eur_per_kwh"]
        )
        return float(base) * (1.0 + float(p["bills.domestic.vat"]))
    pz = 0.0 if price_eur_per_mwh is None else np.asarray(price_eur_per_mwh, dtype=float)
    cost = (
        pz / 1000.0
        + p["bills.business.energy_spread_eur_per_kwh"]
        + p["bills.business.network_variable_eur_per_kwh"]
        + p["bills.business.system_variable_eur_per_kwh"]
        + p["bills.business.excise_eur_per_kwh"]
    )
    if not p["bills.business.vat_recoverable"]:
        cost = cost * (1.0 + float(p["bills.business.vat"]))
    return cost


def _monthly(values: np.ndarray, month_of_hour: np.ndarray) -> np.ndarray:
    return np.bincount(month_of_hour - 1, weights=values, minlength=12)


def bill_savings_eur(
    self_consumption_kwh,
    customer: str = "domestic",
    consumption_kwh=None,
    price_eur_per_mwh=None,
    month_of_hour=None,
    *,
    params: Parameters,
    flat_eur_per_kwh: float | None = None,
) -> float:
    """Annual avoided bill cost of physical self-consumption [€] (docs/rules.md §7.4).

    Parameters
    ----------
    self_consumption_kwh : array_like, shape (H,)
        Hourly physical self-consumption behind the meter [kWh].
    customer : {"domestic", "business"}
    consumption_kwh : array_like, shape (H,), optional
        Hourly consumption of the member (for the domestic excise exemption on the first
        150 kWh/month; without it the exemption is ignored).
    price_eur_per_mwh : array_like, shape (H,), optional
        Hourly zonal price (business energy) [€/MWh].
    month_of_hour : array_like of int, shape (H,), optional
        Month 1-12 of each hour (needed with ``consumption_kwh``).
    params : Parameters
        Parameter values of the settlement year (:func:`cer_core.parameters.load_parameters`).
    flat_eur_per_kwh : float, optional
        A flat avoided cost replacing the component model (e.g. Example 6: 0.25 €/kWh); default
        the parameter ``bills.flat_avoided_cost_eur_per_kwh`` when > 0.

    Returns
    -------
    float
        [€/yr]
    """
    p = params
    _check_customer(customer)
    sc = np.asarray(self_consumption_kwh, dtype=float)
    flat = flat_eur_per_kwh
    if flat is None and float(p["bills.flat_avoided_cost_eur_per_kwh"]) > 0:
        flat = float(p["bills.flat_avoided_cost_eur_per_kwh"])
    if flat is not None:
        return float(sc.sum()) * float(flat)
    unit = avoided_cost_eur_per_kwh(customer, price_eur_per_mwh, params=p)
    saving = float(np.sum(sc * unit))
    if customer == "domestic":
        rate = float(p["bills.domestic.excise_eur_per_kwh"])
        if consumption_kwh is not None and month_of_hour is not None:
            months = np.asarray(month_of_hour, dtype=int)
            free = float(p["bills.domestic.excise_free_kwh_per_month"])
            cons = _monthly(np.asarray(consumption_kwh, dtype=float), months)
            after = cons - _monthly(sc, months)
            excise = rate * (np.maximum(0.0, cons - free) - np.maximum(0.0, after - free)).sum()
        else:
            excise = rate * float(sc.sum())
        saving += excise * (1.0 + float(p["bills.domestic.vat"]))
    return saving
