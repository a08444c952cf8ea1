"""Projects and their access keys. A key reaches only its own project."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True)
class AccessKey:
    """An access key; the secret itself is never stored, only its keyed hash."""

    key_id: str
    project_id: str
    secret_hash: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: the key and the one project it may reach."""

    key_id: str
    project_id: str
