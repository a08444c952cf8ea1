"""Number orders: the order, its numbers, live reservations, registration, logs, documents, and
idempotency keys."""

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
    Text,
    UniqueConstraint,
)

from numberdesk.adapters.db.metadata import UtcDateTime, metadata

number_orders = Table(
    "number_orders",
    metadata,
    Column("id", String(26), primary_key=True),
    Column("project_id", String(36), nullable=False),
    Column("region_code", String(2), nullable=False),
    Column("number_type", String(10), nullable=False),
    Column("state", String(16), nullable=False),
    Column("sms_service_plan_id", String(100), nullable=True),
    Column("sms_campaign_id", String(100), nullable=True),
    Column("voice_type", String(8), nullable=True),
    Column("voice_id", String(100), nullable=True),
    Column("callback_url", String(2048), nullable=True),
    Column("expire_time", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_number_orders_project_id_state", "project_id", "state", "id"),
    Index("ix_number_orders_state_expire_time", "state", "expire_time"),
)

number_order_numbers = Table(
    "number_order_numbers",
    metadata,
    Column("order_id", String(26), ForeignKey("number_orders.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("phone_number", String(20), nullable=False),
    Column("capabilities", Integer, nullable=False),
    Column("currency_code", String(3), nullable=False),
    Column("setup_price", String(20), nullable=False),
    Column("monthly_price", String(20), nullable=False),
    Column("payment_interval_months", Integer, nullable=False),
    PrimaryKeyConstraint("order_id", "position"),
)

# One row per number held by a live order (CREATED, IN_REVIEW, BLOCKED): the primary key makes "a
# number in two live orders" impossible, whatever the code above it does.
number_reservations = Table(
    "number_reservations",
    metadata,
    Column("phone_number", String(20), primary_key=True),
    Column("order_id", String(26), ForeignKey("number_orders.id", ondelete="CASCADE"), nullable=False),
    Index("ix_number_reservations_order_id", "order_id"),
)

number_order_registrations = Table(
    "number_order_registrations",
    metadata,
    Column("order_id", String(26), ForeignKey("number_orders.id", ondelete="CASCADE"), primary_key=True),
    Column("ciphertext", LargeBinary, nullable=False),  # AES-GCM, associated data = order id
    Column("key_id", String(32), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

number_order_logs = Table(
    "number_order_logs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(26), ForeignKey("number_orders.id", ondelete="CASCADE"), nullable=False),
    Column("message", Text, nullable=False),
    Column("reasons", Text, nullable=False),  # JSON list of coded reasons
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_number_order_logs_order_id", "order_id", "id"),
)

number_order_attachments = Table(
    "number_order_attachments",
    metadata,
    Column("order_id", String(26), ForeignKey("number_orders.id", ondelete="CASCADE"), nullable=False),
    Column("attachment_id", String(64), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("mime_type", String(127), nullable=False),
    Column("document_type", String(127), nullable=True),
    Column("size", Integer, nullable=False),
    Column("blob_key", String(200), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("order_id", "attachment_id"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("project_id", String(36), nullable=False),
    Column("key", String(255), nullable=False),
    Column("operation", String(64), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("result", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("project_id", "key", "operation"),
)
