"""Imported numbers, hosting orders, qualified numbers and the carrier simulator.

Aggregates are stored as a JSON document beside the columns lists filter on; a `version`
column settles races (UPDATE ... WHERE version = :loaded).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Index, Integer, LargeBinary, String, Table, Text

from numberdesk.adapters.db.metadata import UtcDateTime, metadata

imported_numbers = Table(
    "imported_numbers",
    metadata,
    Column("phone_number", String(20), primary_key=True),
    Column("project_id", String(36), nullable=False),
    Column("region_code", String(2), nullable=False),
    Column("created_time", UtcDateTime, nullable=False),
    Column("document", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_imported_numbers_project_id_phone_number", "project_id", "phone_number"),
)

hosting_orders = Table(
    "hosting_orders",
    metadata,
    Column("hosting_order_id", String(26), primary_key=True),
    Column("project_id", String(36), nullable=False),
    Column("state", String(32), nullable=False),
    Column("order_type", String(32), nullable=False),
    Column("created_time", UtcDateTime, nullable=False),
    Column("document", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_hosting_orders_project_id_created_time", "project_id", "created_time"),
)

qualified_numbers = Table(
    "qualified_numbers",
    metadata,
    Column("project_id", String(36), primary_key=True),
    Column("phone_number", String(20), primary_key=True),
    Column("state", String(64), nullable=False),
    Column("created_time", UtcDateTime, nullable=False),
    Column("document", Text, nullable=False),
    Column("version", Integer, nullable=False),
)

imported_project_settings = Table(
    "imported_project_settings",
    metadata,
    Column("project_id", String(36), primary_key=True),
    Column("import_number_limit", Integer, nullable=False),
    Column("blanket_loa_approved", Boolean, nullable=False),
    Column("nnid", String(32), nullable=False),
    Column("hmac_secret", LargeBinary, nullable=True),  # AES-GCM ciphertext
)

imported_service_plans = Table(
    "imported_service_plans",
    metadata,
    Column("service_plan_id", String(64), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
)

carrier_failure_rules = Table(
    "carrier_failure_rules",
    metadata,
    Column("id", String(26), primary_key=True),
    Column("step", String(32), nullable=False),
    Column("match", String(100), nullable=False),
    Column("failure_code", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

carrier_settings = Table(
    "carrier_settings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("step_seconds", Float, nullable=False),
    Column("eligibility_seconds", Float, nullable=False),
)

sandbox_voice_codes = Table(
    "sandbox_voice_codes",
    metadata,
    Column("phone_number", String(20), primary_key=True),
    Column("code", String(16), nullable=False),
    Column("called_at", UtcDateTime, nullable=False),
)
