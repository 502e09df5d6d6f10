"""CSV tables uploaded by staff: all-or-nothing reading, every bad row reported at once.

A table is read whole or refused whole: :class:`TableError` lists each problem with the file's
line number (the header is line 1) and the column, so a page can show them next to the rows and
the command line can print them. Comma- or semicolon-separated files are accepted (Italian
spreadsheets export ``;`` with a decimal comma). Lines whose first cell starts with ``#`` are
comments (the illustrative example carries its label that way).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cer_core.errors import InputError

MAX_BYTES = 5_000_000
"""Largest accepted file [bytes]."""
MAX_ROWS = 5_000
"""Largest accepted number of data rows."""


@dataclass(frozen=True)
class RowProblem:
    """One problem in a table.

    Attributes
    ----------
    line : int or None
        Line of the file (header = 1); None for a problem with the whole file.
    column : str
        Column name ("" for the whole row or file).
    message : str
        What is wrong and what is allowed (English, for the command line and the logs).
    code : str
        Machine code, the page's translation key ``engine.error.<code>``: ``columns_missing``,
        ``columns_unknown``, ``column_twice``, ``not_csv``, ``too_many_cells``, ``empty``,
        ``no_rows``, ``too_big``, ``too_many_rows``, ``encoding``, ``range``, ``choice``,
        ``unknown_area``, ``duplicate``, ``missing``, ``kwp_or_area``, ``area_too_large``,
        ``unknown_pod``, ``area_mismatch`` (and the codes of the engine's validators).
    values : dict
        The values the code's message needs (e.g. ``low``, ``high``, ``unit`` for ``range``).
    """

    line: int | None
    column: str
    message: str
    code: str = "range"
    values: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class TableError(InputError):
    """A table refused whole; ``problems`` lists every problem found (at most 200)."""

    def __init__(self, table: str, problems: Iterable[RowProblem]):
        self.problems = tuple(problems)[:200]
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = len(self.problems) - 5
        suffix = f"; … and {more} more" if more > 0 else ""
        super().__init__(
            table,
            f"{len(self.problems)} problem(s), nothing imported: {shown}{suffix}",
            "table",
            count=len(self.problems),
        )


def _text(source, table: str) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 (old Excel exports)."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            problem = f"cannot read {source!s} ({exc.strerror or exc})"
            raise TableError(
                table, [RowProblem(None, "", problem, "encoding", {"path": str(source)})]
            ) from None
    elif isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str):
        data = source.encode("utf-8")
    else:
        data = source.read()
        data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(data) > MAX_BYTES:
        problem = f"larger than {MAX_BYTES:,} bytes"
        limit = {"limit_mb": MAX_BYTES / 1e6}
        raise TableError(table, [RowProblem(None, "", problem, "too_big", limit)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _is_data(cells: list[str]) -> bool:
    """Not blank and not a comment (first cell starting with ``#``, e.g. a label line)."""
    return any(c.strip() for c in cells) and not cells[0].lstrip().startswith("#")


def read_rows(
    source, table: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[list[tuple[int, dict[str, str]]], str]:
    """Rows of a CSV as ``(line, {column: text})`` and the decimal separator.

    Parameters
    ----------
    source : path, bytes, text or file-like
        The CSV (header row first).
    table : str
        Name of the table for messages (e.g. ``"roofs"``).
    required, optional : tuple of str
        Column names; any other column, or a missing required one, refuses the file.

    Returns
    -------
    rows : list of (int, dict)
        Non-blank data rows with their file line; values stripped, missing cells ``""``.
    decimal : str
        ``","`` for a semicolon-separated file, else ``"."``.

    Raises
    ------
    TableError
        Wrong or missing columns, no data rows, more than :data:`MAX_ROWS` rows.
    """
    text = _text(source, table)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        all_rows = list(reader)
    except csv.Error as exc:
        raise TableError(
            table, [RowProblem(None, "", f"not a CSV file ({exc})", "not_csv")]
        ) from None
    header_index = next((i for i, r in enumerate(all_rows) if _is_data(r)), None)
    if header_index is None:
        raise TableError(table, [RowProblem(None, "", "the file is empty", "empty")])
    header = [c.strip().lower() for c in all_rows[header_index]]
    problems = []
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c and c not in required and c not in optional]
    allowed = ", ".join((*required, *optional))
    if missing:
        problems.append(
            RowProblem(
                1,
                "",
                f"missing column(s) {', '.join(missing)}; expected {allowed}",
                "columns_missing",
                {"columns": ", ".join(missing), "expected": allowed},
            )
        )
    if unknown:
        problems.append(
            RowProblem(
                1,
                "",
                f"unknown column(s) {', '.join(unknown)}; expected {allowed}",
                "columns_unknown",
                {"columns": ", ".join(unknown), "expected": allowed},
            )
        )
    if len(set(header)) != len(header):
        problems.append(RowProblem(1, "", "a column name appears twice", "column_twice"))
    if problems:
        raise TableError(table, problems)
    rows = []
    for offset, cells in enumerate(all_rows[header_index + 1 :], start=header_index + 2):
        if not _is_data(cells):
            continue
        if len(cells) > len(header):
            problems.append(
                RowProblem(
                    offset,
                    "",
                    f"{len(cells)} cells, header has {len(header)}",
                    "too_many_cells",
                    {"cells": len(cells), "header_cells": len(header)},
                )
            )
            continue
        padded = cells + [""] * (len(header) - len(cells))
        rows.append((offset, {h: v.strip() for h, v in zip(header, padded, strict=True)}))
    if problems:
        raise TableError(table, problems)
    if not rows:
        raise TableError(table, [RowProblem(None, "", "no data rows under the header", "no_rows")])
    if len(rows) > MAX_ROWS:
        raise TableError(
            table,
            [
                RowProblem(
                    None, "", f"more than {MAX_ROWS:,} rows", "too_many_rows", {"limit": MAX_ROWS}
                )
            ],
        )
    return rows, ("," if delimiter == ";" else ".")


def cell_number(
    problems: list[RowProblem],
    line: int,
    column: str,
    text: str,
    check: Callable[[str, float], float],
    decimal: str = ".",
    required: bool = True,
) -> float | None:
    """Parse a number cell with ``check(column, value)`` (an engine validator), recording a
    :class:`RowProblem` instead of raising; returns None when blank (recorded if required)."""
    if text == "":
        if required:
            problems.append(RowProblem(line, column, "is empty; a number is needed", "missing"))
        return None
    raw = text.replace(" ", "")
    if decimal == ",":
        raw = raw.replace(".", "").replace(",", ".") if "," in raw else raw
    try:
        return check(column, raw)
    except InputError as err:
        problems.append(RowProblem(line, column, err.message, err.code or "range", err.values))
        return None
