"""Foundation: projects, access keys, inventory with its suffix search index, jobs, outbox, sandbox clock.

Revision ID: 0001_foundation
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from numberdesk.adapters.db.metadata import UtcDateTime

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("name", name="uq_projects_name"),
    )
    op.create_table(
        "access_keys",
        sa.Column("key_id", sa.String(36), primary_key=True),
        sa.Column("project_id", sa.String(36), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("revoked_at", UtcDateTime, nullable=True),
    )
    op.create_index("ix_access_keys_project_id", "access_keys", ["project_id"])
    op.create_table(
        "numbers",
        sa.Column("phone_number", sa.String(20), primary_key=True),
        sa.Column("region_code", sa.String(2), nullable=False),
        sa.Column("number_type", sa.String(10), nullable=False),
        sa.Column("capabilities", sa.Integer, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("setup_price", sa.String(20), nullable=False),
        sa.Column("monthly_price", sa.String(20), nullable=False),
        sa.Column("payment_interval_months", sa.Integer, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("project_id", sa.String(36), nullable=True),
    )
    op.create_index("ix_numbers_search", "numbers", ["region_code", "number_type", "state", "phone_number"])
    op.create_table(
        "number_suffixes",
        sa.Column("region_code", sa.String(2), nullable=False),
        sa.Column("number_type", sa.String(10), nullable=False),
        sa.Column("suffix", sa.String(20), nullable=False),
        sa.Column(
            "phone_number",
            sa.String(20),
            sa.ForeignKey("numbers.phone_number", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.UniqueConstraint(
            "region_code", "number_type", "suffix", "phone_number", name="pk_number_suffixes"
        ),
    )
    op.create_index("ix_number_suffixes_phone_number", "number_suffixes", ["phone_number"])
    op.create_table(
        "scheduled_jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("due_at", UtcDateTime, nullable=False),
        sa.Column("lease_until", UtcDateTime, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.UniqueConstraint("kind", "ref", name="uq_scheduled_jobs_kind_ref"),
    )
    op.create_index("ix_scheduled_jobs_due_at", "scheduled_jobs", ["due_at"])
    op.create_table(
        "outbox_events",
        sa.Column("event_id", sa.String(26), primary_key=True),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("api", sa.String(16), nullable=False),
        sa.Column("resource_type", sa.String(40), nullable=False),
        sa.Column("resource_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("failure_code", sa.String(64), nullable=True),
        sa.Column("internal_failure_code", sa.String(64), nullable=True),
        sa.Column("extra", sa.Text, nullable=False, server_default="{}"),
        sa.Column("callback_url", sa.String(2048), nullable=True),
        sa.Column("occurred_at", UtcDateTime, nullable=False),
        sa.Column("seq", sa.Integer, nullable=True),
    )
    op.create_index("ix_outbox_events_project_id", "outbox_events", ["project_id"])
    op.create_table(
        "sandbox_clock",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("offset_us", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "sandbox_clock",
        "outbox_events",
        "scheduled_jobs",
        "number_suffixes",
        "numbers",
        "access_keys",
        "projects",
    ):
        op.drop_table(table)
