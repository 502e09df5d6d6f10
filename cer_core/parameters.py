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


def _coerce_override(name: str, new, old):
    field_name = f"parameters.{name}"
    if isinstance(old, bool):
        if not isinstance(new, bool):
            raise InputError(field_name, f"must be true or false, not {new!r}")
        return new
    if isinstance(old, int | float):
        if isinstance(new, bool) or not isinstance(new, int | float):
            try:
                new = float(new)
            except (TypeError, ValueError):
                raise InputError(field_name, f"must be a number, not {new!r}") from None
        if new != new:  # NaN
            raise InputError(field_name, "must be a number, not NaN")
        return type(old)(new) if isinstance(old, float) else new
    if isinstance(old, tuple):
        if not isinstance(new, list | tuple):
            raise InputError(field_name, f"must be a list like {list(old)!r}")
        return tuple(new)
    if isinstance(old, str) and not isinstance(new, str):
        raise InputError(field_name, f"must be text, not {new!r}")
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
    return _load_cached(int(year), _freeze(overrides or {}), str(path) if path else None)


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
        values[name] = _coerce_override(name, new, values[name])
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
