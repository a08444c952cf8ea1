"""Foundation tables: projects, keys, inventory and its search index, jobs, sandbox clock."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from numberdesk.adapters.db.metadata import UtcDateTime, metadata

projects = Table(
    "projects",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

access_keys = Table(
    "access_keys",
    metadata,
    Column("key_id", String(36), primary_key=True),
    Column("project_id", String(36), ForeignKey("projects.id"), nullable=False, index=True),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)

numbers = Table(
    "numbers",
    metadata,
    Column("phone_number", String(20), primary_key=True),
    Column("region_code", String(2), nullable=False),
    Column("number_type", String(10), nullable=False),
    Column("capabilities", Integer, nullable=False),
    Column("currency_code", String(3), nullable=False),
    Column("setup_price", String(20), nullable=False),
    Column("monthly_price", String(20), nullable=False),
    Column("payment_interval_months", Integer, nullable=False),
    Column("state", String(12), nullable=False),
    Column("project_id", String(36), nullable=True),
    Index("ix_numbers_search", "region_code", "number_type", "state", "phone_number"),
)

# Every suffix of every number's E.164 string: a CONTAINS search is a prefix range over
# `suffix`, an END search an equality. Both are index seeks on SQLite and PostgreSQL alike.
number_suffixes = Table(
    "number_suffixes",
    metadata,
    Column("region_code", String(2), nullable=False),
    Column("number_type", String(10), nullable=False),
    Column("suffix", String(20), nullable=False),
    Column(
        "phone_number",
        String(20),
        ForeignKey("numbers.phone_number", ondelete="CASCADE"),
        nullable=False,
    ),
    UniqueConstraint("region_code", "number_type", "suffix", "phone_number", name="pk_number_suffixes"),
)

scheduled_jobs = Table(
    "scheduled_jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),
    Column("ref", String(128), nullable=False),
    Column("due_at", UtcDateTime, nullable=False, index=True),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String(500), nullable=True),
    UniqueConstraint("kind", "ref"),
)

sandbox_clock = Table(
    "sandbox_clock",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("offset_us", BigInteger, nullable=False),
)

outbox_events = Table(
    "outbox_events",
    metadata,
    Column("event_id", String(26), primary_key=True),
    Column("project_id", String(36), nullable=False, index=True),
    Column("api", String(16), nullable=False),
    Column("resource_type", String(40), nullable=False),
    Column("resource_id", String(64), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("status", String(40), nullable=False),
    Column("failure_code", String(64), nullable=True),
    Column("internal_failure_code", String(64), nullable=True),
    Column("extra", String, nullable=False, default="{}"),
    Column("callback_url", String(2048), nullable=True),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("seq", Integer, nullable=True),
)
