"""Database access of the Pianificazione pages: the candidates' tables in the transparency store.

Public reads return only public columns (:func:`cer_core.planning.candidates.public_candidates`);
when the database cannot be reached they return ``None`` and the page says so.
"""

from __future__ import annotations

import logging

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from app.components import transparency_data as data
from cer_core.planning import candidates as cand


@st.cache_resource(show_spinner=False, max_entries=1)
def planning_engine() -> sa.Engine:
    """The transparency store's engine with the planning tables migrated (once per process)."""
    return cand.prepare(data.engine())


LOG = logging.getLogger(__name__)


def public_candidates() -> pd.DataFrame | None:
    """The candidates' public columns, or None when the store cannot be opened or read.

    The candidates are one optional section of a public page: whatever goes wrong with the
    database (unreachable, a schema this version does not know, …) is logged for the operators
    and the page says "not available" instead of failing.
    """
    try:
        return _public_candidates()
    except Exception:  # noqa: BLE001 - see the docstring: never a traceback on the public page
        LOG.exception("candidates not readable")
        return None


@st.cache_data(show_spinner=False, ttl=data.READ_TTL_S, max_entries=1)
def _public_candidates() -> pd.DataFrame:
    return cand.public_candidates(planning_engine())
