"""Scenarios: a configuration's plants and member groups → hour-by-hour energy and money.

A :class:`Scenario` (frozen dataclasses, or a TOML file read by :func:`load_scenario`, format in
``docs/scenario-format.md``) describes the site, the plants, the member groups (``count`` members
sharing one profile), the price series, parameter overrides and the economic horizon.
:func:`simulate` returns a :class:`Result` with hourly arrays, annual totals, a per-plant
breakdown and yearly cash flows; :func:`marginal_effect` answers "what does adding this member or
this plant change?" by reusing the base run's arrays.

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

import datetime as dt
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from cer_core import bills, finance, incentives, market
from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.parameters import Parameters, load_parameters
from cer_core.sharing import attribute, attribution_order
from cer_core.validation import choice, date, number

MILAN_LATITUDE, MILAN_LONGITUDE = 45.4642, 9.19
TAX_DEDUCTION_CHOICES = ("auto", "main_home", "other", "none")
CUSTOMERS = bills.CUSTOMERS


# --- validation helpers -----------------------------------------------------------------------


def _series(field_name: str, value) -> np.ndarray | None:
    if value is None:
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(field_name, "must be numbers [kWh]") from None
    if arr.ndim != 1 or not np.isfinite(arr).all() or (arr < 0).any():
        raise InputError(field_name, "must be a 1-D hourly series of finite numbers ≥ 0 [kWh]")
    arr = arr.copy()
    arr.flags.writeable = False
    return arr


# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plant:
    """A renewable plant of the configuration.

    Attributes
    ----------
    name : str
        Unique name.
    kwp : float
        Peak power [kWp], more than 0 up to 1,000 (DM 414 limit; also the tier and fee power).
    commissioning_date : datetime.date
        Entry into operation (attribution priority, eligibility, TIP years).
    surface_tilt : float
        Tilt [°] 0-90.
    surface_azimuth : float
        Azimuth [°] 0-360, pvlib convention: 180 = south, 90 = east, 0 = north.
    losses_pct : float
        System losses [%] 0-50 (PVGIS default 14).
    shading_pct : float
        Extra shading loss [%] 0-80.
    source : str
        ``"pv"`` (default) or another renewable source (no geographic correction).
    grant_share : float
        Capital grant as a share of the investment [0-0.40]; drives the F factor.
    holder_type : str
        Owner type (``persona_fisica``, ``impresa``, ``ente_territoriale`` …); natural persons
        get the tax deduction and pay non-recoverable VAT on the investment.
    behind_meter_of : str or None
        Name of the member group (with ``count = 1``) whose meter the plant sits behind
        (prosumer); ``None`` for a stand-alone plant injecting everything.
    capex_eur : float or None
        Investment [€] overriding the size-band reference cost (VAT included if any).
    tax_deduction : str
        ``auto`` (main home for natural persons, none otherwise), ``main_home``, ``other``,
        ``none``.
    tip_power_share : float
        Share of the plant's power eligible for the TIP [0-1]: the power that is a building's
        mandatory renewable share (*potenza d'obbligo*) or a Superbonus share is excluded and
        the attributed energy rescaled (GSE FAQ, docs/rules.md §2.2); valorisation still
        applies to all of it. Default 1.
    production_kwh : numpy.ndarray or None
        Hourly production [kWh] replacing the pvlib model (e.g. from a CSV).
    """

    name: str
    kwp: float
    commissioning_date: dt.date = dt.date(2025, 1, 1)
    surface_tilt: float = 30.0
    surface_azimuth: float = 180.0
    losses_pct: float = 14.0
    shading_pct: float = 0.0
    source: str = "pv"
    grant_share: float = 0.0
    holder_type: str = "impresa"
    behind_meter_of: str | None = None
    capex_eur: float | None = None
    tax_deduction: str = "auto"
    tip_power_share: float = 1.0
    production_kwh: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        set_ = object.__setattr__
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError("name", "must be a non-empty text")
        set_(
            self,
            "tip_power_share",
            number("tip_power_share", self.tip_power_share, 0.0, 1.0, unit=" of the power"),
        )
        set_(
            self,
            "kwp",
            number(
                "kwp", self.kwp, 0.0, 1000.0, low_open=True, unit=" kWp per plant (DM 414 limit)"
            ),
        )
        set_(self, "commissioning_date", date("commissioning_date", self.commissioning_date))
        set_(self, "surface_tilt", number("surface_tilt", self.surface_tilt, 0, 90, unit="°"))
        set_(
            self,
            "surface_azimuth",
            number("surface_azimuth", self.surface_azimuth, 0, 360, unit="° (180 = south)"),
        )
        set_(self, "losses_pct", number("losses_pct", self.losses_pct, 0, 50, unit=" %"))
        set_(self, "shading_pct", number("shading_pct", self.shading_pct, 0, 80, unit=" %"))
        choice("source", self.source, incentives.SOURCES)
        set_(
            self,
            "grant_share",
            number("grant_share", self.grant_share, 0.0, 0.40, unit=" (above 0.40 no TIP)"),
        )
        choice("holder_type", self.holder_type, incentives.HOLDER_TYPES)
        choice("tax_deduction", self.tax_deduction, TAX_DEDUCTION_CHOICES)
        if self.capex_eur is not None:
            set_(self, "capex_eur", number("capex_eur", self.capex_eur, 0, 1e8, unit=" €"))
        set_(self, "production_kwh", _series("production_kwh", self.production_kwh))


@dataclass(frozen=True)
class MemberGroup:
    """``count`` identical members (withdrawal points) sharing one consumption profile.

    Attributes
    ----------
    name : str
        Unique name.
    count : int
        Number of members (1-1,000,000).
    profile : str
        ``household`` or an ARERA power class (``0-1.5``, ``1.5-3``, ``3-4.5``, ``4.5-6``,
        ``>6``), a non-residential kind (``office``, ``shop``, ``school``, ``small_business``,
        ``condominium_services``), or ``csv`` when ``consumption_kwh`` is given.
    annual_kwh : float
        Annual consumption per member [kWh] (ignored with ``f_bands_kwh`` or a series).
    f_bands_kwh : tuple of 3 float or None
        Per member annual F1, F2, F3 energy from the bill [kWh].
    holder_type : str
        Holder of the withdrawal points (F-factor exemptions): ``persona_fisica`` …
    customer : str
        ``domestic`` or ``business`` (avoided bill cost of prosumers).
    consumption_kwh : numpy.ndarray or None
        Per member hourly consumption [kWh] (from a CSV).
    """

    name: str
    count: int = 1
    profile: str = "household"
    annual_kwh: float = 2700.0
    f_bands_kwh: tuple | None = None
    holder_type: str = "persona_fisica"
    customer: str = "domestic"
    consumption_kwh: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        set_ = object.__setattr__
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError("name", "must be a non-empty text")
        count = number("count", self.count, 1, 1_000_000, unit=" members")
        if count != int(count):
            raise InputError("count", f"must be a whole number 1-1,000,000, not {self.count!r}")
        set_(self, "count", int(count))
        set_(self, "annual_kwh", number("annual_kwh", self.annual_kwh, 0, 1e7, unit=" kWh"))
        if self.f_bands_kwh is not None:
            bands = tuple(self.f_bands_kwh)
            if len(bands) != 3:
                raise InputError("f_bands_kwh", "must be three numbers: F1, F2, F3 [kWh]")
            set_(
                self,
                "f_bands_kwh",
                tuple(
                    number(f"f_bands_kwh[{i}]", v, 0, 1e7, unit=" kWh") for i, v in enumerate(bands)
                ),
            )
        choice("holder_type", self.holder_type, incentives.HOLDER_TYPES)
        choice("customer", self.customer, CUSTOMERS)
        set_(self, "consumption_kwh", _series("consumption_kwh", self.consumption_kwh))
        if self.consumption_kwh is None and self.profile == "csv":
            raise InputError("csv", "profile 'csv' needs an hourly consumption series")


@dataclass(frozen=True)
class Scenario:
    """A configuration to simulate.

    Attributes
    ----------
    plants : tuple of Plant
    members : tuple of MemberGroup
    name : str
    year : int
        Settlement year (calendar, parameters, prices laid on it).
    latitude, longitude : float
        Site [°] (weather and solar geometry); default Milan.
    price_year : int
        Embedded GME year of the hourly NORD prices (2023 or 2024), laid on ``year``.
    price_mean_eur_per_mwh : float or None
        Scale the price shape to this annual mean [€/MWh].
    prices_eur_per_mwh : numpy.ndarray or None
        Own hourly price series [€/MWh] (replaces the embedded year).
    parameter_overrides : tuple of (name, value)
        Overrides of :mod:`cer_core.parameters` values.
    horizon_years : int
        Economic horizon [yr] (1-40; the TIP lasts at most 20 years from commissioning).
    community_min_plant_kw_rule : bool
        Apply the community's own minimum plant size (CER.ca.MI 10 kW ⚠).
    cer_constitution_date : datetime.date or None
        Date the CER was constituted (plants commissioned before it get no TIP); ``None`` =
        not checked.
    producer_share : float or None
        Share of the net incentives paid to plant owners [0-1]; ``None`` = parameter
        ``community.producer_share`` (CER.ca.MI 20 % ⚠).
    region : str
        Macro area for the TIP geographic correction (Milan: ``north``).
    online_weather : bool
        Fetch the PVGIS TMY for the exact site (cached; falls back to the embedded year).

    Notes
    -----
    Equality and hashing of :class:`Scenario`, :class:`Plant` and :class:`MemberGroup` ignore
    the hourly arrays (``production_kwh``, ``consumption_kwh``, ``prices_eur_per_mwh``): key
    caches on the file content, not on these objects, when series come from CSV.
    """

    plants: tuple = ()
    members: tuple = ()
    name: str = "scenario"
    year: int = 2025
    latitude: float = MILAN_LATITUDE
    longitude: float = MILAN_LONGITUDE
    price_year: int = 2024
    price_mean_eur_per_mwh: float | None = None
    prices_eur_per_mwh: np.ndarray | None = field(default=None, compare=False, repr=False)
    parameter_overrides: tuple = ()
    horizon_years: int = 20
    community_min_plant_kw_rule: bool = True
    cer_constitution_date: dt.date | None = None
    producer_share: float | None = None
    region: str = "north"
    online_weather: bool = False

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "plants", tuple(self.plants))
        set_(self, "members", tuple(self.members))
        if isinstance(self.parameter_overrides, Mapping):
            set_(self, "parameter_overrides", tuple(sorted(self.parameter_overrides.items())))
        year_index(self.year)
        set_(self, "latitude", number("latitude", self.latitude, -90, 90, unit="°"))
        set_(self, "longitude", number("longitude", self.longitude, -180, 180, unit="°"))
        h = number("horizon_years", self.horizon_years, 1, 40, unit=" years")
        if h != int(h):
            raise InputError("horizon_years", "must be a whole number of years 1-40")
        set_(self, "horizon_years", int(h))
        if self.price_mean_eur_per_mwh is not None:
            set_(
                self,
                "price_mean_eur_per_mwh",
                number(
                    "price_mean_eur_per_mwh", self.price_mean_eur_per_mwh, 0, 1000, low_open=True
                ),
            )
        if self.producer_share is not None:
            set_(self, "producer_share", number("producer_share", self.producer_share, 0, 1))
        if self.cer_constitution_date is not None:
            set_(
                self,
                "cer_constitution_date",
                date("cer_constitution_date", self.cer_constitution_date),
            )
        incentives.macro_area(self.region)
        names = [p.name for p in self.plants]
        if len(set(names)) != len(names):
            raise InputError("plants", "plant names must be unique")
        groups = {m.name: m for m in self.members}
        if len(groups) != len(self.members):
            raise InputError("members", "member group names must be unique")
        hosts = [p.behind_meter_of for p in self.plants if p.behind_meter_of is not None]
        if len(set(hosts)) != len(hosts):
            raise InputError("plants", "at most one plant behind the meter of a member group")
        for i, p in enumerate(self.plants):
            if p.behind_meter_of is None:
                continue
            if p.behind_meter_of not in groups:
                raise InputError(
                    f"plants[{i}].behind_meter_of",
                    f"names no member group ({', '.join(groups) or 'none defined'})",
                )
            if groups[p.behind_meter_of].count != 1:
                raise InputError(
                    f"plants[{i}].behind_meter_of",
                    "a prosumer group must have count = 1 (one meter)",
                )


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PlantResult:
    """Year-1 figures of one plant (energies [kWh], money [€/yr]).

    ``in_configuration`` / ``tip_eligible`` / ``reasons`` come from
    :func:`cer_core.incentives.check_eligibility`; ``cash_flows`` is the owner's view
    (RID + bill savings + producer share of the plant's incentives).
    """

    name: str
    kwp: float
    commissioning_date: dt.date
    in_configuration: bool
    tip_eligible: bool
    reasons: tuple
    production_kwh: float
    self_consumption_kwh: float
    injection_kwh: float
    shared_kwh: float
    tip_eur: float
    valorisation_eur: float
    rid_eur: float
    gse_fee_eur: float
    bill_savings_eur: float
    capex_eur: float
    cash_flows: finance.CashFlows
    excess_eur: float = 0.0

    def as_dict(self) -> dict:
        """JSON-friendly dict of the plant's figures."""
        cf = self.cash_flows
        return {
            "name": self.name,
            "kwp": self.kwp,
            "commissioning_date": self.commissioning_date.isoformat(),
            "in_configuration": self.in_configuration,
            "tip_eligible": self.tip_eligible,
            "reasons": list(self.reasons),
            "production_kwh": self.production_kwh,
            "self_consumption_kwh": self.self_consumption_kwh,
            "injection_kwh": self.injection_kwh,
            "shared_kwh": self.shared_kwh,
            "tip_eur": self.tip_eur,
            "excess_eur": self.excess_eur,
            "valorisation_eur": self.valorisation_eur,
            "rid_eur": self.rid_eur,
            "gse_fee_eur": self.gse_fee_eur,
            "bill_savings_eur": self.bill_savings_eur,
            "capex_eur": self.capex_eur,
            "npv_eur": cf.npv_eur,
            "irr": cf.irr,
            "payback_years": cf.payback_years,
        }


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


@dataclass(frozen=True, eq=False)
class Result:
    """Outcome of :func:`simulate` (hourly arrays on ``year_index(year)``; year 1).

    Attributes
    ----------
    scenario : Scenario
    parameters : Parameters
        Values used (with overrides).
    hours : pandas.DatetimeIndex
        Local hours of the settlement year.
    price_eur_per_mwh : numpy.ndarray, shape (H,)
        Hourly zonal price Pz [€/MWh].
    production_kwh : numpy.ndarray, shape (n_plants, H)
        PV production per plant [kWh].
    self_consumption_kwh : numpy.ndarray, shape (n_plants, H)
        Physical self-consumption behind the meter per plant [kWh] (never shared).
    injection_kwh : numpy.ndarray, shape (n_plants, H)
        Grid injection per plant [kWh].
    consumption_kwh : numpy.ndarray, shape (H,)
        Total consumption of all members [kWh].
    withdrawal_kwh : numpy.ndarray, shape (H,)
        Total grid withdrawal of all members (after self-consumption) [kWh].
    shared_kwh : numpy.ndarray, shape (H,)
        Hourly shared energy E_AC [kWh].
    shared_per_plant_kwh : numpy.ndarray, shape (n_plants, H)
        Shared energy attributed to each plant, oldest first [kWh].
    plants : tuple of PlantResult
        Per-plant breakdown (year 1).
    money : Money
        Configuration incentives of year 1 [€].
    rid_eur, bill_savings_eur : float
        Year-1 RID revenue and avoided bill cost of all plants [€].
    cash_flows : finance.CashFlows
        Owners' aggregate yearly cash flows over the horizon [€].
    community_cash_eur : numpy.ndarray, shape (N,)
        Incentives left to the community each operating year: the non-producer share of the net
        incentives plus the whole excess TIP (reserved for non-business consumers and social
        purposes, §4) [€].
    producer_share : float
        Share of net incentives paid to plant owners [1].
    weather_source : str
        Where the weather comes from (and a note if the online fetch failed).
    price_source : str
        Which price series was used.
    warnings : tuple of str
        Modelling choices and caveats the user must see.
    """

    scenario: Scenario
    parameters: Parameters
    hours: Any
    price_eur_per_mwh: np.ndarray
    production_kwh: np.ndarray
    self_consumption_kwh: np.ndarray
    injection_kwh: np.ndarray
    consumption_kwh: np.ndarray
    withdrawal_kwh: np.ndarray
    shared_kwh: np.ndarray
    shared_per_plant_kwh: np.ndarray
    plants: tuple
    money: Money
    rid_eur: float
    bill_savings_eur: float
    cash_flows: finance.CashFlows
    community_cash_eur: np.ndarray
    producer_share: float
    weather_source: str
    price_source: str
    warnings: tuple
    _settlement: _Settlement = field(repr=False, compare=False, default=None)

    def monthly(self):
        """Monthly energy totals [kWh] and TIP money [€] as a ``pandas.DataFrame`` (index 1-12).

        Columns: ``production_kwh, self_consumption_kwh, injection_kwh, consumption_kwh,
        withdrawal_kwh, shared_kwh``.
        """
        import pandas as pd

        month = np.asarray(self.hours.month) - 1

        def by_month(values):
            return np.bincount(month, weights=values, minlength=12)

        return pd.DataFrame(
            {
                "production_kwh": by_month(self.production_kwh.sum(axis=0)),
                "self_consumption_kwh": by_month(self.self_consumption_kwh.sum(axis=0)),
                "injection_kwh": by_month(self.injection_kwh.sum(axis=0)),
                "consumption_kwh": by_month(self.consumption_kwh),
                "withdrawal_kwh": by_month(self.withdrawal_kwh),
                "shared_kwh": by_month(self.shared_kwh),
            },
            index=pd.RangeIndex(1, 13, name="month"),
        )

    def cash_flow_table(self):
        """Owners' yearly cash flows [€] as a ``pandas.DataFrame`` indexed by calendar year.

        Columns: ``capex_eur, revenue_eur, opex_eur, tax_deduction_eur, net_eur,
        cumulative_eur, production_kwh, community_eur`` (year 0 = investment).
        """
        import pandas as pd

        cf = self.cash_flows
        community = np.concatenate([[0.0], self.community_cash_eur])
        return pd.DataFrame(
            {
                "capex_eur": cf.capex_eur,
                "revenue_eur": cf.revenue_eur,
                "opex_eur": cf.opex_eur,
                "tax_deduction_eur": cf.tax_deduction_eur,
                "net_eur": cf.net_eur,
                "cumulative_eur": np.cumsum(cf.net_eur),
                "production_kwh": cf.production_kwh,
                "community_eur": community,
            },
            index=pd.Index(cf.year, name="year"),
        )

    def summary(self) -> dict:
        """JSON-serialisable summary (year-1 energies [kWh] and money [€/yr], economics).

        Keys: ``pv_production_kwh, self_consumption_kwh, injection_kwh, withdrawal_kwh,
        consumption_kwh, shared_kwh, tip_eur, valorisation_eur, rid_eur, gse_fee_eur,
        excess_eur, net_incentives_eur, bill_savings_eur, capex_eur, npv_eur, irr,
        payback_years, discounted_payback_years, lcoe_eur_per_mwh, producer_share,
        community_incentives_eur_per_year, year, horizon_years, weather_source, price_source,
        mean_price_eur_per_mwh, uncertain_parameters, warnings, plants``.
        """
        cf = self.cash_flows

        def clean(x):
            if x is None:
                return None
            x = float(x)
            return None if not math.isfinite(x) else x

        p = self.parameters
        return {
            "scenario": self.scenario.name,
            "year": self.scenario.year,
            "horizon_years": self.scenario.horizon_years,
            "members": int(sum(m.count for m in self.scenario.members)),
            "plants_kwp": float(sum(pl.kwp for pl in self.scenario.plants)),
            "pv_production_kwh": float(self.production_kwh.sum()),
            "self_consumption_kwh": float(self.self_consumption_kwh.sum()),
            "injection_kwh": float(self.injection_kwh.sum()),
            "consumption_kwh": float(self.consumption_kwh.sum()),
            "withdrawal_kwh": float(self.withdrawal_kwh.sum()),
            "shared_kwh": float(self.shared_kwh.sum()),
            "tip_eur": self.money.tip_eur,
            "valorisation_eur": self.money.valorisation_eur,
            "gse_fee_eur": self.money.gse_fee_eur,
            "excess_eur": self.money.excess_eur,
            "net_incentives_eur": self.money.net_incentives_eur,
            "rid_eur": self.rid_eur,
            "bill_savings_eur": self.bill_savings_eur,
            "capex_eur": float(-cf.capex_eur[0]),
            "npv_eur": clean(cf.npv_eur),
            "irr": clean(cf.irr),
            "payback_years": clean(cf.payback_years),
            "discounted_payback_years": clean(cf.discounted_payback_years),
            "lcoe_eur_per_mwh": clean(cf.lcoe_eur_per_mwh),
            "discount_rate": cf.discount_rate,
            "producer_share": self.producer_share,
            "community_incentives_eur_per_year": float(self.community_cash_eur[0])
            if len(self.community_cash_eur)
            else 0.0,
            "mean_price_eur_per_mwh": float(self.price_eur_per_mwh.mean()),
            "weather_source": self.weather_source,
            "price_source": self.price_source,
            "uncertain_parameters": {
                k: (list(v) if isinstance(v, tuple) else v)
                for k, v in sorted(p.uncertain_choices().items())
            },
            "warnings": list(self.warnings),
            "plants": [pl.as_dict() for pl in self.plants],
        }


# --- building blocks (cached) -----------------------------------------------------------------

_WEATHER: dict = {}
_PV: dict = {}
_PROFILES: dict = {}


def _weather(lat: float, lon: float, online: bool):
    from cer_core.weather import load_weather

    key = (round(lat, 4), round(lon, 4), online)
    if key not in _WEATHER:
        _WEATHER[key] = load_weather(lat, lon, online=online)
    return _WEATHER[key]


def _production_per_kwp(plant: Plant, scenario: Scenario) -> np.ndarray:
    """Hourly production of 1 kWp with the plant's geometry (cached per geometry and year)."""
    from cer_core.pv import PVSystemSpec, hourly_production_kwh

    weather = _weather(scenario.latitude, scenario.longitude, scenario.online_weather)
    key = (
        weather.source_label,
        scenario.latitude,
        scenario.longitude,
        scenario.year,
        plant.surface_tilt,
        plant.surface_azimuth,
        plant.losses_pct,
        plant.shading_pct,
    )
    if key not in _PV:
        if len(_PV) > 256:
            _PV.clear()
        spec = PVSystemSpec(
            kwp=1.0,
            surface_tilt=plant.surface_tilt,
            surface_azimuth=plant.surface_azimuth,
            losses_pct=plant.losses_pct,
            shading_pct=plant.shading_pct,
        )
        _PV[key] = hourly_production_kwh(spec, weather, scenario.year)
    return _PV[key]


def plant_production_kwh(plant: Plant, scenario: Scenario) -> np.ndarray:
    """Year-1 hourly production of a plant [kWh] (its own series or pvlib, cached)."""
    n = len(year_index(scenario.year))
    if plant.production_kwh is not None:
        if len(plant.production_kwh) != n:
            from cer_core.profiles import fit_to_year

            return fit_to_year(plant.production_kwh, scenario.year, f"plants[{plant.name}].csv")
        return plant.production_kwh
    return _production_per_kwp(plant, scenario) * plant.kwp


def member_consumption_kwh(group: MemberGroup, year: int) -> np.ndarray:
    """Hourly consumption of ONE member of the group [kWh] (profile cached)."""
    n = len(year_index(year))
    if group.consumption_kwh is not None:
        if len(group.consumption_kwh) != n:
            from cer_core.profiles import fit_to_year

            return fit_to_year(group.consumption_kwh, year, f"members[{group.name}].csv")
        return group.consumption_kwh
    from cer_core.profiles import profile_kwh

    key = (group.profile, group.annual_kwh, group.f_bands_kwh, year)
    if key not in _PROFILES:
        if len(_PROFILES) > 512:
            _PROFILES.clear()
        _PROFILES[key] = profile_kwh(group.profile, group.annual_kwh, year, group.f_bands_kwh)
    return _PROFILES[key]


def _prices(scenario: Scenario) -> tuple[np.ndarray, str]:
    from cer_core import prices as pr
    from cer_core.profiles import fit_to_year

    if scenario.prices_eur_per_mwh is not None:
        values = fit_to_year(scenario.prices_eur_per_mwh, scenario.year, "prices.csv")
        label = "own hourly price series (CSV)"
    else:
        values = fit_to_year(
            pr.load_zonal_prices(scenario.price_year, "NORD"), scenario.year, "prices.year"
        )
        label = f"GME MGP hourly NORD {scenario.price_year}"
    if scenario.price_mean_eur_per_mwh is not None:
        values = pr.scale_to_mean(values, scenario.price_mean_eur_per_mwh)
        label += f", scaled to a mean of {scenario.price_mean_eur_per_mwh:g} €/MWh"
    return np.asarray(values, dtype=float), label


# --- simulation ---------------------------------------------------------------------------------


def _plant_capex(plant: Plant, p: Parameters) -> float:
    if plant.capex_eur is not None:
        return float(plant.capex_eur)
    vat = float(p["finance.capex_vat_domestic"]) if plant.holder_type == "persona_fisica" else 0.0
    return finance.capex_eur(plant.kwp, p, vat_share=vat)


def _deduction_rate(plant: Plant, p: Parameters) -> float:
    """Tax deduction rate of the plant's spending year (0 when none) [1]."""
    kind = plant.tax_deduction
    if kind == "auto":
        kind = "main_home" if plant.holder_type == "persona_fisica" else "none"
    if kind == "none":
        return 0.0
    spend_year = load_parameters(plant.commissioning_date.year, _overrides(p))
    return float(spend_year[f"finance.tax_deduction_{kind}"])


def _deduction_grant_share(plant: Plant, p: Parameters) -> float:
    """Deduction counted as a capital grant (only if ``finance.deduction_counts_as_grant``)."""
    return _deduction_rate(plant, p) if p["finance.deduction_counts_as_grant"] else 0.0


def _grant_terms(
    plant: Plant, eligibility: incentives.Eligibility, p: Parameters
) -> tuple[incentives.Eligibility, float]:
    """Eligibility and F factor of a plant, counting the tax deduction as a grant if asked."""
    grant = plant.grant_share + _deduction_grant_share(plant, p)
    limit = float(p["tip.grant_not_cumulable_above"])
    if grant > limit + 1e-12 and eligibility.tip_eligible:
        eligibility = replace(
            eligibility,
            tip_eligible=False,
            reasons=(
                *eligibility.reasons,
                f"grant + tax deduction counted as grant = {grant:.0%} > {limit:.0%}: "
                "TIP not cumulable (parameter finance.deduction_counts_as_grant)",
            ),
        )
    return eligibility, incentives.f_factor(min(grant, limit), p)


def _deduction(plant: Plant, capex_gross: float, p: Parameters) -> np.ndarray | None:
    rate = _deduction_rate(plant, p)
    if rate == 0.0:
        return None
    eligible_spend = capex_gross * (1.0 - plant.grant_share)
    return finance.tax_deduction_instalments_eur(
        eligible_spend,
        rate,
        float(p["finance.tax_deduction_cap_eur"]),
        int(p["finance.tax_deduction_years"]),
    )


def _overrides(p: Parameters) -> dict:
    return {k: p[k] for k in p.overridden}


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


def _deduction_used(pl: Plant) -> bool:
    return pl.tax_deduction in ("main_home", "other") or (
        pl.tax_deduction == "auto" and pl.holder_type == "persona_fisica"
    )


def _sum_flows(flows: list, start_year: int, horizon: int, p: Parameters) -> finance.CashFlows:
    z = np.zeros(horizon + 1)
    if not flows:
        return finance.CashFlows(
            np.arange(start_year - 1, start_year + horizon),
            z,
            z,
            z,
            z,
            z,
            z,
            float(p["finance.discount_rate"]),
        )

    def total(attr):
        return np.sum([getattr(cf, attr) for cf in flows], axis=0)

    return finance.CashFlows(
        year=flows[0].year,
        capex_eur=total("capex_eur"),
        revenue_eur=total("revenue_eur"),
        opex_eur=total("opex_eur"),
        tax_deduction_eur=total("tax_deduction_eur"),
        net_eur=total("net_eur"),
        production_kwh=total("production_kwh"),
        discount_rate=flows[0].discount_rate,
    )


# --- marginal effect ----------------------------------------------------------------------------


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


# --- TOML scenarios ------------------------------------------------------------------------------

_PLANT_KEYS = {
    "name",
    "kwp",
    "roof_area_m2",
    "commissioning_date",
    "surface_tilt",
    "surface_azimuth",
    "losses_pct",
    "shading_pct",
    "source",
    "grant_share",
    "holder_type",
    "behind_meter_of",
    "capex_eur",
    "tax_deduction",
    "tip_power_share",
    "production_csv",
}
_MEMBER_KEYS = {
    "name",
    "count",
    "profile",
    "annual_kwh",
    "f_bands_kwh",
    "holder_type",
    "customer",
    "consumption_csv",
}
_SCENARIO_KEYS = {
    "name",
    "year",
    "latitude",
    "longitude",
    "horizon_years",
    "community_min_plant_kw_rule",
    "cer_constitution_date",
    "producer_share",
    "region",
    "online_weather",
}
_PRICE_KEYS = {"year", "mean_eur_per_mwh", "csv"}

#: Largest scenario file [bytes] (a real one is a few KB), checked before parsing.
MAX_TOML_BYTES = 1_000_000
#: Most ``[[plants]]`` in a scenario (each adds hourly arrays; 5,000 exhausted memory).
MAX_PLANTS = 500
#: Most ``[[members]]`` groups (a group stands for ``count`` identical members, up to 1,000,000).
MAX_MEMBER_GROUPS = 500

_NUMBER, _INT, _TEXT, _BOOL = (int, float), (int,), (str,), (bool,)
_DATE = (dt.date, str)
#: TOML type of every key: a file says ``kwp = 10``, never ``kwp = "10"`` (text is not silently
#: turned into a number, nor a number into text). Keys not listed take any type.
_KEY_TYPES = {
    "plants": {
        "name": _TEXT,
        "kwp": _NUMBER,
        "roof_area_m2": _NUMBER,
        "commissioning_date": _DATE,
        "surface_tilt": _NUMBER,
        "surface_azimuth": _NUMBER,
        "losses_pct": _NUMBER,
        "shading_pct": _NUMBER,
        "source": _TEXT,
        "grant_share": _NUMBER,
        "holder_type": _TEXT,
        "behind_meter_of": _TEXT,
        "capex_eur": _NUMBER,
        "tax_deduction": _TEXT,
        "tip_power_share": _NUMBER,
        "production_csv": _TEXT,
    },
    "members": {
        "name": _TEXT,
        "count": _INT,
        "profile": _TEXT,
        "annual_kwh": _NUMBER,
        "f_bands_kwh": (list,),
        "holder_type": _TEXT,
        "customer": _TEXT,
        "consumption_csv": _TEXT,
    },
    "scenario": {
        "name": _TEXT,
        "year": _INT,
        "latitude": _NUMBER,
        "longitude": _NUMBER,
        "horizon_years": _INT,
        "community_min_plant_kw_rule": _BOOL,
        "cer_constitution_date": _DATE,
        "producer_share": _NUMBER,
        "region": _TEXT,
        "online_weather": _BOOL,
    },
    "prices": {"year": _INT, "mean_eur_per_mwh": _NUMBER, "csv": _TEXT},
}
_TYPE_NAMES = {_NUMBER: "a number", _INT: "a whole number", _TEXT: "text", _BOOL: "true or false"}


def _check_types(where: str, table: Mapping, kind: str) -> None:
    for key, value in table.items():
        allowed = _KEY_TYPES[kind].get(key)
        if allowed is None:
            continue
        wrong_bool = isinstance(value, bool) and bool not in allowed
        if wrong_bool or not isinstance(value, allowed):
            wanted = _TYPE_NAMES.get(allowed, "a date YYYY-MM-DD" if allowed == _DATE else "a list")
            raise InputError(
                f"{where}.{key}", f"must be {wanted} in the TOML file, not {_shown(value)}"
            )


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _table(where: str, value) -> dict:
    if not isinstance(value, dict):
        raise InputError(where, f"must be a table [{where}], not {_shown(value)}")
    return dict(value)


def _array_of_tables(where: str, value, limit: int) -> list:
    if not isinstance(value, list):
        raise InputError(where, f"must be an array of tables [[{where}]], not {_shown(value)}")
    if len(value) > limit:
        raise InputError(where, f"{len(value):,} entries; the limit is {limit:,}")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise InputError(f"{where}[{i}]", f"must be a table [[{where}]], not {_shown(item)}")
    return value


def _check_keys(where: str, table, allowed: set) -> None:
    if not isinstance(table, dict):
        raise InputError(where, "must be a table")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise InputError(
            f"{where}.{unknown[0]}", f"unknown key; allowed: {', '.join(sorted(allowed))}"
        )


def _prefixed(prefix: str, build):
    try:
        return build()
    except InputError as err:
        raise InputError(f"{prefix}.{err.field}", err.message) from None
    except TypeError as err:
        raise InputError(prefix, f"bad value ({err})") from None


def _csv(base: Path, rel, field_name: str, year: int, kind: str = "hourly"):
    from cer_core.prices import prices_from_csv
    from cer_core.profiles import hourly_from_csv

    if not isinstance(rel, str):
        raise InputError(field_name, "must be a path to a CSV file (relative to the TOML)")
    path = (base / rel).resolve()
    if not path.is_file():
        raise InputError(field_name, f"file not found: {path}")
    if kind == "prices":
        return prices_from_csv(path, field_name, year)
    return hourly_from_csv(path, field_name, year)


def scenario_from_dict(raw: Mapping, base_dir: str | Path = ".") -> Scenario:
    """Build a :class:`Scenario` from a parsed TOML mapping (CSV paths relative to ``base_dir``).

    Raises
    ------
    InputError
        Named after the TOML path, e.g. ``plants[0].kwp`` or ``members[1].count``.
    """
    base = Path(base_dir)
    top_allowed = {"scenario", "prices", "parameters", "plants", "members"}
    unknown = sorted(set(raw) - top_allowed)
    if unknown:
        raise InputError(
            unknown[0][:60], f"unknown table; allowed: {', '.join(sorted(top_allowed))}"
        )
    sc = _table("scenario", raw.get("scenario", {}))
    _check_keys("scenario", sc, _SCENARIO_KEYS)
    _check_types("scenario", sc, "scenario")
    year = sc.get("year", 2025)
    _prefixed("scenario", lambda: year_index(year))
    pr = _table("prices", raw.get("prices", {}))
    _check_keys("prices", pr, _PRICE_KEYS)
    _check_types("prices", pr, "prices")
    prices = None
    if "csv" in pr:
        prices = _csv(base, pr["csv"], "prices.csv", year, "prices")
    params = _table("parameters", raw.get("parameters", {}))

    plants = []
    raw_plants = _array_of_tables("plants", raw.get("plants", []), MAX_PLANTS)
    raw_members = _array_of_tables("members", raw.get("members", []), MAX_MEMBER_GROUPS)
    for i, item in enumerate(raw_plants):
        where = f"plants[{i}]"
        _check_keys(where, item, _PLANT_KEYS)
        _check_types(where, item, "plants")
        kw = dict(item)
        if "production_csv" in kw:
            kw["production_kwh"] = _csv(
                base, kw.pop("production_csv"), f"{where}.production_csv", year
            )
        if "roof_area_m2" in kw:
            from cer_core.pv import kwp_from_roof_area

            area = kw.pop("roof_area_m2")
            if "kwp" in kw:
                raise InputError(f"{where}.roof_area_m2", "give either kwp or roof_area_m2")
            try:
                kw["kwp"] = kwp_from_roof_area(area)
            except InputError as err:
                raise InputError(f"{where}.roof_area_m2", err.message) from None
        if "kwp" not in kw:
            raise InputError(f"{where}.kwp", "missing: peak power in kWp (0-1,000) or roof_area_m2")
        kw.setdefault("name", f"plant {i + 1}")
        plants.append(_prefixed(where, lambda kw=kw: Plant(**kw)))

    members = []
    for i, item in enumerate(raw_members):
        where = f"members[{i}]"
        _check_keys(where, item, _MEMBER_KEYS)
        _check_types(where, item, "members")
        kw = dict(item)
        if "consumption_csv" in kw:
            kw["consumption_kwh"] = _csv(
                base, kw.pop("consumption_csv"), f"{where}.consumption_csv", year
            )
            kw.setdefault("profile", "csv")
        kw.setdefault("name", f"members {i + 1}")
        members.append(_prefixed(where, lambda kw=kw: MemberGroup(**kw)))

    def build():
        return Scenario(
            plants=tuple(plants),
            members=tuple(members),
            prices_eur_per_mwh=prices,
            price_year=pr.get("year", 2024),
            price_mean_eur_per_mwh=pr.get("mean_eur_per_mwh"),
            parameter_overrides=tuple(sorted(params.items())),
            **sc,
        )

    try:
        scenario = build()
    except InputError as err:
        renamed = {"price_mean_eur_per_mwh": "prices.mean_eur_per_mwh", "price_year": "prices.year"}
        if err.field.startswith(("plants", "members")):
            raise
        field_name = renamed.get(err.field, f"scenario.{err.field}")
        raise InputError(field_name, err.message) from None
    except TypeError as err:
        raise InputError("scenario", f"bad value ({err})") from None
    # validate early: parameter names/types, embedded price year, profiles
    load_parameters(scenario.year, dict(scenario.parameter_overrides))
    if prices is None:
        from cer_core import prices as pr_mod

        if scenario.price_year not in pr_mod.AVAILABLE_PRICE_YEARS:
            years = ", ".join(map(str, pr_mod.AVAILABLE_PRICE_YEARS))
            raise InputError(
                "prices.year", f"embedded prices exist for {years}, not {scenario.price_year!r}"
            )
    for i, g in enumerate(scenario.members):
        _prefixed(f"members[{i}]", lambda g=g: member_consumption_kwh(g, scenario.year))
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario TOML file (format: ``docs/scenario-format.md``).

    Parameters
    ----------
    path : str or Path
        The TOML file; CSV paths inside are relative to its folder.

    Returns
    -------
    Scenario

    Raises
    ------
    InputError
        Missing/unreadable file, invalid TOML or a bad value (the field is named).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TOML_BYTES:
            raise InputError(
                "scenario",
                f"{path} is {size / 1e6:,.1f} MB; a scenario file may be at most "
                f"{MAX_TOML_BYTES / 1e6:.0f} MB (hourly series go in CSV files)",
            )
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except RecursionError:
        raise InputError("scenario", f"{path} nests arrays or tables too deeply") from None
    except FileNotFoundError:
        raise InputError("scenario", f"file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError("scenario", f"{path} is not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise InputError("scenario", f"{path} is not UTF-8 text (TOML files must be)") from None
    except OSError as exc:
        raise InputError("scenario", f"cannot read {path} ({exc.strerror})") from None
    return scenario_from_dict(raw, path.parent)
