"""Stocking the inventory: generated numbers are valid for their plan; CSV imports are all-or-nothing."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from numberdesk.bootstrap import Container
from numberdesk.domain.errors import InvalidArgument
from numberdesk.domain.inventory import NumberType, SearchCriteria
from numberdesk.services import inventory

PLAN_TYPES = {
    NumberType.MOBILE: {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    },
    NumberType.LOCAL: {
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    },
    NumberType.TOLL_FREE: {phonenumbers.PhoneNumberType.TOLL_FREE},
}


def all_numbers(container: Container, region: str, number_type: NumberType) -> list[str]:
    with container.uows(readonly=True) as uow:
        return [
            n.phone_number for n in uow.inventory.search(SearchCriteria(region, number_type, size=10_000))
        ]


@pytest.mark.parametrize(
    ("region", "number_type"),
    [
        ("AU", NumberType.MOBILE),
        ("DE", NumberType.LOCAL),
        ("GB", NumberType.TOLL_FREE),
        ("US", NumberType.LOCAL),
        ("BR", NumberType.MOBILE),
        ("JP", NumberType.LOCAL),
    ],
)
def test_generated_numbers_are_valid_for_region_and_type(
    container: Container, region: str, number_type: NumberType
) -> None:
    added = inventory.generate_numbers(region, number_type, 200, container.uows, random.Random(7))
    numbers = all_numbers(container, region, number_type)
    assert added == len(numbers) == 200
    for number in numbers:
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_valid_number_for_region(parsed, region), number
        assert phonenumbers.number_type(parsed) in PLAN_TYPES[number_type], number


def test_generated_numbers_are_spread_over_many_ranges(container: Container) -> None:
    inventory.generate_numbers("AU", NumberType.MOBILE, 300, container.uows, random.Random(1))
    numbers = all_numbers(container, "AU", NumberType.MOBILE)
    blocks = {n[:8] for n in numbers}  # +61 4xx xx…: distinct thousand-blocks
    assert len(blocks) > 30
    ints = sorted(int(n[1:]) for n in numbers)
    assert ints[-1] - ints[0] > 10_000_000  # not one sequential block


def test_generate_refuses_types_the_plan_does_not_have(container: Container) -> None:
    with pytest.raises(InvalidArgument):
        inventory.generate_numbers("XX", NumberType.MOBILE, 1, container.uows)


GOOD_CSV = """phoneNumber,regionCode,type,capabilities,currencyCode,setupPrice,monthlyPrice
+61412345678,AU,MOBILE,SMS;VOICE,AUD,1.00,2.50
+61298765432,,LOCAL,VOICE,AUD,,
+18005550199,US,TOLL_FREE,VOICE,USD,2,3
"""


def test_import_a_clean_file(container: Container) -> None:
    report = inventory.import_csv(GOOD_CSV, container.uows)
    assert report.ok and report.imported == 3 and report.total == 3
    with container.uows(readonly=True) as uow:
        number = uow.inventory.get("+61412345678")
        local = uow.inventory.get("+61298765432")
    assert number is not None and str(number.monthly_price.amount) == "2.50"
    assert (
        local is not None and local.region_code == "AU" and [c.value for c in local.capabilities] == ["VOICE"]
    )


def test_one_bad_line_imports_nothing_and_every_problem_is_reported(container: Container) -> None:
    text = (
        GOOD_CSV
        + "\n".join(
            [
                "+6140000,AU,MOBILE,SMS,AUD,1,1",  # 5: too short to be an AU number
                "0412345678,AU,MOBILE,SMS,AUD,1,1",  # 6: not E.164
                "+61412345678,AU,MOBILE,SMS,AUD,1,1",  # 7: repeats line 2
                "+61412345679,AU,LOCAL,SMS,AUD,1,1",  # 8: a mobile number sold as LOCAL
                "+61412345680,AU,MOBILE,FAX,AUD,1,1",  # 9: unknown capability
                "+61412345681,AU,MOBILE,SMS,AUD,-1,1",  # 10: negative price
                "+61412345682,AU,MOBILE,SMS,ABC,1,1",  # 11: not a currency
            ]
        )
        + "\n"
    )
    report = inventory.import_csv(text, container.uows)
    assert [line for line, _ in report.errors] == [5, 6, 7, 8, 9, 10, 11]
    assert report.imported == 0
    assert all_numbers(container, "AU", NumberType.MOBILE) == []


def test_skip_invalid_imports_the_good_lines(container: Container) -> None:
    report = inventory.import_csv(GOOD_CSV + "garbage,,,,,,\n", container.uows, skip_invalid=True)
    assert report.imported == 3 and [line for line, _ in report.errors] == [5]


def test_numbers_already_stocked_are_reported(container: Container) -> None:
    inventory.import_csv(GOOD_CSV, container.uows)
    report = inventory.import_csv(GOOD_CSV, container.uows)
    assert report.imported == 0 and len(report.errors) == 3
    assert "already in the inventory" in report.errors[0][1]


def test_a_file_without_the_phone_number_column(container: Container) -> None:
    report = inventory.import_csv("number,region\n+61412345678,AU\n", container.uows)
    assert not report.ok and report.errors[0][0] == 1
