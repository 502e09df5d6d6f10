"""The Calcolatore's download buttons: each table for Italian spreadsheets and for programs.

The files are built only when a button is clicked (``data=`` is a function). The tables and the
CSV formats live in :mod:`cer_core.resident` (``tables``, ``export``); this module
only gives them their Italian words (``app/locales/it/csv.toml``) and draws the buttons.
"""

from __future__ import annotations

import streamlit as st

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
        row = st.container(horizontal=True)
        row.download_button(
            t("csv.download_it"),
            data=lambda est=est, build=italian: build(est),
            file_name=f"cer-milano-calcolatore-{stem}-excel.csv",
            mime="text/csv",
            icon=":material/table_view:",
            key=f"dl_{name}_it",
            help=t("csv.download_it_help"),
            on_click="ignore",  # no rerun: it could drop the file being built
        )
        row.download_button(
            t(f"calcolatore.dl_{name}"),
            data=lambda est=est, build=machine: build(est).encode("utf-8"),
            file_name=f"cer-milano-calcolatore-{stem}.csv",
            mime="text/csv",
            icon=":material/download:",
            key=f"dl_{name}",
            help=t("csv.download_machine_help"),
            on_click="ignore",  # no rerun: it could drop the file being built
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
