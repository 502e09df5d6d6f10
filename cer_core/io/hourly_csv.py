"""Read a user's hourly series (one year) from a CSV file.

Accepted: one value per line, 8,760 lines (8,784 in a leap year), optionally a header line and
optionally a first column with a timestamp. Separators ``,`` ``;`` or tab; with ``;`` or tab a
decimal comma is accepted (Italian spreadsheets).

Timestamps (docs/rules.md §2.5). When the first cell of the first data row is a date and time,
the first column is read as the **start** of each hour and honoured (:mod:`cer_core.timestamps`):
with a UTC offset or ``Z`` (``2025-03-30T03:00+02:00``) it names the instant; without one it is
Italian local time (``Europe/Rome``), where the last Sunday of March has 23 hours (no 02:00) and
the last Sunday of October 25 (02:00 twice, in file order). The hours must be exactly those of one
calendar year — the settlement year when one is given — each once: a file on winter time all year
without offsets, a missing or repeated hour, or another year is refused with the line to fix. The
values are returned on :func:`cer_core.calendar.year_index`, whatever the order of the rows.
Without a timestamp column (or with a first column that is not a date, e.g. ``1..8760``) the
values are taken in file order, as the local hours of the year.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from cer_core.errors import InputError
from cer_core.timestamps import align_on_year, looks_like_timestamp

HOURLY_LENGTHS = (8760, 8784)
_LENGTH_HELP = "an hourly year needs 8,760 values (8,784 in a leap year), one per line"
#: Largest CSV read [bytes]. An hourly year with timestamps is about 0.4 MB; the size is checked
#: before reading, so a huge file never reaches memory.
MAX_CSV_BYTES = 10_000_000
#: Longest line accepted [characters] (a timestamp and a value take about 40).
MAX_LINE_CHARS = 1_000


def _too_big(field: str, size: int) -> InputError:
    return InputError(
        field,
        f"the file is {size / 1e6:,.1f} MB; the limit is {MAX_CSV_BYTES / 1e6:.0f} MB "
        f"({_LENGTH_HELP})",
        "csv_too_big",
        size_mb=round(size / 1e6, 1),
        limit_mb=round(MAX_CSV_BYTES / 1e6),
    )


def _text(source, field: str = "file") -> str:
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > MAX_CSV_BYTES:
                raise _too_big(field, size)
            with path.open("rb") as handle:
                raw = handle.read(MAX_CSV_BYTES + 1)
        except OSError as exc:
            raise InputError(
                field,
                f"cannot read {path}: {exc.strerror or exc}",
                "csv_unreadable",
                path=str(path),
            ) from None
    elif hasattr(source, "read"):
        raw = source.read(MAX_CSV_BYTES + 1)
    else:
        raw = source
    if isinstance(raw, bytes | bytearray | str) and len(raw) > MAX_CSV_BYTES:
        raise _too_big(field, len(raw))
    if isinstance(raw, bytes | bytearray):
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("latin-1")
    return str(raw)


def _number(cell: str, decimal_comma: bool) -> float:
    text = cell.strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".") if "," in text else text
    return float(text)


def read_hourly_csv(
    source,
    field: str,
    *,
    low: float = 0.0,
    high: float = math.inf,
    unit: str = "",
    year: int | None = None,
) -> np.ndarray:
    """Parse one year of hourly values from CSV text.

    Parameters
    ----------
    source : str, pathlib.Path, bytes or file-like
        Path or open buffer (text or binary) of the CSV.
    field : str
        Name of the input, used in error messages (e.g. ``"withdrawal_csv"``).
    low, high : float
        Allowed range of every value (in the series' unit).
    unit : str
        Unit of the values for messages, e.g. ``"kWh"``.
    year : int, optional
        Settlement year: a timestamp column must cover exactly its local hours. Without it, the
        year of the first timestamp.

    Returns
    -------
    numpy.ndarray
        8,760 or 8,784 floats: on ``year_index(year)`` when the file has timestamps, else in
        file order.

    Raises
    ------
    InputError
        Wrong number of values, an empty or non-numeric cell, NaN, a value out of range, or
        timestamps that are not the hours of the (settlement) year; the message names ``field``
        and, when it applies, the line. ``code`` (``csv_*``) and ``values`` name the problem
        for a translation (:data:`cer_core.timestamps.CODES` for calendar errors).
    """
    text = _text(source, field)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError(field, f"the file is empty; {_LENGTH_HELP}", "csv_empty")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(
                field,
                f"line {number} has {len(line):,} characters; the limit is {MAX_LINE_CHARS:,} "
                "(one timestamp and one value per line)",
                "csv_line_too_long",
                line=number,
                chars=len(line),
                limit=MAX_LINE_CHARS,
            )
    if len(lines) > max(HOURLY_LENGTHS) + 1:
        raise InputError(
            field,
            f"has {len(lines):,} lines; {_LENGTH_HELP}",
            "csv_too_many_lines",
            lines=len(lines),
        )
    sample = "\n".join(lines[:20])
    delimiter = ";" if sample.count(";") else "\t" if sample.count("\t") else ","
    decimal_comma = delimiter != ","
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(field, f"is not a readable CSV ({exc})", "csv_not_csv") from None
    start = 0
    try:
        _number(rows[0][-1], decimal_comma)
    except (ValueError, IndexError):
        start = 1  # a header line
    values = np.empty(len(rows) - start)
    first_cells = [c for c in rows[start] if c.strip()] if len(rows) > start else []
    stamped = len(first_cells) >= 2 and looks_like_timestamp(first_cells[0])
    stamps: list[str] = []
    for position, row in enumerate(rows[start:]):
        line = position + start + 1
        cells = [c for c in row if c.strip()]
        if not cells:
            raise InputError(field, f"line {line} has no value", "csv_no_value", line=line)
        try:
            value = _number(cells[-1], decimal_comma)
        except ValueError:
            raise InputError(
                field,
                f"line {line}: {cells[-1].strip()[:30]!r} is not a number",
                "csv_not_number",
                line=line,
                text=cells[-1].strip()[:30],
            ) from None
        if not math.isfinite(value):
            raise InputError(
                field,
                f"line {line}: {cells[-1].strip()!r} is not a finite number",
                "csv_not_finite",
                line=line,
                text=cells[-1].strip()[:30],
            )
        if not low <= value <= high:
            raise InputError(
                field,
                f"line {line}: {value:g} {unit} is outside the allowed {low:g} to {high:g}",
                "csv_value_range",
                line=line,
                value=value,
                unit=unit,
                low=low,
                high=high,
            )
        values[position] = value
        if stamped:
            if len(cells) < 2:
                raise InputError(
                    field,
                    f"line {line} has no timestamp (the first lines have one)",
                    "csv_no_timestamp",
                    line=line,
                )
            stamps.append(cells[0].strip())
    if stamped:
        return align_on_year(stamps, values, field, year, first_line=start + 1)
    if len(values) not in HOURLY_LENGTHS:
        raise InputError(
            field, f"has {len(values):,} values; {_LENGTH_HELP}", "csv_length", count=len(values)
        )
    return values


def to_csv_text(values: np.ndarray, header: str = "value") -> str:
    """One value per line with a header (the inverse of :func:`read_hourly_csv`)."""
    buffer = io.StringIO()
    buffer.write(header + "\n")
    np.savetxt(buffer, np.asarray(values, dtype=float), fmt="%.6g")
    return buffer.getvalue()
