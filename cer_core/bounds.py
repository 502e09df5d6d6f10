"""The one table of input bounds: every range a user's number is checked against, and Milan.

Each bound is written once, with its unit and the reason for it, and every check uses it: the
scenario classes and the TOML reader (:mod:`cer_core.scenario`), the resident calculator
(:mod:`cer_core.resident`) and its page (widget limits come from here), the profiles, the prices,
the PV model and the planning files. Hourly series obey the same bound from a CSV file or passed
in code (:meth:`Bound.check_series`). ``tests/cer_core/test_bounds.py`` checks that the page,
the engine and the TOML reader refuse the same values. A bound is not a rule: the rules (1 MW per plant, …) live in
``data/parameters.toml``; where a bound mirrors a rule the test ties the two.

Examples
--------
>>> PLANT_KWP.check(50)
50.0
>>> ANNUAL_KWH["household"].high
100000.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cer_core.errors import InputError
from cer_core.validation import number


@dataclass(frozen=True)
class Bound:
    """An allowed range of one input.

    Attributes
    ----------
    field : str
        Input name used in messages (``InputError.field``).
    low, high : float
        Limits, in ``unit``.
    unit : str
        Unit as written after a number in messages (``" kWh"``, ``"°"``).
    reason : str
        Why these limits (a rule, a model's validity, or plausibility).
    low_open : bool
        ``True``: ``low`` itself is refused (more than ``low``).
    """

    field: str
    low: float
    high: float
    unit: str
    reason: str
    low_open: bool = False

    def check(self, value, field: str | None = None) -> float:
        """``value`` as a float inside the bound, else :class:`~cer_core.errors.InputError`
        (code ``"range"``, naming ``field`` or the bound's own field)."""
        return number(
            field or self.field, value, self.low, self.high, low_open=self.low_open, unit=self.unit
        )

    def check_series(self, values, field: str | None = None) -> np.ndarray:
        """A 1-D hourly series inside the bound, as a read-only float copy, else
        :class:`~cer_core.errors.InputError` (code ``"range"``, naming ``field`` or the bound's
        own field, the first hour outside and its value).

        For series passed in code; a CSV file is checked line by line with the same limits
        (:func:`cer_core.io.hourly_csv.read_hourly_csv`).
        """
        name = field or self.field
        try:
            arr = np.array(values, dtype=float)
        except (TypeError, ValueError):
            raise InputError(name, f"must be numbers [{self.unit.strip()}]") from None
        if arr.ndim != 1:
            raise InputError(name, f"must be a 1-D hourly series, got {arr.ndim}-D")
        low_ok = arr > self.low if self.low_open else arr >= self.low
        outside = np.flatnonzero(~(low_ok & (arr <= self.high)))  # NaN is outside too
        if outside.size:
            hour = int(outside[0])
            allowed = f"{self.low:,.6g} to {self.high:,.6g}{self.unit}"
            raise InputError(
                name,
                f"hour {hour}: {float(arr[hour]):g} is outside the allowed {allowed}",
                "range",
                low=self.low,
                high=self.high,
                unit=self.unit,
            )
        arr.flags.writeable = False
        return arr


# --- consumption --------------------------------------------------------------------------------

ANNUAL_KWH = {
    "household": Bound(
        "annual_kwh",
        0.0,
        100_000.0,
        " kWh",
        "plausibility [A]: 100,000 kWh a year is 11.4 kW day and night, beyond any domestic "
        "contract; the contract-power check of the calculator is tighter",
        low_open=True,
    ),
    "nonresidential": Bound(
        "annual_kwh",
        0.0,
        10_000_000.0,
        " kWh",
        "plausibility [A]: 10 GWh a year is a large industrial site, well beyond a CER member "
        "on a low- or medium-voltage connection",
        low_open=True,
    ),
}
"""Annual consumption of one member [kWh], by kind (a household: ``household`` or an ARERA power
class; anything else: ``nonresidential``). Bill bands F1, F2, F3 each and together obey the same
bound. Zero is refused: a member that consumes nothing shares nothing."""

HOURLY_KWH = Bound(
    "hourly_kwh",
    0.0,
    1_000_000.0,
    " kWh",
    "plausibility [A]: 1 GWh in one hour is a 1 GW load or plant, far above any CER member or "
    "1 MW plant",
)
"""One hour of a user's consumption or production series [kWh] (CSV files and series passed in
code)."""

HOURLY_PRICE_EUR_PER_MWH = Bound(
    "prices_eur_per_mwh",
    -500.0,
    4000.0,
    " €/MWh",
    "rule: the harmonised EU day-ahead minimum and maximum clearing prices (SDAC: -500 and "
    "+4,000 €/MWh)",
)
"""One hour of an own zonal price series [€/MWh] (CSV files and series passed in code)."""

MEMBER_COUNT = Bound(
    "count",
    1.0,
    1_000_000.0,
    " members",
    "plausibility [A]: Milan has about 1.4 million inhabitants; a CER of a whole area stays "
    "well below a million withdrawal points",
)
"""Members of one group of identical withdrawal points."""

# --- plants -------------------------------------------------------------------------------------

PLANT_KWP = Bound(
    "kwp",
    0.0,
    1000.0,
    " kWp",
    "rule: DM 414/2023 admits plants up to 1 MW (docs/rules.md §3.4, parameter tip.max_plant_kw)",
    low_open=True,
)
"""Peak power of one plant [kWp] (also the tier and the GSE fee power)."""

SURFACE_TILT_DEG = Bound(
    "surface_tilt", 0.0, 90.0, "°", "geometry: horizontal (0) to vertical (90) panels"
)
"""Panel tilt from horizontal [°]."""

SURFACE_AZIMUTH_DEG = Bound(
    "surface_azimuth",
    0.0,
    360.0,
    "° (180 = south)",
    "geometry: compass bearing, pvlib convention (0 = north, 90 = east, 180 = south)",
)
"""Panel azimuth [°], clockwise from north."""

SHADING_PCT = Bound(
    "shading_pct",
    0.0,
    80.0,
    " %",
    "model validity [A]: a flat yearly loss; above 80 % the roof is not worth modelling as PV",
)
"""Extra annual shading loss [%]."""

LOSSES_PCT = Bound(
    "losses_pct",
    0.0,
    50.0,
    " %",
    "model validity [A]: PVGIS's default system loss is 14 %; 50 % means a faulty plant",
)
"""System losses on DC energy [%]."""

ROOF_AREA_M2 = Bound(
    "roof_area_m2",
    0.0,
    20_000.0,
    " m²",
    "plausibility [A]: 20,000 m² at 0.2 kWp/m² is 4 MWp, beyond the 1 MW plant limit anyway",
    low_open=True,
)
"""Usable roof area [m²]."""

CAPEX_EUR = Bound(
    "capex_eur",
    0.0,
    1e8,
    " €",
    "plausibility [A]: 100 million € is a hundred times the cost of a 1 MW plant",
)
"""An own quote for a plant's investment [€]."""

# --- site ---------------------------------------------------------------------------------------

LATITUDE_DEG = Bound("latitude", -90.0, 90.0, "°", "geometry: WGS84 latitude")
"""Site latitude [°N] (weather and solar geometry work anywhere; PVGIS covers Europe)."""
LONGITUDE_DEG = Bound("longitude", -180.0, 180.0, "°", "geometry: WGS84 longitude")
"""Site longitude [°E]."""

MILAN_CENTRE_DEG = (45.4642, 9.1900)
"""Milan, Piazza del Duomo (latitude [°N], longitude [°E]): the default site of a scenario, the
centre of the maps, the origin of the city's local metric grid."""

MILAN_BBOX_DEG = (9.02, 45.37, 9.30, 45.55)
"""Milan's bounding box with a margin (min lon, min lat, max lon, max lat) [°]: geocoding and
the build scripts keep only what falls inside."""

MILAN_NEAR_DEG = (0.15, 0.2)
"""Half-size (latitude, longitude) [°] of the box around the centre called "Milan" in labels."""


def near_milan(latitude: float, longitude: float) -> bool:
    """Whether a site is Milan for labelling (within :data:`MILAN_NEAR_DEG` of the centre)."""
    lat0, lon0 = MILAN_CENTRE_DEG
    d_lat, d_lon = MILAN_NEAR_DEG
    return abs(latitude - lat0) < d_lat and abs(longitude - lon0) < d_lon


def annual_kwh_bound(kind: str) -> Bound:
    """The annual-consumption bound of a member kind: household (``household``, an ARERA power
    class such as ``1.5-3``) or non-residential (anything else)."""
    household = kind == "household" or kind[:1].isdigit() or kind.startswith(">")
    return ANNUAL_KWH["household" if household else "nonresidential"]
