"""What list and PATCH requests on imported numbers ask for, independent of the wire."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from numberdesk.domain.errors import FieldViolation, InvalidArgument

SERVICE_PLAN_FIELD: Final = "smsConfiguration.servicePlanId"
CAMPAIGN_FIELD: Final = "smsConfiguration.campaignId"
UPDATABLE_PATHS: Final = frozenset({"displayName", SERVICE_PLAN_FIELD, CAMPAIGN_FIELD})


class SearchPattern(StrEnum):
    """The seed spells the middle one CONTAIN (the Numbers API says CONTAINS)."""

    START = "START"
    CONTAIN = "CONTAIN"
    END = "END"


@dataclass(frozen=True)
class NumberPattern:
    pattern: str
    search_pattern: SearchPattern = SearchPattern.CONTAIN

    def matches(self, phone_number: str) -> bool:
        if self.search_pattern is SearchPattern.START:
            return phone_number.startswith(self.pattern)
        if self.search_pattern is SearchPattern.END:
            return phone_number.endswith(self.pattern)
        return self.pattern in phone_number


@dataclass(frozen=True)
class ImportedNumberFilter:
    """List filters; a service plan or campaign matches whether it is linked or being linked."""

    region_code: str | None = None
    number_pattern: NumberPattern | None = None
    service_plan_id: str | None = None
    campaign_id: str | None = None


@dataclass(frozen=True)
class ImportedNumberChanges:
    """The values of a PATCH body; only the fields named by the update mask are applied."""

    display_name: str | None = None
    service_plan_id: str | None = None
    campaign_id: str | None = None


def parse_update_mask(update_mask: str | None) -> frozenset[str]:
    """`displayName,smsConfiguration.servicePlanId` -> paths; `smsConfiguration` means both ids."""
    paths = {part.strip() for part in (update_mask or "").split(",") if part.strip()}
    if not paths:
        raise InvalidArgument(
            "updateMask is required", [FieldViolation("updateMask", "name the fields to update")]
        )
    if "smsConfiguration" in paths:
        paths = (paths - {"smsConfiguration"}) | {SERVICE_PLAN_FIELD, CAMPAIGN_FIELD}
    unknown = sorted(paths - UPDATABLE_PATHS)
    if unknown:
        allowed = ", ".join(sorted(UPDATABLE_PATHS))
        raise InvalidArgument(
            "updateMask names fields that cannot be updated",
            [
                FieldViolation("updateMask", f"{path} cannot be updated; allowed: {allowed}")
                for path in unknown
            ],
        )
    return frozenset(paths)
