"""Identifiers shaped as the real service's: lowercase 26-character ULIDs (orders, attachments, events)."""

from __future__ import annotations

from ulid import ULID


def new_id() -> str:
    return str(ULID()).lower()
