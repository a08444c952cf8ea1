"""The simulated outside world of hosting: OSR/NNID updates, the SMS platform, the 10DLC campaign
registry, T-Mobile's aggregator records and the OSR eligibility check.

Failure injection is data: an operator rule names a step, what it matches (a phone number, a
service plan id, a campaign id, an NNID, or `*`) and the seed's `failureCode` to fail with.
The `TMO_ASSIGNED` step is different: it marks a number as held by another aggregator on
T-Mobile, so its campaign link fails with the rule's code unless the order (or the imported
number) asked for `migrateToSinchTmo`, in which case the migration succeeds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.imported_events import FailureCode


class CarrierStep(StrEnum):
    OSR_UPDATE = "OSR_UPDATE"
    PLATFORM_PROVISIONING = "PLATFORM_PROVISIONING"
    CAMPAIGN_PROVISIONING = "CAMPAIGN_PROVISIONING"
    TMO_ASSIGNED = "TMO_ASSIGNED"
    ELIGIBILITY = "ELIGIBILITY"


DEFAULT_FAILURE_CODES: Final = {
    CarrierStep.OSR_UPDATE: FailureCode.INVALID_NNID,
    CarrierStep.PLATFORM_PROVISIONING: FailureCode.NUMBER_PROVISIONING_FAILED,
    CarrierStep.CAMPAIGN_PROVISIONING: FailureCode.CAMPAIGN_PROVISIONING_FAILED,
    CarrierStep.TMO_ASSIGNED: FailureCode.MNO_SHARING_ERROR,
    CarrierStep.ELIGIBILITY: FailureCode.NUMBER_PROVISIONING_FAILED,
}


@dataclass(frozen=True)
class CarrierFailureRule:
    id: str
    step: CarrierStep
    match: str
    failure_code: FailureCode
    created_at: datetime

    def matches(self, step: CarrierStep, keys: Iterable[str]) -> bool:
        return self.step is step and (self.match == "*" or self.match in set(keys))


@dataclass(frozen=True)
class CarrierTiming:
    """Seconds each simulated carrier step takes, and the eligibility check."""

    step_seconds: float = 5.0
    eligibility_seconds: float = 5.0


def first_failure(rules: Sequence[CarrierFailureRule], step: CarrierStep, *keys: str) -> FailureCode | None:
    """The failure code of the first (oldest) rule for `step` that matches any of `keys`."""
    for rule in sorted(rules, key=lambda r: (r.created_at, r.id)):
        if rule.matches(step, [k for k in keys if k]):
            return rule.failure_code
    return None


def parse_rule(step: str, match: str, failure_code: str | None) -> tuple[CarrierStep, str, FailureCode]:
    violations = []
    try:
        parsed_step = CarrierStep(step.strip().upper())
    except ValueError:
        parsed_step = CarrierStep.OSR_UPDATE
        allowed = ", ".join(s.value for s in CarrierStep)
        violations.append(FieldViolation("step", f"must be one of {allowed}"))
    if not match.strip():
        violations.append(FieldViolation("match", "a phone number, servicePlanId, campaignId, NNID or *"))
    code = DEFAULT_FAILURE_CODES[parsed_step]
    if failure_code:
        try:
            code = FailureCode(failure_code.strip().upper())
        except ValueError:
            violations.append(
                FieldViolation("failureCode", "must be one of " + ", ".join(c.value for c in FailureCode))
            )
    if violations:
        raise InvalidArgument("the failure rule is not valid", violations)
    return parsed_step, match.strip(), code


# -- service plans ----------------------------------------------------------------------------------

SERVICE_PLAN_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")


def service_plan_violations(
    service_plan_id: str | None, known: frozenset[str], field: str
) -> list[FieldViolation]:
    """The servicePlanId rule: 1-64 letters, digits, `_` or `-`; and, once the operator has
    registered any service plans, one of them."""
    if not service_plan_id:
        return []  # required-ness is the domain objects' check
    if not SERVICE_PLAN_PATTERN.fullmatch(service_plan_id):
        return [FieldViolation(field, "Invalid servicePlanId: 1-64 letters, digits, _ or -")]
    if known and service_plan_id not in known:
        return [FieldViolation(field, "Invalid servicePlanId: no such service plan")]
    return []
