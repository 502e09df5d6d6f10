"""The marginal effect: what adding one member group or one plant changes (year 1)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cer_core import incentives
from cer_core.errors import InputError
from cer_core.scenario.hourly_inputs import member_consumption_kwh, plant_production_kwh
from cer_core.scenario.inputs import MemberGroup, Plant, Scenario
from cer_core.scenario.investment import _grant_terms
from cer_core.scenario.results import Result
from cer_core.scenario.settlement import Money, _settle
from cer_core.scenario.simulation import simulate


@dataclass(frozen=True)
class Marginal:
    """Effect of adding one member group or one plant (year 1).

    Attributes
    ----------
    before, after : Money
        Configuration incentives without and with the addition [€, kWh].
    added_production_kwh : float
        Production of the added plant [kWh] (0 for a member).
    added_consumption_kwh : float
        Consumption of the added member group [kWh] (0 for a plant).
    """

    before: Money
    after: Money
    added_production_kwh: float = 0.0
    added_consumption_kwh: float = 0.0

    @property
    def delta_shared_kwh(self) -> float:
        """Change of annual shared energy [kWh]."""
        return self.after.shared_kwh - self.before.shared_kwh

    @property
    def delta_tip_eur(self) -> float:
        """Change of annual TIP [€]."""
        return self.after.tip_eur - self.before.tip_eur

    @property
    def delta_valorisation_eur(self) -> float:
        """Change of annual valorisation [€]."""
        return self.after.valorisation_eur - self.before.valorisation_eur

    @property
    def delta_net_incentives_eur(self) -> float:
        """Change of TIP + valorisation − GSE fee [€/yr]."""
        return self.after.net_incentives_eur - self.before.net_incentives_eur

    def as_dict(self) -> dict:
        """JSON-friendly dict."""
        return {
            "shared_kwh_before": self.before.shared_kwh,
            "shared_kwh_after": self.after.shared_kwh,
            "delta_shared_kwh": self.delta_shared_kwh,
            "tip_eur_before": self.before.tip_eur,
            "tip_eur_after": self.after.tip_eur,
            "delta_tip_eur": self.delta_tip_eur,
            "delta_valorisation_eur": self.delta_valorisation_eur,
            "delta_gse_fee_eur": self.after.gse_fee_eur - self.before.gse_fee_eur,
            "delta_excess_eur": self.after.excess_eur - self.before.excess_eur,
            "delta_net_incentives_eur": self.delta_net_incentives_eur,
            "added_production_kwh": self.added_production_kwh,
            "added_consumption_kwh": self.added_consumption_kwh,
        }


_LAST: tuple = (None, None)
"""The last (scenario, result) of marginal_effect, replaced atomically (thread-safe reads)."""


def marginal_effect(
    scenario: Scenario,
    add_member: MemberGroup | None = None,
    add_plant: Plant | None = None,
    base: Result | None = None,
) -> Marginal:
    """Shared energy and incentives with and without one more member group or plant.

    Reuses the base run's hourly arrays (no PV recomputation for unchanged plants; the new
    plant's per-kWp production is cached per geometry and year).

    Parameters
    ----------
    scenario : Scenario
        The existing configuration.
    add_member : MemberGroup, optional
        Members to add (consumers; ``count`` × profile).
    add_plant : Plant, optional
        Plant to add (stand-alone, or behind the meter of an existing ``count = 1`` group).
    base : Result, optional
        ``simulate(scenario)`` if already computed (else computed, and remembered for the
        next call with the same scenario object).

    Returns
    -------
    Marginal
    """
    if (add_member is None) == (add_plant is None):
        raise InputError("marginal", "give exactly one of add_member or add_plant")
    global _LAST
    if base is None:
        last_scenario, last_result = _LAST
        if last_scenario is scenario:
            base = last_result
        else:
            base = simulate(scenario)
            _LAST = (scenario, base)
    st = base._settlement
    p = st.params
    before = base.money
    if add_member is not None:
        extra = member_consumption_kwh(add_member, scenario.year) * add_member.count
        wd = st.withdrawal + extra
        ex = st.exempt_withdrawal + (extra if add_member.holder_type in st.exempt_holders else 0.0)
        shared, _, tip, val, excess = _settle(st, st.injection, wd, ex)
        after = Money(
            float(shared.sum()),
            float(tip.sum()),
            float(val.sum()),
            before.gse_fee_eur,
            float(excess.sum()),
        )
        return Marginal(before, after, added_consumption_kwh=float(extra.sum()))

    pl = add_plant
    prod = plant_production_kwh(pl, scenario)
    wd, ex, inj = st.withdrawal, st.exempt_withdrawal, prod
    if pl.behind_meter_of is not None:
        groups = {g.name: g for g in scenario.members}
        if pl.behind_meter_of not in groups or groups[pl.behind_meter_of].count != 1:
            raise InputError("add_plant.behind_meter_of", "must name a member group with count 1")
        if any(q.behind_meter_of == pl.behind_meter_of for q in scenario.plants):
            raise InputError("add_plant.behind_meter_of", "that group already has a plant")
        old = st.group_withdrawal[pl.behind_meter_of]
        sc = np.minimum(prod, old)
        inj = prod - sc
        wd = wd - sc
        if groups[pl.behind_meter_of].holder_type in st.exempt_holders:
            ex = ex - sc
    min_kw = float(p["community.min_plant_kw"]) if scenario.community_min_plant_kw_rule else None
    e = incentives.check_eligibility(
        pl.kwp,
        pl.commissioning_date,
        pl.source,
        pl.grant_share,
        scenario.cer_constitution_date,
        min_kw,
        p,
    )
    e, f_new = _grant_terms(pl, e, p)
    tip_row = (
        incentives.tip_full_eur_per_mwh(pl.kwp, st.prices, scenario.region, pl.source, p)
        if e.tip_eligible
        else np.zeros_like(st.prices)
    )
    ext = replace(
        st,
        names=(*st.names, pl.name),
        kwp=np.append(st.kwp, pl.kwp),
        dates=(*st.dates, pl.commissioning_date),
        injection=np.vstack([st.injection, inj * e.in_configuration]),
        tip_full=np.vstack([st.tip_full, tip_row]),
        f=np.append(st.f, f_new),
        eligible=np.append(st.eligible, e.tip_eligible),
        tip_share=np.append(st.tip_share, pl.tip_power_share),
        in_config=np.append(st.in_config, e.in_configuration),
    )
    shared, _, tip, val, excess = _settle(ext, ext.injection, wd, ex)
    fee = incentives.gse_fee_eur(pl.kwp, p) if e.in_configuration else 0.0
    after = Money(
        float(shared.sum()),
        float(tip.sum()),
        float(val.sum()),
        before.gse_fee_eur + fee,
        float(excess.sum()),
    )
    return Marginal(before, after, added_production_kwh=float(prod.sum()))
