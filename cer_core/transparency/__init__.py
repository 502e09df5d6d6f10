"""Transparency store: where the incentives of the solidarity CER go, as public open data.

- :mod:`~cer_core.transparency.models`: the tables (one per import template) and the audit log;
- :mod:`~cer_core.transparency.migrations`: Alembic scripts, applied by :func:`upgrade`;
- :mod:`~cer_core.transparency.store`: engine from a URL, read functions returning DataFrames,
  JSON export with a data dictionary;
- :mod:`~cer_core.transparency.ingest`: CSV/XLSX import (decoding, parsing, validation, the
  database write) with preview and audit log;
- ``python -m cer_core.transparency import FILE [--db URL] [--dry-run]`` and ``export``.

No streamlit here: the app wraps these functions with ``st.connection`` and caching.
"""

from cer_core.transparency.migrations import upgrade

__all__ = ["upgrade"]
