"""What the resident tells the calculator (validated), and the defaults per kind of user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cer_core import bounds
from cer_core import pv as pv_mod
from cer_core.errors import InputError
from cer_core.profiles import POWER_CLASSES
from cer_core.resident.price_scenarios import PRICE_SCENARIO_NAMES
from cer_core.resident.references import DEFAULT_REFERENCE
from cer_core.scenario import MemberGroup, Plant
from cer_core.validation import choice, number

WHO = ("household", "condominium", "shop", "office", "school", "small_business")
"""Kinds of user. ``condominium`` = the common services of a condominium."""


OPTIONS = ("consumer", "pv", "pv_join", "producer")


PV_SIZING = ("kwp", "area")


TAX_DEDUCTIONS = ("main_home", "other", "none")


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


MAX_USER_KWP = bounds.PLANT_KWP.high
"""Largest plant a resident can enter [kWp] (``bounds.PLANT_KWP``: DM 414's 1 MW)."""


MAX_ROOF_AREA_M2 = bounds.ROOF_AREA_M2.high
"""Largest usable roof area accepted [m²] (``bounds.ROOF_AREA_M2``)."""


MAX_CAPEX_EUR = bounds.CAPEX_EUR.high
"""Largest own quote for the PV investment accepted [€] (``bounds.CAPEX_EUR``)."""


ME = "me"


MY_PLANT = "my plant"


@dataclass(frozen=True)
class ResidentInputs:
    """What the user tells the calculator (every field validated; defaults give a result).

    Attributes
    ----------
    configuration_id : str
        Reference configuration id (``data/reference_configurations.toml``: a pilot
        configuration id, or ``"default"`` for an area with no configuration yet); checked
        against the reference configurations by :func:`~cer_core.resident.estimate`.
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
        # a text only: which ids exist is data (the reference configurations), checked by the
        # estimate that receives them, so building inputs reads no file
        if not isinstance(self.configuration_id, str) or not 0 < len(self.configuration_id) <= 64:
            raise InputError(
                "configuration_id",
                "must be a configuration id (1-64 characters)",
                "unknown_configuration",
            )
        choice("who", self.who, WHO)
        choice("power_class", self.power_class, POWER_CLASSES)
        choice("option", self.option, OPTIONS)
        choice("pv_sizing", self.pv_sizing, PV_SIZING)
        choice("tax_deduction", self.tax_deduction, TAX_DEDUCTIONS)
        choice("price_scenario", self.price_scenario, PRICE_SCENARIO_NAMES)
        y = number("year", self.year, 2024, 2030)
        if y != int(y):
            raise InputError(
                "year", "must be a whole year 2024-2030", "range", low=2024, high=2030, unit=""
            )
        set_(self, "year", int(y))
        annual = bounds.ANNUAL_KWH["household" if self.who == "household" else "nonresidential"]
        limit = annual.high
        if self.annual_kwh is not None:
            set_(self, "annual_kwh", annual.check(self.annual_kwh))
        if self.f_bands_kwh is not None:
            bands = tuple(self.f_bands_kwh)
            if len(bands) != 3:
                raise InputError(
                    "f_bands_kwh", "must be three numbers: F1, F2, F3 [kWh]", "bands_count"
                )
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
        set_(self, "pv_kwp", bounds.PLANT_KWP.check(self.pv_kwp, "pv_kwp"))
        if self.roof_area_m2 is not None:
            set_(self, "roof_area_m2", bounds.ROOF_AREA_M2.check(self.roof_area_m2))
        if self.pv_sizing == "area" and self.roof_area_m2 is None and self.option != "consumer":
            raise InputError(
                "roof_area_m2", "give the usable roof area [m²] or size by kWp", "area_missing"
            )
        for bound in (bounds.SURFACE_TILT_DEG, bounds.SURFACE_AZIMUTH_DEG, bounds.SHADING_PCT):
            set_(self, bound.field, bound.check(getattr(self, bound.field)))
        if self.capex_eur is not None:
            set_(self, "capex_eur", bounds.CAPEX_EUR.check(self.capex_eur))
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
