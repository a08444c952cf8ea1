from __future__ import annotations

import copy
from collections.abc import Mapping

import pytest

from numberdesk.adapters.kyc_catalog import load_catalog
from numberdesk.domain.errors import FieldViolation
from numberdesk.domain.kyc import (
    AttachmentRequirement,
    Catalog,
    CheckKind,
    FieldRule,
    LocalAddressRule,
    LocalArea,
    RequirementSet,
    UnmatchedArea,
    check_abn,
    check_acn,
    check_cnpj,
    check_codice_fiscale,
    check_country_code,
    check_cpf,
    check_es_cif,
    check_es_nif,
    check_no_po_box,
    check_siret,
    check_za_id_number,
)
from numberdesk.domain.registration import (
    AttachmentCheck,
    FieldCheck,
    evaluate_order,
    validate_registration,
)

BERLIN = "+493012345678"
MUNICH = "+498912345678"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def policy(catalog: Catalog, region: str, number_type: str) -> RequirementSet:
    req = catalog.get(region, number_type)
    assert req is not None
    return req


def example(req: RequirementSet) -> dict[str, object]:
    assert req.example is not None
    return copy.deepcopy(dict(req.example))


def fields(violations: list[FieldViolation]) -> dict[str, str]:
    return {v.field: v.description for v in violations}


def section(details: dict[str, object], name: str) -> dict[str, object]:
    value = details[name]
    assert isinstance(value, dict)
    return value


# A small hand-made set, so the mechanics do not depend on catalog data.
SCHEMA: Mapping[str, object] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["endUserType", "address"],
    "properties": {
        "endUserType": {"enum": ["BUSINESS", "INDIVIDUAL"]},
        "business": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "cnpj"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 10},
                "cnpj": {"type": "string", "pattern": r"^\d{14}$", "examples": ["11222333000181"]},
            },
        },
        "individual": {
            "type": "object",
            "additionalProperties": False,
            "required": ["cpf", "birthDate"],
            "properties": {"cpf": {"type": "string"}, "birthDate": {"type": "string", "format": "date"}},
        },
        "address": {
            "type": "object",
            "additionalProperties": False,
            "required": ["postalCode"],
            "properties": {"postalCode": {"type": "string"}, "street": {"type": "string"}},
        },
    },
    "allOf": [
        {
            "if": {"properties": {"endUserType": {"const": "BUSINESS"}}, "required": ["endUserType"]},
            "then": {"required": ["business"], "not": {"required": ["individual"]}},
        },
        {
            "if": {"properties": {"endUserType": {"const": "INDIVIDUAL"}}, "required": ["endUserType"]},
            "then": {"required": ["individual"], "not": {"required": ["business"]}},
        },
    ],
}
HANDMADE = RequirementSet(
    region_code="DE",
    number_type="LOCAL",
    schema=SCHEMA,
    attachments=(
        AttachmentRequirement(
            "business-registration",
            "Register extract",
            "",
            True,
            ("application/pdf",),
            (),
            applies_to=frozenset({"BUSINESS"}),
        ),
        AttachmentRequirement(
            "identity-document", "ID", "", True, (), (), applies_to=frozenset({"INDIVIDUAL"})
        ),
        AttachmentRequirement("proof-of-address", "Proof of address", "", True, (), ()),
        AttachmentRequirement("extra-letter", "Letter", "", False, (), ()),
    ),
    checks=(
        FieldRule(CheckKind.BR_CNPJ, "business.cnpj"),
        FieldRule(CheckKind.BR_CPF, "individual.cpf"),
        FieldRule(CheckKind.NO_PO_BOX, "address.street"),
    ),
    local_address_rule=LocalAddressRule(
        "address.postalCode",
        (LocalArea("30", "Berlin", ("10", "12")), LocalArea("89", "München", ("80", "81"))),
    ),
)
GOOD_BUSINESS: dict[str, object] = {
    "endUserType": "BUSINESS",
    "business": {"name": "Acme", "cnpj": "11222333000181"},
    "address": {"postalCode": "10115", "street": "Hauptstraße 1"},
}


