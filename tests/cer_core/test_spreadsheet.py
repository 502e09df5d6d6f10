"""The Italian-spreadsheet CSV: what Italian Excel/LibreOffice need to open it in columns."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from cer_core.spreadsheet import dictionary_csv, italian_csv

FRAME = pd.DataFrame(
    {
        "title": ["Bollette, famiglie", '=HYPERLINK("x")'],
        "category": ["energy_poverty", "unknown_code"],
        "approved_eur": [4599.5, 1234.25],
        "beneficiaries": [40, 12],
        "vote_date": [dt.date(2025, 3, 14), dt.date(2025, 11, 2)],
    }
)
HEADERS = {
    "title": "Progetto",
    "category": "Categoria",
    "approved_eur": "Approvato (€)",
    "vote_date": "Voto in assemblea",
}
LABELS = {"category": {"energy_poverty": "Povertà energetica"}}


def test_bom_semicolons_decimal_comma_crlf():
    data = italian_csv(FRAME, HEADERS, LABELS, date_columns=["vote_date"])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert (
        text.splitlines()[0] == "Progetto;Categoria;Approvato (€);beneficiaries;Voto in assemblea"
    )
    assert "\r\n" in text
    assert "4599,5" in text
    assert "14/03/2025" in text


def test_reads_back_as_the_same_numbers_with_italian_settings():
    data = italian_csv(FRAME, HEADERS, LABELS, date_columns=["vote_date"])
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(back["Approvato (€)"]) == [4599.5, 1234.25]
    assert list(back["beneficiaries"]) == [40, 12]
    assert back["Progetto"][0] == "Bollette, famiglie"  # the comma stays inside the cell
    assert back["Categoria"].tolist() == ["Povertà energetica", "unknown_code"]


def test_formulas_are_neutralised():
    text = italian_csv(FRAME, HEADERS, LABELS).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ";=HYPERLINK" not in text
    assert "\n=HYPERLINK" not in text


def test_dictionary_has_one_row_per_column():
    rows = [
        {"label": "Approvato (€)", "column": "approved_eur", "unit": "EUR", "description": "x"},
        {"label": "Categoria", "column": "category", "unit": "", "description": "y"},
    ]
    headers = {"label": "Intestazione", "column": "Colonna", "unit": "Unità", "description": "D"}
    back = pd.read_csv(io.BytesIO(dictionary_csv(rows, headers)), sep=";", encoding="utf-8-sig")
    assert list(back.columns) == ["Intestazione", "Colonna", "Unità", "D"]
    assert back["Colonna"].tolist() == ["approved_eur", "category"]


def test_iso_date_text_becomes_an_italian_date():
    frame = pd.DataFrame({"id": [1, 2, 3], "vote_date": ["2026-04-11", None, "not a date"]})
    text = italian_csv(frame, {"vote_date": "Voto"}, date_columns=["vote_date"])
    assert text.decode("utf-8-sig").splitlines()[1:] == ["1;11/04/2026", "2;", "3;not a date"]
