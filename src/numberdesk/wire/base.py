"""Base classes for the JSON contract.

Requests ignore unknown top-level fields (real SDKs send extras); responses are built by us and
serialised with their wire (camelCase) names. Every wire model subclasses one of these two.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class WireRequest(BaseModel):
    """A body a client sends: camelCase on the wire, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        str_strip_whitespace=False,
    )


class WireResponse(BaseModel):
    """A body the server sends: camelCase on the wire, built from trusted values."""

    # Unknown fields are ignored so our own client keeps reading a newer server (or the real one).
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    def to_wire(self) -> dict[str, object]:
        return self.model_dump(by_alias=True, mode="json")