class TestValidPayloads:
    @pytest.mark.parametrize(
        ("region", "number_type", "numbers"),
        [
            ("DE", "LOCAL", [BERLIN]),
            ("BR", "LOCAL", []),
            ("ES", "LOCAL", ["+34911234567"]),
            ("AU", "MOBILE", ["+61411111112"]),
            ("FR", "LOCAL", ["+33140000000"]),
            ("IT", "LOCAL", ["+390612345678"]),
            ("GB", "LOCAL", []),
            ("JP", "LOCAL", ["+81312345678"]),
        ],
    )
    def test_catalog_example_passes_with_a_number_of_its_area(
        self, catalog: Catalog, region: str, number_type: str, numbers: list[str]
    ) -> None:
        req = policy(catalog, region, number_type)
        assert validate_registration(req, example(req), numbers) == []

    def test_handmade_business_passes(self) -> None:
        assert validate_registration(HANDMADE, GOOD_BUSINESS, [BERLIN]) == []

    def test_valid_individual_passes(self) -> None:
        details = {
            "endUserType": "INDIVIDUAL",
            "individual": {"cpf": "529.982.247-25", "birthDate": "1980-02-29"},
            "address": {"postalCode": "10115"},
        }
        assert validate_registration(HANDMADE, details, [BERLIN]) == []


class TestAllViolationsAtOnce:
    def test_every_kind_is_reported_with_its_path(self) -> None:
        details = {
            "endUserType": "BUSINESS",
            "business": {"name": "A name that is too long", "cnpj": "12", "nickname": "x"},
            "individual": {"cpf": "529.982.247-25", "birthDate": "1980-02-29"},
            "address": {"street": 7},
            "unknown": True,
        }
        found = fields(validate_registration(HANDMADE, details, [BERLIN]))
        assert found == {
            "requestDetails.address.postalCode": "is required",
            "requestDetails.address.street": "must be a string",
            "requestDetails.business.cnpj": "has an invalid format (example: 11222333000181)",
            "requestDetails.business.name": "must be at most 10 characters long",
            "requestDetails.business.nickname": "is not an allowed field",
            "requestDetails.individual": "is not allowed when endUserType is BUSINESS",
            "requestDetails.unknown": "is not an allowed field",
        }

    def test_descriptions_do_not_echo_submitted_values(self) -> None:
        details = {
            "endUserType": "INDIVIDUAL",
            "individual": {"cpf": "987.654.321-99", "birthDate": "31/12/1980"},
            "address": {"postalCode": "SECRET-PC", "street": "PO Box 4711"},
        }
        violations = validate_registration(HANDMADE, details, [MUNICH])
        text = " ".join(v.description for v in violations)
        assert violations
        for value in ("987", "31/12", "SECRET", "4711"):
            assert value not in text

    def test_wrong_end_user_type_and_missing_sections(self) -> None:
        found = fields(validate_registration(HANDMADE, {"endUserType": "ROBOT"}, []))
        assert found == {
            "requestDetails.address": "is required",
            "requestDetails.endUserType": "must be one of: BUSINESS, INDIVIDUAL",
        }

    def test_format_errors_are_described(self) -> None:
        details = {
            "endUserType": "INDIVIDUAL",
            "individual": {"cpf": "529.982.247-25", "birthDate": "1980-02-30"},
            "address": {"postalCode": "10115"},
        }
        assert fields(validate_registration(HANDMADE, details, [])) == {
            "requestDetails.individual.birthDate": "must be a date written YYYY-MM-DD"
        }

    def test_one_entry_per_field_when_several_keywords_fail(self, catalog: Catalog) -> None:
        req = policy(catalog, "DE", "LOCAL")
        details = example(req)
        section(details, "contact")["email"] = "not-an-email"
        found = fields(validate_registration(req, details, [BERLIN]))
        assert list(found) == ["requestDetails.contact.email"]
        assert "has an invalid format" in found["requestDetails.contact.email"]
        assert "must be an email address" in found["requestDetails.contact.email"]

    def test_a_not_of_another_shape_is_still_reported(self) -> None:
        schema = {"type": "object", "properties": {"usage": {"type": "object", "not": {"minProperties": 2}}}}
        found = fields(
            validate_registration(RequirementSet("DE", "LOCAL", schema), {"usage": {"a": 1, "b": 2}}, [])
        )
        assert found == {"requestDetails.usage": "is not allowed here"}

    def test_legacy_data_list_paths_are_indexed(self) -> None:
        req = RequirementSet(
            "AU",
            "MOBILE",
            {
                "type": "object",
                "properties": {"data": {"type": "array", "items": {"type": "object", "required": ["city"]}}},
            },
        )
        found = fields(validate_registration(req, {"data": [{"city": "x"}, {}]}, []))
        assert found == {"requestDetails.data[1].city": "is required"}


