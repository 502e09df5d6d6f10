"""Alembic migrations of the transparency store, run by code (never by hand).

``upgrade(engine)`` brings the database at ``engine`` to the newest schema; it is idempotent and is
called at start-up by the app and by the command line. The version is kept in the table
``transparency_alembic_version`` so that other components can use Alembic in the same database.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

SCRIPT_LOCATION = Path(__file__).parent
VERSION_TABLE = "transparency_alembic_version"


def alembic_config(connection: sa.Connection) -> Config:
    """An Alembic configuration that runs the package's scripts on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Create or migrate the transparency schema in the database at ``engine``."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def current_revision(engine: sa.Engine) -> str | None:
    """The schema revision the database is at (``None`` when never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()
