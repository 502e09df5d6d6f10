"""Warm every page's engine and data up in the background when the server process starts.

Importing the calculator's engine (pvlib, pandas, profiles) takes about 3 s in a fresh process
and the default reference configuration's hourly year about 0.9 s (measured on the 2-core dev
machine); the other pages pay their own first time: the Mappa its area index and estimator, the
Pianificazione its area tables (see ``benchmarks/bench_first_load.py``). Started from the
entrypoint, a daemon thread pays them in that order while the first visitor reads the page they
opened, so the next pages they open do not. Only files and the engine are warmed, never the
database: a connection opened by a background thread could outlive the settings it was made
with (and the Trasparenza's first read is a second at most). This module imports nothing heavy
itself: Home stays fast.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import streamlit as st

LOG = logging.getLogger(__name__)


def _calculator() -> None:
    from app.components.calculator_engine import estimate
    from cer_core.resident import ResidentInputs

    estimate(ResidentInputs())  # the default estimate and its reference run


def _map() -> None:
    from cer_core.geo.areas import default_index
    from cer_core.geo.estimate import default_estimator

    default_index()
    default_estimator()


def _planning() -> None:
    from cer_core.planning.area_table import area_overview

    area_overview()


#: Never a module that declares a custom component (``streamlit_folium``): Streamlit registers a
#: component only when it is declared inside a script run, so a component first imported by this
#: thread would never be served and its frame would stay hidden (the map would not show).
IMPORTS = (
    "app.components.transparency_data",
    "app.components.map_view",
    "cer_core.planning.ranking",
    "cer_core.planning.roof_files",
    "cer_core.planning.export",
)


def _imports() -> None:
    """The other pages' libraries (SQLAlchemy for the Trasparenza, Folium for the Mappa)."""
    import importlib

    for name in IMPORTS:
        importlib.import_module(name)


#: What each page pays on its first visit, in the order a resident most often needs it.
STEPS: tuple[Callable[[], None], ...] = (_calculator, _map, _planning, _imports)


def _warm_up() -> None:
    for step in STEPS:
        try:
            step()
        except Exception:  # noqa: BLE001 - warming is an optimisation; the page reports errors
            LOG.debug("warm-up step %s failed", step.__name__, exc_info=True)


@st.cache_resource(show_spinner=False, max_entries=1)
def warm_up_in_background() -> threading.Thread:
    """Start the warm-up thread once per server process."""
    thread = threading.Thread(target=_warm_up, name="pages-warm-up", daemon=True)
    thread.start()
    return thread
