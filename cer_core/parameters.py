"""Regulatory and economic parameters, versioned by date, with units and sources.

All values live in ``data/parameters.toml`` (one ``[[param]]`` row per value and validity period,
with unit, source and an ``uncertain`` flag for the values marked ⚠ in the reference). The engine
picks, for a settlement year, the row **in force on 1 July** of that year; when no row covers the
year it takes the latest earlier row (reported as ``extrapolated``) or else the earliest one.

Examples
--------
>>> p = load_parameters(2025)
>>> p["tip.variable_ref_price_eur_per_mwh"]
180.0
>>> load_parameters(2025, {"finance.discount_rate": 0.06})["finance.discount_rate"]
0.06
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cer_core.errors import InputError
from cer_core.paths import DataFileError, data_file, read_toml

PARAMETERS_FILE = "parameters.toml"
_REQUIRED = ("name", "value", "unit", "source", "valid_from")


@dataclass(frozen=True)
class ParameterRow:
    """One dated parameter value as stored in ``data/parameters.toml``."""

    name: str
    value: Any
    unit: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    uncertain: bool = False
    note: str = ""


def _as_date(value, path: Path, name: str, key: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DataFileError(path, f"parameter {name}: {key} {value!r} is not a date") from exc


@lru_cache(maxsize=4)
def _read_rows(path_str: str) -> tuple[ParameterRow, ...]:
    path = Path(path_str)
    raw = read_toml(path)
    rows = []
    for i, item in enumerate(raw.get("param", []), start=1):
        missing = [key for key in _REQUIRED if key not in item]
        if missing:
            raise DataFileError(path, f"[[param]] #{i} lacks {', '.join(missing)}")
        value = item["value"]
        if isinstance(value, list):
            value = tuple(value)
        rows.append(
            ParameterRow(
                name=item["name"],
                value=value,
                unit=item["unit"],
                source=item["source"],
                valid_from=_as_date(item["valid_from"], path, item["name"], "valid_from"),
                valid_to=_as_date(item.get("valid_to"), path, item["name"], "valid_to"),
                uncertain=bool(item.get("uncertain", False)),
                note=item.get("note", ""),
            )
        )
    return tuple(rows)


def parameter_rows(path: str | Path | None = None) -> tuple[ParameterRow, ...]:
    """All rows of the parameters file (every validity period).

    Parameters
    ----------
    path : str or Path, optional
        Another parameters file (default ``data/parameters.toml``).
    """
    return _read_rows(str(Path(path) if path else data_file(PARAMETERS_FILE)))


def _pick(rows: list[ParameterRow], year: int) -> tuple[ParameterRow, bool]:
    """Row in force on 1 July of ``year``; else latest earlier (extrapolated); else earliest."""
    day = dt.date(year, 7, 1)
    current = [r for r in rows if r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)]
    if current:
        return max(current, key=lambda r: r.valid_from), False
    earlier = [r for r in rows if r.valid_from <= day]
    if earlier:
        return max(earlier, key=lambda r: r.valid_from), True
    return min(rows, key=lambda r: r.valid_from), True


@dataclass(frozen=True)
class Parameters:
    """The parameter values for one settlement year (read-only, ``params[name] -> value``).

    Attributes
    ----------
    year : int
        Settlement year the values were picked for.
    values : Mapping[str, Any]
        Parameter values (units in ``rows[name].unit``).
    rows : Mapping[str, ParameterRow]
        The row each value comes from (overridden values keep the file row for unit/source).
    overridden : frozenset of str
        Names whose value was overridden by the scenario/caller.
    extrapolated : frozenset of str
        Names whose value comes from a row that does not cover ``year``.
    """

    year: int
    values: Mapping[str, Any]
    rows: Mapping[str, ParameterRow]
    overridden: frozenset = field(default_factory=frozenset)
    extrapolated: frozenset = field(default_factory=frozenset)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise KeyError(f"unknown parameter {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self.values

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def get(self, name: str, default: Any = None) -> Any:
        """Value of ``name`` or ``default``."""
        return self.values.get(name, default)

    def __hash__(self) -> int:
        return hash((self.year, tuple(sorted((k, repr(v)) for k, v in self.values.items()))))

    def uncertain_choices(self) -> dict[str, Any]:
        """Values flagged ⚠ (uncertain) in the file, as used: ``{name: value}``."""
        return {n: self.values[n] for n, r in self.rows.items() if r.uncertain}


#: Allowed range of an overriding number, by the parameter's unit: wide enough for any sensible
#: scenario, narrow enough that a typo (1e308, a rate of 5 instead of 0.05) is refused.
_OVERRIDE_RANGES = {
    "1": (-1.0, 1.0),
    "1/yr": (-1.0, 1.0),
    "yr": (0.0, 100.0),
    "-": (-1e6, 1e6),
    "kW": (0.0, 1e6),
    "€/MWh": (-1e4, 1e4),
    "€/kWh": (-10.0, 10.0),
    "€/kWp": (0.0, 1e5),
    "€/kWp/yr": (0.0, 1e4),
    "€/kW/yr": (0.0, 1e4),
    "kWh/month": (0.0, 1e9),
    "kWh/yr": (0.0, 1e10),
}
#: Range of a number whose unit is not listed above.
_OVERRIDE_DEFAULT_RANGE = (-1e9, 1e9)
#: Longest list or text accepted as an override.
_OVERRIDE_MAX_ITEMS, _OVERRIDE_MAX_CHARS = 50, 200


def _override_number(field_name: str, new, old, unit: str):
    if isinstance(new, bool) or not isinstance(new, int | float):
        raise InputError(field_name, f"must be a number, not {_short(new)}")
    low, high = _OVERRIDE_RANGES.get(unit, _OVERRIDE_DEFAULT_RANGE)
    if not math.isfinite(new) or not low <= new <= high:
        raise InputError(
            field_name, f"must be from {low:,.6g} to {high:,.6g} {unit}, not {_short(new)}"
        )
    if isinstance(old, int) and new != int(new):
        raise InputError(field_name, f"must be a whole number, not {_short(new)}")
    return type(old)(new)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _coerce_override(name: str, new, old, unit: str = ""):
    """``new`` checked against the file's value ``old``: same type, same list length, numbers
    finite and within the range of their unit (:data:`_OVERRIDE_RANGES`), dates as dates."""
    field_name = f"parameters.{name}"
    if isinstance(old, bool):
        if not isinstance(new, bool):
            raise InputError(field_name, f"must be true or false, not {_short(new)}")
        return new
    if isinstance(old, int | float):
        return _override_number(field_name, new, old, unit)
    if isinstance(old, tuple | list):
        if not isinstance(new, list | tuple):
            raise InputError(field_name, f"must be a list like {list(old)!r}")
        numeric = any(isinstance(v, int | float) and not isinstance(v, bool) for v in old)
        if (numeric and len(new) != len(old)) or len(new) > _OVERRIDE_MAX_ITEMS:
            size = f"{len(old)} items" if numeric else f"at most {_OVERRIDE_MAX_ITEMS} items"
            raise InputError(field_name, f"must have {size}, like {list(old)!r}")
        example = old[0] if old else ""
        return tuple(
            _coerce_override(f"{name}[{i}]", item, example, unit) for i, item in enumerate(new)
        )
    if isinstance(old, str):
        if not isinstance(new, str | dt.date) or isinstance(new, dt.datetime):
            raise InputError(field_name, f"must be text, not {_short(new)}")
        if unit == "date":
            try:
                return dt.date.fromisoformat(str(new)).isoformat()
            except ValueError:
                raise InputError(
                    field_name, f"must be a date YYYY-MM-DD, not {_short(new)}"
                ) from None
        if len(new) > _OVERRIDE_MAX_CHARS:
            raise InputError(field_name, f"longer than {_OVERRIDE_MAX_CHARS} characters")
        return new
    return new


def load_parameters(
    year: int, overrides: Mapping[str, Any] | None = None, path: str | Path | None = None
) -> Parameters:
    """Parameter values for a settlement year, with optional overrides.

    Parameters
    ----------
    year : int
        Settlement year; each value is the one in force on 1 July of that year.
    overrides : mapping, optional
        ``{name: value}`` replacing file values (names must exist; types are checked).
    path : str or Path, optional
        Another parameters file.

    Returns
    -------
    Parameters

    Raises
    ------
    InputError
        ``parameters.<name>`` for an unknown name or a value of the wrong type.
    """
    for name, value in (overrides or {}).items():
        _check_override_shape(f"parameters.{name}", value)
    return _load_cached(int(year), _freeze(overrides or {}), str(path) if path else None)


_SCALARS = (bool, int, float, str, dt.date)


def _check_override_shape(field_name: str, value) -> None:
    """An override is a number, text, true/false, a date or a flat list of those (a table or a
    nested list is refused here, before it reaches the cache as an unhashable key)."""
    items = value if isinstance(value, list | tuple) else [value]
    if not all(isinstance(item, _SCALARS) for item in items):
        raise InputError(
            field_name,
            f"must be a number, text, true/false, a date or a list of those, not {_short(value)}",
        )


def _freeze(mapping: Mapping[str, Any]) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in mapping.items()))


@lru_cache(maxsize=64)
def _load_cached(year: int, overrides: tuple, path: str | None) -> Parameters:
    by_name: dict[str, list[ParameterRow]] = {}
    for row in parameter_rows(path):
        by_name.setdefault(row.name, []).append(row)
    values, rows, extrapolated = {}, {}, set()
    for name, candidates in by_name.items():
        row, extra = _pick(candidates, year)
        values[name], rows[name] = row.value, row
        if extra:
            extrapolated.add(name)
    overridden = set()
    for name, new in overrides:
        if name not in values:
            raise InputError(f"parameters.{name}", "unknown parameter (see data/parameters.toml)")
        values[name] = _coerce_override(name, new, values[name], rows[name].unit)
        overridden.add(name)
    return Parameters(
        year=year,
        values=MappingProxyType(values),
        rows=MappingProxyType(rows),
        overridden=frozenset(overridden),
        extrapolated=frozenset(extrapolated),
    )


def parameter_table(year: int, overrides: Mapping[str, Any] | None = None) -> list[dict]:
    """Rows for display: the values the engine uses for ``year``.

    Parameters
    ----------
    year : int
        Settlement year.
    overrides : mapping, optional
        As in :func:`load_parameters`.

    Returns
    -------
    list of dict
        One dict per parameter with keys ``name, value, unit, source, valid_from, valid_to,
        uncertain, extrapolated, overridden, note`` (dates as ISO strings or ``None``).
    """
    params = load_parameters(year, overrides)
    out = []
    for name in sorted(params.values):
        row = params.rows[name]
        value = params[name]
        out.append(
            {
                "name": name,
                "value": list(value) if isinstance(value, tuple) else value,
                "unit": row.unit,
                "source": row.source,
                "valid_from": row.valid_from.isoformat(),
                "valid_to": row.valid_to.isoformat() if row.valid_to else None,
                "uncertain": row.uncertain or name in params.extrapolated,
                "extrapolated": name in params.extrapolated,
                "overridden": name in params.overridden,
                "note": row.note,
            }
        )
    return out
