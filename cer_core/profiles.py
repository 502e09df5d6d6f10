"""Hourly consumption profiles of CER members, on the local settlement calendar.

Households: ARERA's average hourly withdrawal of domestic customers in **Lombardy**, by
contractual-power class, month, day type (weekday / Saturday / Sunday-or-holiday) and hour,
laid on the real calendar with Italian national holidays (``holidays`` package) and scaled to
the member's annual kWh; optionally reshaped to the F1/F2/F3 kWh of the member's bill.

Non-residential members: RSE S.p.A.'s typical-day profiles (CACER_Simulator, BSD-3-Clause) —
Italian measured/surveyed shapes with a week-of-year seasonality, chosen over demandlib's BDEW
standard profiles, which describe German customers (other holidays, opening hours, climate and
no Italian school calendar). The kinds and the RSE profile each uses are in
:data:`NONRESIDENTIAL_SOURCES`.

Every result is a float array [kWh] aligned on :func:`cer_core.calendar.year_index`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from cer_core.bounds import ANNUAL_KWH, HOURLY_KWH
from cer_core.calendar import arera_bands, day_types, year_index
from cer_core.errors import InputError
from cer_core.io.hourly_csv import read_hourly_csv
from cer_core.paths import DataFileError, data_file

ATTRIBUTION = "ARERA (household profiles); RSE S.p.A., CACER_Simulator (non-residential)"
"""Credit for the embedded load profiles."""

POWER_CLASSES = ("0-1.5", "1.5-3", "3-4.5", "4.5-6", ">6")
"""ARERA domestic contractual-power classes [kW] (ids of the file's "0<P<=1.5" … "P>6")."""

POWER_CLASS_LABELS = {
    "0-1.5": "0 < P ≤ 1.5 kW",
    "1.5-3": "1.5 < P ≤ 3 kW",
    "3-4.5": "3 < P ≤ 4.5 kW",
    "4.5-6": "4.5 < P ≤ 6 kW",
    ">6": "P > 6 kW",
}
DEFAULT_POWER_CLASS = "1.5-3"
"""The class of the typical 3 kW household contract."""

NONRESIDENTIAL_KINDS = ("office", "shop", "school", "small_business", "condominium_services")

NONRESIDENTIAL_SOURCES = {
    "office": "RSE 'ufficio_comunale' — a municipal office: 06-21 on weekdays, reduced "
    "Saturday, base load at night and on Sundays; seasonal weekly factors.",
    "shop": "RSE 'COM_>6kw_feriale' — commercial customer > 6 kW open every day: morning, "
    "lunch and evening peaks (closer to a bar/food shop than to an office-hours shop).",
    "school": "RSE 'scuola_500_studenti' — school of 500 pupils: 07-15 on weekdays, closed at "
    "weekends, Christmas, Easter and summer holidays via the weekly factors.",
    "small_business": "RSE 'IND_micro_1turno_PIEM' — micro enterprise, one shift 08-17 on "
    "weekdays (survey in Piedmont, same north-western climate).",
    "condominium_services": "RSE 'utenza_condominiale_media' — common services of a "
    "medium condominium (stair lighting, lift, pumps): same shape every day, evening peak.",
}


@lru_cache(maxsize=1)
def _arera_table() -> np.ndarray:
    """kWh per [class, month-1, day type, hour] for Lombardy."""
    path = data_file("profiles", "arera_domestic_lombardia.csv")
    try:
        frame = pd.read_csv(path)
        table = np.full((len(POWER_CLASSES), 12, 3, 24), np.nan)
        c = frame["power_class"].map({k: i for i, k in enumerate(POWER_CLASSES)}).to_numpy()
        d = frame["day_type"].map({k: i for i, k in enumerate(("weekday", "saturday", "holiday"))})
        table[c, frame["month"].to_numpy() - 1, d.to_numpy(), frame["hour"].to_numpy()] = frame[
            "kwh"
        ].to_numpy()
    except (KeyError, ValueError, IndexError) as exc:
        raise DataFileError(path, f"unexpected content ({exc})") from exc
    if np.isnan(table).any():
        raise DataFileError(path, "incomplete table (class × month × day type × hour)")
    return table


@lru_cache(maxsize=8)
def _calendar_keys(year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Month-1, day-type index, hour and week-of-year index (0-52) of each local hour."""
    index = year_index(year)
    kinds = day_types(index)
    day_type = np.select([kinds == "weekday", kinds == "saturday"], [0, 1], 2)
    week = np.minimum((index.day_of_year.to_numpy() - 1) // 7, 52)
    return index.month.to_numpy() - 1, day_type, index.hour.to_numpy(), week


@lru_cache(maxsize=8)
def _bands(year: int) -> np.ndarray:
    bands = arera_bands(year_index(year))
    bands.flags.writeable = False
    return bands


@lru_cache(maxsize=64)
def _household_shape(power_class: str, year: int) -> np.ndarray:
    month, day_type, hour, _ = _calendar_keys(year)
    values = _arera_table()[POWER_CLASSES.index(power_class)][month, day_type, hour]
    shape = values / values.sum()
    shape.flags.writeable = False
    return shape


@lru_cache(maxsize=1)
def _rse_tables() -> tuple[dict, dict]:
    hourly_path = data_file("profiles", "rse_nondomestic_hourly.csv")
    weekly_path = data_file("profiles", "rse_nondomestic_weekly_factors.csv")
    day_order = ("weekday", "saturday", "holiday")
    try:
        hourly, weekly = pd.read_csv(hourly_path), pd.read_csv(weekly_path)
        days, weeks = {}, {}
        for kind in NONRESIDENTIAL_KINDS:
            rows = hourly[hourly["kind"] == kind].set_index(["day_type", "hour"])["kwh"]
            days[kind] = np.array([[rows[(d, h)] for h in range(24)] for d in day_order])
            factors = weekly[weekly["kind"] == kind].sort_values("week")
            weeks[kind] = factors[list(day_order)].to_numpy().T  # [day type, week]
            if weeks[kind].shape != (3, 53):
                raise ValueError(f"{kind}: {weeks[kind].shape[1]} weeks, need 53")
    except (KeyError, ValueError) as exc:
        raise DataFileError(hourly_path, f"unexpected content ({exc})") from exc
    return days, weeks


@lru_cache(maxsize=64)
def _nonresidential_shape(kind: str, year: int) -> np.ndarray:
    _, day_type, hour, week = _calendar_keys(year)
    days, weeks = _rse_tables()
    values = days[kind][day_type, hour] * weeks[kind][day_type, week]
    shape = values / values.sum()
    shape.flags.writeable = False
    return shape


def reshape_to_bands(profile_kwh: np.ndarray, year: int, f_bands_kwh) -> np.ndarray:
    """Rescale a profile so that its F1, F2 and F3 totals equal a bill's band kWh.

    Within each ARERA band the hourly shape is kept; the annual total becomes F1 + F2 + F3.

    Parameters
    ----------
    profile_kwh : numpy.ndarray
        Hourly energy on ``year_index(year)`` [kWh].
    year : int
        Settlement year (for the band calendar).
    f_bands_kwh : sequence of 3 float
        Annual F1, F2, F3 energy [kWh], each ≥ 0.

    Returns
    -------
    numpy.ndarray
        Hourly energy [kWh] whose band totals equal ``f_bands_kwh``.
    """
    try:
        targets = [float(v) for v in f_bands_kwh]
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        raise InputError("f_bands_kwh", "must be three numbers of kWh: F1, F2, F3") from None
    if len(targets) != 3:
        raise InputError("f_bands_kwh", f"must be three numbers (F1, F2, F3), not {len(targets)}")
    top = ANNUAL_KWH["nonresidential"]
    for name, value in zip(("F1", "F2", "F3"), targets, strict=True):
        if not np.isfinite(value) or not 0 <= value <= top.high:
            raise InputError(
                "f_bands_kwh", f"{name} must be from 0 to {top.high:,.0f} kWh, not {value}"
            )
    bands = _bands(year)
    out = np.array(profile_kwh, dtype=float)
    for band, target in zip((1, 2, 3), targets, strict=True):
        mask = bands == band
        total = out[mask].sum()
        out[mask] = out[mask] * (target / total) if total > 0 else target / mask.sum()
    return out


def household_profile_kwh(
    annual_kwh, power_class: str = DEFAULT_POWER_CLASS, year: int = 2023, f_bands_kwh=None
) -> np.ndarray:
    """Hourly withdrawal of a household from ARERA's Lombardy profile.

    Parameters
    ----------
    annual_kwh : float
        Annual consumption [kWh], more than 0 up to 100,000 (``bounds.ANNUAL_KWH``). Ignored when
        ``f_bands_kwh`` is given.
    power_class : str
        ARERA contractual-power class, one of :data:`POWER_CLASSES` [kW]; default "1.5-3".
    year : int
        Settlement year; the result is aligned on ``year_index(year)``.
    f_bands_kwh : sequence of 3 float, optional
        The bill's annual F1, F2, F3 energy [kWh]; the profile is reshaped so each band total
        matches and the annual total is their sum.

    Returns
    -------
    numpy.ndarray
        Energy per local hour [kWh], 8,760 values (8,784 in leap years).
    """
    if power_class not in POWER_CLASSES:
        raise InputError("power_class", f"must be one of {', '.join(POWER_CLASSES)} (kW)")
    year_index(year)
    shape = _household_shape(power_class, int(year))
    if f_bands_kwh is not None:
        return reshape_to_bands(shape, int(year), f_bands_kwh)
    return shape * ANNUAL_KWH["household"].check(annual_kwh)


def nonresidential_profile_kwh(kind: str, annual_kwh, year: int = 2023) -> np.ndarray:
    """Hourly withdrawal of a non-residential member from an RSE typical profile.

    Parameters
    ----------
    kind : str
        One of :data:`NONRESIDENTIAL_KINDS` (sources in :data:`NONRESIDENTIAL_SOURCES`).
    annual_kwh : float
        Annual consumption [kWh], more than 0 up to 10,000,000 (``bounds.ANNUAL_KWH``).
    year : int
        Settlement year; the result is aligned on ``year_index(year)``.

    Returns
    -------
    numpy.ndarray
        Energy per local hour [kWh].
    """
    if kind not in NONRESIDENTIAL_KINDS:
        raise InputError("kind", f"must be one of {', '.join(NONRESIDENTIAL_KINDS)}")
    year_index(year)
    return _nonresidential_shape(kind, int(year)) * ANNUAL_KWH["nonresidential"].check(annual_kwh)


def profile_kwh(kind_or_class: str, annual_kwh, year: int = 2023, f_bands_kwh=None) -> np.ndarray:
    """Hourly withdrawal for a household power class or a non-residential kind.

    Parameters
    ----------
    kind_or_class : str
        A household class of :data:`POWER_CLASSES` (or ``"household"`` for the default class),
        or a kind of :data:`NONRESIDENTIAL_KINDS`.
    annual_kwh : float
        Annual consumption [kWh].
    year : int
        Settlement year.
    f_bands_kwh : sequence of 3 float, optional
        Bill F1, F2, F3 energy [kWh]; reshapes the profile band by band (any kind).

    Returns
    -------
    numpy.ndarray
        Energy per local hour [kWh].
    """
    if kind_or_class == "household":
        kind_or_class = DEFAULT_POWER_CLASS
    if kind_or_class in POWER_CLASSES:
        return household_profile_kwh(annual_kwh, kind_or_class, year, f_bands_kwh)
    if kind_or_class in NONRESIDENTIAL_KINDS:
        if f_bands_kwh is not None:
            year_index(year)
            return reshape_to_bands(
                _nonresidential_shape(kind_or_class, int(year)), year, f_bands_kwh
            )
        return nonresidential_profile_kwh(kind_or_class, annual_kwh, year)
    allowed = ", ".join(("household", *POWER_CLASSES, *NONRESIDENTIAL_KINDS))
    raise InputError("profile", f"must be one of {allowed}, not {kind_or_class!r}")


def fit_to_year(values, year: int, field: str = "hourly series") -> np.ndarray:
    """Lay a year of hourly values on ``year_index(year)``.

    8,760 values onto a leap year repeat 28 February's 24 hours for 29 February; 8,784 values
    onto a common year drop 29 February (hours 1,416-1,439). Values are taken in local-hour order.

    Parameters
    ----------
    values : array_like
        8,760 or 8,784 hourly values.
    year : int
        Settlement year.
    field : str
        Input name for error messages.

    Returns
    -------
    numpy.ndarray
    """
    array = np.asarray(values, dtype=float)
    need = len(year_index(year))
    feb28, feb29 = slice(58 * 24, 59 * 24), slice(59 * 24, 60 * 24)  # 0-based days 58 and 59
    if len(array) == need:
        return array
    if len(array) == 8760 and need == 8784:
        return np.concatenate([array[: feb28.stop], array[feb28], array[feb28.stop :]])
    if len(array) == 8784 and need == 8760:
        return np.delete(array, np.arange(feb29.start, feb29.stop))
    raise InputError(field, f"has {len(array):,} values; {year} needs {need:,}")


def hourly_from_csv(path_or_buffer, field: str = "hourly_csv", year: int | None = None):
    """Read a member's own hourly withdrawal (or production) series from CSV.

    Parameters
    ----------
    path_or_buffer : str, pathlib.Path, bytes or file-like
        CSV with 8,760 (or 8,784) values [kWh], one per line, with or without a header and a
        timestamp column (see :mod:`cer_core.io.hourly_csv`).
    field : str
        Input name used in error messages.
    year : int, optional
        Settlement year. A timestamp column must cover exactly its local hours (23- and 25-hour
        days included); a series without timestamps is laid on ``year_index(year)`` with
        :func:`fit_to_year`.

    Returns
    -------
    numpy.ndarray
        Hourly energy [kWh].

    Raises
    ------
    InputError
        Wrong length (e.g. 8,759 rows), NaN, text or negative values, or timestamps that are not
        the hours of ``year``; names ``field``.
    """
    values = read_hourly_csv(
        path_or_buffer, field, low=HOURLY_KWH.low, high=HOURLY_KWH.high, unit="kWh", year=year
    )
    return values if year is None else fit_to_year(values, year, field)
