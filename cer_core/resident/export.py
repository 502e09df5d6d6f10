"""CSV downloads of the estimate, safe to open in a spreadsheet: for programs and for Italian
spreadsheets.

* For programs (:func:`hourly_csv`, :func:`yearly_csv`): ``,``, decimal point, ISO timestamps with
  their UTC offset, the column names of :data:`cer_core.resident.tables.UNITS`.
* For Italian spreadsheets (:func:`hourly_italian_csv`, :func:`yearly_italian_csv`): ``;``,
  decimal comma, UTF-8 with BOM, Italian headers (given by the caller), the hour written
  ``gg/mm/aaaa hh:mm`` with the UTC offset in a column of its own (so the autumn hour that repeats
  is still told apart), through :func:`cer_core.spreadsheet.italian_csv`; with the data
  dictionary (:func:`dictionary_italian_csv`).

Both come from the same frames (:mod:`cer_core.resident.tables`), so they hold the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cer_core.resident.estimation import ResidentEstimate
from cer_core.resident.tables import (
    LOCAL_TIME,
    UTC_OFFSET,
    dictionary_rows,
    hourly_table,
    yearly_table,
)

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
    return to_csv(hourly_table(est).set_index("hour"))


def yearly_csv(est: ResidentEstimate) -> str:
    """Yearly CSV: cash flows of my plant, or the year-1 totals for a consumer."""
    return to_csv(yearly_table(est).set_index("year"))


def _utc_offset(ts: pd.Timestamp) -> str:
    """``UTC+01:00``: a bare ``+01:00`` would read as a formula in a spreadsheet."""
    raw = ts.strftime("%z")  # "+0100"
    return f"UTC{raw[:3]}:{raw[3:]}"


def hourly_italian_csv(est: ResidentEstimate, headers: Mapping[str, str]) -> bytes:
    """The hourly table for Italian spreadsheets (``headers``: machine column → Italian header,
    including :data:`LOCAL_TIME` and :data:`UTC_OFFSET`)."""
    frame = hourly_table(est).drop(columns="hour")
    index = est.hourly.index
    frame.insert(0, LOCAL_TIME, index.strftime("%d/%m/%Y %H:%M"))
    frame.insert(1, UTC_OFFSET, [_utc_offset(ts) for ts in index])
    from cer_core.spreadsheet import italian_csv  # not at import: it loads the SQL store

    return italian_csv(frame, headers)


def yearly_italian_csv(est: ResidentEstimate, headers: Mapping[str, str]) -> bytes:
    """The yearly table for Italian spreadsheets (``headers``: machine column → Italian header)."""
    from cer_core.spreadsheet import italian_csv

    return italian_csv(yearly_table(est), headers)


def dictionary_italian_csv(
    headers: Mapping[str, str],
    descriptions: Mapping[str, str],
    field_titles: Mapping[str, str],
) -> bytes:
    """The data dictionary of the calculator's tables as an Italian-spreadsheet CSV.

    ``field_titles`` gives the titles of its four columns (``label``, ``column``, ``unit``,
    ``description``).
    """
    from cer_core.spreadsheet import dictionary_csv

    return dictionary_csv(dictionary_rows(headers, descriptions), field_titles)
