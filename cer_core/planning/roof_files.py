"""The Comune's supply points and candidate roofs: CSV templates, checks and hourly series.

Two tables (templates in ``data/planning/templates/``):

* **supply points** — ``pod, name, area_code, kind, annual_kwh``: ``kind`` picks the RSE
  non-domestic load profile (:data:`cer_core.planning.municipal_profiles.ALL_KINDS`: the engine's
  five plus gym, library, high school, cinema; Italian names accepted, see :data:`KIND_ALIASES`);
* **roofs** — ``roof_id, name, area_code, usable_m2, kwp, tilt_deg, azimuth_deg, shading_pct,
  host_pod, capex_eur``: give ``kwp`` or ``usable_m2`` (then kWp = m² × ``kwp_per_m2``);
  ``azimuth_deg`` follows pvlib (180 = south); ``host_pod`` is the supply point behind the same
  meter, if any; ``capex_eur`` overrides the reference cost.

Both are read all-or-nothing (:class:`cer_core.planning.tables.TableError` lists every bad row):
unknown area codes, negative kWh, unknown kinds, duplicate ids, a ``host_pod`` that is not in the
supply points or lies in another area.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cer_core import bounds
from cer_core import prices as price_data
from cer_core.bounds import Bound
from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.parameters import Parameters
from cer_core.planning.area_table import market_zones
from cer_core.planning.municipal_profiles import ALL_KINDS, municipal_profile_kwh
from cer_core.planning.roofs import PlanInputs
from cer_core.planning.tables import RowProblem, TableError, cell_number, read_rows
from cer_core.pv import DEFAULT_KWP_PER_M2, MAX_PLANT_KWP, PVSystemSpec, hourly_production_kwh
from cer_core.validation import number
from cer_core.weather import load_weather

POINT_COLUMNS = ("pod", "area_code", "kind", "annual_kwh")
POINT_OPTIONAL = ("name",)
ROOF_COLUMNS = ("roof_id", "area_code", "tilt_deg", "azimuth_deg")
ROOF_OPTIONAL = ("name", "usable_m2", "kwp", "shading_pct", "host_pod", "capex_eur")

KIND_ALIASES = {
    "ufficio": "office",
    "scuola": "school",
    "negozio": "shop",
    "commercio": "shop",
    "impresa": "small_business",
    "servizi_condominiali": "condominium_services",
    "servizi condominiali": "condominium_services",
    "palestra": "gym",
    "biblioteca": "library",
    "liceo": "high_school",
    "scuola_superiore": "high_school",
    "scuola superiore": "high_school",
}
"""Italian names accepted in the ``kind`` column."""

DEFAULT_YEAR = 2024
"""Calendar and price year of the hourly series (GME NORD prices embedded for 2023 and 2024)."""


@dataclass(frozen=True)
class SupplyPoint:
    """One of the Comune's withdrawal points (POD) [kWh/yr]."""

    pod: str
    area_code: str
    kind: str
    annual_kwh: float
    name: str = ""


@dataclass(frozen=True)
class Roof:
    """A candidate municipal roof and the plant it would carry."""

    roof_id: str
    area_code: str
    kwp: float
    tilt_deg: float
    azimuth_deg: float
    shading_pct: float = 0.0
    name: str = ""
    host_pod: str = ""
    capex_eur: float | None = None
    usable_m2: float | None = None


def _area(problems, line, text, zones) -> str:
    code = text.strip().upper()
    if not code:
        problems.append(
            RowProblem(line, "area_code", "is empty; a GSE area code is needed", "missing")
        )
    elif code not in zones:
        problems.append(
            RowProblem(
                line,
                "area_code",
                f"unknown area {text!r}: use a GSE area code such as AC012E00009 "
                "(look it up on the GSE map by POD)",
                "unknown_area",
                {"text": text},
            )
        )
    return code


