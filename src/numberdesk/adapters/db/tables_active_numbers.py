"""Active numbers, their E911 addresses, and the provisioning simulator's settings and failure rules."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text

from numberdesk.adapters.db.metadata import UtcDateTime, metadata

active_numbers = Table(
    "active_numbers",
    metadata,
    Column("phone_number", String(20), ForeignKey("numbers.phone_number"), primary_key=True),
    Column("project_id", String(36), nullable=False),
    Column("region_code", String(2), nullable=False),
    Column("number_type", String(10), nullable=False),
    Column("capabilities", Integer, nullable=False),
    Column("currency_code", String(3), nullable=False),
    Column("monthly_price", String(20), nullable=False),
    Column("payment_interval_months", Integer, nullable=False),
    Column("activated_at", UtcDateTime, nullable=False),
    Column("expire_at", UtcDateTime, nullable=True),
    Column("display_name", String(200), nullable=False),
    Column("callback_url", String(2048), nullable=False),
    Column("sms_service_plan_id", String(100), nullable=False),
    Column("sms_campaign_id", String(100), nullable=False),
    Column("sms_scheduled", Text, nullable=True),  # JSON of ScheduledSms
    Column("voice_type", String(8), nullable=False),
    Column("voice_id", String(100), nullable=False),
    Column("voice_last_updated", UtcDateTime, nullable=True),
    Column("voice_scheduled", Text, nullable=True),  # JSON of ScheduledVoice
    Column("version", Integer, nullable=False),
    Index("ix_active_numbers_project_phone", "project_id", "phone_number"),
    Index("ix_active_numbers_project_name", "project_id", "display_name", "phone_number"),
)

emergency_addresses = Table(
    "emergency_addresses",
    metadata,
    Column(
        "phone_number",
        String(20),
        ForeignKey("active_numbers.phone_number", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("project_id", String(36), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("street_number", String(50), nullable=False),
    Column("street_info", String(200), nullable=False),
    Column("location", String(200), nullable=False),
    Column("city", String(100), nullable=False),
    Column("state", String(50), nullable=False),
    Column("postal_code", String(20), nullable=False),
    Column("postal_code_plus_four", String(10), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

simulator_failure_rules = Table(
    "simulator_failure_rules",
    metadata,
    Column("id", String(26), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("match", String(100), nullable=False),
    Column("failure_code", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

simulator_settings = Table(
    "simulator_settings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("waiting_seconds", Float, nullable=False),
    Column("in_progress_seconds", Float, nullable=False),
)
