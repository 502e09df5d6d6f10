"""Alembic environment: always run online, on the connection passed by ``upgrade``."""

from __future__ import annotations

from alembic import context

from cer_core.transparency.migrations import VERSION_TABLE
from cer_core.transparency.models import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
