"""Hourly configuration balance: shared energy and its attribution to plants.

Shared energy (*energia condivisa* / *autoconsumata*, E_AC) is computed **hour by hour** as
``min(total injection, total withdrawal)`` (GSE FAQ "Calcolo energia condivisa", docs/rules.md
§2.1) — never from monthly or annual totals. It is attributed to plants **by commissioning date,
oldest first**, each plant up to its own injection (GSE rule, docs/rules.md §2.2). Ties on the same
date (not specified by GSE, ⚠ §14.3) are broken by input order: the plant listed first is served
first (a stable sort).

Examples
--------
>>> import numpy as np
>>> b = balance(np.array([[30.0], [100.0]]), np.array([90.0]), commissioning_order=[0, 1])
>>> b.shared_kwh.tolist(), b.per_plant_kwh[:, 0].tolist()
([90.0], [30.0, 60.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cer_core.errors import InputError


@dataclass(frozen=True, eq=False)
class Balance:
    """Result of the hourly configuration balance.

    Attributes
    ----------
    injection_kwh : numpy.ndarray, shape (n_plants, H)
        Hourly injection of each plant into the grid [kWh].
    withdrawal_kwh : numpy.ndarray, shape (H,)
        Hourly total withdrawal of all members [kWh].
    shared_kwh : numpy.ndarray, shape (H,)
        Hourly shared energy E_AC = min(Σ injection, Σ withdrawal) [kWh].
    per_plant_kwh : numpy.ndarray, shape (n_plants, H)
        Shared energy attributed to each plant (rows in input order) [kWh].
    order : numpy.ndarray of int
        Plant indices in attribution order (oldest first; ties by input order).
    """

    injection_kwh: np.ndarray
    withdrawal_kwh: np.ndarray
    shared_kwh: np.ndarray
    per_plant_kwh: np.ndarray
    order: np.ndarray

    @property
    def total_injection_kwh(self) -> float:
        """Annual injection of all plants [kWh]."""
        return float(self.injection_kwh.sum())

    @property
    def total_withdrawal_kwh(self) -> float:
        """Annual withdrawal of all members [kWh]."""
        return float(self.withdrawal_kwh.sum())

    @property
    def total_shared_kwh(self) -> float:
        """Annual shared energy [kWh]."""
        return float(self.shared_kwh.sum())

    @property
    def per_plant_total_kwh(self) -> np.ndarray:
        """Annual shared energy attributed to each plant (input order) [kWh]."""
        return self.per_plant_kwh.sum(axis=1)


def _as_2d(array, field: str) -> np.ndarray:
    try:
        out = np.asarray(array, dtype=float)
    except (TypeError, ValueError):
        raise InputError(field, "must be numbers [kWh]") from None
    if out.ndim == 1:
        out = out[np.newaxis, :]
    if out.ndim != 2:
        raise InputError(field, f"must be a 1-D or 2-D hourly array, got {out.ndim}-D")
    if not np.isfinite(out).all():
        raise InputError(
            field, "contains NaN or infinite values; allowed: finite numbers ≥ 0 [kWh]"
        )
    if (out < 0).any():
        raise InputError(field, "contains negative values; allowed: ≥ 0 [kWh]")
    return out


def attribution_order(commissioning_order: Sequence | None, n_plants: int) -> np.ndarray:
    """Indices of plants from oldest to newest (stable: ties keep input order).

    Parameters
    ----------
    commissioning_order : sequence or None
        Per plant a sortable commissioning key (``datetime.date``, ISO string or number), or
        ``None`` for input order.
    n_plants : int
        Number of plants.
    """
    if commissioning_order is None:
        return np.arange(n_plants)
    keys = list(commissioning_order)
    if len(keys) != n_plants:
        raise InputError(
            "commissioning_order", f"needs one entry per plant ({n_plants}), got {len(keys)}"
        )
    return np.array(sorted(range(n_plants), key=lambda i: keys[i]), dtype=int)


def attribute(shared_kwh: np.ndarray, injection_kwh: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Attribute hourly shared energy to plants in priority order, each up to its injection.

    Vectorised over hours: with the plants sorted by priority, the energy available to plant k is
    ``shared − Σ_{j<k} injection_j`` clipped to ``[0, injection_k]`` (cumulative-sum form of the
    GSE loop in docs/rules.md §2.2).

    Parameters
    ----------
    shared_kwh : numpy.ndarray, shape (H,)
        Hourly shared energy [kWh].
    injection_kwh : numpy.ndarray, shape (n_plants, H)
        Hourly injection per plant [kWh].
    order : numpy.ndarray of int
        Priority order (first = served first).

    Returns
    -------
    numpy.ndarray, shape (n_plants, H)
        Attributed shared energy per plant, rows in input order [kWh].
    """
    # plant by plant, in priority order: `before` is the injection of the plants served first,
    # accumulated with the same additions as np.cumsum(axis=0) (same floats); one row at a time
    # keeps the temporaries in the CPU cache, which whole (plants × hours) arrays outgrow
    out = np.empty_like(injection_kwh, dtype=float)
    total = np.zeros(injection_kwh.shape[1])
    before = np.empty_like(total)
    for i in order:
        row = injection_kwh[i]
        total += row
        np.subtract(total, row, out=before)
        np.subtract(shared_kwh, before, out=out[i])
        np.maximum(out[i], 0.0, out=out[i])  # clip to [0, the plant's injection]
        np.minimum(out[i], row, out=out[i])
    return out


