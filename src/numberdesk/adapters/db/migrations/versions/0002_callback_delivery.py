"""Callbacks: per-project HMAC secrets (encrypted), delivery state per outbox event, attempt log.

Revision ID: 0002_callback_delivery
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from numberdesk.adapters.db.metadata import UtcDateTime

revision = "0002_callback_delivery"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "callback_configurations",
        sa.Column("project_id", sa.String(36), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("api", sa.String(16), nullable=False),
        sa.Column("hmac_secret", sa.LargeBinary, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "api", name="pk_callback_configurations"),
    )
    op.create_table(
        "callback_deliveries",
        sa.Column("event_id", sa.String(26), sa.ForeignKey("outbox_events.event_id"), primary_key=True),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("api", sa.String(16), nullable=False),
        sa.Column("callback_url", sa.String(2048), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("window_started_at", UtcDateTime, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime, nullable=True),
        sa.Column("lease_until", UtcDateTime, nullable=True),
        sa.Column("lease_token", sa.String(32), nullable=True),
        sa.Column("last_status_code", sa.Integer, nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("finished_at", UtcDateTime, nullable=True),
    )
    op.create_index("ix_callback_deliveries_due", "callback_deliveries", ["state", "next_attempt_at"])
    op.create_index(
        "ix_callback_deliveries_url", "callback_deliveries", ["project_id", "callback_url", "state"]
    )
    op.create_table(
        "callback_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(26), sa.ForeignKey("callback_deliveries.event_id"), nullable=False),
        sa.Column("attempt_no", sa.Integer, nullable=False),
        sa.Column("started_at", UtcDateTime, nullable=False),
        sa.Column("latency_ms", sa.Integer, nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("error", sa.String(300), nullable=True),
        sa.Column("next_attempt_at", UtcDateTime, nullable=True),
    )
    op.create_index("ix_callback_attempts_event", "callback_attempts", ["event_id", "attempt_no"])
    # The `listen` feed pages through a project's events by (occurred_at, event_id).
    op.create_index("ix_outbox_events_feed", "outbox_events", ["project_id", "occurred_at", "event_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_events_feed", "outbox_events")
    op.drop_table("callback_attempts")
    op.drop_table("callback_deliveries")
    op.drop_table("callback_configurations")