class TestBusinessAndIndividual:
    def test_business_must_not_carry_an_individual_section(self, catalog: Catalog) -> None:
        req = policy(catalog, "ES", "LOCAL")
        details = example(req)  # an INDIVIDUAL example
        details["endUserType"] = "BUSINESS"
        found = fields(validate_registration(req, details, []))
        assert found == {
            "requestDetails.business": "is required",
            "requestDetails.individual": "is not allowed when endUserType is BUSINESS",
        }

    def test_business_only_region_refuses_individuals(self, catalog: Catalog) -> None:
        req = policy(catalog, "DE", "LOCAL")
        details = example(req)
        details["endUserType"] = "INDIVIDUAL"
        details["individual"] = {"firstName": "Jane", "lastName": "Doe"}
        found = fields(validate_registration(req, details, [BERLIN]))
        assert found == {
            "requestDetails.endUserType": "must be one of: BUSINESS",
            "requestDetails.individual": "is not an allowed field",
        }
        assert req.end_user_types == ("BUSINESS",)

    def test_de_local_needs_one_of_the_registration_identifiers(self, catalog: Catalog) -> None:
        req = policy(catalog, "DE", "LOCAL")
        details = example(req)
        del section(details, "business")["registrationNumber"]
        assert fields(validate_registration(req, details, [BERLIN])) == {
            "requestDetails.business": (
                "must include at least one of: registrationNumber, vatNumber, taxNumber"
            )
        }


class TestCheckDigits:
    def test_bad_cpf_is_reported(self, catalog: Catalog) -> None:
        req = policy(catalog, "BR", "LOCAL")
        details = example(req)
        section(details, "individual")["cpf"] = "529.982.247-26"
        assert fields(validate_registration(req, details, [])) == {
            "requestDetails.individual.cpf": "is not a valid CPF (check digits do not match)"
        }

    def test_bad_cnpj_is_reported(self, catalog: Catalog) -> None:
        req = policy(catalog, "BR", "LOCAL")
        details = example(req)
        details.pop("individual")
        details["endUserType"] = "BUSINESS"
        details["business"] = {"name": "Exemplo Ltda", "cnpj": "11.222.333/0001-82"}
        details["contact"] = {"firstName": "Maria", "lastName": "Silva", "email": "maria@example.com"}
        assert fields(validate_registration(req, details, [])) == {
            "requestDetails.business.cnpj": "is not a valid CNPJ (check digits do not match)"
        }

    def test_check_is_skipped_when_the_schema_already_refused_the_value(self) -> None:
        details = copy.deepcopy(GOOD_BUSINESS)
        section(details, "business")["cnpj"] = "1122233300018"  # 13 digits: a pattern error only
        found = fields(validate_registration(HANDMADE, details, [BERLIN]))
        assert found == {"requestDetails.business.cnpj": "has an invalid format (example: 11222333000181)"}

    @pytest.mark.parametrize(
        ("check", "good", "bad"),
        [
            (check_cpf, "52998224725", "52998224724"),
            (check_cpf, "529.982.247-25", "111.111.111-11"),
            (check_cnpj, "11.222.333/0001-81", "11222333000180"),
            (check_es_nif, "12345678Z", "12345678A"),
            (check_es_nif, "X1234567L", "X1234567A"),
            (check_es_cif, "A58818501", "A58818502"),
            (check_es_cif, "Q2826000H", "Q28260008"),
            (check_siret, "73282932000074", "73282932000075"),
            (check_codice_fiscale, "RSSMRA85T10A562S", "RSSMRA85T10A562T"),
            (check_abn, "51 824 753 556", "51 824 753 557"),
            (check_acn, "004 085 616", "004 085 617"),
            (check_za_id_number, "8001015009087", "8001015009088"),
            (check_za_id_number, "8001015009087", "8013015009081"),
            (check_no_po_box, "Hauptstraße 1", "Postfach 10 20 30"),
            (check_no_po_box, "1 Main Street", "P.O. Box 12"),
            (check_country_code, "DE", "XX"),
            (check_country_code, "GB", "gb"),
        ],
    )
    def test_known_good_and_bad_values(self, check: object, good: str, bad: str) -> None:
        assert callable(check)
        assert check(good) is None
        assert isinstance(check(bad), str)


