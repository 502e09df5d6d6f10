"""Database access of the Trasparenza and admin pages: one engine per process, cached reads.

The store is reached through ``st.connection("cer", type="sql", url=db_url())``. ``db_url()`` reads
``[connections.cer] url`` from ``.streamlit/secrets.toml`` (production: PostgreSQL), else the
``CER_DATABASE_URL`` environment variable, else an embedded SQLite file in the writable cache folder
(seeded with the demo data on first start). The URL is passed explicitly because
``st.connection`` kwargs win over secrets (docs/transparency.md).

When the database cannot be reached (PostgreSQL stopped or restarting), every read returns the
last value this process read for the same arguments, and records that in the session (see
:func:`stale`); with nothing read before it raises :class:`StoreUnavailableError`. Nothing failed
is cached, so the page recovers by itself when the database is back (``pool_pre_ping`` replaces
the connections the restart closed).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from cer_core.transparency import store

#: Seconds a cached read is reused before the database is read again.
READ_TTL_S = 300
#: Cached entries per read: one per period (every year, each year) and a few more. Bounded, so a
#: process's memory does not grow with the requests it serves (each entry is a few small tables).
MAX_PERIODS = 16
#: Cached monthly series: periods × configurations.
MAX_SERIES = 64
#: Seconds to wait for PostgreSQL to accept a connection before the read counts as failed.
CONNECT_TIMEOUT_S = 5
#: Errors meaning that the database cannot be reached or read right now.
DB_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)
_STALE_KEY = "trasparenza_stale_reads"


class StoreUnavailableError(RuntimeError):
    """The database cannot be read and this process has no earlier copy of the data asked for."""


def db_url() -> str:
    """The store's SQLAlchemy URL: secrets, then ``$CER_DATABASE_URL``, then embedded SQLite."""
    try:
        return str(st.secrets["connections"]["cer"]["url"])
    except (KeyError, FileNotFoundError, AttributeError):
        return store.default_url()


@st.cache_resource(show_spinner=False, max_entries=1)
def engine() -> sa.Engine:
    """The store's engine, migrated (and seeded with the demo when it holds no real data)."""
    url = db_url()
    options: dict = {"pool_pre_ping": True}  # a restarted server closed the pooled connections
    if url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    connection = st.connection("cer", type="sql", url=url, **options)
    return store.prepare(connection.engine)


@st.cache_resource(show_spinner=False, max_entries=1)
def _last_reads() -> dict:
    """Last value read per (function, arguments), shared by the sessions of this process."""
    return {}


def _read(function, *args):
    """``function(*args)``; the last value read when the database cannot be reached."""
    memory = _last_reads()
    key = (function.__name__, args)
    try:
        value = function(*args)
    except DB_ERRORS as exc:
        if key in memory:
            st.session_state.setdefault(_STALE_KEY, set()).add(function.__name__)
            return memory[key]
        raise StoreUnavailableError(str(exc).splitlines()[0] if str(exc) else "") from exc
    memory[key] = value
    return value


def stale() -> bool:
    """True when a read of this script run fell back to an earlier copy (then forgets it)."""
    return bool(st.session_state.pop(_STALE_KEY, None))


@st.cache_data(ttl=READ_TTL_S, max_entries=MAX_PERIODS, show_spinner=False)
def _view(year: int | None) -> store.View:
    """All tables filtered to ``year`` (``None`` = every year)."""
    return store.View(engine(), year)


# The page's derived tables, cached like the view they come from: computed once per period and
# process instead of on every rerun (by_configuration ~20 ms, by_municipio ~26 ms each time).
@st.cache_data(ttl=READ_TTL_S, max_entries=MAX_PERIODS, show_spinner=False)
def _totals(year: int | None, *filters) -> dict[str, float]:
    return _view(year).totals(**dict(zip(TOTALS_FILTERS, filters, strict=True)))


@st.cache_data(ttl=READ_TTL_S, max_entries=MAX_PERIODS, show_spinner=False)
def _by_configuration(year: int | None) -> pd.DataFrame:
    return _view(year).by_configuration()


@st.cache_data(ttl=READ_TTL_S, max_entries=MAX_PERIODS, show_spinner=False)
def _by_municipio(year: int | None) -> pd.DataFrame:
    return _view(year).by_municipio()


@st.cache_data(ttl=READ_TTL_S, max_entries=MAX_PERIODS, show_spinner=False)
def _flows(year: int | None) -> pd.DataFrame:
    return _view(year).flows()


@st.cache_data(ttl=READ_TTL_S, max_entries=MAX_SERIES, show_spinner=False)
def _monthly_energy(year: int | None, configuration_id: str | None) -> pd.DataFrame:
    return _view(year).monthly_energy(configuration_id)


@st.cache_data(ttl=READ_TTL_S, max_entries=1, show_spinner=False)
def _years() -> list[int]:
    return store.years(engine())


@st.cache_data(ttl=READ_TTL_S, max_entries=1, show_spinner=False)
def _as_of():
    return store.as_of(engine())


@st.cache_data(ttl=READ_TTL_S, max_entries=1, show_spinner=False)
def _dataset_json() -> bytes:
    """The whole dataset with its data dictionary, as UTF-8 JSON."""
    return store.export_json(engine()).encode("utf-8")


def view(year: int | None) -> store.View:
    """All tables filtered to ``year`` (``None`` = every year); see :func:`_read`."""
    return _read(_view, year)


#: The filters of :meth:`store.View.totals`, in the order :func:`totals` takes them.
TOTALS_FILTERS = ("municipio", "status", "category", "configuration_id")


def totals(
    year: int | None,
    municipio: int | None = None,
    status: str | None = None,
    category: str | None = None,
    configuration_id: str | None = None,
) -> dict[str, float]:
    """:meth:`store.View.totals` of ``year`` under the page's filters, cached; see :func:`_read`."""
    return _read(_totals, year, municipio, status, category, configuration_id)


def by_configuration(year: int | None) -> pd.DataFrame:
    """:meth:`store.View.by_configuration` of ``year`` (a copy: the page may change it)."""
    return _read(_by_configuration, year)


def by_municipio(year: int | None) -> pd.DataFrame:
    """:meth:`store.View.by_municipio` of ``year``, cached; see :func:`_read`."""
    return _read(_by_municipio, year)


def flows(year: int | None) -> pd.DataFrame:
    """:meth:`store.View.flows` of ``year``, cached; see :func:`_read`."""
    return _read(_flows, year)


def monthly_energy(year: int | None, configuration_id: str | None) -> pd.DataFrame:
    """:meth:`store.View.monthly_energy` of ``year`` and a configuration (``None``: all)."""
    return _read(_monthly_energy, year, configuration_id)


def years() -> list[int]:
    return _read(_years)


def as_of():
    return _read(_as_of)


def dataset_json() -> bytes:
    """The whole dataset with its data dictionary, as UTF-8 JSON; see :func:`_read`."""
    return _read(_dataset_json)


@st.cache_data(show_spinner=False, max_entries=1)
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
    for function in (
        _view,
        _totals,
        _by_configuration,
        _by_municipio,
        _flows,
        _monthly_energy,
        _years,
        _as_of,
        _dataset_json,
    ):
        function.clear()
