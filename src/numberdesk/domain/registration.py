"""Checking a number order's registration (KYC) data against its requirement set.

`validate_registration` returns every problem at once (schema, check digits, local-area rule), each as
a `FieldViolation` whose path starts at `requestDetails`. Descriptions never repeat the submitted
values: KYC data is personal data and these messages end up in responses and logs.
`evaluate_order` is the dry run that submit also uses: fields, documents, and what is still missing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import phonenumbers
from jsonschema import Draft202012Validator, ValidationError  # type: ignore[import-untyped]

from numberdesk.domain.errors import FieldViolation
from numberdesk.domain.kyc import CHECKS, LocalAddressRule, RequirementSet, UnmatchedArea

ROOT = "requestDetails"


@dataclass(frozen=True)
class FieldCheck:
    path: str
    satisfied: bool
    problem: str | None = None


@dataclass(frozen=True)
class AttachmentCheck:
    id: str
    mandatory: bool
    uploaded: bool
    satisfied: bool


@dataclass(frozen=True)
class EvaluationReport:
    """`ready` when nothing is missing; `missing` holds field and `attachments.<id>` violations."""

    ready: bool
    fields: list[FieldCheck]
    attachments: list[AttachmentCheck]
    missing: list[FieldViolation]


def validate_registration(
    req: RequirementSet, request_details: Mapping[str, object], phone_numbers: Sequence[str]
) -> list[FieldViolation]:
    violations = schema_violations(req.schema, request_details)
    for rule in req.checks:
        path = _join(ROOT, rule.path)
        value = _value_at(request_details, rule.path)
        if isinstance(value, str) and not _covered(path, violations):
            problem = CHECKS[rule.check](value)
            if problem:
                violations.append(FieldViolation(path, problem))
    if req.local_address_rule is not None:
        found = _local_address_violations(
            req.local_address_rule, req.region_code, request_details, phone_numbers, violations
        )
        violations += list(found)  # drained before the list grows: the rule reads it
    return _one_per_field(violations)


def evaluate_order(
    req: RequirementSet,
    request_details: Mapping[str, object] | None,
    uploaded_attachment_ids: Collection[str],
    phone_numbers: Sequence[str],
) -> EvaluationReport:
    if request_details is None:
        violations = [FieldViolation(ROOT, "registration details have not been provided")]
        fields = [FieldCheck(ROOT, False, violations[0].description)]
        end_user_type = None
    else:
        violations = validate_registration(req, request_details, phone_numbers)
        fields = [FieldCheck(v.field, False, v.description) for v in violations]
        fields += [
            FieldCheck(p, True) for p in _leaf_paths(request_details, ROOT) if not _covered(p, violations)
        ]
        fields.sort(key=lambda f: f.path)
        declared = request_details.get("endUserType")
        end_user_type = declared if isinstance(declared, str) and declared in req.end_user_types else None

    attachments: list[AttachmentCheck] = []
    missing = list(violations)
    for requirement in req.attachments:
        required = requirement.required_for(end_user_type)
        uploaded = requirement.id in uploaded_attachment_ids
        attachments.append(AttachmentCheck(requirement.id, required, uploaded, uploaded or not required))
        if required and not uploaded:
            missing.append(
                FieldViolation(
                    f"attachments.{requirement.id}", f"mandatory document '{requirement.title}' is missing"
                )
            )
    return EvaluationReport(not missing, fields, attachments, missing)


def _one_per_field(violations: Sequence[FieldViolation]) -> list[FieldViolation]:
    """Sorted by path, one entry per field (a bad email can break both `pattern` and `format`)."""
    problems: dict[str, list[str]] = {}
    for violation in violations:
        seen = problems.setdefault(violation.field, [])
        if violation.description not in seen:
            seen.append(violation.description)
    return [FieldViolation(field, "; ".join(problems[field])) for field in sorted(problems)]


# --- JSON Schema errors, described without echoing the submitted values ---------------------------

_TYPE_NAMES = {
    "string": "a string",
    "object": "an object",
    "array": "a list",
    "boolean": "true or false",
    "integer": "an integer",
    "number": "a number",
    "null": "null",
}
_FORMAT_HINTS = {"date": "a date written YYYY-MM-DD", "email": "an email address"}
_MAX_LISTED_VALUES = 12


def schema_violations(
    schema: Mapping[str, object], instance: object, root: str = ROOT
) -> list[FieldViolation]:
    """Every JSON Schema (2020-12) error in `instance`, with paths under `root` (may be empty)."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [violation for error in validator.iter_errors(instance) for violation in _describe(error, root)]


def _describe(error: ValidationError, root: str) -> Iterator[FieldViolation]:
    path = _format_path(error.absolute_path, root)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if "propertyNames" in error.relative_schema_path:  # the instance is the offending key itself
        problem = _describe_value_error(error.validator, error.validator_value, schema)
        yield FieldViolation(_join(path, str(error.instance)), f"is not an allowed name: it {problem}")
        return
    if isinstance(error.instance, Mapping) and error.validator in _PROPERTY_ERRORS:
        describe = _PROPERTY_ERRORS[error.validator]
        named = list(describe(error.validator_value, error.instance, schema))
        if named:  # otherwise (e.g. a `not` of another shape) it is described as a whole below
            yield from (FieldViolation(_join(path, name), problem) for name, problem in named)
            return
    yield FieldViolation(path, _describe_value_error(error.validator, error.validator_value, schema))


# Errors about an object that are reported on the properties they concern: (name, problem) pairs.
_Named = Iterator[tuple[str, str]]


