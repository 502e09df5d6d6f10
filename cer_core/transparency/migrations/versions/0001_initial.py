"""Initial schema: the seven public tables and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "import_log_rows",
    "projects",
    "allocations",
    "payments",
    "energy",
    "members",
    "plants",
    "import_log",
    "configurations",
)


def upgrade() -> None:
    op.create_table(
        "configurations",
        sa.Column("configuration_id", sa.String(length=400), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("cer", sa.String(length=400), nullable=False),
        sa.Column("cp_number", sa.Integer(), nullable=False),
        sa.Column("municipi", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("activation_date", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("configuration_id"),
    )
    op.create_table(
        "import_log",
        sa.Column("import_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("templates", sa.String(length=200), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("import_id"),
    )
    op.create_table(
        "allocations",
        sa.Column("allocation_id", sa.String(length=400), nullable=False),
        sa.Column("configuration_id", sa.String(length=400), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("amount_eur", sa.Float(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["configuration_id"],
            ["configurations.configuration_id"],
        ),
        sa.PrimaryKeyConstraint("allocation_id"),
    )
    op.create_table(
        "energy",
        sa.Column("configuration_id", sa.String(length=400), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("injected_kwh", sa.Float(), nullable=False),
        sa.Column("withdrawn_kwh", sa.Float(), nullable=False),
        sa.Column("shared_kwh", sa.Float(), nullable=False),
        sa.Column("quality", sa.String(length=40), nullable=False),
        sa.Column("forecast_shared_kwh", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["configuration_id"],
            ["configurations.configuration_id"],
        ),
        sa.PrimaryKeyConstraint("configuration_id", "month"),
    )
    op.create_table(
        "import_log_rows",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("row_key", sa.String(length=400), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_log.import_id"],
        ),
        sa.PrimaryKeyConstraint("import_id", "template", "row_number"),
    )
    op.create_table(
        "members",
        sa.Column("configuration_id", sa.String(length=400), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("member_type", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["configuration_id"],
            ["configurations.configuration_id"],
        ),
        sa.PrimaryKeyConstraint("configuration_id", "month", "member_type"),
    )
    op.create_table(
        "payments",
        sa.Column("payment_id", sa.String(length=400), nullable=False),
        sa.Column("configuration_id", sa.String(length=400), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("tip_eur", sa.Float(), nullable=False),
        sa.Column("valorisation_eur", sa.Float(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["configuration_id"],
            ["configurations.configuration_id"],
        ),
        sa.PrimaryKeyConstraint("payment_id"),
    )
    op.create_table(
        "plants",
        sa.Column("plant_id", sa.String(length=400), nullable=False),
        sa.Column("configuration_id", sa.String(length=400), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("power_kw", sa.Float(), nullable=False),
        sa.Column("owner_type", sa.String(length=40), nullable=False),
        sa.Column("commissioning_date", sa.Date(), nullable=True),
        sa.Column("municipio", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["configuration_id"],
            ["configurations.configuration_id"],
        ),
        sa.PrimaryKeyConstraint("plant_id"),
    )
    op.create_table(
        "projects",
        sa.Column("project_id", sa.String(length=400), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("configuration_id", sa.String(length=400), nullable=False),
        sa.Column("fund_year", sa.Integer(), nullable=False),
        sa.Column("municipio", sa.Integer(), nullable=False),
        sa.Column("proposer", sa.String(length=400), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("approved_eur", sa.Float(), nullable=False),
        sa.Column("spent_eur", sa.Float(), nullable=False),
        sa.Column("beneficiaries", sa.Integer(), nullable=False),
        sa.Column("vote_date", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["configuration_id"],
            ["configurations.configuration_id"],
        ),
        sa.PrimaryKeyConstraint("project_id"),
    )


def downgrade() -> None:
    for name in TABLES:
        op.drop_table(name)
