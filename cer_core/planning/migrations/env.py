"""Alembic environment: always run online, on the connection passed by ``upgrade``."""

from __future__ import annotations

from alembic import context

from cer_core.planning.candidates import metadata
from cer_core.planning.migrations import VERSION_TABLE

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
