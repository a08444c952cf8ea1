"""Imported numbers, hosting orders, qualified numbers, carrier simulator, sandbox voice codes.

Revision ID: 0005_imported_numbers
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from numberdesk.adapters.db.metadata import UtcDateTime

revision = "0005_imported_numbers"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_numbers",
        sa.Column("phone_number", sa.String(20), primary_key=True),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("region_code", sa.String(2), nullable=False),
        sa.Column("created_time", UtcDateTime, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_imported_numbers_project_id_phone_number", "imported_numbers", ["project_id", "phone_number"]
    )
    op.create_table(
        "hosting_orders",
        sa.Column("hosting_order_id", sa.String(26), primary_key=True),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("order_type", sa.String(32), nullable=False),
        sa.Column("created_time", UtcDateTime, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_hosting_orders_project_id_created_time", "hosting_orders", ["project_id", "created_time"]
    )
    op.create_table(
        "qualified_numbers",
        sa.Column("project_id", sa.String(36), primary_key=True),
        sa.Column("phone_number", sa.String(20), primary_key=True),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("created_time", UtcDateTime, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "imported_project_settings",
        sa.Column("project_id", sa.String(36), primary_key=True),
        sa.Column("import_number_limit", sa.Integer, nullable=False),
        sa.Column("blanket_loa_approved", sa.Boolean, nullable=False),
        sa.Column("nnid", sa.String(32), nullable=False),
        sa.Column("hmac_secret", sa.LargeBinary, nullable=True),
    )
    op.create_table(
        "imported_service_plans",
        sa.Column("service_plan_id", sa.String(64), primary_key=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "carrier_failure_rules",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("match", sa.String(100), nullable=False),
        sa.Column("failure_code", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "carrier_settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("step_seconds", sa.Float, nullable=False),
        sa.Column("eligibility_seconds", sa.Float, nullable=False),
    )
    op.create_table(
        "sandbox_voice_codes",
        sa.Column("phone_number", sa.String(20), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("called_at", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "sandbox_voice_codes",
        "carrier_settings",
        "carrier_failure_rules",
        "imported_service_plans",
        "imported_project_settings",
        "qualified_numbers",
    ):
        op.drop_table(table)
    op.drop_index("ix_hosting_orders_project_id_created_time", "hosting_orders")
    op.drop_table("hosting_orders")
    op.drop_index("ix_imported_numbers_project_id_phone_number", "imported_numbers")
    op.drop_table("imported_numbers")
