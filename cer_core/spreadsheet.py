"""CSV files for Italian spreadsheets, next to the machine-readable ones.

The open-data CSV (``,`` separator, ``.`` decimal mark, codes such as ``energy_poverty``) is for
programs. Italian Excel and LibreOffice expect ``;`` between fields and a decimal comma, and open
the machine form in one column. :func:`italian_csv` writes the same table for them: ``;``,
decimal comma, no thousands mark, dates ``gg/mm/aaaa``, UTF-8 with BOM (so accents survive), CRLF
rows, Italian headers and labels instead of codes, and text cells that could run as formulas
neutralised. :func:`dictionary_csv` writes the data dictionary that maps each Italian header
back to the machine column, its unit and meaning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from cer_core.transparency.store import csv_safe

SEPARATOR = ";"
DECIMAL = ","
ENCODING = "utf-8-sig"  # UTF-8 with BOM
LINE_END = "\r\n"


def _italian_date(value: object) -> object:
    if isinstance(value, pd.Timestamp | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def italian_frame(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    labels: Mapping[str, Mapping[object, str]] | None = None,
    date_columns: Sequence[str] = (),
) -> pd.DataFrame:
    """The table as an Italian reader sees it: codes replaced by ``labels[column][code]``
    (unknown codes kept), dates as ``gg/mm/aaaa``, columns renamed by ``headers`` (a column
    without a header keeps its machine name)."""
    out = frame.copy()
    for column, mapping in (labels or {}).items():
        if column in out:
            out[column] = out[column].map(lambda v, m=mapping: m.get(v, v))
    for column in out.columns:
        if column in date_columns or pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].map(_italian_date)
    return out.rename(columns={c: headers.get(c, c) for c in out.columns})


def italian_csv(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    labels: Mapping[str, Mapping[object, str]] | None = None,
    date_columns: Sequence[str] = (),
) -> bytes:
    """CSV bytes for Italian spreadsheets (see the module docstring).

    Examples
    --------
    >>> frame = pd.DataFrame({"title": ["Scuola"], "approved_eur": [1234.5]})
    >>> italian_csv(frame, {"title": "Progetto", "approved_eur": "Approvato (€)"})
    b'\\xef\\xbb\\xbfProgetto;Approvato (\\xe2\\x82\\xac)\\r\\nScuola;1234,5\\r\\n'
    """
    shown = csv_safe(italian_frame(frame, headers, labels, date_columns))
    shown.columns = [csv_safe(pd.DataFrame({0: [str(c)]}))[0][0] for c in shown.columns]
    text = shown.to_csv(index=False, sep=SEPARATOR, decimal=DECIMAL, lineterminator=LINE_END)
    return text.encode(ENCODING)


def dictionary_csv(rows: Sequence[Mapping[str, str]], headers: Mapping[str, str]) -> bytes:
    """The data dictionary as an Italian-spreadsheet CSV: one row per column of the table.

    ``rows`` hold the keys of ``headers`` (e.g. ``label``, ``column``, ``unit``, ``description``);
    ``headers`` gives their titles.
    """
    frame = pd.DataFrame(list(rows), columns=list(headers))
    return italian_csv(frame, headers)
