from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from numberdesk.adapters.kyc_catalog import load_catalog
from numberdesk.domain.errors import DomainError
from numberdesk.domain.kyc import NUMBER_TYPES, Catalog, CatalogError, CheckKind, RequirementSet
from numberdesk.domain.registration import validate_registration


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def minimal_file(region: str = "CA", number_type: str = "LOCAL") -> dict[str, object]:
    """A small valid catalog file, for override and error tests."""
    return {
        "formatVersion": 1,
        "regionCode": region,
        "requirements": {
            number_type: {
                "schema": {
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["endUserType", "business"],
                    "properties": {
                        "endUserType": {"enum": ["BUSINESS"]},
                        "business": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {"name": {"type": "string", "minLength": 1}},
                        },
                    },
                },
                "attachments": [
                    {
                        "id": "business-registration",
                        "title": "Registration",
                        "description": "The register extract.",
                        "mandatory": True,
                        "allowedMimeTypes": ["application/pdf"],
                        "allowedDocumentTypes": [],
                    }
                ],
                "checks": [{"check": "NO_PO_BOX", "path": "business.name"}],
                "example": {"endUserType": "BUSINESS", "business": {"name": "Example Inc"}},
            }
        },
    }


def write(directory: Path, name: str, document: object) -> Path:
    path = directory / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def first_set(document: dict[str, object]) -> dict[str, object]:
    requirements = document["requirements"]
    assert isinstance(requirements, dict)
    value = next(iter(requirements.values()))
    assert isinstance(value, dict)
    return value


class TestPackagedCatalog:
    def test_every_packaged_file_loads(self, catalog: Catalog) -> None:
        assert len(catalog.regions()) >= 22
        for region in ("AU", "AT", "BE", "BR", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "HK", "IE", "IT"):
            assert region in catalog.regions()
        for region in ("JP", "MX", "NL", "NO", "PL", "PT", "SE", "SG", "ZA"):
            assert region in catalog.regions()

    def test_us_and_ca_have_no_policy_like_the_real_service(self, catalog: Catalog) -> None:
        for number_type in NUMBER_TYPES:
            assert catalog.get("US", number_type) is None
            assert not catalog.has_policy("US", number_type)
        assert catalog.get("CA", "LOCAL") is None
        assert catalog.get("CA", "TOLL_FREE") is None

    def test_lookup_by_type_and_region(self, catalog: Catalog) -> None:
        de = catalog.get("de", "LOCAL")
        assert de is not None
        assert (de.region_code, de.number_type) == ("DE", "LOCAL")
        assert de.local_address_rule is not None
        assert de.confidence == "A"
        assert catalog.number_types("DE") == ("MOBILE", "LOCAL", "TOLL_FREE")
        assert catalog.number_types("AT") == ("LOCAL", "TOLL_FREE")  # AT MOBILE needs no KYC
        au_mobile = catalog.get("AU", "MOBILE")
        assert au_mobile is not None
        assert {a.id for a in au_mobile.attachments} >= {"identity-document", "representative-id"}

    def test_each_set_has_a_valid_schema_and_an_example_it_accepts(self, catalog: Catalog) -> None:
        assert len(catalog) >= 30
        for req in catalog.sets():
            where = f"{req.region_code} {req.number_type}"
            Draft202012Validator.check_schema(req.schema)
            assert req.example is not None, where
            assert validate_registration(req, req.example, []) == [], where
            assert req.reservation_hours == 48, where
            assert req.review_required, where
            assert req.confidence, where
            assert set(req.end_user_types) <= {"BUSINESS", "INDIVIDUAL"}, where

    def test_attachments_are_well_formed(self, catalog: Catalog) -> None:
        for req in catalog.sets():
            ids = [a.id for a in req.attachments]
            assert len(ids) == len(set(ids))
            for attachment in req.attachments:
                assert attachment.title
                assert attachment.applies_to <= {"BUSINESS", "INDIVIDUAL"}
                assert all("/" in mime for mime in attachment.allowed_mime_types)

    def test_brazil_checks_cpf_and_cnpj(self, catalog: Catalog) -> None:
        br = catalog.get("BR", "LOCAL")
        assert br is not None
        assert {(c.check, c.path) for c in br.checks} == {
            (CheckKind.BR_CNPJ, "business.cnpj"),
            (CheckKind.BR_CPF, "individual.cpf"),
        }


