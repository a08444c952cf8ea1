"""Use cases over the number inventory: search, check one number, list regions, and stock it."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pycountry

from numberdesk.domain.errors import FieldViolation, InvalidArgument, NotFound
from numberdesk.domain.inventory import (
    Capability,
    InventoryNumber,
    NumberState,
    NumberType,
    Price,
    RegionProduct,
    SearchCriteria,
)
from numberdesk.domain.phone_numbers import NumberGenerator, is_of_type, parse_e164, region_of, type_of
from numberdesk.services.ports import UnitOfWorkFactory

DEFAULT_CAPABILITIES: dict[NumberType, tuple[Capability, ...]] = {
    NumberType.MOBILE: (Capability.SMS, Capability.VOICE),
    NumberType.LOCAL: (Capability.SMS, Capability.VOICE),
    NumberType.TOLL_FREE: (Capability.VOICE,),
}
DEFAULT_PRICES: dict[NumberType, tuple[Decimal, Decimal]] = {
    NumberType.MOBILE: (Decimal("1.00"), Decimal("2.00")),
    NumberType.LOCAL: (Decimal("0.50"), Decimal("1.00")),
    NumberType.TOLL_FREE: (Decimal("2.00"), Decimal("3.00")),
}


def region_name(region_code: str) -> str:
    country = pycountry.countries.get(alpha_2=region_code)
    return str(country.name) if country is not None else region_code


def validate_region_code(region_code: str, field_name: str = "regionCode") -> str:
    code = region_code.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise InvalidArgument(
            f"{region_code!r} is not an ISO 3166-1 alpha-2 region code",
            [FieldViolation(field_name, "must be an ISO 3166-1 alpha-2 region code, e.g. AU")],
        )
    return code


def search_available(criteria: SearchCriteria, uows: UnitOfWorkFactory) -> list[InventoryNumber]:
    with uows(readonly=True) as uow:
        return uow.inventory.search(criteria)


def get_available(phone_number: str, uows: UnitOfWorkFactory) -> InventoryNumber:
    with uows(readonly=True) as uow:
        number = uow.inventory.get(phone_number)
    if number is None or number.state is not NumberState.AVAILABLE:
        raise NotFound("AvailableNumber", phone_number, f"Number {phone_number} is not available")
    return number


def available_regions(types: Iterable[NumberType], uows: UnitOfWorkFactory) -> list[RegionProduct]:
    wanted = set(types)
    with uows(readonly=True) as uow:
        products = uow.inventory.products()
    by_region: dict[str, set[NumberType]] = {}
    for region_code, number_type in products:
        by_region.setdefault(region_code, set()).add(number_type)
    order = list(NumberType)
    return [
        RegionProduct(code, region_name(code), tuple(sorted(kinds, key=order.index)))
        for code, kinds in sorted(by_region.items())
        if not wanted or kinds & wanted
    ]


@dataclass(frozen=True)
class StockOptions:
    currency_code: str = "USD"
    setup_price: Decimal | None = None
    monthly_price: Decimal | None = None
    capabilities: tuple[Capability, ...] | None = None


def generate_numbers(
    region_code: str,
    number_type: NumberType,
    count: int,
    uows: UnitOfWorkFactory,
    rng: random.Random | None = None,
    options: StockOptions | None = None,
    batch: int = 5000,
) -> int:
    """Stock `count` new numbers valid for the region and type; returns how many were added."""
    region_code = validate_region_code(region_code)
    opts = options or StockOptions()
    generator = NumberGenerator(region_code, number_type, rng or random.Random())
    added = 0
    while added < count:
        wanted = min(batch, count - added)
        candidates = generator.generate(wanted * 2)
        with uows() as uow:
            taken = uow.inventory.existing(candidates)
            fresh = [c for c in candidates if c not in taken][:wanted]
            if not fresh:
                break
            uow.inventory.add_many([_stock(p, region_code, number_type, opts) for p in fresh])
            uow.commit()
        added += len(fresh)
    return added


def _stock(phone: str, region_code: str, number_type: NumberType, opts: StockOptions) -> InventoryNumber:
    setup, monthly = DEFAULT_PRICES[number_type]
    return InventoryNumber(
        phone_number=phone,
        region_code=region_code,
        number_type=number_type,
        capabilities=opts.capabilities or DEFAULT_CAPABILITIES[number_type],
        setup_price=Price(opts.currency_code, opts.setup_price if opts.setup_price is not None else setup),
        monthly_price=Price(
            opts.currency_code, opts.monthly_price if opts.monthly_price is not None else monthly
        ),
    )


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


CSV_COLUMNS = (
    "phoneNumber",
    "regionCode",
    "type",
    "capabilities",
    "currencyCode",
    "setupPrice",
    "monthlyPrice",
)


def import_csv(text: str, uows: UnitOfWorkFactory, *, skip_invalid: bool = False) -> ImportReport:
    """Load an operator's numbers. Every line is checked first; by default one bad line imports
    nothing (no partial garbage). With `skip_invalid` the good lines land, atomically, and the
    report still lists every bad one."""
    report = ImportReport()
    parsed: list[InventoryNumber] = []
    seen: dict[str, int] = {}
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("phoneNumber",) if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(
            (1, f"header must include {', '.join(missing)}; columns: {', '.join(CSV_COLUMNS)}")
        )
        return report
    for line_no, row in enumerate(reader, start=2):
        report.total += 1
        try:
            number = _parse_row(row)
        except InvalidArgument as exc:
            report.errors.append((line_no, exc.message))
            continue
        if number.phone_number in seen:
            report.errors.append((line_no, f"{number.phone_number} repeats line {seen[number.phone_number]}"))
            continue
        seen[number.phone_number] = line_no
        parsed.append(number)
    with uows() as uow:
        taken = uow.inventory.existing([n.phone_number for n in parsed])
        for number in parsed:
            if number.phone_number in taken:
                report.errors.append(
                    (seen[number.phone_number], f"{number.phone_number} is already in the inventory")
                )
        report.errors.sort()
        if report.errors and not skip_invalid:
            return report
        fresh = [n for n in parsed if n.phone_number not in taken]
        uow.inventory.add_many(fresh)
        uow.commit()
    report.imported = len(fresh)
    return report


def _parse_row(row: dict[str, str | None]) -> InventoryNumber:
    phone = parse_e164((row.get("phoneNumber") or "").strip())
    region = (row.get("regionCode") or "").strip().upper() or (region_of(phone) or "")
    region = validate_region_code(region)
    type_text = (row.get("type") or "").strip().upper()
    number_type = _parse_type(type_text) if type_text else type_of(phone)
    if number_type is None:
        raise InvalidArgument(f"{phone}: cannot tell the number type; give a type column")
    if not is_of_type(phone, region, number_type):
        raise InvalidArgument(f"{phone} is not a {number_type.value} number of {region}")
    caps_text = (row.get("capabilities") or "").replace(";", ",").replace("|", ",")
    capabilities = tuple(_parse_capability(c) for c in caps_text.split(",") if c.strip())
    currency = (row.get("currencyCode") or "USD").strip().upper()
    if pycountry.currencies.get(alpha_3=currency) is None:
        raise InvalidArgument(f"{currency!r} is not an ISO 4217 currency code")
    setup = _parse_amount(row.get("setupPrice"), DEFAULT_PRICES[number_type][0])
    monthly = _parse_amount(row.get("monthlyPrice"), DEFAULT_PRICES[number_type][1])
    return InventoryNumber(
        phone_number=phone,
        region_code=region,
        number_type=number_type,
        capabilities=capabilities or DEFAULT_CAPABILITIES[number_type],
        setup_price=Price(currency, setup),
        monthly_price=Price(currency, monthly),
    )


def _parse_type(text: str) -> NumberType:
    try:
        return NumberType(text)
    except ValueError:
        raise InvalidArgument(f"type {text!r} is not one of MOBILE, LOCAL, TOLL_FREE") from None


def _parse_capability(text: str) -> Capability:
    try:
        return Capability(text.strip().upper())
    except ValueError:
        raise InvalidArgument(f"capability {text.strip()!r} is not one of SMS, VOICE") from None


def _parse_amount(text: str | None, default: Decimal) -> Decimal:
    if text is None or not text.strip():
        return default
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidArgument(f"price {text.strip()!r} is not a decimal amount") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("100000"):
        raise InvalidArgument(f"price {text.strip()!r} must be a non-negative amount with at most 2 decimals")
    return amount
