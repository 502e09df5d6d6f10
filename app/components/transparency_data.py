"""Database access of the Trasparenza and admin pages: one engine per process, cached reads.

The store is reached through ``st.connection("cer", type="sql", url=db_url())``. ``db_url()`` reads
``[connections.cer] url`` from ``.streamlit/secrets.toml`` (production: PostgreSQL), else the
``CER_DATABASE_URL`` environment variable, else an embedded SQLite file in the writable cache folder
(seeded with the demo data on first start). The URL is passed explicitly because
``st.connection`` kwargs win over secrets (docs/transparency.md).
"""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from cer_core.transparency import store

#: Seconds a cached read is reused before the database is read again.
READ_TTL_S = 300


def db_url() -> str:
    """The store's SQLAlchemy URL: secrets, then ``$CER_DATABASE_URL``, then embedded SQLite."""
    try:
        return str(st.secrets["connections"]["cer"]["url"])
    except (KeyError, FileNotFoundError, AttributeError):
        return store.default_url()


@st.cache_resource(show_spinner=False)
def engine() -> sa.Engine:
    """The store's engine, migrated (and seeded with the demo when it holds no real data)."""
    connection = st.connection("cer", type="sql", url=db_url())
    return store.prepare(connection.engine)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def view(year: int | None) -> store.View:
    """All tables filtered to ``year`` (``None`` = every year)."""
    return store.View(engine(), year)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def years() -> list[int]:
    return store.years(engine())


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def as_of():
    return store.as_of(engine())


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def dataset_json() -> bytes:
    """The whole dataset with its data dictionary, as UTF-8 JSON."""
    return store.export_json(engine()).encode("utf-8")


@st.cache_data(show_spinner=False)
def municipi_geojson() -> dict | None:
    """Outlines of the 9 Municipi, or ``None`` when ``data/geo/municipi.parquet`` is missing."""
    from app.components.transparency_charts import municipi_geojson as to_geojson

    try:
        from cer_core.geo.layers import load_municipi

        return to_geojson(load_municipi())
    except Exception:  # noqa: BLE001 - any missing file/layer falls back to a bar chart
        return None


def clear_caches() -> None:
    """Forget cached reads (after an import)."""
    for function in (view, years, as_of, dataset_json):
        function.clear()
