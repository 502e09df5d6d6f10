"""Audit trail: status of every import attempt (committed, dry run, refused), deletions and old
values of updated rows.

``import_log`` gains ``status``, ``deleted``, ``errors`` and ``message``; ``import_log_rows`` gets a
surrogate key ``change_id`` (a deleted row has no row number in the file) and ``old_values``. The
rows already logged are kept.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_log") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=20), server_default="committed", nullable=False)
        )
        batch.add_column(sa.Column("deleted", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("errors", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("message", sa.Text(), nullable=True))
    op.create_table(
        "import_log_rows_v2",
        sa.Column("change_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=True),
        sa.Column("row_key", sa.String(length=400), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("old_values", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["import_log.import_id"]),
        sa.PrimaryKeyConstraint("change_id"),
    )
    op.execute(
        "INSERT INTO import_log_rows_v2 (import_id, template, row_number, row_key, action) "
        "SELECT import_id, template, row_number, row_key, action FROM import_log_rows "
        "ORDER BY import_id, template, row_number"
    )
    op.drop_table("import_log_rows")
    op.rename_table("import_log_rows_v2", "import_log_rows")


def downgrade() -> None:
    op.create_table(
        "import_log_rows_v1",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("row_key", sa.String(length=400), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["import_log.import_id"]),
        sa.PrimaryKeyConstraint("import_id", "template", "row_number"),
    )
    op.execute(
        "INSERT INTO import_log_rows_v1 (import_id, template, row_number, row_key, action) "
        "SELECT import_id, template, row_number, row_key, action FROM import_log_rows "
        "WHERE row_number IS NOT NULL"
    )
    op.drop_table("import_log_rows")
    op.rename_table("import_log_rows_v1", "import_log_rows")
    with op.batch_alter_table("import_log") as batch:
        for column in ("message", "errors", "deleted", "status"):
            batch.drop_column(column)
