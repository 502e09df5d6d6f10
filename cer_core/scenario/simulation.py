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

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from cer_core import bills, commissioning, finance, incentives, market
from cer_core.calendar import year_index
from cer_core.notices import Notice, notice
from cer_core.parameters import Parameters, load_parameters
from cer_core.scenario.hourly_inputs import (
    member_consumption_kwh,
    plant_production_kwh,
    prices_eur_per_mwh,
    weather_year,
)
from cer_core.scenario.inputs import Plant, Scenario
from cer_core.scenario.investment import (
    deduction_instalments_eur,
    deduction_used,
    plant_capex_eur,
    spend_year_parameters,
    sum_flows,
)
from cer_core.scenario.results import PlantResult, Result
from cer_core.scenario.settlement import Settlement, plant_incentive_terms, settle
from cer_core.sharing import behind_the_meter
from cer_core.weather import WeatherYear


@dataclass(frozen=True, eq=False)
class Horizon:
    """Year-by-year factors of the economics, the same for every plant of a scenario.

    Attributes
    ----------
    start_year : int
        First operating year (the settlement year).
    years : numpy.ndarray of int, shape (N,)
        Calendar years of the horizon.
    degradation : numpy.ndarray, shape (N,)
        Production factor of each year relative to year 1 (``finance.degradation_per_year``,
        the one degradation of the engine) [1].
    escalation : numpy.ndarray, shape (N,)
        Price factor of each year (``finance.price_escalation``) [1].
    tip_years : int
        Years a plant earns the TIP from its commissioning (``tip.duration_years``).
    producer_share : float
        Share of net incentives paid to plant owners [1].
    """

    start_year: int
    years: np.ndarray
    degradation: np.ndarray
    escalation: np.ndarray
    tip_years: int
    producer_share: float


def horizon(scenario: Scenario, p: Parameters) -> Horizon:
    """The economic horizon of a scenario (its years, degradation, escalation, shares)."""
    n = scenario.horizon_years
    share = (
        float(p["community.producer_share"])
        if scenario.producer_share is None
        else scenario.producer_share
    )
    return Horizon(
        start_year=scenario.year,
        years=scenario.year + np.arange(n),
        degradation=finance.degradation_factors(n, float(p["finance.degradation_per_year"])),
        escalation=(1.0 + float(p["finance.price_escalation"])) ** np.arange(n),
        tip_years=int(p["tip.duration_years"]),
        producer_share=share,
    )


def plant_result(
    plant: Plant,
    flows: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    incentives_eur: tuple[float, float, float, float],
    eligibility: incentives.Eligibility,
    host: tuple[np.ndarray, str] | None,
    prices: np.ndarray,
    month: np.ndarray,
    hz: Horizon,
    p: Parameters,
    spend_p: Parameters,
) -> tuple[PlantResult, np.ndarray]:
    """Year-1 figures and the owner's cash flows of one plant.

    Parameters
    ----------
    plant : Plant
    flows : tuple of numpy.ndarray, shape (H,)
        Production, physical self-consumption, injection and attributed shared energy [kWh].
    incentives_eur : tuple of float
        The plant's TIP, valorisation, TIP above the excess threshold and GSE fee [€/yr].
    eligibility : incentives.Eligibility
    host : (numpy.ndarray, str) or None
        Consumption of the member group behind whose meter the plant sits [kWh] and its
        customer type; ``None`` for a stand-alone plant.
    prices : numpy.ndarray, shape (H,)
        Hourly zonal price [€/MWh].
    month : numpy.ndarray of int, shape (H,)
        Month (1-12) of each hour.
    hz : Horizon
    p, spend_p : Parameters
        Settlement-year and spending-year parameters.

    Returns
    -------
    PlantResult
    community_eur : numpy.ndarray, shape (N,)
        What the plant leaves to the community each operating year: the non-producer share of
        its net incentives and its whole excess TIP (docs/rules.md §4) [€].
    """
    prod, selfc, inj, shared = flows
    tip, val, excess, fee = incentives_eur
    rid = market.rid_eur(inj, prices, plant.kwp, plant.source, eligibility.tip_eligible, params=p)
    saving = 0.0
    if host is not None:
        host_consumption, customer = host
        saving = bills.bill_savings_eur(selfc, customer, host_consumption, prices, month, params=p)
    deg, share = hz.degradation, hz.producer_share
    active_tip = (hz.years < plant.commissioning_date.year + hz.tip_years).astype(float)
    # the excess TIP is reserved for non-business consumers / social purposes (§4): it stays
    # with the community; the producers' share applies to the rest
    incentive = ((tip - excess) * active_tip + val) * deg - fee
    revenue = (rid + saving) * deg * hz.escalation + share * incentive
    community = (1.0 - share) * incentive + excess * active_tip * deg
    gross = plant_capex_eur(plant, p)
    net_capex = gross * (1.0 - plant.grant_share)
    cf = finance.cash_flows(
        hz.start_year,
        len(hz.years),
        net_capex,
        revenue,
        prod.sum() * deg,
        plant.kwp,
        deduction_instalments_eur(plant, gross, p, spend_p),
        params=p,
    )
    result = PlantResult(
        name=plant.name,
        kwp=plant.kwp,
        commissioning_date=plant.commissioning_date,
        in_configuration=eligibility.in_configuration,
        tip_eligible=eligibility.tip_eligible,
        reasons=eligibility.reasons,
        production_kwh=float(prod.sum()),
        self_consumption_kwh=float(selfc.sum()),
        injection_kwh=float(inj.sum()),
        shared_kwh=float(shared.sum()),
        tip_eur=float(tip),
        valorisation_eur=float(val),
        rid_eur=float(rid),
        gse_fee_eur=float(fee),
        bill_savings_eur=float(saving),
        capex_eur=net_capex,
        cash_flows=cf,
        excess_eur=float(excess),
    )
    return result, community


