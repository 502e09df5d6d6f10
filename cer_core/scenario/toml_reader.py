"""Read a scenario from a TOML file (format: ``docs/scenario-format.md``), key by key checked."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from pathlib import Path

from cer_core import prices as price_data
from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.parameters import load_parameters
from cer_core.prices import prices_from_csv
from cer_core.profiles import hourly_from_csv
from cer_core.pv import kwp_from_roof_area
from cer_core.scenario.hourly_inputs import member_consumption_kwh
from cer_core.scenario.inputs import MemberGroup, Plant, Scenario

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
    "check_cer_constitution",
    "prorate_first_year",
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
        "check_cer_constitution": _BOOL,
        "prorate_first_year": _BOOL,
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
        if scenario.price_year not in price_data.AVAILABLE_PRICE_YEARS:
            years = ", ".join(map(str, price_data.AVAILABLE_PRICE_YEARS))
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
