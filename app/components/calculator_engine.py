"""The Calcolatore's cached engine calls, in a module of their own so that the server can warm
them up in the background at start (see :mod:`app.warm_up`).

Measured on the 2-core dev machine: importing the engine (pvlib, pandas, the profiles) takes
about 3 s in a fresh process and the reference configuration's hourly year about 0.9 s; without
warming, the first visitor of the Calcolatore paid both before seeing any result.

Two caches, both bounded: the configurations' base runs (:class:`cer_core.resident.ReferenceRuns`,
one object per process, :data:`cer_core.resident.REFERENCE_RUNS_ENTRIES` runs) and the estimates
by inputs (small entries: figures, the charts' frames and the user's own hourly series).
"""

from __future__ import annotations

import streamlit as st

from cer_core import resident


@st.cache_resource(show_spinner=False)
def reference_runs() -> resident.ReferenceRuns:
    """The configurations' runs without the user, shared by all sessions of the process."""
    return resident.ReferenceRuns(resident.load_reference_configurations())


@st.cache_resource(show_spinner=False, max_entries=256)
def estimate(inputs: resident.ResidentInputs) -> resident.ResidentEstimate:
    """The resident's estimate for ``inputs`` (cached: a shared link opens at once)."""
    return resident.estimate(inputs, reference_runs())
