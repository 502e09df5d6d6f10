"""A table offered twice, side by side: as CSV for Italian spreadsheets (``;``, decimal comma,
Italian headers) and as CSV for programs (raw column names and codes). Used by every page with
table downloads, so the pair looks and behaves the same everywhere.

Both files are built only when a button is clicked (``data=`` is a function), and a click does
not rerun the page (``on_click="ignore"``): under load the click's rerun could drop the file
being built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class CsvButton:
    """One button of the pair: its label, tooltip, key and the function that builds the file."""

    label: str
    help: str
    key: str
    build: Callable[[], bytes]


def csv_pair(file_stem: str, italian: CsvButton, machine: CsvButton) -> None:
    """Draw the two buttons in one row: ``<file_stem>-excel.csv`` and ``<file_stem>.csv``."""
    row = st.container(horizontal=True)
    for button, suffix, icon in (
        (italian, "-excel", ":material/table_view:"),
        (machine, "", ":material/download:"),
    ):
        row.download_button(
            button.label,
            data=button.build,
            file_name=f"{file_stem}{suffix}.csv",
            mime="text/csv",
            icon=icon,
            key=button.key,
            help=button.help,
            on_click="ignore",
        )