def read_supply_points(source) -> list[SupplyPoint]:
    """The supply-point table, checked whole.

    Raises
    ------
    TableError
        Listing every bad row (unknown area, negative or too large kWh, unknown kind,
        duplicate POD, missing cell) or wrong columns.
    """
    rows, decimal = read_rows(source, "supply_points", POINT_COLUMNS, POINT_OPTIONAL)
    zones = market_zones()
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    out = []
    annual = bounds.ANNUAL_KWH["nonresidential"]
    for line, row in rows:
        pod = row["pod"].strip().upper()
        if not pod:
            problems.append(RowProblem(line, "pod", "is empty", "missing"))
        elif pod in seen:
            problems.append(
                RowProblem(
                    line,
                    "pod",
                    f"{pod} already on line {seen[pod]}",
                    "duplicate",
                    {"text": pod, "first_line": seen[pod]},
                )
            )
        else:
            seen[pod] = line
        area = _area(problems, line, row["area_code"], zones)
        raw_kind = row["kind"].strip().lower()
        kind = KIND_ALIASES.get(raw_kind, raw_kind)
        if kind not in ALL_KINDS:
            allowed = ", ".join(ALL_KINDS)
            problems.append(
                RowProblem(
                    line,
                    "kind",
                    f"{row['kind']!r} is not one of {allowed}",
                    "choice",
                    {"allowed": allowed},
                )
            )
        kwh = cell_number(
            problems, line, "annual_kwh", row["annual_kwh"],
            lambda f, v: annual.check(v, f), decimal,
        )  # fmt: skip
        out.append(SupplyPoint(pod, area, kind, kwh or 0.0, row.get("name", "")))
    if problems:
        raise TableError("supply_points", problems)
    return out


def read_roofs(
    source, points: list[SupplyPoint] | None = None, kwp_per_m2: float = DEFAULT_KWP_PER_M2
) -> list[Roof]:
    """The candidate-roof table, checked whole (and against ``points`` for ``host_pod``).

    Raises
    ------
    TableError
        Listing every bad row: unknown area, neither ``kwp`` nor ``usable_m2``, power above
        1,000 kWp, tilt/azimuth/shading out of range, duplicate id, ``host_pod`` unknown or in
        another area.
    """
    rows, decimal = read_rows(source, "roofs", ROOF_COLUMNS, ROOF_OPTIONAL)
    zones = market_zones()
    by_pod = {p.pod: p for p in (points or [])}
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    out = []
    for line, row in rows:
        rid = row["roof_id"].strip()
        if not rid:
            problems.append(RowProblem(line, "roof_id", "is empty", "missing"))
        elif rid in seen:
            problems.append(
                RowProblem(
                    line,
                    "roof_id",
                    f"{rid} already on line {seen[rid]}",
                    "duplicate",
                    {"text": rid, "first_line": seen[rid]},
                )
            )
        else:
            seen[rid] = line
        area = _area(problems, line, row["area_code"], zones)

        def num(column, low, high, required=True, low_open=False, unit="", line=line, row=row):
            return cell_number(
                problems, line, column, row.get(column, ""),
                lambda f, v: number(f, v, low, high, low_open=low_open, unit=unit),
                decimal, required,
            )  # fmt: skip

        def within(column, bound: Bound, required=True, line=line, row=row):
            return cell_number(
                problems, line, column, row.get(column, ""),
                lambda f, v: bound.check(v, f), decimal, required,
            )  # fmt: skip

        tilt = within("tilt_deg", bounds.SURFACE_TILT_DEG)
        azimuth = within("azimuth_deg", bounds.SURFACE_AZIMUTH_DEG)
        shading = within("shading_pct", bounds.SHADING_PCT, required=False) or 0.0
        kwp = within("kwp", bounds.PLANT_KWP, required=False)
        area_m2 = within("usable_m2", bounds.ROOF_AREA_M2, required=False)
        capex = num(
            "capex_eur", 0.0, bounds.CAPEX_EUR.high, required=False, low_open=True, unit=" €"
        )
        if kwp is None and area_m2 is not None:
            kwp = area_m2 * kwp_per_m2
            if kwp > MAX_PLANT_KWP:
                problems.append(
                    RowProblem(
                        line, "usable_m2",
                        f"{area_m2:,.0f} m² gives {kwp:,.0f} kWp, above the 1,000 kWp limit of one "
                        "plant: split the roof or give kwp",
                        "area_too_large",
                        {"area": area_m2, "kwp": kwp},
                    )
                )  # fmt: skip
        elif kwp is None and not row.get("kwp") and not row.get("usable_m2"):
            problems.append(RowProblem(line, "kwp", "give kwp or usable_m2", "kwp_or_area"))
        host = row.get("host_pod", "").strip().upper()
        if host and points is not None:
            if host not in by_pod:
                problems.append(
                    RowProblem(
                        line,
                        "host_pod",
                        f"{host} is not in the supply points",
                        "unknown_pod",
                        {"text": host},
                    )
                )
            elif by_pod[host].area_code != area:
                problems.append(
                    RowProblem(
                        line, "host_pod",
                        f"{host} is in area {by_pod[host].area_code}, the roof in {area}",
                        "area_mismatch",
                        {"text": host, "pod_area": by_pod[host].area_code, "area": area},
                    )
                )  # fmt: skip
        out.append(
            Roof(rid, area, kwp or 0.0, tilt or 0.0, azimuth or 0.0, shading, row.get("name", ""),
                 host, capex, area_m2)
        )  # fmt: skip
    if problems:
        raise TableError("roofs", problems)
    return out


