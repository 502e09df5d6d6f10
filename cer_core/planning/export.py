"""Exports of the Pianificazione tables for a meeting: CSV and XLSX, formulas neutralised."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from cer_core.transparency.store import csv_safe, to_csv_bytes

__all__ = ["to_csv_bytes", "to_xlsx_bytes"]


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per table (names cut to Excel's 31 characters).

    Text cells that a spreadsheet would run as formulas get a leading ``'``
    (:func:`cer_core.transparency.store.csv_safe`); numbers stay numbers.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            csv_safe(frame).to_excel(writer, sheet_name=str(name)[:31], index=False)
    return buffer.getvalue()
