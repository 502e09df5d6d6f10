"""Database access of the Pianificazione pages: the candidates' tables in the transparency store.

Public reads return only public columns (:func:`cer_core.planning.candidates.public_candidates`);
when the database cannot be reached they return ``None`` and the page says so.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from app.components import transparency_data as data
from cer_core.planning import candidates as cand


@st.cache_resource(show_spinner=False)
def planning_engine() -> sa.Engine:
    """The transparency store's engine with the planning tables migrated (once per process)."""
    return cand.prepare(data.engine())


@st.cache_data(show_spinner=False, ttl=data.READ_TTL_S)
def public_candidates() -> pd.DataFrame | None:
    """The candidates' public columns, or None when the database cannot be read."""
    try:
        return cand.public_candidates(planning_engine())
    except (sa.exc.SQLAlchemyError, data.StoreUnavailableError, OSError):
        return None
