"""Warm the Calcolatore's engine up in the background when the server process starts.

Importing the engine (pvlib, pandas, profiles) takes about 3 s in a fresh process and the default
reference configuration's hourly year about 0.9 s (measured on the 2-core dev machine). Started
from the entrypoint, a daemon thread pays both while the first visitor reads Home, so the first
Calcolatore visit does not. This module imports nothing heavy itself: Home stays fast.
"""

from __future__ import annotations

import threading

import streamlit as st


def _warm_up() -> None:
    try:
        from app.components.calculator_engine import estimate
        from cer_core.resident import ResidentInputs

        estimate(ResidentInputs())  # the default estimate and its reference run
    except Exception:  # noqa: BLE001 - warming is an optimisation; the page reports errors
        pass


@st.cache_resource(show_spinner=False, max_entries=1)
def warm_up_in_background() -> threading.Thread:
    """Start the warm-up thread once per server process."""
    thread = threading.Thread(target=_warm_up, name="calculator-warm-up", daemon=True)
    thread.start()
    return thread
