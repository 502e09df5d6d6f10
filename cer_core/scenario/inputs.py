"""A scenario's inputs: plants, member groups and the configuration (validated frozen dataclasses).

Every field is checked when the object is built; a bad value raises
:class:`~cer_core.errors.InputError` naming the field and the allowed range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from cer_core import bills, bounds, incentives
from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.validation import choice, date, number

MILAN_LATITUDE, MILAN_LONGITUDE = bounds.MILAN_CENTRE_DEG


TAX_DEDUCTION_CHOICES = ("auto", "main_home", "other", "none")


CUSTOMERS = bills.CUSTOMERS


def _series(field_name: str, value, bound: bounds.Bound = bounds.HOURLY_KWH) -> np.ndarray | None:
    """An hourly series passed in code, checked against its bound (a read-only copy)."""
    return None if value is None else bound.check_series(value, field_name)


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
        for bound in (
            bounds.PLANT_KWP,
            bounds.SURFACE_TILT_DEG,
            bounds.SURFACE_AZIMUTH_DEG,
            bounds.LOSSES_PCT,
            bounds.SHADING_PCT,
        ):
            set_(self, bound.field, bound.check(getattr(self, bound.field)))
        set_(self, "commissioning_date", date("commissioning_date", self.commissioning_date))
        choice("source", self.source, incentives.SOURCES)
        set_(
            self,
            "grant_share",
            number("grant_share", self.grant_share, 0.0, 0.40, unit=" (above 0.40 no TIP)"),
        )
        choice("holder_type", self.holder_type, incentives.HOLDER_TYPES)
        choice("tax_deduction", self.tax_deduction, TAX_DEDUCTION_CHOICES)
        if self.capex_eur is not None:
            set_(self, "capex_eur", bounds.CAPEX_EUR.check(self.capex_eur))
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
        count = bounds.MEMBER_COUNT.check(self.count)
        if count != int(count):
            raise InputError("count", f"must be a whole number 1-1,000,000, not {self.count!r}")
        set_(self, "count", int(count))
        annual = bounds.annual_kwh_bound(str(self.profile))
        set_(self, "annual_kwh", annual.check(self.annual_kwh))
        if self.f_bands_kwh is not None:
            bands = tuple(self.f_bands_kwh)
            if len(bands) != 3:
                raise InputError("f_bands_kwh", "must be three numbers: F1, F2, F3 [kWh]")
            bands = tuple(
                number(f"f_bands_kwh[{i}]", v, 0, annual.high, unit=annual.unit)
                for i, v in enumerate(bands)
            )
            annual.check(sum(bands), "f_bands_kwh")  # the bands add up to the annual total
            set_(self, "f_bands_kwh", bands)
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
        Date the CER was constituted (plants commissioned before it get no TIP, DM 414 art. 3);
        ``None`` = the parameter ``community.constitution_date`` (CER.ca.MI, 2024-10-14 ⚠),
        said in the warnings.
    check_cer_constitution : bool
        ``False`` turns the DM 414 art. 3 check off explicitly (a configuration that is not a
        CER, or plants under the RO exception); default ``True``.
    prorate_first_year : bool
        ``True``: a plant commissioned during the settlement year produces only from its
        commissioning day (the year's figures are that calendar year's; the economics take it as
        the first year and full years after it); default ``False``: the year is a full year of
        operation and a warning says how much production falls before the date
        (:mod:`cer_core.commissioning`).
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
    check_cer_constitution: bool = True
    prorate_first_year: bool = False
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
        set_(self, "latitude", bounds.LATITUDE_DEG.check(self.latitude))
        set_(self, "longitude", bounds.LONGITUDE_DEG.check(self.longitude))
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
        set_(
            self,
            "prices_eur_per_mwh",
            _series("prices_eur_per_mwh", self.prices_eur_per_mwh, bounds.HOURLY_PRICE_EUR_PER_MWH),
        )
        for switch in ("check_cer_constitution", "prorate_first_year"):
            if not isinstance(getattr(self, switch), bool):
                raise InputError(switch, f"must be true or false, not {getattr(self, switch)!r}")
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
