"""A resident's self-service estimate: join as a consumer, put PV on my roof, or host a plant.

Composed only from the engine (:mod:`cer_core.scenario`): the user is added to a documented
**reference configuration** of the chosen cabina primaria (``data/reference_configurations.toml``,
illustrative assumptions built from published figures, docs/rules.md §9) and the configuration is
simulated hour by hour with and without the user. The difference is "the energy shared in the
configuration thanks to me" (marginal effect) and the incentives it generates, split under the
configuration's allocation rule: the producers' share (``community.producer_share``, CER.ca.MI
20 % ⚠) to plant owners, the rest to the community's solidarity fund (CER.ca.MI does not
redistribute incentives to members, docs/rules.md §9).

Options (:data:`OPTIONS`):

* ``consumer``   — join as a consumer; the bill does not change (virtual model, docs/rules.md §7.4);
* ``pv``         — PV on my roof without joining (self-consumption + sale via RID, §6-§8);
* ``pv_join``    — PV on my roof and join; the plant joins the configuration only if it reaches
  the community's minimum (CER.ca.MI 10 kW ⚠), otherwise only my residual withdrawal counts;
* ``producer``   — host a larger plant for the configuration on its own connection (all
  production injected, no self-consumption); owner gets RID + producers' share.

Uncertainty: production ± :data:`PRODUCTION_BAND` (stated band, one embedded weather year) and
three price scenarios (:data:`PRICE_SCENARIOS`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from cer_core import pv as pv_mod
from cer_core.errors import InputError
from cer_core.parameters import load_parameters
from cer_core.paths import data_file, read_toml
from cer_core.profiles import MAX_ANNUAL_KWH, POWER_CLASSES
from cer_core.scenario import MemberGroup, Plant, Result, Scenario, simulate
from cer_core.validation import choice, number

REFERENCE_FILE = "reference_configurations.toml"
DEFAULT_REFERENCE = "default"

WHO = ("household", "condominium", "shop", "office", "school", "small_business")
"""Kinds of user. ``condominium`` = the common services of a condominium."""

OPTIONS = ("consumer", "pv", "pv_join", "producer")
PV_SIZING = ("kwp", "area")
PRICE_SCENARIO_NAMES = ("low", "central", "high")
TAX_DEDUCTIONS = ("main_home", "other", "none")

PRICE_SCENARIOS = {
    # hourly GME NORD shape (embedded years, docs/rules.md §6) and an optional annual mean
    "low": {"price_year": 2024, "mean_eur_per_mwh": 80.0},  # [A] 2024 shape scaled to 80 €/MWh
    "central": {"price_year": 2024, "mean_eur_per_mwh": None},  # GME NORD 2024 (≈107 €/MWh)
    "high": {"price_year": 2023, "mean_eur_per_mwh": None},  # GME NORD 2023 (≈128 €/MWh)
}
"""Price scenarios: hourly zonal prices used for RID, TIP and business bills; the domestic
energy component of the bill moves by the same change of the annual mean (wholesale pass-through
[A])."""

PRODUCTION_BAND = 0.07
"""Stated ± band on yearly PV production [1] [A]: year-to-year weather variation in northern
Italy is about ±5 % (PVGIS TMY vs single years) plus modelling error; one weather year is
embedded, so a band is stated instead of several years."""

DEFAULT_ANNUAL_KWH = {
    "household": 2700.0,  # ARERA historic "famiglia tipo", docs/rules.md §7.3
    "condominium": 8000.0,  # [A] common services of a medium condominium
    "shop": 15000.0,  # [A]
    "office": 20000.0,  # [A]
    "school": 60000.0,  # [A] school of ~500 pupils (RSE profile's reference building)
    "small_business": 40000.0,  # [A]
}
PROFILE_OF = {
    "condominium": "condominium_services",
    "shop": "shop",
    "office": "office",
    "school": "school",
    "small_business": "small_business",
}
HOLDER_OF = {
    "household": "persona_fisica",
    "condominium": "persona_fisica",
    "shop": "impresa",
    "office": "impresa",
    "school": "ente_territoriale",
    "small_business": "impresa",
}
CUSTOMER_OF = {
    "household": "domestic",
    "condominium": "domestic",  # 10 % VAT like domestic (docs/rules.md §7.2)
    "shop": "business",
    "office": "business",
    "school": "business",
    "small_business": "business",
}
CLASS_MAX_KW = {"0-1.5": 1.5, "1.5-3": 3.0, "3-4.5": 4.5, "4.5-6": 6.0, ">6": None}
"""Upper bound of each ARERA contractual-power class [kW]."""
POWER_TOLERANCE = 1.1
"""Meters let a contract draw 10 % above its power indefinitely (ARERA); used for the
physical plausibility bound ``annual ≤ P × 1.1 × 8,760 h``."""

MAX_USER_KWP = 1000.0
"""Largest plant a resident can enter [kWp] (the 1 MW limit of a CER plant, DM 414)."""
MAX_ROOF_AREA_M2 = 20000.0
"""Largest usable roof area accepted [m²] (``pv.kwp_from_roof_area``'s bound)."""
MAX_CAPEX_EUR = 1e8
"""Largest own quote for the PV investment accepted [€] (a plausibility bound)."""
SEASONS = {"winter": (12, 1, 2), "spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11)}

ME = "me"
MY_PLANT = "my plant"


# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentInputs:
    """What the user tells the calculator (every field validated; defaults give a result).

    Attributes
    ----------
    configuration_id : str
        Reference configuration id (``data/reference_configurations.toml``: a pilot
        configuration id, or ``"default"`` for an area with no configuration yet).
    who : str
        One of :data:`WHO`.
    power_class : str
        Household contractual-power class, one of ``POWER_CLASSES`` [kW].
    annual_kwh : float or None
        Annual consumption [kWh]; ``None`` = the default of ``who``.
    f_bands_kwh : tuple of 3 float or None
        The bill's F1, F2, F3 annual energy [kWh] (replaces ``annual_kwh``).
    option : str
        One of :data:`OPTIONS`.
    pv_sizing : str
        ``kwp`` (give the power) or ``area`` (give the usable roof area).
    pv_kwp : float
        Peak power [kWp], more than 0 up to 1,000.
    roof_area_m2 : float or None
        Usable roof area [m²]; with ``pv_sizing="area"`` it sets the power
        (``pv.kwp_from_roof_area``), with ``"kwp"`` it bounds it.
    surface_tilt : float
        Panel tilt [°] 0-90.
    surface_azimuth : float
        Orientation [°] 0-360 (180 = south, 90 = east, 270 = west).
    shading_pct : float
        Shading losses [%] 0-80.
    tax_deduction : str
        ``main_home`` (50 % in 2025-2026), ``other`` (36 %), ``none`` (docs/rules.md §8).
    capex_eur : float or None
        Own quote for the PV investment [€]; ``None`` = reference cost per kWp.
    price_scenario : str
        ``low`` / ``central`` / ``high`` (:data:`PRICE_SCENARIOS`).
    year : int
        Settlement year (first operating year) 2024-2030.
    """

    configuration_id: str = DEFAULT_REFERENCE
    who: str = "household"
    power_class: str = "1.5-3"
    annual_kwh: float | None = None
    f_bands_kwh: tuple | None = None
    option: str = "consumer"
    pv_sizing: str = "kwp"
    pv_kwp: float = 3.0
    roof_area_m2: float | None = None
    surface_tilt: float = 30.0
    surface_azimuth: float = 180.0
    shading_pct: float = 0.0
    tax_deduction: str = "main_home"
    capex_eur: float | None = None
    price_scenario: str = "central"
    year: int = 2026

    def __post_init__(self):
        set_ = object.__setattr__
        choice("configuration_id", self.configuration_id, tuple(load_reference_configurations()))
        choice("who", self.who, WHO)
        choice("power_class", self.power_class, POWER_CLASSES)
        choice("option", self.option, OPTIONS)
        choice("pv_sizing", self.pv_sizing, PV_SIZING)
        choice("tax_deduction", self.tax_deduction, TAX_DEDUCTIONS)
        choice("price_scenario", self.price_scenario, PRICE_SCENARIO_NAMES)
        y = number("year", self.year, 2024, 2030)
        if y != int(y):
            raise InputError("year", "must be a whole year 2024-2030")
        set_(self, "year", int(y))
        limit = MAX_ANNUAL_KWH["household" if self.who == "household" else "nonresidential"]
        if self.annual_kwh is not None:
            set_(
                self,
                "annual_kwh",
                number("annual_kwh", self.annual_kwh, 0, limit, low_open=True, unit=" kWh"),
            )
        if self.f_bands_kwh is not None:
            bands = tuple(self.f_bands_kwh)
            if len(bands) != 3:
                raise InputError("f_bands_kwh", "must be three numbers: F1, F2, F3 [kWh]")
            bands = tuple(
                number(f"f{i + 1}_kwh", v, 0, limit, unit=" kWh") for i, v in enumerate(bands)
            )
            if sum(bands) <= 0:
                raise InputError("f1_kwh", "F1 + F2 + F3 must be more than 0 kWh", "bands_zero")
            if sum(bands) > limit:
                raise InputError(
                    "f1_kwh",
                    f"F1 + F2 + F3 must be at most {limit:,.0f} kWh",
                    "range",
                    low=0,
                    high=limit,
                    unit=" kWh",
                )
            set_(self, "f_bands_kwh", bands)
        self._check_power_class()
        set_(
            self,
            "pv_kwp",
            number("pv_kwp", self.pv_kwp, 0, MAX_USER_KWP, low_open=True, unit=" kWp"),
        )
        if self.roof_area_m2 is not None:
            set_(
                self,
                "roof_area_m2",
                number(
                    "roof_area_m2",
                    self.roof_area_m2,
                    0,
                    MAX_ROOF_AREA_M2,
                    low_open=True,
                    unit=" m²",
                ),
            )
        if self.pv_sizing == "area" and self.roof_area_m2 is None and self.option != "consumer":
            raise InputError(
                "roof_area_m2", "give the usable roof area [m²] or size by kWp", "area_missing"
            )
        set_(self, "surface_tilt", number("surface_tilt", self.surface_tilt, 0, 90, unit="°"))
        set_(
            self,
            "surface_azimuth",
            number("surface_azimuth", self.surface_azimuth, 0, 360, unit="° (180 = south)"),
        )
        set_(self, "shading_pct", number("shading_pct", self.shading_pct, 0, 80, unit=" %"))
        if self.capex_eur is not None:
            set_(
                self, "capex_eur", number("capex_eur", self.capex_eur, 0, MAX_CAPEX_EUR, unit=" €")
            )
        if self.option != "consumer" and self.pv_sizing == "kwp" and self.roof_area_m2:
            fits = pv_mod.kwp_from_roof_area(self.roof_area_m2)
            if self.pv_kwp > fits * (1 + 1e-9):
                need = self.pv_kwp / pv_mod.DEFAULT_KWP_PER_M2
                raise InputError(
                    "pv_kwp",
                    f"{self.pv_kwp:,.1f} kWp do not fit on {self.roof_area_m2:,.0f} m²: at "
                    f"{pv_mod.DEFAULT_KWP_PER_M2:g} kWp/m² (modern panels with spacing) they "
                    f"need about {need:,.0f} m², and {self.roof_area_m2:,.0f} m² hold at most "
                    f"{fits:,.1f} kWp; lower the power or check the area",
                    "roof_too_small",
                    kwp=self.pv_kwp,
                    area=self.roof_area_m2,
                    need=need,
                    fits=fits,
                    density=pv_mod.DEFAULT_KWP_PER_M2,
                )
        if self.option != "consumer" and self.pv_sizing == "area":
            kwp = pv_mod.kwp_from_roof_area(self.roof_area_m2)
            if kwp > MAX_USER_KWP:
                raise InputError(
                    "roof_area_m2",
                    f"{self.roof_area_m2:,.0f} m² hold {kwp:,.0f} kWp, above the 1,000 kW limit "
                    "of a CER plant (DM 414)",
                    "area_too_large",
                    area=self.roof_area_m2,
                    kwp=kwp,
                )

    def _check_power_class(self) -> None:
        if self.who != "household":
            return
        top = CLASS_MAX_KW[self.power_class]
        if top is None:
            return
        annual = self.consumption_total_kwh()
        bound = top * POWER_TOLERANCE * 8760.0
        if annual > bound:
            avg_kw = annual / 8760.0
            field_name = "f1_kwh" if self.f_bands_kwh is not None else "annual_kwh"
            raise InputError(
                field_name,
                f"{annual:,.0f} kWh a year is an average of {avg_kw:,.1f} kW day and night, but a "
                f"{top:g} kW contract delivers at most about {bound:,.0f} kWh even at full power "
                "all year; check the bill's kWh or choose a higher power class",
                "power_class_too_small",
                annual=annual,
                avg_kw=avg_kw,
                power_kw=top,
                bound=bound,
            )

    def consumption_total_kwh(self) -> float:
        """Annual consumption [kWh] (bands sum, given value or the default of ``who``)."""
        if self.f_bands_kwh is not None:
            return float(sum(self.f_bands_kwh))
        if self.annual_kwh is not None:
            return float(self.annual_kwh)
        return DEFAULT_ANNUAL_KWH[self.who]

    @property
    def has_pv(self) -> bool:
        """The user installs or hosts a plant."""
        return self.option != "consumer"

    @property
    def joins(self) -> bool:
        """The user (or the user's plant) joins the configuration."""
        return self.option != "pv"

    @property
    def kwp(self) -> float:
        """Plant power used [kWp] (0 without PV)."""
        if not self.has_pv:
            return 0.0
        if self.pv_sizing == "area":
            return pv_mod.kwp_from_roof_area(self.roof_area_m2)
        return self.pv_kwp

    def member_group(self) -> MemberGroup:
        """The user as a one-member group of the engine."""
        profile = self.power_class if self.who == "household" else PROFILE_OF[self.who]
        return MemberGroup(
            name=ME,
            count=1,
            profile=profile,
            annual_kwh=self.consumption_total_kwh(),
            f_bands_kwh=self.f_bands_kwh,
            holder_type=HOLDER_OF[self.who],
            customer=CUSTOMER_OF[self.who],
        )

    def plant(self) -> Plant | None:
        """The user's plant (``None`` for a consumer)."""
        if not self.has_pv:
            return None
        holder = HOLDER_OF[self.who]
        deduction = self.tax_deduction if holder == "persona_fisica" else "none"
        return Plant(
            name=MY_PLANT,
            kwp=self.kwp,
            commissioning_date=dt.date(self.year, 1, 1),
            surface_tilt=self.surface_tilt,
            surface_azimuth=self.surface_azimuth,
            shading_pct=self.shading_pct,
            holder_type=holder,
            behind_meter_of=None if self.option == "producer" else ME,
            capex_eur=self.capex_eur,
            tax_deduction=deduction,
        )


# --- reference configurations -------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceConfiguration:
    """An illustrative configuration the user is added to (see the data file's header)."""

    id: str
    label_it: str
    label_en: str
    assumptions_it: str
    assumptions_en: str
    sources: tuple
    cer_constitution_date: dt.date
    plants: tuple
    members: tuple

    @property
    def kwp(self) -> float:
        """Total plant power [kWp]."""
        return float(sum(p.kwp for p in self.plants))

    @property
    def member_count(self) -> int:
        """Members (withdrawal points) without the user."""
        return int(sum(m.count for m in self.members if not m.name.startswith("host ")))


def _build_reference(raw: dict) -> ReferenceConfiguration:
    rid = raw["configuration_id"]
    plants, members = [], []
    for p in raw.get("plants", []):
        count = int(p.get("count", 1))
        for k in range(count):
            name = p["name"] if count == 1 else f"{p['name']} {k + 1}"
            host = None
            if "host_annual_kwh" in p:
                host = f"host {name}"
                members.append(
                    MemberGroup(
                        name=host,
                        count=1,
                        profile=p.get("host_profile", "office"),
                        annual_kwh=float(p["host_annual_kwh"]),
                        holder_type=p.get("holder_type", "impresa"),
                        customer="business",
                    )
                )
            plants.append(
                Plant(
                    name=name,
                    kwp=float(p["kwp"]),
                    commissioning_date=p["commissioning_date"],
                    surface_tilt=float(p.get("surface_tilt", 30)),
                    surface_azimuth=float(p.get("surface_azimuth", 180)),
                    holder_type=p.get("holder_type", "impresa"),
                    behind_meter_of=host,
                )
            )
    for m in raw.get("members", []):
        members.append(
            MemberGroup(
                name=m["name"],
                count=int(m["count"]),
                profile=m["profile"],
                annual_kwh=float(m["annual_kwh"]),
                holder_type=m.get("holder_type", "persona_fisica"),
                customer=m.get("customer", "domestic"),
            )
        )
    return ReferenceConfiguration(
        id=rid,
        label_it=raw["label_it"],
        label_en=raw["label_en"],
        assumptions_it=raw["assumptions_it"],
        assumptions_en=raw["assumptions_en"],
        sources=tuple(raw.get("sources", ())),
        cer_constitution_date=dt.date.fromisoformat(str(raw["cer_constitution_date"])),
        plants=tuple(plants),
        members=tuple(members),
    )


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    raw = read_toml(path)
    out = {}
    for item in raw.get("reference", []):
        ref = _build_reference(item)
        out[ref.id] = ref
    if DEFAULT_REFERENCE not in out:
        raise InputError(REFERENCE_FILE, f"needs a '{DEFAULT_REFERENCE}' reference configuration")
    return out


def load_reference_configurations() -> dict[str, ReferenceConfiguration]:
    """Reference configurations by id (``data/reference_configurations.toml``, cached)."""
    return _load(str(data_file(REFERENCE_FILE)))


def reference_for(configuration_id: str | None) -> str:
    """Reference id for a configuration id (``"default"`` when there is none or it's unknown)."""
    refs = load_reference_configurations()
    return configuration_id if configuration_id in refs else DEFAULT_REFERENCE


def _price_kwargs(scenario_name: str, year: int) -> tuple[dict, dict]:
    """Scenario keyword arguments and parameter overrides for a price scenario."""
    from cer_core.prices import load_zonal_prices

    spec = PRICE_SCENARIOS[scenario_name]
    kwargs = {
        "price_year": spec["price_year"],
        "price_mean_eur_per_mwh": spec["mean_eur_per_mwh"],
    }
    central = PRICE_SCENARIOS["central"]
    central_mean = float(load_zonal_prices(central["price_year"]).mean())
    mean = spec["mean_eur_per_mwh"] or float(load_zonal_prices(spec["price_year"]).mean())
    overrides = {}
    if scenario_name != "central":
        p = load_parameters(year)
        key = "bills.domestic.energy_eur_per_kwh"
        overrides[key] = max(0.0, float(p[key]) + (mean - central_mean) / 1000.0)
    return kwargs, overrides


def reference_scenario(
    configuration_id: str, year: int = 2026, price_scenario: str = "central"
) -> Scenario:
    """The reference configuration as an engine :class:`~cer_core.scenario.Scenario`."""
    ref = load_reference_configurations()[reference_for(configuration_id)]
    kwargs, overrides = _price_kwargs(price_scenario, year)
    return Scenario(
        plants=ref.plants,
        members=ref.members,
        name=f"reference {ref.id}",
        year=year,
        cer_constitution_date=ref.cer_constitution_date,
        parameter_overrides=overrides,
        **kwargs,
    )


def user_scenario(inputs: ResidentInputs, price_scenario: str | None = None) -> Scenario:
    """The scenario *with* the user (reference + me, or me alone when not joining)."""
    ps = price_scenario or inputs.price_scenario
    base = reference_scenario(inputs.configuration_id, inputs.year, ps)
    me = inputs.member_group()
    plant = inputs.plant()
    if inputs.option == "pv":
        # not joining: my meter and my plant alone; behind the meter nothing can be shared
        # (injection only when production exceeds my consumption), no GSE fee, no community rule
        return replace(
            base,
            name="me alone",
            plants=(plant,),
            members=(me,),
            community_min_plant_kw_rule=False,
            parameter_overrides=tuple(
                sorted(
                    {
                        **dict(base.parameter_overrides),
                        "gse_fee.fixed_eur": 0.0,
                        "gse_fee.variable_eur_per_kw": 0.0,
                    }.items()
                )
            ),
        )
    if inputs.option == "producer":
        return replace(base, name="with my plant", plants=(*base.plants, plant))
    plants = base.plants if plant is None else (*base.plants, plant)
    return replace(base, name="with me", plants=plants, members=(*base.members, me))


# --- result -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentEstimate:
    """What the calculator shows (year-1 energies [kWh], money [€/yr] unless stated).

    Attributes
    ----------
    inputs : ResidentInputs
    reference : ReferenceConfiguration
    base, with_me : Result
        Engine results without and with the user (``base`` is the reference configuration;
        for ``option="pv"`` ``with_me`` is the user alone).
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
    bill_savings_eur, rid_eur, producer_share_eur : float
        Money to me: avoided bill, energy sale (RID), my plant's producers' share [€/yr].
    tax_deduction_eur_per_year : float
        Deduction instalment [€/yr] (for ``deduction_years`` years).
    my_total_eur : float
        Year-1 money to me (bill + RID + producers' share + deduction instalment) [€/yr].
    solidarity_eur : float
        Part of the extra incentives going to the solidarity fund [€/yr].
    other_producers_eur : float
        Part of the extra incentives going to the other plants' owners [€/yr].
    capex_eur, npv_eur, irr, payback_years : float or None
        PV investment and economics over the horizon (``None`` without PV).
    cash_flows : pandas.DataFrame
        Yearly cash flows of my plant (year 0 investment) [€], with ``cumulative_eur``.
    hourly : pandas.DataFrame
        My hourly energies [kWh] and the zonal price [€/MWh], indexed by local hour.
    monthly : pandas.DataFrame
        Monthly sums of ``hourly`` energies [kWh].
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
        Engine warnings (modelling choices) of the run with the user.
    """

    inputs: ResidentInputs
    reference: ReferenceConfiguration
    base: Result
    with_me: Result
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
    hourly: pd.DataFrame
    monthly: pd.DataFrame
    typical_days: pd.DataFrame
    ranges: dict = field(default_factory=dict)
    explain: dict = field(default_factory=dict)
    notes: tuple = ()
    warnings: tuple = ()

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


def _core(inputs: ResidentInputs, price_scenario: str, base: Result | None = None):
    """Engine runs without and with the user for one price scenario."""
    if base is None:
        base = simulate(reference_scenario(inputs.configuration_id, inputs.year, price_scenario))
    with_me = simulate(user_scenario(inputs, price_scenario))
    return base, with_me


def _money(inputs: ResidentInputs, base: Result, with_me: Result) -> dict:
    share = with_me.producer_share
    mine = next((p for p in with_me.plants if p.name == MY_PLANT), None)
    if inputs.joins:
        delta_net = with_me.money.net_incentives_eur - base.money.net_incentives_eur
        delta_shared = with_me.money.shared_kwh - base.money.shared_kwh
        d_tip = with_me.money.tip_eur - base.money.tip_eur
        d_val = with_me.money.valorisation_eur - base.money.valorisation_eur
        d_fee = with_me.money.gse_fee_eur - base.money.gse_fee_eur
    else:
        delta_net = delta_shared = d_tip = d_val = d_fee = 0.0
    my_incentive = 0.0
    if mine is not None and inputs.joins:
        my_incentive = mine.tip_eur + mine.valorisation_eur - mine.gse_fee_eur
    producer_share_eur = share * my_incentive
    solidarity = (1.0 - share) * delta_net
    other = share * delta_net - producer_share_eur
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
        "irr": _clean(mine.cash_flows.irr) if mine else None,
        "payback_years": _clean(mine.cash_flows.payback_years) if mine else None,
        "capex_eur": float(mine.capex_eur) if mine else None,
        "mine": mine,
    }


def _hourly(inputs: ResidentInputs, base: Result, with_me: Result) -> pd.DataFrame:
    names = [p.name for p in with_me.scenario.plants]
    n_h = len(with_me.hours)
    zeros = np.zeros(n_h)
    me_cons = with_me._settlement.group_consumption.get(ME, zeros)
    if inputs.option == "producer":
        me_cons = zeros
    if MY_PLANT in names:
        i = names.index(MY_PLANT)
        prod = with_me.production_kwh[i]
        selfc = with_me.self_consumption_kwh[i]
        inj = with_me.injection_kwh[i]
        plant_shared = with_me.shared_per_plant_kwh[i]
    else:
        prod = selfc = inj = plant_shared = zeros
    if inputs.joins:
        shared_delta = with_me.shared_kwh - base.shared_kwh
    else:
        shared_delta = zeros
    frame = pd.DataFrame(
        {
            "consumption_kwh": me_cons,
            "production_kwh": prod,
            "self_consumption_kwh": selfc,
            "injection_kwh": inj,
            "withdrawal_kwh": me_cons - selfc,
            "my_plant_shared_kwh": plant_shared,
            "sold_not_shared_kwh": inj - plant_shared,
            "shared_thanks_to_me_kwh": shared_delta,
            "price_eur_per_mwh": with_me.price_eur_per_mwh,
        },
        index=with_me.hours,
    )
    frame.index.name = "hour"
    return frame


def _typical_days(hourly: pd.DataFrame) -> pd.DataFrame:
    idx = hourly.index
    month = np.asarray(idx.month)
    hour = np.asarray(idx.hour)
    cols = [c for c in hourly.columns if c.endswith("_kwh")]
    parts = []
    for season, months in SEASONS.items():
        sel = np.isin(month, months)
        g = hourly.loc[sel, cols].groupby(hour[sel]).mean()
        g.index.name = "hour_of_day"
        g = g.reset_index()
        g.insert(0, "season", season)
        parts.append(g)
    return pd.concat(parts, ignore_index=True)


def _cash_flow_frame(mine) -> pd.DataFrame:
    if mine is None:
        return pd.DataFrame(
            columns=[
                "year",
                "capex_eur",
                "revenue_eur",
                "opex_eur",
                "tax_deduction_eur",
                "net_eur",
                "cumulative_eur",
                "production_kwh",
            ]
        )
    cf = mine.cash_flows
    frame = pd.DataFrame(
        {
            "year": cf.year.astype(int),
            "capex_eur": cf.capex_eur,
            "revenue_eur": cf.revenue_eur,
            "opex_eur": cf.opex_eur,
            "tax_deduction_eur": cf.tax_deduction_eur,
            "net_eur": cf.net_eur,
            "cumulative_eur": np.cumsum(cf.net_eur),
            "production_kwh": cf.production_kwh,
        }
    )
    return frame


def _notes(inputs: ResidentInputs, with_me: Result, mine, ref_id: str) -> list:
    notes = []
    p = with_me.parameters
    min_kw = float(p["community.min_plant_kw"])
    if ref_id == DEFAULT_REFERENCE:
        notes.append(("no_configuration", {}))
    if inputs.option == "consumer":
        notes.append(("bill_unchanged", {}))
    if inputs.has_pv and inputs.joins and inputs.kwp < min_kw:
        notes.append(("below_community_min", {"kwp": inputs.kwp, "min_kw": min_kw}))
    if inputs.option == "pv":
        notes.append(("not_joining", {}))
    if mine is not None and inputs.has_pv and HOLDER_OF[inputs.who] == "persona_fisica":
        if inputs.tax_deduction != "none":
            notes.append(("deduction_with_tip", {}))
    if mine is not None and mine.reasons and inputs.joins and inputs.kwp >= min_kw:
        notes.append(("plant_reasons", {"reasons": "; ".join(mine.reasons)}))
    return notes


def _money_notes(inputs: ResidentInputs, m: dict) -> list:
    """Notes on the money: a plant that costs the configuration more than it adds."""
    if inputs.joins and inputs.has_pv and m["delta_net_incentives_eur"] < 0:
        return [
            (
                "saturated",
                {
                    "shared_kwh": m["shared_thanks_to_me_kwh"],
                    "fee_eur": m["delta_gse_fee_eur"],
                    "net_eur": m["delta_net_incentives_eur"],
                },
            )
        ]
    return []


def _size_notes(inputs: ResidentInputs, mine) -> list:
    notes = []
    if inputs.has_pv and inputs.option != "producer":
        cons = inputs.consumption_total_kwh()
        if mine is not None and mine.production_kwh > 3 * cons:
            notes.append(
                ("oversized", {"production_kwh": mine.production_kwh, "consumption_kwh": cons})
            )
    return notes


def estimate(inputs: ResidentInputs, base: Result | None = None) -> ResidentEstimate:
    """The resident's estimate, hour by hour through the engine.

    Parameters
    ----------
    inputs : ResidentInputs
    base : Result, optional
        ``simulate(reference_scenario(inputs.configuration_id, inputs.year,
        inputs.price_scenario))`` if already computed (the page caches it).

    Returns
    -------
    ResidentEstimate

    Raises
    ------
    InputError
        Bad input, naming the field.
    """
    if not isinstance(inputs, ResidentInputs):
        raise InputError("inputs", "must be a ResidentInputs")
    ref_id = reference_for(inputs.configuration_id)
    ref = load_reference_configurations()[ref_id]
    base, with_me = _core(inputs, inputs.price_scenario, base)
    m = _money(inputs, base, with_me)
    mine = m.pop("mine")
    hourly = _hourly(inputs, base, with_me)
    monthly = hourly.drop(columns="price_eur_per_mwh").groupby(hourly.index.month).sum()
    monthly.index.name = "month"

    ranges = {}
    per_scenario = {}
    for ps in PRICE_SCENARIO_NAMES:
        if ps == inputs.price_scenario:
            per_scenario[ps] = m
        else:
            b, w = _core(inputs, ps)
            per_scenario[ps] = _money(inputs, b, w)
    for key in ("my_total_eur", "npv_eur", "solidarity_eur", "delta_net_incentives_eur"):
        values = [per_scenario[ps][key] for ps in PRICE_SCENARIO_NAMES]
        if all(v is not None for v in values):
            ranges[key] = tuple(float(v) for v in values)
    prod = float(hourly["production_kwh"].sum())
    prod_range = (prod * (1 - PRODUCTION_BAND), prod * (1 + PRODUCTION_BAND))
    ranges["production_kwh"] = (prod_range[0], prod, prod_range[1])

    p = with_me.parameters
    delta_shared = m["shared_thanks_to_me_kwh"]
    explain = {
        "reference_label_it": ref.label_it,
        "reference_label_en": ref.label_en,
        "reference_kwp": ref.kwp,
        "reference_members": ref.member_count,
        "base_shared_kwh": base.money.shared_kwh,
        "unit_tip_eur_per_mwh": (1000 * m["delta_tip_eur"] / delta_shared)
        if delta_shared > 1e-6
        else None,
        "cu_af_eur_per_mwh": 1000 * m["delta_valorisation_eur"] / delta_shared
        if delta_shared > 1e-6
        else None,
        "producer_share": m["producer_share"],
        "min_plant_kw": float(p["community.min_plant_kw"]),
        "specific_yield_kwh_per_kwp": prod / inputs.kwp if inputs.kwp else None,
        "self_consumption_share": float(hourly["self_consumption_kwh"].sum()) / prod
        if prod > 0
        else None,
        "mean_price_eur_per_mwh": float(with_me.price_eur_per_mwh.mean()),
        "price_source": with_me.price_source,
        "weather_source": with_me.weather_source,
        "deduction_years": int(p["finance.tax_deduction_years"]),
        "horizon_years": with_me.scenario.horizon_years,
        "discount_rate": float(p["finance.discount_rate"]),
        "kwp": inputs.kwp,
        "production_band": PRODUCTION_BAND,
    }
    return ResidentEstimate(
        inputs=inputs,
        reference=ref,
        base=base,
        with_me=with_me,
        production_kwh=prod,
        production_range_kwh=prod_range,
        consumption_kwh=float(hourly["consumption_kwh"].sum()),
        self_consumption_kwh=float(hourly["self_consumption_kwh"].sum()),
        injection_kwh=float(hourly["injection_kwh"].sum()),
        withdrawal_kwh=float(hourly["withdrawal_kwh"].sum()),
        cash_flows=_cash_flow_frame(mine),
        hourly=hourly,
        monthly=monthly,
        typical_days=_typical_days(hourly),
        ranges=ranges,
        explain=explain,
        notes=tuple(
            _notes(inputs, with_me, mine, ref_id)
            + _size_notes(inputs, mine)
            + _money_notes(inputs, m)
        ),
        warnings=with_me.warnings,
        **m,
    )


# --- exports ------------------------------------------------------------------------------------

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Neutralise spreadsheet formula injection: text starting with = + - @ gets a ``'``."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> str:
    """CSV text of a frame with every text cell (and header) neutralised by :func:`csv_safe`."""
    out = frame.copy()
    out.columns = [csv_safe(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_safe)
    return out.to_csv(index=True)


def hourly_csv(est: ResidentEstimate) -> str:
    """Hourly CSV (local time with UTC offset) of my energies and the zonal price."""
    frame = est.hourly.copy()
    frame.index = [ts.isoformat() for ts in frame.index]
    frame.index.name = "hour"
    return to_csv(frame.round(4))


def yearly_csv(est: ResidentEstimate) -> str:
    """Yearly CSV: cash flows of my plant, or the year-1 totals for a consumer."""
    if len(est.cash_flows):
        return to_csv(est.cash_flows.set_index("year").round(2))
    totals = pd.DataFrame(
        [
            {
                "year": est.inputs.year,
                "consumption_kwh": est.consumption_kwh,
                "shared_thanks_to_me_kwh": est.shared_thanks_to_me_kwh,
                "delta_net_incentives_eur": est.delta_net_incentives_eur,
                "solidarity_eur": est.solidarity_eur,
                "my_total_eur": est.my_total_eur,
            }
        ]
    ).set_index("year")
    return to_csv(totals.round(2))
