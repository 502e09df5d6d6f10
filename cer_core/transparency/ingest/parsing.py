"""From a file's bytes to one raw text table per template: CSV (``,`` or ``;``) or XLSX (one sheet
per template), headers normalised, each table recognised by its columns. Nothing is typed or
checked here beyond the file's shape (:mod:`~cer_core.transparency.ingest.validation` does that)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

from cer_core.transparency.ingest.decoding import (
    XlsxDtdError,
    XlsxTooLargeError,
    check_xlsx_archive,
    check_xlsx_xml,
    decode,
    is_xlsx,
)
from cer_core.transparency.ingest.report import ImportReport, RowError, first_line
from cer_core.transparency.models import TEMPLATES

#: Most data rows accepted in one file (all sheets together).
MAX_ROWS = 50_000


def _normalise_header(name: object) -> str:
    return str(name).strip().strip("\ufeff").strip().lower()


def _read_csv(text: str) -> pd.DataFrame:
    first_row = text.split("\n", 1)[0]
    delimiter = ";" if first_row.count(";") > first_row.count(",") else ","
    frame = pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=True,
        quoting=csv.QUOTE_MINIMAL,
    )
    frame.attrs["delimiter"] = delimiter
    return frame


def _read_xlsx(data: bytes) -> dict[str, pd.DataFrame]:
    check_xlsx_archive(data)
    check_xlsx_xml(data)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, engine="openpyxl")
    return {name: frame.fillna("") for name, frame in sheets.items()}


def match_template(columns: list[str]) -> tuple[str | None, str]:
    """Which template has exactly these columns; else ``(None, explanation)``."""
    given = set(columns)
    best, best_score = None, -1.0
    for name, fields in TEMPLATES.items():
        required = {f.name for f in fields if f.required or f.key}
        allowed = {f.name for f in fields}
        if required <= given <= allowed:
            return name, ""
        score = len(given & allowed) / len(given | allowed)
        if score > best_score:
            best, best_score = name, score
    fields = TEMPLATES[best]
    missing = sorted({f.name for f in fields if f.required or f.key} - given)
    unexpected = sorted(given - {f.name for f in fields})
    return None, (
        f"the columns match no template; closest is '{best}' — missing: "
        f"{', '.join(missing) or 'none'}; unexpected: {', '.join(unexpected) or 'none'}"
    )


def read_sheets(
    data: bytes, file_name: str, report: ImportReport
) -> dict[str, pd.DataFrame] | None:
    """Split the file into template → raw text table; file-level problems go to ``report``."""
    workbook = is_xlsx(data, file_name)
    try:
        if workbook:
            report.encoding = "xlsx"
            raw_sheets = _read_xlsx(data)
        else:
            text, report.encoding = decode(data)
            raw_sheets = {Path(file_name).stem: _read_csv(text)}
    except XlsxTooLargeError as exc:
        report.errors.append(RowError("", None, "", f"file refused, possible zip bomb: {exc}"))
        return None
    except XlsxDtdError as exc:
        report.errors.append(RowError("", None, "", f"file refused: {exc}"))
        return None
    except (ValueError, pd.errors.ParserError, zipfile.BadZipFile, OSError, KeyError) as exc:
        report.errors.append(RowError("", None, "", f"cannot read the file: {first_line(exc)}"))
        return None
    except Exception as exc:  # noqa: BLE001 - a parser's surprise is a bad file, never a crash
        report.errors.append(
            RowError(
                "", None, "", f"cannot read the file ({type(exc).__name__}): {first_line(exc)}"
            )
        )
        return None
    sheets: dict[str, pd.DataFrame] = {}
    for sheet_name, frame in raw_sheets.items():
        frame.columns = [_normalise_header(c) for c in frame.columns]
        frame = frame.loc[:, [c for c in frame.columns if c and not c.startswith("unnamed:")]]
        template, why = match_template(list(frame.columns))
        if template is None:
            if workbook and str(sheet_name).lower() not in TEMPLATES and frame.empty:
                continue  # an empty extra sheet (e.g. a README) is fine
            report.errors.append(RowError(str(sheet_name), None, "", why))
            continue
        if template in sheets:
            report.errors.append(
                RowError(template, None, "", "the template appears in more than one sheet")
            )
            continue
        sheets[template] = frame
    if not sheets and not report.errors:
        report.errors.append(RowError("", None, "", "the file holds no template"))
    if sheets and all(frame.empty for frame in sheets.values()):
        report.errors.append(RowError("", None, "", "the file has a header but no data rows"))
    sheets = {name: frame for name, frame in sheets.items() if not frame.empty}
    if sum(len(f) for f in sheets.values()) > MAX_ROWS:
        report.errors.append(RowError("", None, "", f"more than {MAX_ROWS:,} rows"))
    return sheets
