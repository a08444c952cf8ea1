"""Offset page tokens for the imported-numbers lists (opaque base64 to clients)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from numberdesk.domain.errors import FieldViolation, InvalidArgument

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_page_token: str
    total_size: int


def page_size(requested: int | None) -> int:
    """The server's choice: the default for none or 0 (or less), at most MAX_PAGE_SIZE."""
    if requested is None or requested <= 0:
        return DEFAULT_PAGE_SIZE
    return min(requested, MAX_PAGE_SIZE)


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token.encode("ascii") + b"==").decode("ascii")
        kind, _, number = text.partition(":")
        if kind != "o" or not number.isdigit():
            raise ValueError(text)
        return int(number)
    except (ValueError, UnicodeError, binascii.Error):
        raise InvalidArgument(
            "the page token is not valid", [FieldViolation("pageToken", "use a nextPageToken from a listing")]
        ) from None


def paginate(items: Sequence[T], size: int | None, token: str | None) -> Page[T]:
    start = _offset(token)
    limit = page_size(size)
    chunk = list(items[start : start + limit])
    end = start + len(chunk)
    following = ""
    if end < len(items):
        following = base64.urlsafe_b64encode(f"o:{end}".encode()).decode().rstrip("=")
    return Page(chunk, following, len(items))
