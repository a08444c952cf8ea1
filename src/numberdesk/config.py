"""One typed `Settings` object, built once at start-up from `NUMBERDESK_*` variables.

Nothing here runs at import time: `Settings()` reads the environment when called.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NUMBERDESK_", extra="ignore")

    home: Path = Field(default=Path(".numberdesk"), description="state directory (SQLite file, blobs)")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default: SQLite in home")
    sandbox: bool = Field(default=False, description="sandbox mode: movable clock, generated secrets")
    admin_token: str | None = None
    secret_key: str | None = Field(default=None, description="master key for token signing and key hashing")
    encryption_keys: str | None = Field(
        default=None, description="'kid:base64key,…' for KYC data at rest; the first one encrypts"
    )
    token_lifetime_seconds: int = 3599
    revocation_check_seconds: float = Field(
        default=30.0, description="how long a process trusts that a token's key is not revoked"
    )
    rate_limit_per_second: float = Field(default=200.0, description="per access key; 0 disables")
    rate_limit_burst: int = 400
    max_json_body_bytes: int = 1024 * 1024
    max_upload_bytes: int = 10 * 1024 * 1024
    available_numbers_default_size: int = 30
    available_numbers_max_size: int = 1000
    run_workers: bool = Field(default=True, description="run timers/dispatcher inside serve")
    worker_poll_seconds: float = 0.2
    catalog_dir: Path | None = Field(default=None, description="operator KYC catalog overrides")
    callback_timeout_seconds: float = Field(default=10.0, description="per callback attempt, total")
    callback_retry_window_hours: float = Field(default=72.0, description="retry callbacks for this long")
    callback_retry_initial_seconds: float = Field(default=30.0, description="first backoff delay")
    callback_retry_max_delay_seconds: float = Field(default=3600.0, description="backoff cap")
    callback_threads: int = Field(default=16, description="concurrent callback attempts per worker")
    callback_batch: int = Field(default=64, description="deliveries claimed per dispatcher round")
    callback_lease_seconds: float | None = Field(
        default=None, description="claim lease; default: long enough for a whole batch to time out"
    )
    callback_allow_loopback: bool = Field(
        default=False, description="allow 127/8 and ::1 (always in sandbox)"
    )
    callback_allowed_networks: str = Field(
        default="", description="comma-separated CIDRs callbacks may reach despite the SSRF guard"
    )
    number_order_reservation_hours: int = Field(
        default=48, ge=1, le=48, description="reservation of orders in regions without a KYC policy"
    )
    number_order_complete_without_policy: bool = Field(
        default=True, description="orders in regions without a KYC policy complete at submit, no review"
    )
    auto_review_seconds: float | None = Field(
        default=None, ge=0, description="sandbox only: approve valid submitted orders after N seconds"
    )

    @field_validator("database_url")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'numberdesk.db').resolve()}"

    @property
    def blob_dir(self) -> Path:
        return self.home / "blobs"
