"""The Calcolatore's cached engine calls, in a module of their own so that the server can warm
them up in the background at start (see :mod:`app.warm_up`).

Measured on the 2-core dev machine: importing the engine (pvlib, pandas, the profiles) takes
about 3 s in a fresh process and the reference configuration's hourly year about 0.9 s; without
warming, the first visitor of the Calcolatore paid both before seeing any result.
"""

from __future__ import annotations

import streamlit as st

from cer_core import resident
from cer_core.scenario import simulate


@st.cache_resource(show_spinner=False, max_entries=24)
def base_run(configuration_id: str, year: int, price_scenario: str):
    """The reference configuration's run without the user (shared by all sessions)."""
    return simulate(resident.reference_scenario(configuration_id, year, price_scenario))


@st.cache_resource(show_spinner=False, max_entries=256)
def estimate(inputs: resident.ResidentInputs) -> resident.ResidentEstimate:
    """The resident's estimate for ``inputs`` (cached: a shared link opens at once)."""
    base = base_run(inputs.configuration_id, inputs.year, inputs.price_scenario)
    return resident.estimate(inputs, base=base)
