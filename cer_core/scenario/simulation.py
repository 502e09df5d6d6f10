"""Simulate one settlement year hour by hour, and the economics over the horizon.

Rules (docs/rules.md): prosumers' physical self-consumption ``min(production, consumption)`` per
hour behind the meter never counts as shared (§2.3); only residual injection and withdrawal enter
the hourly configuration balance (§2.1), attributed to plants oldest first (§2.2); TIP per plant
and hour at the hourly zonal price (§3), annual excess rule per set (§4), valorisation on all
shared energy (§5), RID with PMG true-up on all injection (§6), avoided bill cost of
self-consumption (§7), investment economics (§8).

Economic approximation [A]: the year-1 hourly simulation is scaled to later years by the
production degradation factor (shared energy is assumed to decline in proportion to production,
a slightly pessimistic simplification); prices are held at year-1 values times
``finance.price_escalation``.
"""

from __future__ import annotations

import numpy as np

from cer_core import bills, finance, incentives, market
from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.parameters import load_parameters
from cer_core.scenario.hourly_inputs import (
    _prices,
    _weather,
    member_consumption_kwh,
    plant_production_kwh,
)
from cer_core.scenario.inputs import Scenario
from cer_core.scenario.investment import (
    _deduction,
    _deduction_used,
    _grant_terms,
    _plant_capex,
    _sum_flows,
)
from cer_core.scenario.results import PlantResult, Result
from cer_core.scenario.settlement import Money, _settle, _Settlement


