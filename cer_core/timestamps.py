"""Timestamps of a user's hourly file, laid on the settlement calendar (docs/rules.md §2.5).

The engine's hours are the local hours of the settlement year (:func:`cer_core.calendar.year_index`,
``Europe/Rome``): 23 on the last Sunday of March, 25 on the last Sunday of October. A measured
load read "in file order" is an hour off for seven months if the file was written on winter time
all year, and a day off if it is another year's calendar; so a timestamp column, when present, is
read and checked here rather than ignored.

Accepted forms of one timestamp (the start of the hour):

* ISO 8601 with an offset or ``Z`` — ``2025-07-01T12:00:00+02:00``, ``2025-07-01 10:00Z``: the
  instant is exact, any offset is fine (UTC, winter time all year, or local);
* ISO 8601 or Italian ``DD/MM/YYYY HH:MM`` without an offset — Italian local time: 02:00 does not
  exist on the March day, and appears twice on the October day (first summer, then winter time,
  in file order).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cer_core.calendar import TIMEZONE, year_index
from cer_core.errors import InputError

CODES = (
    "csv_mixed_offsets",
    "csv_bad_timestamp",
    "csv_dst_missing_hour",
    "csv_dst_ambiguous_hour",
    "csv_not_hour_start",
    "csv_wrong_year",
    "csv_outside_year",
    "csv_hour_end_stamps",
    "csv_repeated_hour",
    "csv_missing_hours",
)
"""``InputError.code`` of each calendar refusal; its ``values`` fill the page's translation
(``engine.error.<code>``), the English message stays for the command line."""

_OFFSET = re.compile(r"(Z|[+-]\d{2}(:?\d{2})?)$", re.IGNORECASE)
_ITALIAN = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}[ T]\d{1,2}:\d{2}(:\d{2})?$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}")


def looks_like_timestamp(cell: str) -> bool:
    """Whether a CSV cell is a date and time this module reads (``2025-01-01 00:00``, …).

    Hours and minutes are required: a label such as ``2025-01-01 7`` is not read as a time."""
    text = cell.strip()
    return bool(_ISO.match(text) or _ITALIAN.match(text))


def _refuse(field: str, message: str, code: str, **values) -> InputError:
    return InputError(field, message, code, **values)


def _parse(stamps: list[str], field: str, first_line: int) -> pd.DatetimeIndex:
    """Timestamps as instants in ``Europe/Rome`` (raises naming the first bad line)."""
    aware = np.array([bool(_OFFSET.search(s)) and not _ITALIAN.match(s) for s in stamps])
    if aware.any() and not aware.all():
        line = first_line + int(np.argmin(aware) if aware[0] else np.argmax(aware))
        raise _refuse(
            field,
            f"line {line}: some timestamps carry a UTC offset and some do not; write all of them "
            "with the offset (e.g. 2025-07-01T12:00+02:00) or none (Italian local time)",
            "csv_mixed_offsets",
            line=line,
        )
    text = pd.Series(stamps, dtype=object)
    italian = text.str.match(_ITALIAN.pattern)
    try:
        if aware.all():
            parsed = pd.to_datetime(text, format="ISO8601", utc=True)
        elif italian.all():
            parsed = pd.to_datetime(text, format="%d/%m/%Y %H:%M", errors="coerce")
            if parsed.isna().any():
                parsed = pd.to_datetime(text, format="%d/%m/%Y %H:%M:%S")
        else:
            parsed = pd.to_datetime(text, format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        bad = _first_unreadable(stamps)
        raise _refuse(
            field,
            f"line {first_line + bad}: {stamps[bad][:40]!r} is not a date and time "
            "(use 2025-01-01 00:00, 2025-01-01T00:00+01:00 or 01/01/2025 00:00, all alike)",
            "csv_bad_timestamp",
            line=first_line + bad,
            text=stamps[bad][:40],
        ) from None
    index = pd.DatetimeIndex(parsed)
    if aware.all():
        return index.tz_convert(TIMEZONE)
    return _localise(index, field, first_line)


def _first_unreadable(stamps: list[str]) -> int:
    for position, stamp in enumerate(stamps):
        try:
            pd.Timestamp(stamp)
        except (ValueError, TypeError, OverflowError):
            return position
    return 0


def _localise(naive: pd.DatetimeIndex, field: str, first_line: int) -> pd.DatetimeIndex:
    """Naive wall-clock hours read as Italian local time, checking the two DST days."""
    localised = naive.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    missing = np.flatnonzero(localised.isna())
    if missing.size == 0:
        return localised
    first = naive[missing[0]]
    line = first_line + int(missing[0])
    if first.hour == 2 and first.month == 3:
        raise _refuse(
            field,
            f"line {line}: {first:%d/%m/%Y} 02:00 does not exist in Italian time (clocks go "
            "from 02:00 to 03:00 on the last Sunday of March): if the file is on winter time all "
            "year, write the offset in every timestamp (e.g. 2025-07-01T12:00+01:00)",
            "csv_dst_missing_hour",
            line=line,
            date=first.date().isoformat(),
        )
    try:
        return naive.tz_localize(TIMEZONE, ambiguous="infer")
    except ValueError:
        raise _refuse(
            field,
            f"line {line}: {first:%d/%m/%Y} 02:00 is ambiguous: the last Sunday of October has "
            "25 hours in Italian time, so 02:00 must appear twice (summer time, then winter "
            "time); if the file is on winter time all year, write the offset in every timestamp "
            "(e.g. 2025-07-01T12:00+01:00)",
            "csv_dst_ambiguous_hour",
            line=line,
            date=first.date().isoformat(),
        ) from None


def align_on_year(
    stamps: list[str], values: np.ndarray, field: str, year: int | None, first_line: int = 1
) -> np.ndarray:
    """Lay values given with their timestamps on the local hours of one year.

    Parameters
    ----------
    stamps : list of str
        Start of each hour, one per value (forms in the module docstring).
    values : numpy.ndarray, shape (n,)
        The values, in file order (any unit).
    field : str
        Input name for messages.
    year : int or None
        Settlement year the hours must cover; ``None`` = the local year of the first timestamp.
    first_line : int
        File line of ``stamps[0]`` (for messages).

    Returns
    -------
    numpy.ndarray
        ``len(year_index(year))`` values in the order of :func:`cer_core.calendar.year_index`.

    Raises
    ------
    InputError
        (a code of :data:`CODES`, with the line, hour and year as values) an unreadable timestamp, a local time that does not exist or
        is ambiguous, an hour outside the year, an hour given twice, or hours missing; the message
        names the first offending line or hour.
    """
    hours = _parse(stamps, field, first_line)
    expected_year = int(hours[0].year) if year is None else int(year)
    expected = year_index(expected_year)
    position = expected.get_indexer(hours)
    outside = np.flatnonzero(position < 0)
    if outside.size:
        bad = int(outside[0])
        stamp = hours[bad]
        if stamp.minute or stamp.second:
            code, reason = (
                "csv_not_hour_start",
                "is not the start of an hour (the file must be hourly)",
            )
        elif stamp.year != expected_year and outside.size == len(hours):
            code, reason = (
                "csv_wrong_year",
                (
                    f"is in {stamp.year}, but the settlement year is {expected_year}: use a file of "
                    f"{expected_year}, or remove the timestamp column to lay the values on "
                    f"{expected_year} in file order"
                ),
            )
        else:
            code, reason = "csv_outside_year", f"is outside {expected_year}"
        end_of_hour = bool(stamp == expected[-1] + pd.Timedelta(hours=1))
        hint = " (if the times mark the end of each hour, subtract one hour)" if end_of_hour else ""
        if end_of_hour and code == "csv_outside_year":
            code = "csv_hour_end_stamps"
        raise _refuse(
            field,
            f"line {first_line + bad}: {stamps[bad][:40]!r} ({stamp:%Y-%m-%d %H:%M %z}) "
            f"{reason}{hint}",
            code,
            line=first_line + bad,
            text=stamps[bad][:40],
            file_year=int(stamp.year),
            year=expected_year,
        )
    seen = np.zeros(len(expected), dtype=np.int64) - 1
    for row, slot in enumerate(position):
        if seen[slot] >= 0:
            raise _refuse(
                field,
                f"line {first_line + row}: the hour {hours[row]:%Y-%m-%d %H:%M %z} is already on "
                f"line {first_line + int(seen[slot])}",
                "csv_repeated_hour",
                line=first_line + row,
                hour=f"{hours[row]:%Y-%m-%d %H:%M %z}",
                first_line=first_line + int(seen[slot]),
            )
        seen[slot] = row
    absent = np.flatnonzero(seen < 0)
    if absent.size:
        first = expected[int(absent[0])]
        raise _refuse(
            field,
            f"{absent.size:,} hour(s) of {expected_year} missing, the first "
            f"{first:%Y-%m-%d %H:%M %z}; {expected_year} has {len(expected):,} local hours "
            "(23 on the last Sunday of March, 25 on the last Sunday of October)",
            "csv_missing_hours",
            count=int(absent.size),
            hour=f"{first:%Y-%m-%d %H:%M %z}",
            year=expected_year,
            hours=len(expected),
        )
    out = np.empty(len(expected))
    out[position] = values
    return out
