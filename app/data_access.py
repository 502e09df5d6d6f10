"""Cached loaders shared by the pages: each embedded file is read once per process."""

from __future__ import annotations

import streamlit as st

from cer_core.configurations import Configuration, load_configurations
from cer_core.sportello import SportelloContact, load_sportello


@st.cache_resource(show_spinner=False, max_entries=1)
def configurations() -> list[Configuration]:
    """The Milan pilot configurations (``data/configurations.toml``)."""
    return load_configurations()


@st.cache_resource(show_spinner=False, max_entries=1)
def sportello() -> SportelloContact:
    """The Sportello Energia contact (``data/sportello.toml``)."""
    return load_sportello()
