"""The Calcolatore's download buttons: each table for Italian spreadsheets and for programs.

The files are built only when a button is clicked (``data=`` is a function). The tables and the
CSV formats live in :mod:`cer_core.resident` (``tables``, ``export``); this module
only gives them their Italian words (``app/locales/it/csv.toml``) and draws the buttons.
"""

from __future__ import annotations

import streamlit as st

from app.components.csv_downloads import CsvButton, csv_pair
from app.i18n import t, translate
from cer_core import resident
from cer_core.resident import tables

DICTIONARY_FIELDS = ("label", "column", "unit", "description")


def italian_headers() -> dict[str, str]:
    """Machine column → Italian spreadsheet header, for every column of either table."""
    return {column: translate("it", f"csv.col_{column}") for column in tables.UNITS}


def italian_descriptions() -> dict[str, str]:
    """Machine column → Italian description (the data dictionary's last column)."""
    return {column: translate("it", f"csv.desc_{column}") for column in tables.UNITS}


def hourly_italian(est) -> bytes:
    return resident.hourly_italian_csv(est, italian_headers())


def yearly_italian(est) -> bytes:
    return resident.yearly_italian_csv(est, italian_headers())


def dictionary() -> bytes:
    return resident.dictionary_italian_csv(
        italian_headers(),
        italian_descriptions(),
        {field: translate("it", f"csv.dict_{field}") for field in DICTIONARY_FIELDS},
    )


def download_buttons(est) -> None:
    """Hourly and yearly tables, each for Italian Excel and for programs, and the dictionary."""
    for name, title, italian, machine, stem in (
        ("hourly", t("csv.hourly_title"), hourly_italian, resident.hourly_csv, "orario"),
        ("yearly", t("csv.yearly_title"), yearly_italian, resident.yearly_csv, "annuale"),
    ):
        st.markdown(f"**{title}**")
        csv_pair(
            f"cer-milano-calcolatore-{stem}",
            CsvButton(
                t("csv.download_it"),
                t("csv.download_it_help"),
                f"dl_{name}_it",
                lambda est=est, build=italian: build(est),
            ),
            CsvButton(
                t(f"calcolatore.dl_{name}"),
                t("csv.download_machine_help"),
                f"dl_{name}",
                lambda est=est, build=machine: build(est).encode("utf-8"),
            ),
        )
    st.download_button(
        t("csv.download_dictionary"),
        data=dictionary,
        file_name="cer-milano-calcolatore-dizionario-dei-dati.csv",
        mime="text/csv",
        icon=":material/menu_book:",
        key="dl_dictionary",
        on_click="ignore",  # no rerun: it could drop the file being built
    )
