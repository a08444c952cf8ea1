"""Active numbers, E911 addresses, provisioning simulator settings and failure rules.

Revision ID: 0004_active_numbers
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from numberdesk.adapters.db.metadata import UtcDateTime

revision = "0004_active_numbers"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "active_numbers",
        sa.Column(
            "phone_number",
            sa.String(20),
            sa.ForeignKey("numbers.phone_number", name="fk_active_numbers_phone_number_numbers"),
            primary_key=True,
        ),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("region_code", sa.String(2), nullable=False),
        sa.Column("number_type", sa.String(10), nullable=False),
        sa.Column("capabilities", sa.Integer, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("monthly_price", sa.String(20), nullable=False),
        sa.Column("payment_interval_months", sa.Integer, nullable=False),
        sa.Column("activated_at", UtcDateTime, nullable=False),
        sa.Column("expire_at", UtcDateTime, nullable=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("callback_url", sa.String(2048), nullable=False),
        sa.Column("sms_service_plan_id", sa.String(100), nullable=False),
        sa.Column("sms_campaign_id", sa.String(100), nullable=False),
        sa.Column("sms_scheduled", sa.Text, nullable=True),
        sa.Column("voice_type", sa.String(8), nullable=False),
        sa.Column("voice_id", sa.String(100), nullable=False),
        sa.Column("voice_last_updated", UtcDateTime, nullable=True),
        sa.Column("voice_scheduled", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_active_numbers_project_phone", "active_numbers", ["project_id", "phone_number"])
    op.create_index(
        "ix_active_numbers_project_name", "active_numbers", ["project_id", "display_name", "phone_number"]
    )
    op.create_table(
        "emergency_addresses",
        sa.Column(
            "phone_number",
            sa.String(20),
            sa.ForeignKey(
                "active_numbers.phone_number",
                ondelete="CASCADE",
                name="fk_emergency_addresses_phone_number_active_numbers",
            ),
            primary_key=True,
        ),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("street_number", sa.String(50), nullable=False),
        sa.Column("street_info", sa.String(200), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("state", sa.String(50), nullable=False),
        sa.Column("postal_code", sa.String(20), nullable=False),
        sa.Column("postal_code_plus_four", sa.String(10), nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "simulator_failure_rules",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("match", sa.String(100), nullable=False),
        sa.Column("failure_code", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "simulator_settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("waiting_seconds", sa.Float, nullable=False),
        sa.Column("in_progress_seconds", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("simulator_settings")
    op.drop_table("simulator_failure_rules")
    op.drop_table("emergency_addresses")
    op.drop_index("ix_active_numbers_project_name", "active_numbers")
    op.drop_index("ix_active_numbers_project_phone", "active_numbers")
    op.drop_table("active_numbers")
