"""The hourly settlement: shared energy, its attribution to plants and the incentive money.

Rules (docs/rules.md): only residual injection and withdrawal enter the hourly balance (§2.1),
attributed to plants oldest first (§2.2); TIP per plant and hour (§3), annual excess rule per
set (§4), valorisation on all shared energy (§5).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cer_core import incentives
from cer_core.parameters import Parameters
from cer_core.sharing import attribute, attribution_order


@dataclass(frozen=True, eq=False)
class _Settlement:
    """Arrays reused by :func:`marginal_effect` (internal)."""

    params: Parameters
    prices: np.ndarray
    names: tuple
    kwp: np.ndarray
    dates: tuple
    injection: np.ndarray  # (n, H) configuration injection (0 rows for excluded plants)
    tip_full: np.ndarray  # (n, H) €/MWh before F (0 rows when not eligible)
    f: np.ndarray  # (n,)
    eligible: np.ndarray  # (n,) bool
    tip_share: np.ndarray  # (n,) share of attributed energy that earns the TIP
    in_config: np.ndarray  # (n,) bool
    withdrawal: np.ndarray  # (H,) total residual withdrawal
    exempt_withdrawal: np.ndarray  # (H,)
    group_withdrawal: dict  # name -> residual hourly withdrawal (total of the group)
    group_consumption: dict  # name -> hourly consumption (total of the group)
    exempt_holders: frozenset


@dataclass(frozen=True)
class Money:
    """Configuration incentives of one year [€] (see :func:`simulate`)."""

    shared_kwh: float
    tip_eur: float
    valorisation_eur: float
    gse_fee_eur: float
    excess_eur: float

    @property
    def net_incentives_eur(self) -> float:
        """TIP + valorisation − GSE fee [€]."""
        return self.tip_eur + self.valorisation_eur - self.gse_fee_eur


def _settle(s: _Settlement, injection: np.ndarray, withdrawal: np.ndarray, exempt: np.ndarray):
    """Hourly balance and incentive money for given arrays (used by simulate and marginal)."""
    p = s.params
    order = attribution_order(s.dates, injection.shape[0])
    shared = np.minimum(injection.sum(axis=0), withdrawal)
    per_plant = attribute(shared, injection, order)
    incentivised = per_plant * (s.eligible * s.tip_share)[:, None]
    exempt_kwh = incentives.exempt_energy_kwh(
        incentivised,
        exempt,
        withdrawal,
        grant_plant=s.f > 0,
        order=order,
        mode=p["tip.f_exempt_split"] if (s.f > 0).any() else "none",
    )
    tip = np.zeros(injection.shape[0])
    for i in np.nonzero(s.eligible)[0]:
        tip[i] = incentives.tip_money_eur(
            incentivised[i], s.tip_full[i], float(s.f[i]), exempt_kwh[i]
        )
    cu = incentives.cu_af_eur_per_mwh(p)
    val = cu * per_plant.sum(axis=1) / 1000.0
    # annual excess rule per set j (TIP only / TIP + grant); each plant carries its part
    # excess_i = points_j × TIP_i, so that Σ_i excess_i = points_j × C_ACI,j (docs/rules.md §4)
    excess = np.zeros(injection.shape[0])
    for with_grant, key in (
        (False, "excess.threshold_tip_only"),
        (True, "excess.threshold_with_grant"),
    ):
        sel = s.eligible & ((s.f > 0) == with_grant)
        if sel.any():
            points = incentives.ExcessSet(
                injection_kwh=float(injection[sel].sum()),
                incentivised_kwh=float(incentivised[sel].sum()),
                tip_eur=float(tip[sel].sum()),
                threshold=float(p[key]),
            ).excess_points
            excess[sel] = points * tip[sel]
    return shared, per_plant, tip, val, excess
