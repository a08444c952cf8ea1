"""Regions numbers can be bought in, with their number types."""

from __future__ import annotations

from numberdesk.wire.base import WireResponse
from numberdesk.wire.numbers_common import NumberType


class AvailableRegion(WireResponse):
    region_code: str
    region_name: str
    types: list[NumberType]


class ListAvailableRegionsResponse(WireResponse):
    available_regions: list[AvailableRegion]
