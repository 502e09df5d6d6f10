"""Mappa: first version, replaced by the page's own issue."""

from __future__ import annotations

import streamlit as st

from app.data_access import configurations
from app.i18n import t

st.title(t("mappa.title"))
st.markdown(t("mappa.lead"))
st.dataframe(
    [
        {"Configurazione": c.name, "CP": c.cp_number, "Municipi": str(c.municipi)}
        for c in configurations()
    ],
    hide_index=True,
)
