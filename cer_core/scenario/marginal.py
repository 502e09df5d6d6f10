"""The marginal effect: what adding a member group, a plant, or both changes (year 1).

The configuration's run (:func:`~cer_core.scenario.simulate`) keeps its settled arrays
(:class:`~cer_core.scenario.settlement.Settlement`); an addition extends them by one row or one
withdrawal profile and settles again with the same functions as a full run
(:func:`~cer_core.scenario.settlement.settle`,
:func:`~cer_core.scenario.settlement.plant_incentive_terms`,
:func:`~cer_core.scenario.simulation.plant_result`, :func:`cer_core.sharing.behind_the_meter`).
The figures are those of ``simulate`` on the configuration with the addition (a test checks it);
only the other plants' owner economics, which the marginal effect does not need, are not redone.

Two steps, so that one addition can be priced several ways: :func:`added_energy` (the added
energies and the configuration's balance with them: no price enters it) and
:func:`marginal_money` (the money on one base run's prices); :func:`marginal_effect` is both.
The estimate computes the energies once and the money for each of its three price scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cer_core import incentives
from cer_core.commissioning import first_year, starts_of
from cer_core.errors import InputError
from cer_core.notices import Notice
from cer_core.scenario.hourly_inputs import (
    member_consumption_kwh,
    plant_production_kwh,
    weather_year,
)
from cer_core.scenario.inputs import MemberGroup, Plant, Scenario
from cer_core.scenario.investment import spend_year_parameters
from cer_core.scenario.results import PlantResult, Result
from cer_core.scenario.settlement import (
    Money,
    Settlement,
    SharedEnergy,
    plant_eligibility,
    same_energies,
    settle_money,
    shared_energy,
    unit_tip_eur_per_mwh,
)
from cer_core.scenario.simulation import (
    horizon,
    needs_weather,
    plant_result,
    simulate,
    warnings_of,
    weather_source,
)
from cer_core.sharing import behind_the_meter
from cer_core.weather import WeatherYear


@dataclass(frozen=True, eq=False)
class PlantFlows:
    """Hourly energies of the added plant [kWh], shape (H,) each."""

    production_kwh: np.ndarray
    self_consumption_kwh: np.ndarray
    injection_kwh: np.ndarray
    shared_kwh: np.ndarray


@dataclass(frozen=True, eq=False)
class Marginal:
    """Effect of adding a member group, a plant, or both (year 1).

    Attributes
    ----------
    before, after : Money
        Configuration incentives without and with the addition [€, kWh].
    added_production_kwh : float
        Production of the added plant [kWh] (0 without a plant).
    added_consumption_kwh : float
        Consumption of the added member group [kWh] (0 without a member group).
    delta_shared_hourly_kwh : numpy.ndarray, shape (H,)
        Hourly shared energy with the addition minus without [kWh].
    member_consumption_kwh : numpy.ndarray or None
        Hourly consumption of the added group, all its members [kWh].
    plant : PlantResult or None
        The added plant's year-1 figures and its owner's cash flows, as in a full run.
    plant_flows : PlantFlows or None
        The added plant's hourly energies.
    warnings : tuple of cer_core.notices.Notice
        The run's warnings with the addition (as :attr:`Result.warnings`; the base run's notices
        about plants starting during the year are kept).
    weather_source : cer_core.notices.Notice or str
        Where the production's weather comes from, with the addition.
    """

    before: Money
    after: Money
    added_production_kwh: float = 0.0
    added_consumption_kwh: float = 0.0
    delta_shared_hourly_kwh: np.ndarray | None = None
    member_consumption_kwh: np.ndarray | None = None
    plant: PlantResult | None = None
    plant_flows: PlantFlows | None = None
    warnings: tuple = ()
    weather_source: Notice | str = ""

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
    def delta_gse_fee_eur(self) -> float:
        """Change of the annual GSE fees [€]."""
        return self.after.gse_fee_eur - self.before.gse_fee_eur

    @property
    def delta_excess_eur(self) -> float:
        """Change of the TIP above the excess threshold, which stays with the community [€/yr]."""
        return self.after.excess_eur - self.before.excess_eur

    @property
    def delta_net_incentives_eur(self) -> float:
        """Change of TIP + valorisation − GSE fee [€/yr]."""
        return self.after.net_incentives_eur - self.before.net_incentives_eur

    def as_dict(self) -> dict:
        """JSON-friendly dict of the annual figures."""
        return {
            "shared_kwh_before": self.before.shared_kwh,
            "shared_kwh_after": self.after.shared_kwh,
            "delta_shared_kwh": self.delta_shared_kwh,
            "tip_eur_before": self.before.tip_eur,
            "tip_eur_after": self.after.tip_eur,
            "delta_tip_eur": self.delta_tip_eur,
            "delta_valorisation_eur": self.delta_valorisation_eur,
            "delta_gse_fee_eur": self.delta_gse_fee_eur,
            "delta_excess_eur": self.delta_excess_eur,
            "delta_net_incentives_eur": self.delta_net_incentives_eur,
            "added_production_kwh": self.added_production_kwh,
            "added_consumption_kwh": self.added_consumption_kwh,
        }


@dataclass(frozen=True, eq=False)
class AddedEnergy:
    """The energy side of an addition to a configuration's run: no price enters it.

    Computed once by :func:`added_energy`; :func:`marginal_money` settles it on the base run of
    each price scenario of the same configuration (their energies are the same), so the balance
    and the behind-the-meter split are not redone per price.

    Attributes
    ----------
    base : Settlement
        The settlement it extends (its energies are checked again by :func:`marginal_money`).
    add_member : MemberGroup or None
    add_plant : Plant or None
    weather : WeatherYear or None
        The weather year of the modelled production (``None`` when every series is given).
    member_consumption_kwh : numpy.ndarray or None
        Hourly consumption of the added group, all its members [kWh].
    flows : tuple of numpy.ndarray, shape (H,), or None
        The added plant's production, physical self-consumption and injection [kWh].
    host : (numpy.ndarray, str) or None
        Consumption [kWh] and customer type of the group behind whose meter the plant sits.
    eligibility : incentives.Eligibility or None
        The added plant's eligibility.
    f : float
        The added plant's F factor [1].
    starts : tuple of cer_core.notices.Notice
        The added plant starting during the settlement year (:func:`first_year`).
    injection : numpy.ndarray, shape (n, H)
        Injection that counts in the configuration with the addition [kWh].
    withdrawal, exempt_withdrawal : numpy.ndarray, shape (H,)
        Residual withdrawal of the members with the addition, and its F-exempt part [kWh].
    shared : SharedEnergy
        The configuration's balance with the addition.
    """

    base: Settlement
    add_member: MemberGroup | None
    add_plant: Plant | None
    weather: WeatherYear | None
    member_consumption_kwh: np.ndarray | None
    flows: tuple | None
    host: tuple | None
    eligibility: incentives.Eligibility | None
    f: float
    starts: tuple
    injection: np.ndarray
    withdrawal: np.ndarray
    exempt_withdrawal: np.ndarray
    shared: SharedEnergy


def _spend_parameters(st: Settlement, plant: Plant) -> dict:
    """The base's spending-year parameters, with the added plant's commissioning year."""
    spend = dict(st.spend_params)
    if plant.commissioning_date.year not in spend:
        spend.update(spend_year_parameters([plant], st.params))
    return spend


def added_energy(
    base: Result,
    add_member: MemberGroup | None = None,
    add_plant: Plant | None = None,
) -> AddedEnergy:
    """The hourly energies of an addition and the configuration's balance with it [kWh].

    Parameters
    ----------
    base : Result
        ``simulate(scenario)`` of the existing configuration.
    add_member, add_plant : MemberGroup, Plant, optional
        As :func:`marginal_effect`.

    Returns
    -------
    AddedEnergy

    Raises
    ------
    InputError
        No addition, a name already used, or a meter that cannot host the plant.
    """
    if add_member is None and add_plant is None:
        raise InputError("marginal", "give a member group to add, a plant to add, or both")
    s, st = base.scenario, base.settlement
    groups = {g.name: g for g in s.members}
    withdrawal, exempt = st.withdrawal, st.exempt_withdrawal

    member_cons = member_wd = None
    if add_member is not None:
        if add_member.name in groups:
            raise InputError("add_member.name", "already a member group of the configuration")
        member_cons = member_consumption_kwh(add_member, s.year) * add_member.count
        member_wd = member_cons

    plants = s.plants if add_plant is None else (*s.plants, add_plant)
    # one weather load: a failed online fetch is tried once and reported once
    weather = (
        weather_year(s.latitude, s.longitude, s.online_weather) if needs_weather(plants) else None
    )
    injection = st.injection
    flows = host = e = None
    f = 0.0
    added_starts: list = []
    if add_plant is not None:
        pl = add_plant
        if any(q.name == pl.name for q in s.plants):
            raise InputError("add_plant.name", "already a plant of the configuration")
        prod = plant_production_kwh(pl, s, weather)
        # a plant starting during the settlement year: the same warning (or pro-rating) as in
        # a full run (docs/rules.md §3.4)
        started, added_starts = first_year([pl], prod[None, :], base.hours, s.year, False)
        if s.prorate_first_year and added_starts:
            # pro-rating needs a second run for the full later years (simulate does it); the
            # marginal effect has only year 1, so it refuses rather than repeat a partial year
            raise InputError(
                "add_plant.commissioning_date",
                "with prorate_first_year the marginal effect of a plant commissioned after 1 "
                "January of the settlement year is not computed: simulate the configuration",
                code="prorate_added_plant",
                date=pl.commissioning_date.isoformat(),
            )
        prod = started[0]
        where = pl.behind_meter_of
        if where is None:
            selfc, inj = np.zeros_like(prod), prod
        elif add_member is not None and where == add_member.name:
            if add_member.count != 1:
                raise InputError(
                    "add_plant.behind_meter_of", "a prosumer group must have count = 1 (one meter)"
                )
            selfc, inj, member_wd = behind_the_meter(prod, member_cons)
            host = (member_cons, add_member.customer)
        else:
            if where not in groups or groups[where].count != 1:
                raise InputError(
                    "add_plant.behind_meter_of", "must name a member group with count 1"
                )
            if any(q.behind_meter_of == where for q in s.plants):
                raise InputError("add_plant.behind_meter_of", "that group already has a plant")
            selfc, inj, _ = behind_the_meter(prod, st.group_withdrawal[where])
            withdrawal = withdrawal - selfc
            if groups[where].holder_type in st.exempt_holders:
                exempt = exempt - selfc
            host = (st.group_consumption[where], groups[where].customer)
        spend = _spend_parameters(st, pl)
        e, f = plant_eligibility(pl, s, st.params, spend[pl.commissioning_date.year], "add_plant")
        injection = np.vstack([st.injection, inj * e.in_configuration])
        flows = (prod, selfc, inj)
    if member_wd is not None:
        # the new group's residual withdrawal enters the balance after the existing groups', in
        # the order a full run adds them
        withdrawal = withdrawal + member_wd
        if add_member.holder_type in st.exempt_holders:
            exempt = exempt + member_wd
    return AddedEnergy(
        base=st,
        add_member=add_member,
        add_plant=add_plant,
        weather=weather,
        member_consumption_kwh=member_cons,
        flows=flows,
        host=host,
        eligibility=e,
        f=f,
        starts=tuple(added_starts),
        injection=injection,
        withdrawal=withdrawal,
        exempt_withdrawal=exempt,
        shared=shared_energy(_extended(st, injection, withdrawal, exempt, add_plant, e, f)),
    )


def _extended(
    st: Settlement,
    injection: np.ndarray,
    withdrawal: np.ndarray,
    exempt: np.ndarray,
    plant: Plant | None,
    e: incentives.Eligibility | None,
    f: float,
    tip_row: np.ndarray | None = None,
    fee: float = 0.0,
    spend: dict | None = None,
) -> Settlement:
    """A base settlement with the addition: its withdrawal and, if any, the added plant's row.

    Parameters
    ----------
    st : Settlement
        The base run's settlement.
    injection : numpy.ndarray, shape (n, H)
        Injection counting in the configuration, the added plant's row last [kWh].
    withdrawal, exempt : numpy.ndarray, shape (H,)
        Residual withdrawal with the addition, and its F-exempt part [kWh].
    plant : Plant or None
        The added plant (``None``: a member group only).
    e : incentives.Eligibility or None
        The added plant's eligibility.
    f : float
        The added plant's F factor [1].
    tip_row : numpy.ndarray, shape (H,), or None
        The added plant's unit TIP before F [€/MWh] (``None``: no TIP, or energies only).
    fee : float
        The added plant's GSE fee [€/yr].
    spend : dict, optional
        Spending-year parameters with the added plant's year (default the base's).
    """
    if plant is None:
        return replace(st, withdrawal=withdrawal, exempt_withdrawal=exempt)
    return replace(
        st,
        spend_params=st.spend_params if spend is None else spend,
        dates=(*st.dates, plant.commissioning_date),
        injection=injection,
        tip_full=(*st.tip_full, tip_row),
        f=np.append(st.f, f),
        eligible=np.append(st.eligible, e.tip_eligible),
        tip_share=np.append(st.tip_share, plant.tip_power_share),
        in_config=np.append(st.in_config, e.in_configuration),
        fees=np.append(st.fees, fee),
        reasons=(*st.reasons, e.reasons),
        withdrawal=withdrawal,
        exempt_withdrawal=exempt,
    )


def marginal_money(base: Result, added: AddedEnergy) -> Marginal:
    """The marginal effect of an addition whose energies are known, on a base run's prices.

    Parameters
    ----------
    base : Result
        The run ``added`` was computed on, or a run of the same configuration under other
        prices (same energies: the estimate's price scenarios).
    added : AddedEnergy
        From :func:`added_energy`.

    Returns
    -------
    Marginal

    Raises
    ------
    ValueError
        ``base`` has other energies than the run ``added`` was computed on.
    """
    s, st = base.scenario, base.settlement
    if not same_energies(st, added.base):
        raise ValueError("added energies of another configuration: compute added_energy(base)")
    p = st.params
    pl, e = added.add_plant, added.eligibility
    plants = s.plants if pl is None else (*s.plants, pl)
    tip_row, fee, spend = None, 0.0, None
    if pl is not None:
        spend = _spend_parameters(st, pl)
        fee = incentives.gse_fee_eur(pl.kwp, params=p) if e.in_configuration else 0.0
        tip_row = unit_tip_eur_per_mwh(pl, s, p, st.prices, e)
    ext = _extended(
        st,
        added.injection,
        added.withdrawal,
        added.exempt_withdrawal,
        pl,
        e,
        added.f,
        tip_row,
        fee,
        spend,
    )
    settled = settle_money(ext, added.shared)
    plant = plant_flows = None
    if pl is not None:
        prod, selfc, inj = added.flows
        # a copy, not a view: the view would keep the whole (plants × hours) array alive
        plant_flows = PlantFlows(prod, selfc, inj, settled.per_plant_kwh[-1].copy())
        plant, _ = plant_result(
            pl,
            (prod, selfc, inj, plant_flows.shared_kwh),
            (settled.tip_eur[-1], settled.valorisation_eur[-1], settled.excess_eur[-1], fee),
            e,
            added.host,
            st.prices,
            st.month,
            horizon(s, p),
            p,
            spend[pl.commissioning_date.year],
        )
    weather_label, weather_note = weather_source(added.weather)
    member_cons = added.member_consumption_kwh
    return Marginal(
        before=base.money,
        after=settled.money,
        added_production_kwh=float(added.flows[0].sum()) if added.flows else 0.0,
        added_consumption_kwh=float(member_cons.sum()) if member_cons is not None else 0.0,
        delta_shared_hourly_kwh=settled.shared_kwh - base.shared_kwh,
        member_consumption_kwh=member_cons,
        plant=plant,
        plant_flows=plant_flows,
        warnings=warnings_of(
            s,
            plants,
            ext,
            settled.money.excess_eur,
            weather_note,
            (*starts_of(base.warnings), *added.starts),
        ),
        weather_source=weather_label,
    )


def marginal_effect(
    base: Result | Scenario,
    add_member: MemberGroup | None = None,
    add_plant: Plant | None = None,
) -> Marginal:
    """Shared energy and incentives with and without one more member group and/or plant.

    Reuses the base run's settled arrays: no PV or profile is recomputed for the existing
    configuration, and the added plant's production per kWp is cached per geometry and year.
    :func:`added_energy` then :func:`marginal_money`.

    Parameters
    ----------
    base : Result or Scenario
        ``simulate(scenario)`` of the existing configuration (reuse it across additions), or
        the scenario itself (then simulated here, once).
    add_member : MemberGroup, optional
        Members to add (``count`` × profile), a new group name.
    add_plant : Plant, optional
        Plant to add: stand-alone, behind the meter of the added group (``count = 1``), or
        behind the meter of an existing ``count = 1`` group that has no plant yet.

    Returns
    -------
    Marginal

    Raises
    ------
    InputError
        No addition, a name already used, or a meter that cannot host the plant.
    """
    if add_member is None and add_plant is None:
        raise InputError("marginal", "give a member group to add, a plant to add, or both")
    if isinstance(base, Scenario):
        base = simulate(base)
    return marginal_money(base, added_energy(base, add_member, add_plant))