class TestOverrides:
    def test_override_dir_adds_a_region(self, tmp_path: Path) -> None:
        write(tmp_path, "CA.json", minimal_file("CA"))
        catalog = load_catalog(tmp_path)
        ca = catalog.get("CA", "LOCAL")
        assert ca is not None
        assert [a.id for a in ca.attachments] == ["business-registration"]
        assert ca.reservation_hours == 48  # defaults when the file leaves them out
        assert ca.review_required
        assert "DE" in catalog.regions()

    def test_override_replaces_one_type_and_keeps_the_others(self, tmp_path: Path, catalog: Catalog) -> None:
        document = minimal_file("DE", "LOCAL")
        first_set(document)["reservationHours"] = 24
        first_set(document)["reviewRequired"] = False
        write(tmp_path, "DE.json", document)
        overridden = load_catalog(tmp_path)
        de_local = overridden.get("DE", "LOCAL")
        assert de_local is not None
        assert de_local.reservation_hours == 24
        assert not de_local.review_required
        assert de_local.local_address_rule is None
        assert overridden.get("DE", "MOBILE") == catalog.get("DE", "MOBILE")
        assert overridden.number_types("DE") == catalog.number_types("DE")

    def test_changes_in_the_override_dir_are_seen_on_the_next_load(self, tmp_path: Path) -> None:
        assert len(load_catalog(tmp_path, packaged=False)) == 0
        write(tmp_path, "CA.json", minimal_file("CA"))
        assert load_catalog(tmp_path, packaged=False).get("CA", "LOCAL") is not None

    def test_missing_override_dir_is_an_error(self, tmp_path: Path) -> None:
        with pytest.raises(CatalogError, match="does not exist") as caught:
            load_catalog(tmp_path / "nope")
        assert caught.value.file == str(tmp_path / "nope")


def _set(document: dict[str, object], key: str, value: object) -> None:
    first_set(document)[key] = value


def _attachment_mandatory(document: dict[str, object]) -> None:
    attachments = first_set(document)["attachments"]
    assert isinstance(attachments, list)
    attachments[0]["mandatory"] = "yes"


def _duplicate_attachment(document: dict[str, object]) -> None:
    attachments = first_set(document)["attachments"]
    assert isinstance(attachments, list)
    attachments.append(copy.deepcopy(attachments[0]))


def _schema(document: dict[str, object]) -> dict[str, object]:
    schema = first_set(document)["schema"]
    assert isinstance(schema, dict)
    return schema


def _national(document: dict[str, object]) -> None:
    requirements = document["requirements"]
    assert isinstance(requirements, dict)
    requirements["NATIONAL"] = requirements.pop("LOCAL")


