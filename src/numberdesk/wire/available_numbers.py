"""Available numbers: search results and one number's availability."""

from __future__ import annotations

from numberdesk.wire.base import WireResponse
from numberdesk.wire.numbers_common import Capability, Money, NumberType


class AvailableNumber(WireResponse):
    phone_number: str
    region_code: str
    type: NumberType
    capability: list[Capability]
    setup_price: Money
    monthly_price: Money
    payment_interval_months: int
    supporting_documentation_required: bool


class ListAvailableNumbersResponse(WireResponse):
    available_numbers: list[AvailableNumber]
