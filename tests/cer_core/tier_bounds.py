"""Lowest and highest unit TIP of a plant's tier: a bound the tests check the engine against.

Not engine code (no user path needs the bounds); kept here, next to the tests that use it.
"""

from __future__ import annotations

from cer_core import incentives
from cer_core.parameters import Parameters


def tip_bounds_eur_per_mwh(
    plant_kw: float,
    region: str = "north",
    source: str = "pv",
    grant_share: float = 0.0,
    *,
    params: Parameters,
) -> tuple[float, float]:
    """Lowest and highest unit TIP of the plant's tier [€/MWh].

    The lowest at Pz ≥ 180 €/MWh, the highest at Pz ≤ 180 − (CAP − TB) (docs/rules.md §3.2),
    both with the geographic correction and the F factor.
    """
    p = params
    tier = incentives.tier_index(plant_kw, params=p)
    fc = incentives.geo_correction_eur_per_mwh(region, source, params=p)
    keep = 1.0 - incentives.f_factor(grant_share, params=p)
    low = (float(p["tip.tier_base_eur_per_mwh"][tier]) + fc) * keep
    high = (float(p["tip.tier_cap_eur_per_mwh"][tier]) + fc) * keep
    return low, high
