"""Loads the KYC requirements catalog: packaged region files, then an operator's override directory.

Every file is checked strictly before anything is used, and the first problem raises `CatalogError`
naming the file and the field. Call `load_catalog` once at start-up; nothing is read at import time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import cast

import pycountry
from jsonschema import Draft202012Validator, SchemaError  # type: ignore[import-untyped]

from numberdesk.domain.kyc import (
    DEFAULT_RESERVATION_HOURS,
    END_USER_TYPES,
    AttachmentRequirement,
    AttachmentTemplate,
    Catalog,
    CatalogError,
    CheckKind,
    FieldRule,
    LocalAddressRule,
    LocalArea,
    RequirementSet,
    UnmatchedArea,
)
from numberdesk.domain.registration import schema_violations, validate_registration

_PACKAGE = "numberdesk"
_FORMAT_SCHEMA = "catalog-file.schema.json"


def load_catalog(extra_dir: Path | None = None, *, packaged: bool = True) -> Catalog:
    """The packaged regions, with each (region, number type) in `extra_dir/<RC>.json` added or replaced.

    `packaged=False` reads `extra_dir` alone (an operator's complete catalog, or a test's few files).
    Checking every JSON Schema against the 2020-12 metaschema makes a full load take about half a
    second: load once at start-up and pass the `Catalog` around.
    """
    catalog_dir = files(_PACKAGE).joinpath("catalog")
    format_schema = json.loads(catalog_dir.joinpath(_FORMAT_SCHEMA).read_text(encoding="utf-8"))
    sets: dict[tuple[str, str], RequirementSet] = {}
    if packaged:
        entries = (e for e in catalog_dir.joinpath("regions").iterdir() if e.name.endswith(".json"))
        for entry in sorted(entries, key=lambda e: e.name):
            name = f"{_PACKAGE}/catalog/regions/{entry.name}"
            sets.update(_read_file(name, entry.name, entry.read_text(encoding="utf-8"), format_schema))
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise CatalogError(str(extra_dir), "", "the catalog override directory does not exist")
        for path in sorted(extra_dir.glob("*.json")):
            sets.update(_read_file(str(path), path.name, path.read_text(encoding="utf-8"), format_schema))
    return Catalog(sets.values())


def _read_file(
    file: str, file_name: str, text: str, format_schema: Mapping[str, object]
) -> dict[tuple[str, str], RequirementSet]:
    try:
        document = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except ValueError as error:
        raise CatalogError(file, "", f"is not valid JSON: {error}") from None
    for violation in schema_violations(format_schema, document, root=""):
        raise CatalogError(file, violation.field, violation.description)
    region = document["regionCode"]
    if pycountry.countries.get(alpha_2=region) is None:
        raise CatalogError(file, "regionCode", "is not an ISO 3166-1 alpha-2 country code")
    if file_name != f"{region}.json":
        raise CatalogError(file, "regionCode", f"does not match the file name (expected {region}.json)")
    return {
        (region, number_type): _requirement_set(file, f"requirements.{number_type}", region, number_type, raw)
        for number_type, raw in document["requirements"].items()
    }


def _requirement_set(
    file: str, where: str, region: str, number_type: str, raw: Mapping[str, object]
) -> RequirementSet:
    schema = _as_mapping(raw["schema"])
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        field = ".".join([f"{where}.schema", *(str(part) for part in error.path)])
        raise CatalogError(file, field, f"is not a valid JSON Schema (2020-12): {error.message}") from None
    _check_end_user_types(file, f"{where}.schema", schema)
    attachments = tuple(
        _attachment(_as_mapping(item)) for index, item in enumerate(_as_list(raw["attachments"]))
    )
    seen: set[str] = set()
    for index, attachment in enumerate(attachments):
        if attachment.id in seen:
            raise CatalogError(file, f"{where}.attachments[{index}].id", f"repeats the id {attachment.id}")
        seen.add(attachment.id)
    checks = tuple(
        _field_rule(file, f"{where}.checks[{i}]", schema, _as_mapping(item))
        for i, item in enumerate(_as_list(raw.get("checks", [])))
    )
    rule_raw = raw.get("localAddressRule")
    rule = (
        None
        if rule_raw is None
        else _local_rule(file, f"{where}.localAddressRule", schema, _as_mapping(rule_raw))
    )
    example = raw.get("example")
    req = RequirementSet(
        region_code=region,
        number_type=number_type,
        schema=schema,
        attachments=attachments,
        reservation_hours=cast(int, raw.get("reservationHours", DEFAULT_RESERVATION_HOURS)),
        review_required=raw.get("reviewRequired", True) is True,
        local_address_rule=rule,
        checks=checks,
        example=None if example is None else _as_mapping(example),
        confidence=str(raw.get("confidence", "")),
        sources=tuple(str(source) for source in _as_list(raw.get("sources", []))),
        comment=str(raw.get("$comment", "")),
    )
    if req.example is not None:
        # The example is what docs and the CLI show: it must pass the set's own validation.
        for violation in validate_registration(req, req.example, ()):
            field = violation.field.replace("requestDetails", f"{where}.example", 1)
            raise CatalogError(file, field, f"example is not valid: {violation.description}")
    return req


def _check_end_user_types(file: str, where: str, schema: Mapping[str, object]) -> None:
    properties = schema.get("properties")
    end_user = properties.get("endUserType") if isinstance(properties, Mapping) else None
    values = end_user.get("enum") if isinstance(end_user, Mapping) else None
    if not isinstance(values, list) or not values or not set(values) <= set(END_USER_TYPES):
        raise CatalogError(
            file,
            f"{where}.properties.endUserType",
            f"must be an enum of one or both of {', '.join(END_USER_TYPES)}",
        )
    required = schema.get("required")
    if not isinstance(required, list) or "endUserType" not in required:
        raise CatalogError(file, f"{where}.required", "must list endUserType")


def _attachment(raw: Mapping[str, object]) -> AttachmentRequirement:
    return AttachmentRequirement(
        id=str(raw["id"]),
        title=str(raw["title"]),
        description=str(raw["description"]),
        mandatory=raw["mandatory"] is True,
        allowed_mime_types=tuple(str(v) for v in _as_list(raw["allowedMimeTypes"])),
        allowed_document_types=tuple(str(v) for v in _as_list(raw["allowedDocumentTypes"])),
        templates=tuple(
            AttachmentTemplate(str(t["name"]), str(t["url"]))
            for t in (_as_mapping(item) for item in _as_list(raw.get("template", [])))
        ),
        applies_to=frozenset(str(v) for v in _as_list(raw.get("appliesTo", []))),
    )


def _field_rule(file: str, where: str, schema: Mapping[str, object], raw: Mapping[str, object]) -> FieldRule:
    try:
        check = CheckKind(str(raw["check"]))
    except ValueError:
        known = ", ".join(kind.value for kind in CheckKind)
        raise CatalogError(file, f"{where}.check", f"is not a known check (one of {known})") from None
    path = str(raw["path"])
    _require_declared(file, f"{where}.path", schema, path)
    return FieldRule(check, path)


def _local_rule(
    file: str, where: str, schema: Mapping[str, object], raw: Mapping[str, object]
) -> LocalAddressRule:
    path = str(raw["postalCodePath"])
    _require_declared(file, f"{where}.postalCodePath", schema, path)
    areas: list[LocalArea] = []
    for index, item in enumerate(_as_list(raw["areas"])):
        area = _as_mapping(item)
        code = str(area["areaCode"])
        if any(existing.area_code == code for existing in areas):
            raise CatalogError(file, f"{where}.areas[{index}].areaCode", f"repeats the area code {code}")
        prefixes = tuple(str(p) for p in _as_list(area["postalCodePrefixes"]))
        areas.append(LocalArea(code, str(area["name"]), prefixes))
    return LocalAddressRule(path, tuple(areas), UnmatchedArea(str(raw.get("unmatchedArea", "ACCEPT"))))


def _require_declared(file: str, where: str, schema: Mapping[str, object], dotted: str) -> None:
    """A rule's path must name a property the schema declares (catches typos that would never fire)."""
    node: object = schema
    for name in dotted.split("."):
        properties = node.get("properties") if isinstance(node, Mapping) else None
        if not isinstance(properties, Mapping) or name not in properties:
            raise CatalogError(file, where, f"names {dotted}, which the schema does not declare")
        node = properties[name]


def _reject_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate key {duplicates[0]!r}")
    return dict(pairs)


# The file has passed the format schema before any of these run: they only name the types for mypy.
def _as_mapping(value: object) -> Mapping[str, object]:
    return cast(Mapping[str, object], value)


def _as_list(value: object) -> list[object]:
    return cast(list[object], value)