def needs_weather(plants) -> bool:
    """Some plant's production is modelled (no series of its own given)."""
    return any(pl.production_kwh is None for pl in plants)


def weather_source(weather: WeatherYear | None) -> tuple[Notice, Notice | None]:
    """Where the production's weather comes from, and the note of a failed online fetch
    (notices: codes with values, :mod:`cer_core.notices`).

    Parameters
    ----------
    weather : WeatherYear or None
        The weather year used, ``None`` when every plant has its own production series.
    """
    if weather is None:
        return notice("weather_series_given"), None
    if weather.note:
        return notice("source_with_note", source=weather.source_label, note=weather.note), (
            weather.note
        )
    return weather.source_label, None


def warnings_of(
    scenario: Scenario,
    plants,
    s: Settlement,
    excess_eur: float,
    weather_note: Notice | None,
    starts: Sequence[Notice] = (),
) -> tuple[Notice, ...]:
    """Modelling choices and caveats of a settled configuration, for the user, as notices
    (codes with values that the pages translate; each is also its English sentence).

    Parameters
    ----------
    scenario : Scenario
        Settlement year.
    plants : sequence of Plant
        The plants settled (rows of ``s``).
    s : Settlement
    excess_eur : float
        TIP above the 55 %/45 % threshold [€/yr].
    weather_note : Notice or None
        Note of a failed online weather fetch.
    starts : sequence of Notice
        Plants commissioned during or after the settlement year
        (:func:`cer_core.commissioning.first_year`).
    """
    p = s.params
    _, warnings = commissioning.constitution_date(
        scenario.cer_constitution_date, scenario.check_cer_constitution, p
    )
    if (s.f > 0).any():
        warnings.append(notice("f_exempt_split", mode=str(p["tip.f_exempt_split"])))
    if any(deduction_used(pl) for pl in plants) and not p["finance.deduction_counts_as_grant"]:
        warnings.append(notice("deduction_with_tip_unconfirmed"))
    if excess_eur > 0:
        warnings.append(notice("excess_tip", excess_eur=float(excess_eur)))
    if p.extrapolated:
        warnings.append(notice("extrapolated_parameters", names=", ".join(sorted(p.extrapolated))))
    warnings.append(notice("economics_year1_scaled"))
    if not p["rid.apply_pmg"]:
        warnings.append(notice("pmg_off"))
    warnings.extend(starts)
    for pl, reasons in zip(plants, s.reasons, strict=True):
        warnings.extend(notice("plant_reason", plant=pl.name, reason=r) for r in reasons)
    if weather_note:
        warnings.append(weather_note)
    return tuple(warnings)


