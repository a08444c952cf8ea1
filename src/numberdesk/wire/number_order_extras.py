"""numberdesk extensions around Number Orders (not in the Sinch contract): the `:evaluate` dry run and
the operator's review API (`/admin/v1/...`)."""

from __future__ import annotations

from pydantic import Field

from numberdesk.wire.base import WireRequest, WireResponse
from numberdesk.wire.errors import FieldViolationOut
from numberdesk.wire.number_orders import NumberOrder, Registration


class FieldCheck(WireResponse):
    path: str
    satisfied: bool
    problem: str | None = None


class AttachmentCheck(WireResponse):
    attachment_id: str
    mandatory: bool
    uploaded: bool
    satisfied: bool


class EvaluationReport(WireResponse):
    """`ready` when submit would be accepted; `missing` is exactly what submit would refuse with."""

    ready: bool
    fields: list[FieldCheck]
    attachments: list[AttachmentCheck]
    missing: list[FieldViolationOut]


class ReviewReasonIn(WireRequest):
    code: str = Field(description="UPPER_SNAKE_CASE reason code, e.g. ADDRESS_OUTSIDE_AREA")
    message: str
    field: str | None = Field(default=None, description="path of the field, e.g. requestDetails.address")
    attachment_id: str | None = None


class ReviewDecisionIn(WireRequest):
    message: str = ""
    reasons: list[ReviewReasonIn] = Field(default_factory=list)


class ReviewQueue(WireResponse):
    number_orders: list[NumberOrder]


class OrderDossier(WireResponse):
    """An order as the reviewer sees it: the order, its decrypted registration, and the evaluation."""

    number_order: NumberOrder
    registration: Registration
    evaluation: EvaluationReport
    document_urls: dict[str, str] = Field(
        default_factory=dict, description="attachmentId → admin URL of the decrypted document"
    )