def build_inputs(
    roofs: list[Roof],
    points: list[SupplyPoint],
    year: int = DEFAULT_YEAR,
    *,
    params: Parameters,
    weather=None,
    price_eur_per_mwh=None,
) -> PlanInputs:
    """Hourly production (pvlib, :func:`cer_core.pv.hourly_production_kwh`), RSE consumption
    profiles and GME NORD prices for the planner.

    Parameters
    ----------
    roofs, points : list
        From :func:`read_roofs` and :func:`read_supply_points`.
    year : int
        Calendar year of the series (prices embedded for 2023 and 2024).
    params : Parameters
        For the reference capex (:func:`cer_core.finance.capex_eur`).
    weather : WeatherYear, optional
        Default: the embedded PVGIS typical year.
    price_eur_per_mwh : array_like, optional
        Own hourly prices on ``year_index(year)`` [€/MWh].
    """
    from cer_core import finance

    if not roofs:
        raise InputError("roofs", "no candidate roof", "no_roofs")
    if not points:
        raise InputError("supply_points", "no supply point", "no_points")
    weather = weather if weather is not None else load_weather()
    hours = len(year_index(year))
    production = np.empty((len(roofs), hours))
    for i, roof in enumerate(roofs):
        spec = PVSystemSpec(
            kwp=roof.kwp,
            surface_tilt=roof.tilt_deg,
            surface_azimuth=roof.azimuth_deg,
            shading_pct=roof.shading_pct,
        )
        production[i] = hourly_production_kwh(spec, weather, year)
    consumption = np.vstack([municipal_profile_kwh(p.kind, p.annual_kwh, year) for p in points])
    zones = market_zones()
    pod_index = {p.pod: j for j, p in enumerate(points)}
    pz = (
        price_data.load_zonal_prices(year, "NORD")
        if price_eur_per_mwh is None
        else np.asarray(price_eur_per_mwh, dtype=float)
    )
    return PlanInputs(
        roof_ids=tuple(r.roof_id for r in roofs),
        roof_names=tuple(r.name or r.roof_id for r in roofs),
        production_kwh=production,
        kwp=np.array([r.kwp for r in roofs]),
        capex_eur=np.array(
            [
                r.capex_eur if r.capex_eur is not None else finance.capex_eur(r.kwp, params=params)
                for r in roofs
            ]
        ),
        roof_area=tuple(r.area_code for r in roofs),
        roof_zone=tuple(zones[r.area_code] for r in roofs),
        host_point=np.array([pod_index.get(r.host_pod, -1) if r.host_pod else -1 for r in roofs]),
        consumption_kwh=consumption,
        point_area=tuple(p.area_code for p in points),
        point_zone=tuple(zones[p.area_code] for p in points),
        price_eur_per_mwh=pz,
    )


def plan_from_files(
    roofs_csv,
    points_csv,
    budget_kwp: float | None = None,
    budget_eur: float | None = None,
    objective: str = "per_eur",
    year: int = DEFAULT_YEAR,
    parameters_year: int | None = None,
):
    """Read both tables (all-or-nothing), build the hourly series and rank the roofs.

    Parameters
    ----------
    roofs_csv, points_csv : path, bytes, text or file-like
        Tables in the template format.
    budget_kwp, budget_eur : float, optional
        Budget caps [kWp], [€].
    objective : {"per_eur", "per_kwp"}
    year : int
        Calendar and price year.
    parameters_year : int, optional
        Default :data:`cer_core.planning.roofs.DEFAULT_PARAMETERS_YEAR`.

    Returns
    -------
    RoofPlan

    Raises
    ------
    TableError
        Bad rows in either table (the supply points are checked first: the roofs refer to them).
    """
    from cer_core.parameters import load_parameters
    from cer_core.planning.roofs import DEFAULT_PARAMETERS_YEAR, plan_roofs

    params = load_parameters(parameters_year or DEFAULT_PARAMETERS_YEAR)
    points = read_supply_points(points_csv)
    roofs = read_roofs(roofs_csv, points)
    inputs = build_inputs(roofs, points, year=year, params=params)
    return plan_roofs(inputs, budget_eur, budget_kwp, objective, params)