def simulate(scenario: Scenario) -> Result:
    """Simulate one settlement year hour by hour and the economics over the horizon.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    Result

    Raises
    ------
    InputError
        Bad input, naming the field and the allowed range.
    """
    s = scenario
    p = load_parameters(s.year, dict(s.parameter_overrides))
    hours = year_index(s.year)
    n_h = len(hours)
    prices, price_label = _prices(s)
    month = np.asarray(hours.month)
    exempt_holders = frozenset(p["tip.f_exempt_holders"])
    warnings: list[str] = []

    # members: one profile per group × count
    group_cons: dict[str, np.ndarray] = {}
    for g in s.members:
        group_cons[g.name] = member_consumption_kwh(g, s.year) * g.count
    group_wd = dict(group_cons)

    n = len(s.plants)
    prod = np.zeros((n, n_h))
    selfc = np.zeros((n, n_h))
    inj = np.zeros((n, n_h))
    for i, pl in enumerate(s.plants):
        prod[i] = plant_production_kwh(pl, s)
        if pl.behind_meter_of is not None:
            cons = group_cons[pl.behind_meter_of]
            selfc[i] = np.minimum(prod[i], cons)
            group_wd[pl.behind_meter_of] = cons - selfc[i]
        inj[i] = prod[i] - selfc[i]

    withdrawal = np.zeros(n_h)
    exempt_wd = np.zeros(n_h)
    for g in s.members:
        withdrawal += group_wd[g.name]
        if g.holder_type in exempt_holders:
            exempt_wd += group_wd[g.name]
    consumption = sum(group_cons.values()) if group_cons else np.zeros(n_h)

    # eligibility and unit TIP per plant
    min_kw = float(p["community.min_plant_kw"]) if s.community_min_plant_kw_rule else None
    eligibility = []
    for i, pl in enumerate(s.plants):
        try:
            eligibility.append(
                incentives.check_eligibility(
                    pl.kwp,
                    pl.commissioning_date,
                    pl.source,
                    pl.grant_share,
                    s.cer_constitution_date,
                    min_kw,
                    p,
                )
            )
        except InputError as err:
            raise InputError(f"plants[{i}].{err.field}", err.message) from None
    # ⚠ finance.deduction_counts_as_grant: treat the tax deduction as a capital grant for F
    # (and above 40 % as not cumulable with the TIP); docs/rules.md §8, §14.6
    terms = [_grant_terms(pl, e, p) for pl, e in zip(s.plants, eligibility, strict=True)]
    eligibility = [e for e, _ in terms]
    in_config = np.array([e.in_configuration for e in eligibility], dtype=bool)
    eligible = np.array([e.tip_eligible for e in eligibility], dtype=bool)
    f = np.array([f_ for _, f_ in terms])
    tip_full = np.zeros((n, n_h))
    for i, pl in enumerate(s.plants):
        if eligible[i]:
            tip_full[i] = incentives.tip_full_eur_per_mwh(pl.kwp, prices, s.region, pl.source, p)
    config_inj = inj * in_config[:, None]

    settlement = _Settlement(
        params=p,
        prices=prices,
        names=tuple(pl.name for pl in s.plants),
        kwp=np.array([pl.kwp for pl in s.plants]),
        dates=tuple(pl.commissioning_date for pl in s.plants),
        injection=config_inj,
        tip_full=tip_full,
        f=f,
        eligible=eligible,
        tip_share=np.array([pl.tip_power_share for pl in s.plants]),
        in_config=in_config,
        withdrawal=withdrawal,
        exempt_withdrawal=exempt_wd,
        group_withdrawal=group_wd,
        group_consumption=group_cons,
        exempt_holders=exempt_holders,
    )
    shared, per_plant, tip, val, excess = _settle(settlement, config_inj, withdrawal, exempt_wd)
    fees = np.array(
        [
            incentives.gse_fee_eur(pl.kwp, p) if in_config[i] else 0.0
            for i, pl in enumerate(s.plants)
        ]
    )
    money = Money(
        shared_kwh=float(shared.sum()),
        tip_eur=float(tip.sum()),
        valorisation_eur=float(val.sum()),
        gse_fee_eur=float(fees.sum()),
        excess_eur=float(excess.sum()),
    )

    # market and bills per plant
    rid = np.array(
        [
            market.rid_eur(inj[i], prices, pl.kwp, pl.source, bool(eligible[i]), p)
            for i, pl in enumerate(s.plants)
        ]
    )
    groups = {g.name: g for g in s.members}
    saving = np.zeros(n)
    for i, pl in enumerate(s.plants):
        if pl.behind_meter_of is not None:
            g = groups[pl.behind_meter_of]
            saving[i] = bills.bill_savings_eur(
                selfc[i], g.customer, group_cons[g.name], prices, month, p
            )

    # economics
    share = float(p["community.producer_share"]) if s.producer_share is None else s.producer_share
    horizon = s.horizon_years
    years = s.year + np.arange(horizon)
    deg = finance.degradation_factors(horizon, float(p["finance.degradation_per_year"]))
    esc = (1.0 + float(p["finance.price_escalation"])) ** np.arange(horizon)
    tip_years = int(p["tip.duration_years"])
    plant_results = []
    flows = []
    community = np.zeros(horizon)
    for i, pl in enumerate(s.plants):
        active_tip = (years < pl.commissioning_date.year + tip_years).astype(float)
        # the excess TIP is reserved for non-business consumers / social purposes (§4): it
        # stays with the community; the producers' share applies to the rest
        incentive_i = ((tip[i] - excess[i]) * active_tip + val[i]) * deg - fees[i]
        revenue = (rid[i] + saving[i]) * deg * esc + share * incentive_i
        community += (1.0 - share) * incentive_i + excess[i] * active_tip * deg
        gross = _plant_capex(pl, p)
        net_capex = gross * (1.0 - pl.grant_share)
        cf = finance.cash_flows(
            s.year,
            horizon,
            net_capex,
            revenue,
            prod[i].sum() * deg,
            pl.kwp,
            _deduction(pl, gross, p),
            p,
        )
        flows.append(cf)
        e = eligibility[i]
        plant_results.append(
            PlantResult(
                name=pl.name,
                kwp=pl.kwp,
                commissioning_date=pl.commissioning_date,
                in_configuration=e.in_configuration,
                tip_eligible=e.tip_eligible,
                reasons=e.reasons,
                production_kwh=float(prod[i].sum()),
                self_consumption_kwh=float(selfc[i].sum()),
                injection_kwh=float(inj[i].sum()),
                shared_kwh=float(per_plant[i].sum()),
                tip_eur=float(tip[i]),
                valorisation_eur=float(val[i]),
                rid_eur=float(rid[i]),
                gse_fee_eur=float(fees[i]),
                bill_savings_eur=float(saving[i]),
                capex_eur=net_capex,
                cash_flows=cf,
                excess_eur=float(excess[i]),
            )
        )
    total_cf = _sum_flows(flows, s.year, horizon, p)

    if (f > 0).any():
        warnings.append(
            f"F-factor exemption split: {p['tip.f_exempt_split']} (not prescribed, docs/rules.md §14.2)"
        )
    if any(_deduction_used(pl) for pl in s.plants) and not p["finance.deduction_counts_as_grant"]:
        warnings.append(
            "tax deduction combined with the TIP without F: unconfirmed under DM 414 "
            "(docs/rules.md §8, §14.6)"
        )
    if money.excess_eur > 0:
        warnings.append(
            f"{money.excess_eur:,.2f} € of TIP exceed the 55 %/45 % threshold: it may go only to "
            "non-business consumers or social purposes (docs/rules.md §4)"
        )
    if p.extrapolated:
        warnings.append(
            "values extrapolated from an earlier year: " + ", ".join(sorted(p.extrapolated))
        )
    warnings.append(
        "economics: year-1 hourly results scaled by production degradation; real prices constant"
    )
    for pl in s.plants:
        if pl.commissioning_date.year > s.year:
            warnings.append(
                f"{pl.name}: commissioned in {pl.commissioning_date.year}, after the settlement "
                f"year {s.year}; simulated as operating the whole year"
            )
    for pr_, e in zip(plant_results, eligibility, strict=True):
        for reason in e.reasons:
            warnings.append(f"{pr_.name}: {reason}")
    weather = (
        _weather(s.latitude, s.longitude, s.online_weather)
        if any(pl.production_kwh is None for pl in s.plants)
        else None
    )
    weather_label = "plant production series given" if weather is None else weather.source_label
    if weather is not None and weather.note:
        weather_label += f" — {weather.note}"
        warnings.append(weather.note)

    return Result(
        scenario=s,
        parameters=p,
        hours=hours,
        price_eur_per_mwh=prices,
        production_kwh=prod,
        self_consumption_kwh=selfc,
        injection_kwh=inj,
        consumption_kwh=np.asarray(consumption, dtype=float),
        withdrawal_kwh=withdrawal,
        shared_kwh=shared,
        shared_per_plant_kwh=per_plant,
        plants=tuple(plant_results),
        money=money,
        rid_eur=float(rid.sum()),
        bill_savings_eur=float(saving.sum()),
        cash_flows=total_cf,
        community_cash_eur=community,
        producer_share=share,
        weather_source=weather_label,
        price_source=price_label,
        warnings=tuple(warnings),
        _settlement=settlement,
    )