class TestLocalAreaRule:
    def test_de_address_outside_the_numbers_area_is_refused(self, catalog: Catalog) -> None:
        req = policy(catalog, "DE", "LOCAL")
        details = example(req)  # a Berlin address
        assert fields(validate_registration(req, details, [MUNICH])) == {
            "requestDetails.address.postalCode": (
                "must be inside the local area of the ordered number (München)"
            )
        }

    def test_de_address_inside_the_area_passes(self, catalog: Catalog) -> None:
        req = policy(catalog, "DE", "LOCAL")
        details = example(req)
        section(details, "address").update({"city": "München", "postalCode": "80331"})
        assert validate_registration(req, details, [MUNICH]) == []

    def test_each_ordered_number_is_checked(self, catalog: Catalog) -> None:
        req = policy(catalog, "DE", "LOCAL")
        found = validate_registration(req, example(req), [BERLIN, MUNICH, BERLIN])
        assert [v.field for v in found] == ["requestDetails.address.postalCode"]
        assert "München" in found[0].description
        assert "Berlin" not in found[0].description

    def test_longest_area_code_wins(self) -> None:
        rule = LocalAddressRule(
            "address.postalCode", (LocalArea("3", "zone", ("1",)), LocalArea("33", "city", ("2",)))
        )
        area = rule.area_for("331234567")
        assert area is not None
        assert area.name == "city"

    def test_unlisted_area_is_accepted_or_rejected_as_configured(self) -> None:
        details = copy.deepcopy(GOOD_BUSINESS)
        hamburg = "+494012345678"
        assert validate_registration(HANDMADE, details, [hamburg]) == []
        rule = HANDMADE.local_address_rule
        assert rule is not None
        strict = RequirementSet(
            "DE",
            "LOCAL",
            SCHEMA,
            local_address_rule=LocalAddressRule(rule.postal_code_path, rule.areas, UnmatchedArea.REJECT),
        )
        assert list(fields(validate_registration(strict, details, [hamburg]))) == [
            "requestDetails.address.postalCode"
        ]

    def test_numbers_of_other_regions_and_garbage_are_left_to_the_order(self) -> None:
        assert validate_registration(HANDMADE, GOOD_BUSINESS, ["+33140000000", "not a number"]) == []

    def test_rule_is_skipped_when_the_postal_code_is_missing(self) -> None:
        details = copy.deepcopy(GOOD_BUSINESS)
        section(details, "address").pop("postalCode")
        assert fields(validate_registration(HANDMADE, details, [MUNICH])) == {
            "requestDetails.address.postalCode": "is required"
        }

    def test_france_checks_the_numbering_zone(self, catalog: Catalog) -> None:
        req = policy(catalog, "FR", "LOCAL")
        details = example(req)  # a Paris address
        assert validate_registration(req, details, ["+33140000000"]) == []
        assert list(fields(validate_registration(req, details, ["+33491000000"]))) == [
            "requestDetails.address.postalCode"
        ]


class TestEvaluateOrder:
    def test_ready_when_fields_and_mandatory_documents_are_there(self) -> None:
        report = evaluate_order(
            HANDMADE, GOOD_BUSINESS, ["business-registration", "proof-of-address"], [BERLIN]
        )
        assert report.ready
        assert report.missing == []
        assert FieldCheck("requestDetails.business.cnpj", True) in report.fields
        assert AttachmentCheck("extra-letter", False, False, True) in report.attachments

    def test_missing_mandatory_document_is_reported(self) -> None:
        report = evaluate_order(HANDMADE, GOOD_BUSINESS, ["proof-of-address", "identity-document"], [BERLIN])
        assert not report.ready
        assert report.missing == [
            FieldViolation(
                "attachments.business-registration", "mandatory document 'Register extract' is missing"
            )
        ]
        checks = {a.id: a for a in report.attachments}
        assert checks["business-registration"] == AttachmentCheck("business-registration", True, False, False)
        # An individual's document is not required from a business, uploaded or not.
        assert checks["identity-document"] == AttachmentCheck("identity-document", False, True, True)

    def test_field_problems_and_documents_together(self) -> None:
        details = copy.deepcopy(GOOD_BUSINESS)
        section(details, "business")["cnpj"] = "11222333000182"
        report = evaluate_order(HANDMADE, details, [], [MUNICH])
        assert not report.ready
        assert [v.field for v in report.missing] == [
            "requestDetails.address.postalCode",
            "requestDetails.business.cnpj",
            "attachments.business-registration",
            "attachments.proof-of-address",
        ]
        failing = {f.path for f in report.fields if not f.satisfied}
        assert failing == {"requestDetails.address.postalCode", "requestDetails.business.cnpj"}
        assert FieldCheck("requestDetails.business.name", True) in report.fields

    def test_without_registration_every_mandatory_document_counts(self) -> None:
        report = evaluate_order(HANDMADE, None, [], [])
        assert not report.ready
        assert report.fields == [
            FieldCheck("requestDetails", False, "registration details have not been provided")
        ]
        assert [v.field for v in report.missing] == [
            "requestDetails",
            "attachments.business-registration",
            "attachments.identity-document",
            "attachments.proof-of-address",
        ]

    def test_catalog_set_with_individual(self, catalog: Catalog) -> None:
        req = policy(catalog, "ES", "LOCAL")
        report = evaluate_order(req, example(req), ["identity-document"], ["+34911234567"])
        assert [v.field for v in report.missing] == ["attachments.proof-of-address"]
