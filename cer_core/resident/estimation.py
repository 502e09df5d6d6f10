"""The estimate: the user added to a configuration's run, and what the addition changes.

The configuration's run without the user (the *base*, reused across estimates through
:class:`~cer_core.resident.ReferenceRuns`) and the user's meter and plant added to it by
:func:`cer_core.scenario.added_energy` (once) and :func:`cer_core.scenario.marginal_money` (per
price scenario): the two steps of :func:`cer_core.scenario.marginal_effect`, the engine's one
implementation of the marginal effect. The difference is "the energy shared in the
configuration thanks to me" and the incentives it generates, split under the configuration's
allocation rule (docs/rules.md §9).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from cer_core import finance
from cer_core.calendar import year_index
from cer_core.commissioning import CONSTITUTION_NOTICES
from cer_core.errors import InputError
from cer_core.resident.inputs import ResidentInputs
from cer_core.resident.notes import money_notes, plant_notes, size_notes
from cer_core.resident.price_scenarios import PRICE_SCENARIO_NAMES
from cer_core.resident.reference_runs import ReferenceRuns
from cer_core.resident.references import ReferenceConfiguration
from cer_core.resident.scenarios import additions
from cer_core.scenario import (
    AddedEnergy,
    Marginal,
    PlantResult,
    Result,
    added_energy,
    marginal_money,
)

PRODUCTION_BAND = 0.07
"""Stated ± band on yearly PV production [1] [A]: year-to-year weather variation in northern
Italy is about ±5 % (PVGIS TMY vs single years) plus modelling error; one weather year is
embedded, so a band is stated instead of several years."""


SEASONS = {"winter": (12, 1, 2), "spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11)}

HOURLY_COLUMNS = (
    "consumption_kwh",
    "production_kwh",
    "self_consumption_kwh",
    "injection_kwh",
    "withdrawal_kwh",
    "my_plant_shared_kwh",
    "sold_not_shared_kwh",
    "shared_thanks_to_me_kwh",
)
"""My hourly energies [kWh], the columns of :attr:`ResidentEstimate.hourly` (then the price)."""


@dataclass(frozen=True, eq=False)
class ResidentEstimate:
    """What the calculator shows (year-1 energies [kWh], money [€/yr] unless stated).

    Small by design (a page caches many): the figures, the few frames the page draws, and my
    own hourly series; not the configuration's runs.

    Attributes
    ----------
    inputs : ResidentInputs
    reference : ReferenceConfiguration
    production_kwh : float
        Yearly production of my plant [kWh] (0 for a consumer).
    production_range_kwh : tuple of float
        (low, high) with the stated band :data:`PRODUCTION_BAND`.
    consumption_kwh, self_consumption_kwh, injection_kwh, withdrawal_kwh : float
        My consumption, physical self-consumption, injection and grid withdrawal [kWh].
    shared_thanks_to_me_kwh : float
        Configuration shared energy with me − without me [kWh] (marginal effect).
    delta_tip_eur, delta_valorisation_eur, delta_gse_fee_eur, delta_net_incentives_eur : float
        Change of the configuration's incentives [€/yr].
    delta_excess_eur : float
        Change of the TIP above the excess threshold, all of which goes to the community [€/yr].
    bill_savings_eur, rid_eur, producer_share_eur : float
        Money to me: avoided bill, energy sale (RID), my plant's producers' share [€/yr].
    tax_deduction_eur_per_year : float
        Deduction instalment [€/yr] (for ``deduction_years`` years).
    my_total_eur : float
        Year-1 money to me (bill + RID + producers' share + deduction instalment) [€/yr].
    solidarity_eur : float
        Part of the extra incentives going to the solidarity fund [€/yr]: the non-producer share
        of the extra net incentives without the excess TIP, plus the extra excess TIP.
    other_producers_eur : float
        Part of the extra incentives going to the other plants' owners [€/yr].
    producer_share : float
        Share of net incentives paid to plant owners [1].
    capex_eur, npv_eur, irr, payback_years : float or None
        PV investment and economics over the horizon (``None`` without PV).
    cash_flows : pandas.DataFrame
        Yearly cash flows of my plant (year 0 investment) [€], with ``cumulative_eur``.
    hours : pandas.DatetimeIndex
        Local hours of the settlement year.
    hourly_kwh : dict of str to numpy.ndarray
        My hourly energies [kWh]: ``consumption_kwh, production_kwh, self_consumption_kwh,
        injection_kwh, my_plant_shared_kwh, shared_thanks_to_me_kwh`` (read-only; a series the
        user does not have is a zero view that costs no memory; withdrawal and energy sold are
        derived in :attr:`hourly`).
    price_eur_per_mwh : numpy.ndarray
        Hourly zonal price [€/MWh] (the base run's array, shared).
    monthly : pandas.DataFrame
        Monthly sums of my hourly energies [kWh] (index ``month`` 1-12).
    typical_days : pandas.DataFrame
        Mean kWh per hour of day (0-23) per season (``season`` column).
    ranges : dict
        name -> (low, central, high) over the price scenarios (``my_total_eur``, ``npv_eur``,
        ``solidarity_eur``, ``delta_net_incentives_eur``), and production.
    explain : dict
        Numbers used by the explanation texts (unit TIP, CU_Af, producers' share …).
    notes : tuple of (code, dict)
        Messages for the user, translated by the page (e.g. ``("below_community_min", {...})``).
    warnings : tuple of str
        Engine warnings (modelling choices) of the configuration with the user.
    """

    inputs: ResidentInputs
    reference: ReferenceConfiguration
    production_kwh: float
    production_range_kwh: tuple
    consumption_kwh: float
    self_consumption_kwh: float
    injection_kwh: float
    withdrawal_kwh: float
    shared_thanks_to_me_kwh: float
    delta_tip_eur: float
    delta_valorisation_eur: float
    delta_gse_fee_eur: float
    delta_excess_eur: float
    delta_net_incentives_eur: float
    bill_savings_eur: float
    rid_eur: float
    producer_share_eur: float
    tax_deduction_eur_per_year: float
    my_total_eur: float
    solidarity_eur: float
    other_producers_eur: float
    producer_share: float
    capex_eur: float | None
    npv_eur: float | None
    irr: float | None
    payback_years: float | None
    cash_flows: pd.DataFrame
    hours: pd.DatetimeIndex
    hourly_kwh: dict
    price_eur_per_mwh: np.ndarray
    monthly: pd.DataFrame
    typical_days: pd.DataFrame
    ranges: dict = field(default_factory=dict)
    explain: dict = field(default_factory=dict)
    notes: tuple = ()
    warnings: tuple = ()

    @property
    def hourly(self) -> pd.DataFrame:
        """My hourly energies [kWh] and the zonal price [€/MWh], indexed by local hour.

        Built on each access (for the download and the tests), not kept in the estimate.
        """
        frame = pd.DataFrame(
            {**_all_columns(self.hourly_kwh), "price_eur_per_mwh": self.price_eur_per_mwh},
            index=self.hours,
        )
        frame.index.name = "hour"
        return frame

    def headline(self) -> dict:
        """The headline numbers (the page's metric cards)."""
        return {
            "production_kwh": self.production_kwh,
            "self_consumption_kwh": self.self_consumption_kwh,
            "shared_thanks_to_me_kwh": self.shared_thanks_to_me_kwh,
            "my_total_eur": self.my_total_eur,
            "solidarity_eur": self.solidarity_eur,
            "payback_years": self.payback_years,
            "npv_eur": self.npv_eur,
        }


def _clean(x):
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _base(inputs: ResidentInputs, runs: ReferenceRuns, price_scenario: str) -> Result:
    """The run the user is added to, under one price scenario."""
    return runs.base(inputs.configuration_id, inputs.year, price_scenario, inputs.joins)


def _my_energy(inputs: ResidentInputs, base: Result) -> AddedEnergy:
    """The user's meter and plant added to a base run: energies only, the same under every
    price scenario (settled per scenario by :func:`~cer_core.scenario.marginal_money`)."""
    member, plant = additions(inputs)
    return added_energy(base, add_member=member, add_plant=plant)


def _my_warnings(inputs: ResidentInputs, m: Marginal) -> tuple:
    """The engine's warnings that concern the user.

    A user who does not join is in no configuration: how a CER's plants are checked against its
    constitution date (:data:`~cer_core.commissioning.CONSTITUTION_NOTICES`) is left out.
    """
    if inputs.joins:
        return m.warnings
    return tuple(w for w in m.warnings if getattr(w, "code", None) not in CONSTITUTION_NOTICES)


def _money(inputs: ResidentInputs, base: Result, m: Marginal, rates: bool = True) -> dict:
    """Money of the user and of the configuration for one price scenario [€/yr].

    ``rates=False`` leaves out IRR and payback (``None``): the other price scenarios feed only
    the ranges, and the IRR's bisection is a tenth of an estimate's time.
    """
    share = base.producer_share
    mine = m.plant
    if inputs.joins:
        delta_net = m.delta_net_incentives_eur
        delta_shared = m.delta_shared_kwh
        d_tip = m.delta_tip_eur
        d_val = m.delta_valorisation_eur
        d_fee = m.delta_gse_fee_eur
        d_excess = m.delta_excess_eur
    else:
        delta_net = delta_shared = d_tip = d_val = d_fee = d_excess = 0.0
    # as in the engine's plant result: the TIP above the excess threshold stays with the
    # community; the producers' share applies to the rest (docs/rules.md §4)
    my_incentive = 0.0
    if mine is not None and inputs.joins:
        my_incentive = mine.tip_eur - mine.excess_eur + mine.valorisation_eur - mine.gse_fee_eur
    producer_share_eur = share * my_incentive
    solidarity = (1.0 - share) * (delta_net - d_excess) + d_excess
    other = share * (delta_net - d_excess) - producer_share_eur
    deduction = 0.0
    if mine is not None:
        deduction = float(mine.cash_flows.tax_deduction_eur[1])
    bill = mine.bill_savings_eur if mine else 0.0
    rid = mine.rid_eur if mine else 0.0
    return {
        "shared_thanks_to_me_kwh": delta_shared,
        "delta_tip_eur": d_tip,
        "delta_valorisation_eur": d_val,
        "delta_gse_fee_eur": d_fee,
        "delta_excess_eur": d_excess,
        "delta_net_incentives_eur": delta_net,
        "bill_savings_eur": bill,
        "rid_eur": rid,
        "producer_share_eur": producer_share_eur,
        "tax_deduction_eur_per_year": deduction,
        "my_total_eur": bill + rid + producer_share_eur + deduction,
        "solidarity_eur": solidarity,
        "other_producers_eur": other,
        "producer_share": share,
        "npv_eur": _clean(mine.cash_flows.npv_eur) if mine else None,
        "irr": _clean(mine.cash_flows.irr) if mine and rates else None,
        "payback_years": _clean(mine.cash_flows.payback_years) if mine and rates else None,
        "capex_eur": float(mine.capex_eur) if mine else None,
    }


def _hourly_kwh(inputs: ResidentInputs, m: Marginal, n_hours: int) -> dict:
    """My own hourly energies [kWh] (the series the others derive from)."""
    zeros = np.broadcast_to(0.0, (n_hours,))  # read-only, no memory
    consumption = zeros
    if m.member_consumption_kwh is not None:
        consumption = m.member_consumption_kwh
    flows = m.plant_flows
    if flows is not None:
        prod, selfc = flows.production_kwh, flows.self_consumption_kwh
        inj, plant_shared = flows.injection_kwh, flows.shared_kwh
    else:
        prod = selfc = inj = plant_shared = zeros
    out = {
        "consumption_kwh": consumption,
        "production_kwh": prod,
        "self_consumption_kwh": selfc,
        "injection_kwh": inj,
        "my_plant_shared_kwh": plant_shared,
        "shared_thanks_to_me_kwh": m.delta_shared_hourly_kwh if inputs.joins else zeros,
    }
    for values in out.values():
        if values.flags.writeable:
            values.flags.writeable = False  # shared with the page's cache: never changed
    return out


def _all_columns(hourly_kwh: dict) -> dict:
    """:data:`HOURLY_COLUMNS` from my own series: withdrawal = consumption − self-consumption,
    sold but not shared = injection − my plant's shared energy [kWh]."""
    derived = {
        "withdrawal_kwh": hourly_kwh["consumption_kwh"] - hourly_kwh["self_consumption_kwh"],
        "sold_not_shared_kwh": hourly_kwh["injection_kwh"] - hourly_kwh["my_plant_shared_kwh"],
    }
    return {name: derived[name] if name in derived else hourly_kwh[name] for name in HOURLY_COLUMNS}


_COLUMN_INDEX = pd.Index(HOURLY_COLUMNS)
"""The columns of the monthly and typical-day frames (an index is immutable: built once)."""

_DAY_KEYS = pd.DataFrame(
    {"season": np.repeat(list(SEASONS), 24), "hour_of_day": np.tile(np.arange(24), 4)}
)
"""The ``season`` and ``hour_of_day`` columns of :attr:`ResidentEstimate.typical_days`."""


@dataclass(frozen=True, eq=False)
class _HourBins:
    """Where each value of a (hours × :data:`HOURLY_COLUMNS`) array goes in a group sum.

    Attributes
    ----------
    month : numpy.ndarray of int, shape (H × k,)
        Bin ``month × k + column`` of each value (month 0-11, ``k`` columns).
    slot : numpy.ndarray of int, shape (H × k,)
        Bin ``(season × 24 + hour of day) × k + column`` of each value.
    slot_hours : numpy.ndarray of int, shape (96,)
        Hours of the year in each season × hour-of-day slot.
    """

    month: np.ndarray
    slot: np.ndarray
    slot_hours: np.ndarray


@lru_cache(maxsize=4)
def _hour_bins(year: int) -> _HourBins:
    """The bins of :func:`_group_sums` for the hours of ``year`` (built once per year)."""
    hours = year_index(year)
    month = np.asarray(hours.month)
    season = np.zeros(len(hours), dtype=np.intp)
    for k, months in enumerate(SEASONS.values()):
        season[np.isin(month, months)] = k
    slot = season * 24 + np.asarray(hours.hour)
    columns = np.arange(len(HOURLY_COLUMNS))
    return _HourBins(
        month=((month.astype(np.intp) - 1)[:, None] * len(columns) + columns).ravel(),
        slot=(slot[:, None] * len(columns) + columns).ravel(),
        slot_hours=np.bincount(slot, minlength=96),
    )


def _group_sums(stacked: np.ndarray, bins: np.ndarray, n_groups: int) -> np.ndarray:
    """Sums of each column of ``stacked`` per group of hours, shape (n_groups, k).

    One ``np.bincount`` over the flattened array: each bin adds its values in hour order, the
    same additions (the same floats) as a bincount per column, but the ``k`` columns' running
    sums interleave instead of each waiting on its previous addition (about 3 × faster).

    Parameters
    ----------
    stacked : numpy.ndarray, shape (H, k)
        Hourly values, one column per series (C order).
    bins : numpy.ndarray of int, shape (H × k,)
        ``group × k + column`` of each value (:class:`_HourBins`).
    n_groups : int
        Number of groups.
    """
    k = stacked.shape[1]
    return np.bincount(bins, weights=stacked.ravel(), minlength=n_groups * k).reshape(n_groups, k)


def _stacked(columns: dict) -> np.ndarray:
    """My hourly energies as one (H, 8) array, columns in :data:`HOURLY_COLUMNS` order [kWh]."""
    return np.column_stack([columns[name] for name in HOURLY_COLUMNS])


def _monthly(stacked: np.ndarray, year: int) -> pd.DataFrame:
    """Monthly sums of my hourly energies [kWh], index ``month`` 1-12."""
    sums = _group_sums(stacked, _hour_bins(year).month, 12)
    return pd.DataFrame(sums, columns=_COLUMN_INDEX, index=pd.RangeIndex(1, 13, name="month"))


def _typical_days(stacked: np.ndarray, year: int) -> pd.DataFrame:
    """Mean kWh per hour of day per season: 4 × 24 rows, ``season`` and ``hour_of_day``."""
    bins = _hour_bins(year)
    means = _group_sums(stacked, bins.slot, 96) / bins.slot_hours[:, None]
    return pd.concat([_DAY_KEYS, pd.DataFrame(means, columns=_COLUMN_INDEX)], axis=1)


def _cash_flow_frame(mine: PlantResult | None) -> pd.DataFrame:
    if mine is None:
        return pd.DataFrame(columns=["year", *finance.CASH_FLOW_COLUMNS])
    cf = mine.cash_flows  # a plain frame, not table().reset_index(): this runs on every change
    return pd.DataFrame({"year": cf.year.astype(int), **cf.columns()})


def estimate(inputs: ResidentInputs, runs: ReferenceRuns | None = None) -> ResidentEstimate:
    """The resident's estimate, hour by hour through the engine.

    Three marginal effects (one per price scenario) on base runs taken from ``runs``: after the
    first estimate of a configuration, no configuration is simulated again. The user's energies
    and the configuration's balance with the user are computed once (prices do not enter them);
    only the money is settled per price scenario.

    Parameters
    ----------
    inputs : ResidentInputs
    runs : ReferenceRuns, optional
        The base runs to reuse (a server keeps one for all its users); default a new one,
        which simulates the three base runs this estimate needs.

    Returns
    -------
    ResidentEstimate

    Raises
    ------
    InputError
        Bad input, naming the field (an unknown ``configuration_id`` too).
    """
    if not isinstance(inputs, ResidentInputs):
        raise InputError("inputs", "must be a ResidentInputs")
    runs = ReferenceRuns() if runs is None else runs
    ref = runs.reference(inputs.configuration_id)
    base = _base(inputs, runs, inputs.price_scenario)
    energy = _my_energy(inputs, base)
    m = marginal_money(base, energy)
    money = _money(inputs, base, m)
    mine = m.plant
    hourly_kwh = _hourly_kwh(inputs, m, len(base.hours))

    per_scenario = {inputs.price_scenario: money}
    for ps in PRICE_SCENARIO_NAMES:
        if ps not in per_scenario:
            other = _base(inputs, runs, ps)
            per_scenario[ps] = _money(inputs, other, marginal_money(other, energy), rates=False)
    ranges = {}
    for key in ("my_total_eur", "npv_eur", "solidarity_eur", "delta_net_incentives_eur"):
        values = [per_scenario[ps][key] for ps in PRICE_SCENARIO_NAMES]
        if all(v is not None for v in values):
            ranges[key] = tuple(float(v) for v in values)
    prod = float(hourly_kwh["production_kwh"].sum())
    prod_range = (prod * (1 - PRODUCTION_BAND), prod * (1 + PRODUCTION_BAND))
    ranges["production_kwh"] = (prod_range[0], prod, prod_range[1])

    p = base.parameters
    # the reference configuration's shared energy, also for a user who does not join
    reference_run = (
        base
        if inputs.joins
        else runs.base(inputs.configuration_id, inputs.year, inputs.price_scenario, True)
    )
    delta_shared = money["shared_thanks_to_me_kwh"]
    explain = {
        "reference_label_it": ref.label_it,
        "reference_label_en": ref.label_en,
        "reference_kwp": ref.kwp,
        "reference_members": ref.member_count,
        "base_shared_kwh": reference_run.money.shared_kwh,
        "unit_tip_eur_per_mwh": (1000 * money["delta_tip_eur"] / delta_shared)
        if delta_shared > 1e-6
        else None,
        "cu_af_eur_per_mwh": 1000 * money["delta_valorisation_eur"] / delta_shared
        if delta_shared > 1e-6
        else None,
        "producer_share": money["producer_share"],
        "min_plant_kw": float(p["community.min_plant_kw"]),
        "specific_yield_kwh_per_kwp": prod / inputs.kwp if inputs.kwp else None,
        "self_consumption_share": float(hourly_kwh["self_consumption_kwh"].sum()) / prod
        if prod > 0
        else None,
        "mean_price_eur_per_mwh": float(base.price_eur_per_mwh.mean()),
        "price_source": base.price_source,
        "weather_source": m.weather_source,
        "deduction_years": int(p["finance.tax_deduction_years"]),
        "horizon_years": base.scenario.horizon_years,
        "discount_rate": float(p["finance.discount_rate"]),
        "kwp": inputs.kwp,
        "production_band": PRODUCTION_BAND,
    }
    year = inputs.year
    columns = _all_columns(hourly_kwh)
    stacked = _stacked(columns)
    return ResidentEstimate(
        inputs=inputs,
        reference=ref,
        production_kwh=prod,
        production_range_kwh=prod_range,
        consumption_kwh=float(hourly_kwh["consumption_kwh"].sum()),
        self_consumption_kwh=float(hourly_kwh["self_consumption_kwh"].sum()),
        injection_kwh=float(hourly_kwh["injection_kwh"].sum()),
        withdrawal_kwh=float(columns["withdrawal_kwh"].sum()),
        cash_flows=_cash_flow_frame(mine),
        hours=base.hours,
        hourly_kwh=hourly_kwh,
        price_eur_per_mwh=base.price_eur_per_mwh,
        monthly=_monthly(stacked, year),
        typical_days=_typical_days(stacked, year),
        ranges=ranges,
        explain=explain,
        notes=tuple(
            plant_notes(inputs, p, mine, inputs.configuration_id)
            + size_notes(inputs, mine)
            + money_notes(inputs, money)
        ),
        warnings=_my_warnings(inputs, m),
        **money,
    )