def balance(
    injection_kwh,
    withdrawal_kwh,
    commissioning_order: Sequence | None = None,
) -> Balance:
    """Hourly shared energy of a configuration and its attribution to plants.

    Parameters
    ----------
    injection_kwh : array_like, shape (n_plants, H) or (H,)
        Hourly grid injection of each plant (net of on-site self-consumption) [kWh].
    withdrawal_kwh : array_like, shape (n_members, H) or (H,)
        Hourly grid withdrawal of each member (or already summed) [kWh].
    commissioning_order : sequence, optional
        One sortable commissioning key per plant (dates); oldest is served first, ties by input
        order. ``None`` = input order.

    Returns
    -------
    Balance

    Raises
    ------
    InputError
        Negative, NaN or misaligned arrays.
    """
    inj = _as_2d(injection_kwh, "injection_kwh")
    wd = _as_2d(withdrawal_kwh, "withdrawal_kwh")
    if inj.shape[1] != wd.shape[1]:
        raise InputError(
            "withdrawal_kwh",
            f"has {wd.shape[1]} hours but injection_kwh has {inj.shape[1]}; both must cover the "
            "same hours",
        )
    total_wd = wd.sum(axis=0) if wd.shape[0] > 1 else wd[0]
    order = attribution_order(commissioning_order, inj.shape[0])
    shared = np.minimum(inj.sum(axis=0), total_wd)
    per_plant = attribute(shared, inj, order)
    return Balance(
        injection_kwh=inj,
        withdrawal_kwh=total_wd,
        shared_kwh=shared,
        per_plant_kwh=per_plant,
        order=order,
    )


def behind_the_meter(production_kwh, consumption_kwh) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split a prosumer's hourly flows at its meter (docs/rules.md §2.3).

    Parameters
    ----------
    production_kwh : array_like, shape (H,)
        PV production behind the meter [kWh].
    consumption_kwh : array_like, shape (H,)
        The member's own consumption [kWh].

    Returns
    -------
    self_consumption_kwh, injection_kwh, withdrawal_kwh : numpy.ndarray
        Physical self-consumption ``min(production, consumption)`` (never shared), residual grid
        injection and residual grid withdrawal, hour by hour [kWh].
    """
    prod = np.asarray(production_kwh, dtype=float)
    cons = np.asarray(consumption_kwh, dtype=float)
    self_consumption = np.minimum(prod, cons)
    return self_consumption, prod - self_consumption, cons - self_consumption
