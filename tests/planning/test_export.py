"""Exports for a meeting: spreadsheet formulas neutralised, numbers kept as numbers."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from cer_core.planning.export import to_csv_bytes, to_xlsx_bytes


def test_xlsx_neutralises_formulas_and_keeps_numbers():
    frame = pd.DataFrame({"name": ['=HYPERLINK("http://x")', "+1", "Scuola"], "kwp": [1.5, -2, 3]})
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"a" * 40: frame, "pesi": frame})))
    assert book.sheetnames == ["a" * 31, "pesi"]
    sheet = book["a" * 31]
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["A3"].value == "'+1"
    assert sheet["B3"].value == -2
    assert sheet["A2"].data_type != "f"


def test_csv_neutralises_formulas():
    text = to_csv_bytes(pd.DataFrame({"note": ["@SUM(A1)"]})).decode("utf-8-sig")
    assert "'@SUM(A1)" in text
