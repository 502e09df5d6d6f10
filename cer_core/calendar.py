"""The settlement calendar: local hours of a year, ARERA day types and F1/F2/F3 bands.

Time convention of the whole engine
-----------------------------------
Every hourly array in ``cer_core`` is a plain ``numpy`` float array aligned on
:func:`year_index`: the real local hours (``Europe/Rome``) of the settlement year, from
1 January 00:00 to 31 December 23:00 local time. That is 8,760 hours (8,784 in leap years); the
last Sunday of March has 23 hours and the last Sunday of October 25, exactly as the meters and
GSE see them. Weather comes in UTC and is converted once (:mod:`cer_core.pv`); market prices carry
their UTC start and are aligned on the same index (:mod:`cer_core.prices`).
"""

from __future__ import annotations

from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from cer_core.errors import InputError

TIMEZONE = "Europe/Rome"
MIN_YEAR, MAX_YEAR = 2000, 2100

DAY_TYPES = ("weekday", "saturday", "holiday")
"""ARERA day types: Mon-Fri, Saturday, Sunday or national holiday ("Domenica/festivo")."""


def _check_year(year: int) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise InputError(
            "year", f"must be a whole year {MIN_YEAR}-{MAX_YEAR}, not {year!r}"
        ) from None
    if value != year or not MIN_YEAR <= value <= MAX_YEAR:
        raise InputError("year", f"must be a whole year {MIN_YEAR}-{MAX_YEAR}, not {year!r}")
    return value


@lru_cache(maxsize=16)
def _year_index(year: int) -> pd.DatetimeIndex:
    return pd.date_range(
        f"{year}-01-01", f"{year + 1}-01-01", freq="h", tz=TIMEZONE, inclusive="left"
    )


def year_index(year: int) -> pd.DatetimeIndex:
    """Local hours of a settlement year.

    Parameters
    ----------
    year : int
        Calendar year (2000-2100).

    Returns
    -------
    pandas.DatetimeIndex
        Hour starts in ``Europe/Rome``, 8,760 entries (8,784 in leap years); the March DST day
        has 23 entries and the October one 25.
    """
    return _year_index(_check_year(year))


def italian_holidays(years) -> set:
    """Italian national public holidays (``holidays`` package, no regional patron saints).

    Parameters
    ----------
    years : iterable of int
        Calendar years.

    Returns
    -------
    set of datetime.date
    """
    return set(holidays.Italy(years=list(years)).keys())


@lru_cache(maxsize=32)
def _day_types_cached(days: tuple) -> np.ndarray:
    dates = pd.DatetimeIndex(np.array(days, dtype="datetime64[D]"))
    festive = italian_holidays(sorted(set(dates.year)))
    is_holiday = np.array([d in festive for d in dates.date]) | (dates.day_of_week == 6)
    out = np.where(dates.day_of_week == 5, "saturday", "weekday").astype(object)
    out[is_holiday] = "holiday"
    return out


def _local(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    if index.tz is None:
        return index
    return index.tz_convert(TIMEZONE)


def day_types(index: pd.DatetimeIndex) -> np.ndarray:
    """ARERA day type of each local hour.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hours (tz-aware are converted to ``Europe/Rome``; naive are taken as local).

    Returns
    -------
    numpy.ndarray of str
        ``"weekday"`` (Mon-Fri), ``"saturday"``, or ``"holiday"`` (Sundays and Italian national
        holidays, e.g. 25 April and Easter Monday). A holiday on a Saturday is ``"holiday"``.
    """
    local = _local(pd.DatetimeIndex(index))
    days = local.normalize().tz_localize(None) if local.tz is not None else local.normalize()
    unique, inverse = np.unique(days.values.astype("datetime64[D]"), return_inverse=True)
    per_day = _day_types_cached(tuple(unique.tolist()))
    return per_day[inverse].astype(str)


def arera_bands(index: pd.DatetimeIndex) -> np.ndarray:
    """ARERA time band (fascia) of each local hour: 1 = F1, 2 = F2, 3 = F3.

    F1: Mon-Fri 08-19 (not holidays); F2: Mon-Fri 07-08 and 19-23, Saturday 07-23;
    F3: Mon-Sat 00-07 and 23-24, Sundays and national holidays all day (ARERA del. 181/06,
    docs/rules.md §7.3).

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hours (tz-aware are converted to ``Europe/Rome``; naive are taken as local).

    Returns
    -------
    numpy.ndarray of int
        Band number 1, 2 or 3 per hour.
    """
    local = _local(pd.DatetimeIndex(index))
    hour = np.asarray(local.hour)
    kind = day_types(local)
    bands = np.full(len(local), 3, dtype=int)
    weekday = kind == "weekday"
    saturday = kind == "saturday"
    bands[weekday & (hour >= 8) & (hour < 19)] = 1
    bands[weekday & (((hour >= 7) & (hour < 8)) | ((hour >= 19) & (hour < 23)))] = 2
    bands[saturday & (hour >= 7) & (hour < 23)] = 2
    return bands
