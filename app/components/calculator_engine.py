"""The Calcolatore's cached engine calls (estimate, address lookup, parameter table), in a module
of their own so that the server can warm them up in the background at start (see
:mod:`app.warm_up`).

Measured on the 2-core dev machine: importing the engine (pvlib, pandas, the profiles) takes
about 3 s in a fresh process and the reference configuration's hourly year about 0.9 s; without
warming, the first visitor of the Calcolatore paid both before seeing any result.

Two caches, both bounded: the configurations' base runs (:class:`cer_core.resident.ReferenceRuns`,
one object per process, :data:`cer_core.resident.REFERENCE_RUNS_ENTRIES` runs) and the estimates
by inputs (small entries: figures, the charts' frames and the user's own hourly series).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cer_core import resident
from cer_core.errors import InputError
from cer_core.parameters import parameter_table


@st.cache_resource(show_spinner=False, max_entries=1)
def reference_runs() -> resident.ReferenceRuns:
    """The configurations' runs without the user, shared by all sessions of the process."""
    return resident.ReferenceRuns(resident.load_reference_configurations())


@st.cache_resource(show_spinner=False, max_entries=256)
def estimate(inputs: resident.ResidentInputs) -> resident.ResidentEstimate:
    """The resident's estimate for ``inputs`` (cached: a shared link opens at once)."""
    return resident.estimate(inputs, reference_runs())


@st.cache_data(show_spinner=False, max_entries=256)
def locate(query: str) -> dict:
    """The map's lookup of an address (online setting included), as plain values for the page:
    ``configuration``, ``nil``, ``municipio``, ``cabina``, ``official``, or ``error``."""
    from cer_core.geo import lookup  # imported on first use: the geo index is loaded lazily

    try:
        found = lookup(query)
    except InputError as err:
        return {"error": getattr(err, "reason", "no_match")}
    return {
        "configuration": found.configuration,
        "nil": found.nil,
        "municipio": found.municipio,
        "cabina": found.cabina_name,
        "official": found.official,
    }


@st.cache_data(show_spinner=False, max_entries=8)
def parameters(year: int) -> pd.DataFrame:
    """The rules' parameters in force in ``year``, as a table for the page."""
    rows = parameter_table(year)
    frame = pd.DataFrame(rows)[["name", "value", "unit", "source", "valid_from", "uncertain"]]
    frame["value"] = frame["value"].map(str)
    return frame
