"""The domain's error tree. Errors carry meaning and data, never HTTP.

`numberdesk.api.errors` maps each class to a status and the Sinch error envelope, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    """Base of every expected failure."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldViolation:
    """One bad field: `field` is a dotted/indexed path (`requestDetails.data[1].city`)."""

    field: str
    description: str


class InvalidArgument(DomainError):
    """Bad input: 400 INVALID_ARGUMENT with one field violation per bad field."""

    def __init__(self, message: str, violations: list[FieldViolation] | None = None) -> None:
        super().__init__(message)
        self.violations: list[FieldViolation] = list(violations or [])


class NotFound(DomainError):
    """A resource does not exist (or is not visible): 404 with a ResourceInfo detail."""

    def __init__(self, resource_type: str, resource_name: str, message: str | None = None) -> None:
        super().__init__(message or f"{resource_type} not found")
        self.resource_type = resource_type
        self.resource_name = resource_name


class PermissionDenied(DomainError):
    """The caller may not do this (another project's resource, a disabled feature): 403."""


class Unauthenticated(DomainError):
    """Missing, wrong, revoked or expired credentials: 401."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


class AlreadyExists(DomainError):
    """A create that collides with an existing resource: 409 ALREADY_EXISTS."""

    def __init__(self, resource_type: str, resource_name: str, message: str | None = None) -> None:
        super().__init__(message or f"{resource_type} {resource_name} already exists")
        self.resource_type = resource_type
        self.resource_name = resource_name


class Conflict(DomainError):
    """The resource is not in a state that allows this: 409 FAILED_PRECONDITION/ABORTED."""


@dataclass
class InvalidTransition(Conflict):
    """A state machine refused a move."""

    resource_type: str
    current: str
    target: str
    message: str = field(init=False)

    def __post_init__(self) -> None:
        self.message = f"{self.resource_type} cannot move from {self.current} to {self.target}"
        Conflict.__init__(self, self.message)


class ContentTooLarge(DomainError):
    """A payload over its size limit: 413 CONTENT_TOO_LARGE."""

    def __init__(self, resource_name: str, limit_bytes: int) -> None:
        super().__init__(f"{resource_name} is larger than the limit of {limit_bytes} bytes")
        self.resource_name = resource_name
        self.limit_bytes = limit_bytes


class UnsupportedMediaType(DomainError):
    """A request body in a content type this operation does not take: 415."""


class RateLimited(DomainError):
    """Too many requests: 429 RESOURCE_EXHAUSTED."""

    def __init__(self, message: str, retry_after_seconds: int | None = None) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
