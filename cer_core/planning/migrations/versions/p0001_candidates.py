"""Candidate producers kept by the Municipi, and their import log.

Revision ID: p0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "p0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_candidate_log",
        sa.Column("import_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("import_id"),
    )
    op.create_table(
        "planning_candidates",
        sa.Column("candidate_id", sa.String(length=40), nullable=False),
        sa.Column("municipio", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("id_nil", sa.Integer(), nullable=True),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("estimated_kwp", sa.Float(), nullable=True),
        sa.Column("contact_status", sa.String(length=40), nullable=False),
        sa.Column("public_note", sa.String(length=300), nullable=False),
        sa.Column("private_note", sa.String(length=1000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["planning_candidate_log.import_id"]),
        sa.PrimaryKeyConstraint("candidate_id"),
    )


def downgrade() -> None:
    op.drop_table("planning_candidates")
    op.drop_table("planning_candidate_log")
