"""Identifiers as the real service shapes them: lowercase 26-character ULIDs for orders, attachments, events."""

from __future__ import annotations

from ulid import ULID


def new_id() -> str:
    return str(ULID()).lower()