def _missing(expected: Any, instance: Mapping[str, object], _: Mapping[str, object]) -> _Named:
    return ((name, "is required") for name in expected if name not in instance)


def _missing_dependents(expected: Any, instance: Mapping[str, object], _: Mapping[str, object]) -> _Named:
    for given, needed in expected.items():
        for name in needed if given in instance else ():
            if name not in instance:
                yield name, f"is required when {given} is given"


def _undeclared(_: Any, instance: Mapping[str, object], schema: Mapping[str, object]) -> _Named:
    declared = schema.get("properties")
    patterns = schema.get("patternProperties")
    for name in instance:
        if isinstance(declared, Mapping) and name in declared:
            continue
        if isinstance(patterns, Mapping) and any(re.search(p, name) for p in patterns):
            continue
        yield name, "is not an allowed field"


def _forbidden(expected: Any, instance: Mapping[str, object], _: Mapping[str, object]) -> _Named:
    # The catalog forbids a section with `"not": {"required": [...]}` (e.g. `individual` for a business).
    end_user_type = instance.get("endUserType")
    reason = f"when endUserType is {end_user_type}" if isinstance(end_user_type, str) else "here"
    names = expected.get("required", []) if isinstance(expected, Mapping) else []
    return ((name, f"is not allowed {reason}") for name in names)


_PROPERTY_ERRORS: Mapping[str, Callable[[Any, Mapping[str, object], Mapping[str, object]], _Named]] = {
    "required": _missing,
    "dependentRequired": _missing_dependents,
    "additionalProperties": _undeclared,
    "not": _forbidden,
}


def _describe_value_error(keyword: object, expected: object, schema: Mapping[str, object]) -> str:
    if keyword == "type":
        types = expected if isinstance(expected, list) else [expected]
        return "must be " + " or ".join(_TYPE_NAMES.get(str(n), str(n)) for n in types)
    if keyword == "enum" and isinstance(expected, list):
        if len(expected) > _MAX_LISTED_VALUES:
            return "is not one of the allowed values listed in the schema"
        return "must be one of: " + ", ".join(str(v) for v in expected)
    if keyword == "const":
        return f"must be {json.dumps(expected)}"
    if keyword == "pattern":
        examples = schema.get("examples")
        hint = f" (example: {examples[0]})" if isinstance(examples, list) and examples else ""
        return f"has an invalid format{hint}"
    if keyword == "format":
        return f"must be {_FORMAT_HINTS.get(str(expected), f'a valid {expected}')}"
    limits = {
        "minLength": "must not be empty" if expected == 1 else f"must be at least {expected} characters long",
        "maxLength": f"must be at most {expected} characters long",
        "minItems": f"must have at least {expected} entries",
        "maxItems": f"must have at most {expected} entries",
        "minimum": f"must be at least {expected}",
        "maximum": f"must be at most {expected}",
    }
    if isinstance(keyword, str) and keyword in limits:
        return limits[keyword]
    if keyword in ("anyOf", "oneOf") and isinstance(expected, list):
        choices = [branch.get("required") for branch in expected if isinstance(branch, Mapping)]
        if len(choices) == len(expected) and all(isinstance(c, list) and len(c) == 1 for c in choices):
            names = ", ".join(str(c[0]) for c in choices if isinstance(c, list))
            return f"must include {'one' if keyword == 'oneOf' else 'at least one'} of: {names}"
        return "does not match any of the allowed forms"
    if keyword == "not":
        return "is not allowed here"
    return f"is invalid ({keyword})"


def _format_path(parts: Collection[str | int], root: str) -> str:
    path = root
    for part in parts:
        path = f"{path}[{part}]" if isinstance(part, int) else _join(path, part)
    return path


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _covered(path: str, violations: Collection[FieldViolation]) -> bool:
    """Is `path` (or a section holding it) already reported?"""
    return any(path == v.field or path.startswith((v.field + ".", v.field + "[")) for v in violations)


def _value_at(details: Mapping[str, object], dotted: str) -> object:
    value: object = details
    for name in dotted.split("."):
        if not isinstance(value, Mapping) or name not in value:
            return None
        value = value[name]
    return value


def _leaf_paths(value: object, path: str) -> Iterator[str]:
    if isinstance(value, Mapping):
        for name, child in value.items():
            yield from _leaf_paths(child, _join(path, str(name)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaf_paths(child, f"{path}[{index}]")
    else:
        yield path


# --- The local-area rule ----------------------------------------------------------------------------


def _local_address_violations(
    rule: LocalAddressRule,
    region_code: str,
    details: Mapping[str, object],
    phone_numbers: Sequence[str],
    known: Collection[FieldViolation],
) -> Iterator[FieldViolation]:
    path = _join(ROOT, rule.postal_code_path)
    postal_code = _value_at(details, rule.postal_code_path)
    if not isinstance(postal_code, str) or _covered(path, known):
        return
    for number in dict.fromkeys(phone_numbers):
        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            continue  # the order itself validates its numbers
        if phonenumbers.region_code_for_number(parsed) != region_code:
            continue
        area = rule.area_for(phonenumbers.national_significant_number(parsed))
        if area is None:
            if rule.unmatched_area is UnmatchedArea.REJECT:
                yield FieldViolation(
                    path, "cannot be checked: the ordered number's local area is not supported"
                )
        elif not area.contains(postal_code):
            yield FieldViolation(path, f"must be inside the local area of the ordered number ({area.name})")
