"""Alembic migrations of the planning tables (the Municipi's candidate producers), run by code.

They live in the transparency store's database but keep their own version table
(``planning_alembic_version``), as :mod:`cer_core.transparency.migrations` allows, so the two
schemas evolve independently.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

SCRIPT_LOCATION = Path(__file__).parent
VERSION_TABLE = "planning_alembic_version"


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Create or migrate the planning tables in the database at ``engine`` (idempotent)."""
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(SCRIPT_LOCATION))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: sa.Engine) -> str | None:
    """The planning schema revision (``None`` when never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()