BROKEN: list[tuple[str, Callable[[dict[str, object]], None], str, str]] = [
    (
        "attachment-type",
        _attachment_mandatory,
        "requirements.LOCAL.attachments[0].mandatory",
        "true or false",
    ),
    ("attachment-repeated", _duplicate_attachment, "requirements.LOCAL.attachments[1].id", "repeats"),
    ("number-type", _national, "requirements.NATIONAL", "not an allowed name"),
    ("region-code", lambda d: d.update(regionCode="XX"), "regionCode", "ISO 3166"),
    ("region-format", lambda d: d.update(regionCode="Canada"), "regionCode", "invalid format"),
    ("version", lambda d: d.update(formatVersion=2), "formatVersion", "must be 1"),
    ("unknown-key", lambda d: d.update(extra=True), "extra", "not an allowed field"),
    (
        "bad-schema",
        lambda d: _schema(d).update(type="strng"),
        "requirements.LOCAL.schema.type",
        "not a valid JSON Schema",
    ),
    (
        "no-end-user-type",
        lambda d: _schema(d).update(required=["business"]),
        "requirements.LOCAL.schema.required",
        "endUserType",
    ),
    (
        "end-user-values",
        lambda d: _schema(d)["properties"].update(endUserType={"enum": ["ROBOT"]}),  # type: ignore[attr-defined]
        "requirements.LOCAL.schema.properties.endUserType",
        "BUSINESS",
    ),
    (
        "check-kind",
        lambda d: _set(d, "checks", [{"check": "US_SSN", "path": "business.name"}]),
        "requirements.LOCAL.checks[0].check",
        "not a known check",
    ),
    (
        "check-path",
        lambda d: _set(d, "checks", [{"check": "BR_CPF", "path": "business.cpf"}]),
        "requirements.LOCAL.checks[0].path",
        "does not declare",
    ),
    (
        "local-rule-path",
        lambda d: _set(
            d,
            "localAddressRule",
            {
                "postalCodePath": "address.postalCode",
                "areas": [{"areaCode": "1", "name": "x", "postalCodePrefixes": ["1"]}],
            },
        ),
        "requirements.LOCAL.localAddressRule.postalCodePath",
        "does not declare",
    ),
    ("hours", lambda d: _set(d, "reservationHours", 72), "requirements.LOCAL.reservationHours", "at most 48"),
    (
        "example",
        lambda d: _set(d, "example", {"endUserType": "BUSINESS", "business": {"name": ""}}),
        "requirements.LOCAL.example.business.name",
        "example is not valid",
    ),
]


class TestBrokenFiles:
    @pytest.mark.parametrize(("case", "breaks", "field", "problem"), BROKEN, ids=[b[0] for b in BROKEN])
    def test_error_names_the_file_and_the_field(
        self,
        tmp_path: Path,
        case: str,
        breaks: Callable[[dict[str, object]], None],
        field: str,
        problem: str,
    ) -> None:
        document = minimal_file("CA")
        breaks(document)
        path = write(tmp_path, "CA.json", document)
        with pytest.raises(CatalogError) as caught:
            load_catalog(tmp_path, packaged=False)
        error = caught.value
        assert isinstance(error, DomainError)
        assert (error.file, error.field) == (str(path), field), error.message
        assert problem in error.problem
        assert str(path) in str(error)
        assert field in str(error)

    def test_invalid_json(self, tmp_path: Path) -> None:
        path = tmp_path / "CA.json"
        path.write_text('{"formatVersion": 1,', encoding="utf-8")
        with pytest.raises(CatalogError, match="not valid JSON") as caught:
            load_catalog(tmp_path, packaged=False)
        assert caught.value.file == str(path)

    def test_duplicate_keys_are_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "CA.json"
        path.write_text('{"formatVersion": 1, "formatVersion": 1}', encoding="utf-8")
        with pytest.raises(CatalogError, match="duplicate key 'formatVersion'"):
            load_catalog(tmp_path, packaged=False)

    def test_file_name_must_match_the_region(self, tmp_path: Path) -> None:
        write(tmp_path, "ca.json", minimal_file("CA"))
        with pytest.raises(CatalogError, match=r"expected CA\.json") as caught:
            load_catalog(tmp_path, packaged=False)
        assert caught.value.field == "regionCode"

    def test_other_files_in_the_dir_are_ignored(self, tmp_path: Path) -> None:
        (tmp_path / "notes.txt").write_text("not a catalog", encoding="utf-8")
        write(tmp_path, "CA.json", minimal_file("CA"))
        assert load_catalog(tmp_path, packaged=False).regions() == ("CA",)


def test_requirement_set_lookup_helpers(catalog: Catalog) -> None:
    es = catalog.get("ES", "LOCAL")
    assert isinstance(es, RequirementSet)
    proof = es.attachment("proof-of-address")
    assert proof is not None
    assert proof.required_for("INDIVIDUAL")
    identity = es.attachment("identity-document")
    assert identity is not None
    assert identity.required_for("INDIVIDUAL")
    assert not identity.required_for("BUSINESS")
    assert identity.required_for(None)
    assert es.attachment("nope") is None