def simulate(scenario: Scenario) -> Result:
    """Simulate one settlement year hour by hour and the economics over the horizon.

    Parameters
    ----------
    scenario : Scenario
        The configuration; its year and ``parameter_overrides`` select the parameters.

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
    spend = spend_year_parameters(s.plants, p)
    # one weather load per run: a failed online fetch is tried once and reported once
    weather = (
        weather_year(s.latitude, s.longitude, s.online_weather) if needs_weather(s.plants) else None
    )
    hours = year_index(s.year)
    n_h = len(hours)
    prices, price_label = prices_eur_per_mwh(s)
    month = np.asarray(hours.month)
    exempt_holders = frozenset(p["tip.f_exempt_holders"])

    # members: one profile per group × count
    group_cons: dict[str, np.ndarray] = {}
    for g in s.members:
        group_cons[g.name] = member_consumption_kwh(g, s.year) * g.count
    group_wd = dict(group_cons)

    # plants: behind a member's meter, physical self-consumption first (never shared, §2.3)
    n = len(s.plants)
    prod = np.zeros((n, n_h))
    selfc = np.zeros((n, n_h))
    inj = np.zeros((n, n_h))
    for i, pl in enumerate(s.plants):
        prod[i] = plant_production_kwh(pl, s, weather)
    # plants starting during the settlement year: warn, or pro-rate on request (§3.4)
    prod, starts = commissioning.first_year(s.plants, prod, hours, s.year, s.prorate_first_year)
    for i, pl in enumerate(s.plants):
        if pl.behind_meter_of is None:
            inj[i] = prod[i]
        else:
            selfc[i], inj[i], group_wd[pl.behind_meter_of] = behind_the_meter(
                prod[i], group_cons[pl.behind_meter_of]
            )

    withdrawal = np.zeros(n_h)
    exempt_wd = np.zeros(n_h)
    for g in s.members:
        withdrawal += group_wd[g.name]
        if g.holder_type in exempt_holders:
            exempt_wd += group_wd[g.name]
    consumption = sum(group_cons.values()) if group_cons else np.zeros(n_h)

    # eligibility, F and unit TIP per plant
    terms = [
        plant_incentive_terms(pl, s, p, spend[pl.commissioning_date.year], prices, f"plants[{i}]")
        for i, pl in enumerate(s.plants)
    ]
    eligibility = [e for e, _, _ in terms]
    in_config = np.array([e.in_configuration for e in eligibility], dtype=bool)
    settlement = Settlement(
        params=p,
        spend_params=spend,
        prices=prices,
        month=month,
        dates=tuple(pl.commissioning_date for pl in s.plants),
        injection=inj * in_config[:, None],
        tip_full=tuple(row for _, _, row in terms),
        f=np.array([f for _, f, _ in terms], dtype=float),
        eligible=np.array([e.tip_eligible for e in eligibility], dtype=bool),
        tip_share=np.array([pl.tip_power_share for pl in s.plants], dtype=float),
        in_config=in_config,
        fees=np.array(
            [
                incentives.gse_fee_eur(pl.kwp, params=p) if in_config[i] else 0.0
                for i, pl in enumerate(s.plants)
            ],
            dtype=float,
        ),
        reasons=tuple(e.reasons for e in eligibility),
        withdrawal=withdrawal,
        exempt_withdrawal=exempt_wd,
        group_withdrawal=group_wd,
        group_consumption=group_cons,
        exempt_holders=exempt_holders,
    )
    settled = settle(settlement)

    # market, bills and economics per plant
    hz = horizon(s, p)
    groups = {g.name: g for g in s.members}
    plant_results = []
    community = np.zeros(len(hz.years))
    for i, pl in enumerate(s.plants):
        host = None
        if pl.behind_meter_of is not None:
            g = groups[pl.behind_meter_of]
            host = (group_cons[g.name], g.customer)
        result, community_i = plant_result(
            pl,
            (prod[i], selfc[i], inj[i], settled.per_plant_kwh[i]),
            (
                settled.tip_eur[i],
                settled.valorisation_eur[i],
                settled.excess_eur[i],
                settlement.fees[i],
            ),
            eligibility[i],
            host,
            prices,
            month,
            hz,
            p,
            spend[pl.commissioning_date.year],
        )
        plant_results.append(result)
        community += community_i
    total_cf = sum_flows([r.cash_flows for r in plant_results], s.year, len(hz.years), p)

    weather_label, weather_note = weather_source(weather)
    result = Result(
        scenario=s,
        parameters=p,
        hours=hours,
        price_eur_per_mwh=prices,
        production_kwh=prod,
        self_consumption_kwh=selfc,
        injection_kwh=inj,
        consumption_kwh=np.asarray(consumption, dtype=float),
        withdrawal_kwh=withdrawal,
        shared_kwh=settled.shared_kwh,
        shared_per_plant_kwh=settled.per_plant_kwh,
        plants=tuple(plant_results),
        money=settled.money,
        rid_eur=float(sum(r.rid_eur for r in plant_results)),
        bill_savings_eur=float(sum(r.bill_savings_eur for r in plant_results)),
        cash_flows=total_cf,
        community_cash_eur=community,
        producer_share=hz.producer_share,
        weather_source=weather_label,
        price_source=price_label,
        warnings=warnings_of(
            s, s.plants, settlement, settled.money.excess_eur, weather_note, starts
        ),
        settlement=settlement,
    )
    if s.prorate_first_year and any(w.code == "first_year_prorated" for w in starts):
        # year 1 is the partial calendar year; the later years are full years of operation
        full = simulate(replace(s, prorate_first_year=False))
        result = commissioning.with_full_later_years(result, full)
    return result
