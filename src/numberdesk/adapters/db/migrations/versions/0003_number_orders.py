"""Number orders: orders, numbers, reservations, registrations, logs, attachments, idempotency keys.

Revision ID: 0003_number_orders
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from numberdesk.adapters.db.metadata import UtcDateTime

revision = "0003_number_orders"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def _order_fk(name: str) -> sa.ForeignKey:
    return sa.ForeignKey("number_orders.id", ondelete="CASCADE", name=f"fk_{name}_order_id_number_orders")


def upgrade() -> None:
    op.create_table(
        "number_orders",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("region_code", sa.String(2), nullable=False),
        sa.Column("number_type", sa.String(10), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("sms_service_plan_id", sa.String(100), nullable=True),
        sa.Column("sms_campaign_id", sa.String(100), nullable=True),
        sa.Column("voice_type", sa.String(8), nullable=True),
        sa.Column("voice_id", sa.String(100), nullable=True),
        sa.Column("callback_url", sa.String(2048), nullable=True),
        sa.Column("expire_time", UtcDateTime, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_number_orders_project_id_state", "number_orders", ["project_id", "state", "id"])
    op.create_index("ix_number_orders_state_expire_time", "number_orders", ["state", "expire_time"])
    op.create_table(
        "number_order_numbers",
        sa.Column("order_id", sa.String(26), _order_fk("number_order_numbers"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("phone_number", sa.String(20), nullable=False),
        sa.Column("capabilities", sa.Integer, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("setup_price", sa.String(20), nullable=False),
        sa.Column("monthly_price", sa.String(20), nullable=False),
        sa.Column("payment_interval_months", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("order_id", "position", name="pk_number_order_numbers"),
    )
    op.create_table(
        "number_reservations",
        sa.Column("phone_number", sa.String(20), primary_key=True),
        sa.Column("order_id", sa.String(26), _order_fk("number_reservations"), nullable=False),
    )
    op.create_index("ix_number_reservations_order_id", "number_reservations", ["order_id"])
    op.create_table(
        "number_order_registrations",
        sa.Column("order_id", sa.String(26), _order_fk("number_order_registrations"), primary_key=True),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "number_order_logs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.String(26), _order_fk("number_order_logs"), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_number_order_logs_order_id", "number_order_logs", ["order_id", "id"])
    op.create_table(
        "number_order_attachments",
        sa.Column("order_id", sa.String(26), _order_fk("number_order_attachments"), nullable=False),
        sa.Column("attachment_id", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("mime_type", sa.String(127), nullable=False),
        sa.Column("document_type", sa.String(127), nullable=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("blob_key", sa.String(200), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("order_id", "attachment_id", name="pk_number_order_attachments"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("result", sa.Text, nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint(
            "project_id", "key", "operation", name="uq_idempotency_keys_project_id_key_operation"
        ),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("number_order_attachments")
    op.drop_index("ix_number_order_logs_order_id", "number_order_logs")
    op.drop_table("number_order_logs")
    op.drop_table("number_order_registrations")
    op.drop_index("ix_number_reservations_order_id", "number_reservations")
    op.drop_table("number_reservations")
    op.drop_table("number_order_numbers")
    op.drop_index("ix_number_orders_state_expire_time", "number_orders")
    op.drop_index("ix_number_orders_project_id_state", "number_orders")
    op.drop_table("number_orders")
