"""Callback tables: per-project secrets, one delivery row per outbox event, and the attempt log."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
)

from numberdesk.adapters.db.metadata import UtcDateTime, metadata

callback_configurations = Table(
    "callback_configurations",
    metadata,
    Column("project_id", String(36), ForeignKey("projects.id"), nullable=False),
    Column("api", String(16), nullable=False),
    # AES-GCM with associated data "callback-secret/{project_id}/{api}"; the key id is inside.
    Column("hmac_secret", LargeBinary, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("project_id", "api", name="pk_callback_configurations"),
)

callback_deliveries = Table(
    "callback_deliveries",
    metadata,
    Column("event_id", String(26), ForeignKey("outbox_events.event_id"), primary_key=True),
    Column("project_id", String(36), nullable=False),
    Column("api", String(16), nullable=False),
    Column("callback_url", String(2048), nullable=True),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
    Column("window_started_at", UtcDateTime, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("lease_token", String(32), nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", String(300), nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Index("ix_callback_deliveries_due", "state", "next_attempt_at"),
    Index("ix_callback_deliveries_url", "project_id", "callback_url", "state"),
)

callback_attempts = Table(
    "callback_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(26), ForeignKey("callback_deliveries.event_id"), nullable=False),
    Column("attempt_no", Integer, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("latency_ms", Integer, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("outcome", String(16), nullable=False),
    Column("error", String(300), nullable=True),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Index("ix_callback_attempts_event", "event_id", "attempt_no"),
)
