"""Numbers API wire models against the live and mock bodies quoted in reference/sinch-numbers-api.md."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from numberdesk.wire.active_numbers import (
    ActiveNumber,
    ActiveNumberUpdate,
    ListActiveNumbersResponse,
    RentAnyNumberRequest,
    RentNumberRequest,
    ScheduledVoiceProvisioning,
    SmsConfigurationIn,
    VoiceConfiguration,
    VoiceConfigurationIn,
)
from numberdesk.wire.callback_configuration import CallbackConfiguration, CallbackConfigurationUpdate
from numberdesk.wire.emergency_address import (
    EmergencyAddress,
    EmergencyAddressRequest,
    ValidateAddressResponse,
)
from numberdesk.wire.number_orders import (
    Attachment,
    AttachmentTemplate,
    CreateNumberOrderRequest,
    ListNumberOrdersResponse,
    LookupNumberRequirementsRequest,
    NumberOrder,
    NumberOrderOption,
    NumberRequirements,
    OrderVoiceConfiguration,
    OrderVoiceConfigurationIn,
    Registration,
    RequiredAttachment,
    UpdateNumberOrderRegistrationRequest,
)
from numberdesk.wire.numbers_common import (
    AddressValidationResultCode,
    Capability,
    Money,
    NumberOrderState,
    NumberPatternIn,
    NumberType,
    ProvisioningStatus,
    SearchPattern,
    SmsErrorCode,
    UploadStatus,
    VoiceApplicationType,
    wire_time,
)
from numberdesk.wire.regions import AvailableRegion, ListAvailableRegionsResponse


def compact(body: dict[str, Any]) -> str:
    """The JSON text a server writes (no spaces), keys in model order."""
    return json.dumps(body, separators=(",", ":"))


def error_locs(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[int | str, ...]]:
    return [tuple(e["loc"]) for e in exc.value.errors()]


# Live production bodies, verbatim (reference §5.3 and §4.3; `<uuid>` stands for the project id).
LIVE_ACTIVE_NUMBER = (
    '{"phoneNumber":"+12082799895","projectId":"<uuid>","displayName":"","regionCode":"US","type":"LOCAL",'
    '"capability":["SMS","VOICE"],"money":{"currencyCode":"USD","amount":"1.00"},"paymentIntervalMonths":1,'
    '"nextChargeDate":"2026-05-18T20:08:53.423835Z","expireAt":null,'
    '"smsConfiguration":{"servicePlanId":"OpenCoreEMR_RA","scheduledProvisioning":null,"campaignId":"CO07D9V"},'
    '"voiceConfiguration":{"appId":"a64561f0-d691-4fc0-b013-bcec5f12f1bc","scheduledVoiceProvisioning":null,'
    '"lastUpdatedTime":null,"type":"RTC","trunkId":"","serviceId":""},'
    '"callbackUrl":""}'
)
LIVE_RENT_RESPONSE = (
    '{"phoneNumber":"+13072074530","projectId":"<uuid>","displayName":"","regionCode":"US","type":"LOCAL",'
    '"capability":["SMS","VOICE"],"money":{"currencyCode":"USD","amount":"0.50"},"paymentIntervalMonths":1,'
    '"nextChargeDate":"2026-05-19T21:38:22.937044Z","expireAt":null,'
    '"smsConfiguration":{"servicePlanId":"","scheduledProvisioning":null,"campaignId":""},'
    '"voiceConfiguration":{"appId":"","scheduledVoiceProvisioning":{"appId":"a64561f0-d691-4fc0-b013-bcec5f12f1bc",'
    '"status":"WAITING","lastUpdatedTime":"2026-04-19T21:38:23.410063Z","type":"RTC","trunkId":"","serviceId":""},'
    '"lastUpdatedTime":null,"type":"RTC","trunkId":"","serviceId":""},'
    '"callbackUrl":""}'
)
LIVE_RENT_REQUEST = '{"voiceConfiguration":{"type":"RTC","appId":"a64561f0-d691-4fc0-b013-bcec5f12f1bc"}}'


class TestWireTime:
    def test_utc_with_microseconds_and_z(self) -> None:
        assert (
            wire_time(datetime(2026, 5, 19, 21, 38, 22, 937044, tzinfo=UTC)) == "2026-05-19T21:38:22.937044Z"
        )

    def test_whole_seconds_still_carry_microseconds(self) -> None:
        assert wire_time(datetime(2026, 3, 5, 16, 53, tzinfo=UTC)) == "2026-03-05T16:53:00.000000Z"

    def test_other_offsets_are_converted_to_utc(self) -> None:
        cest = timezone(timedelta(hours=2))
        assert wire_time(datetime(2026, 5, 19, 23, 38, 22, 1, tzinfo=cest)) == "2026-05-19T21:38:22.000001Z"

    def test_naive_datetime_is_refused(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            wire_time(datetime(2026, 5, 19, 21, 38, 22))


class TestEnums:
    def test_sms_error_code_keeps_the_wire_spelling(self) -> None:
        assert SmsErrorCode("EXCEEDED_10DLC_LIMIT") is SmsErrorCode.EXCEEDED_10DLC_LIMIT
        assert len(SmsErrorCode) == 18

    def test_contain_is_an_alias_of_contains(self) -> None:
        assert SearchPattern("CONTAIN") is SearchPattern.CONTAINS
        pattern = NumberPatternIn.model_validate({"pattern": "+1307", "searchPattern": "CONTAIN"})
        assert pattern.search_pattern is SearchPattern.CONTAINS

    def test_unknown_search_pattern_is_rejected(self) -> None:
        with pytest.raises(ValidationError) as exc:
            NumberPatternIn.model_validate({"pattern": "1", "searchPattern": "BEGINS"})
        assert error_locs(exc) == [("searchPattern",)]

    def test_money_amount_stays_a_string(self) -> None:
        assert Money(currency_code="USD", amount="2.00").to_wire() == {
            "currencyCode": "USD",
            "amount": "2.00",
        }


class TestActiveNumberResponse:
    @pytest.mark.parametrize("live", [LIVE_ACTIVE_NUMBER, LIVE_RENT_RESPONSE], ids=["get", "rent"])
    def test_live_body_round_trips_byte_for_byte(self, live: str) -> None:
        number = ActiveNumber.model_validate_json(live)
        assert compact(number.to_wire()) == live
        assert number.model_dump_json(by_alias=True) == live

    def test_live_list_page_round_trips_byte_for_byte(self) -> None:
        numbers = f"{LIVE_ACTIVE_NUMBER},{LIVE_RENT_RESPONSE}"
        live = f'{{"activeNumbers":[{numbers}],"nextPageToken":"","totalSize":2}}'
        page = ListActiveNumbersResponse.model_validate_json(live)
        assert compact(page.to_wire()) == live

    def test_a_fresh_rent_built_from_values_has_the_live_shape(self) -> None:
        rented = datetime(2026, 4, 19, 21, 38, 23, 410063, tzinfo=UTC)
        number = ActiveNumber(
            phone_number="+13072074530",
            project_id="<uuid>",
            region_code="US",
            type=NumberType.LOCAL,
            capability=[Capability.SMS, Capability.VOICE],
            money=Money(currency_code="USD", amount="0.50"),
            payment_interval_months=1,
            next_charge_date=datetime(2026, 5, 19, 21, 38, 22, 937044, tzinfo=UTC),
            voice_configuration=VoiceConfiguration(
                scheduled_voice_provisioning=ScheduledVoiceProvisioning(
                    app_id="a64561f0-d691-4fc0-b013-bcec5f12f1bc",
                    status=ProvisioningStatus.WAITING,
                    last_updated_time=rented,
                )
            ),
        )
        assert compact(number.to_wire()) == LIVE_RENT_RESPONSE

    def test_mock_rent_any_response_parses_with_scheduled_sms(self) -> None:
        body = {
            "phoneNumber": "+12017654321",
            "projectId": "123c0ffee-dada-beef-cafe-baadc0de5678",
            "displayName": "",
            "regionCode": "US",
            "type": "LOCAL",
            "capability": ["SMS", "VOICE"],
            "money": {"currencyCode": "EUR", "amount": "0.80"},
            "paymentIntervalMonths": 1,
            "nextChargeDate": "2024-06-06T14:42:42.022227Z",
            "expireAt": None,
            "smsConfiguration": {
                "servicePlanId": "",
                "scheduledProvisioning": {
                    "servicePlanId": "SpaceMonkeySquadron",
                    "campaignId": "",
                    "status": "WAITING",
                    "lastUpdatedTime": "2024-06-06T14:42:42.596223Z",
                    "errorCodes": [],
                },
                "campaignId": "",
            },
            "voiceConfiguration": {
                "appId": "",
                "scheduledVoiceProvisioning": {
                    "appId": "sunshine-rain-drop-very-beautifulday",
                    "status": "WAITING",
                    "lastUpdatedTime": "2024-06-06T14:42:42.604092Z",
                    "type": "RTC",
                    "trunkId": "",
                    "serviceId": "",
                },
                "lastUpdatedTime": None,
                "type": "RTC",
                "trunkId": "",
                "serviceId": "",
            },
            "callbackUrl": "",
        }
        number = ActiveNumber.model_validate(body)
        assert number.sms_configuration.scheduled_provisioning is not None
        assert number.sms_configuration.scheduled_provisioning.service_plan_id == "SpaceMonkeySquadron"
        assert number.to_wire() == body

    def test_mock_patch_response_shows_a_pending_switch_to_fax(self) -> None:
        body = {
            "smsConfiguration": {
                "servicePlanId": "SpaceMonkeySquadron",
                "campaignId": "",
                "scheduledProvisioning": {
                    "servicePlanId": "SingingMooseSociety",
                    "campaignId": "",
                    "status": "WAITING",
                    "lastUpdatedTime": "2024-06-06T20:02:20.432220Z",
                    "errorCodes": [],
                },
            },
            "voiceConfiguration": {
                "type": "RTC",
                "appId": "sunshine-rain-drop-very-beautifulday",
                "trunkId": "",
                "serviceId": "",
                "lastUpdatedTime": None,
                "scheduledVoiceProvisioning": {
                    "type": "FAX",
                    "serviceId": "01W4FFL35P4NC4K35FAXSERVICE",
                    "appId": "",
                    "trunkId": "",
                    "status": "WAITING",
                    "lastUpdatedTime": "2024-06-06T20:02:20.437509Z",
                },
            },
        }
        number = ActiveNumber.model_validate(
            {
                "phoneNumber": "+12015555555",
                "projectId": "123c0ffee-dada-beef-cafe-baadc0de5678",
                "displayName": "Updated description during E2E tests",
                "regionCode": "US",
                "type": "LOCAL",
                "capability": ["SMS", "VOICE"],
                "money": {"currencyCode": "EUR", "amount": "0.80"},
                "paymentIntervalMonths": 1,
                "nextChargeDate": "2024-06-06T14:42:42.022227Z",
                "expireAt": None,
                "callbackUrl": "https://my-callback-server.com/numbers",
                **body,
            }
        )
        scheduled = number.voice_configuration.scheduled_voice_provisioning
        assert scheduled is not None
        assert scheduled.type is VoiceApplicationType.FAX
        wire = number.to_wire()
        assert wire["smsConfiguration"] == body["smsConfiguration"]
        assert wire["voiceConfiguration"] == body["voiceConfiguration"]

    def test_failed_sms_provisioning_lists_error_codes(self) -> None:
        sms = {
            "servicePlanId": "",
            "scheduledProvisioning": {
                "servicePlanId": "SpaceMonkeySquadron",
                "campaignId": "",
                "status": "FAILED",
                "lastUpdatedTime": "2024-06-06T14:42:42.596223Z",
                "errorCodes": ["SMS_PROVISIONING_FAILED"],
            },
            "campaignId": "",
        }
        number = ActiveNumber.model_validate(json.loads(LIVE_ACTIVE_NUMBER) | {"smsConfiguration": sms})
        assert number.to_wire()["smsConfiguration"] == sms

    def test_an_older_voice_body_without_type_gets_every_id(self) -> None:
        voice = VoiceConfiguration.model_validate(
            {"appId": "app id", "scheduledVoiceProvisioning": None, "lastUpdatedTime": None}
        )
        assert compact(voice.to_wire()) == (
            '{"appId":"app id","scheduledVoiceProvisioning":null,"lastUpdatedTime":null,'
            '"type":"RTC","trunkId":"","serviceId":""}'
        )

    def test_release_sets_expire_at(self) -> None:
        released = json.loads(LIVE_RENT_RESPONSE)
        released["expireAt"] = released["nextChargeDate"]
        released["voiceConfiguration"]["scheduledVoiceProvisioning"] = None
        number = ActiveNumber.model_validate(released)
        assert number.expire_at == number.next_charge_date
        assert number.to_wire() == released

    def test_unknown_response_enum_is_rejected(self) -> None:
        body = json.loads(LIVE_ACTIVE_NUMBER) | {"type": "FIXED"}
        with pytest.raises(ValidationError) as exc:
            ActiveNumber.model_validate(body)
        assert error_locs(exc) == [("type",)]


class TestRentRequests:
    def test_live_rent_request(self) -> None:
        rent = RentNumberRequest.model_validate_json(LIVE_RENT_REQUEST)
        assert rent.voice_configuration is not None
        assert rent.voice_configuration.type is VoiceApplicationType.RTC
        assert rent.voice_configuration.id_value() == "a64561f0-d691-4fc0-b013-bcec5f12f1bc"
        assert rent.sms_configuration is None

    @pytest.mark.parametrize("model", [RentNumberRequest, ActiveNumberUpdate])
    def test_empty_body_is_accepted(self, model: type[RentNumberRequest | ActiveNumberUpdate]) -> None:
        request = model.model_validate_json("{}")
        assert request.model_fields_set == set()

    def test_rent_any_needs_region_and_type(self) -> None:
        with pytest.raises(ValidationError) as exc:
            RentAnyNumberRequest.model_validate_json("{}")
        assert sorted(error_locs(exc)) == [("regionCode",), ("type",)]

    def test_mock_rent_any_request_with_voice_without_type(self) -> None:
        request = RentAnyNumberRequest.model_validate(
            {
                "regionCode": "US",
                "type": "LOCAL",
                "capabilities": ["SMS", "VOICE"],
                "smsConfiguration": {"servicePlanId": "SpaceMonkeySquadron"},
                "voiceConfiguration": {"appId": "sunshine-rain-drop-very-beautifulday"},
                "numberPattern": {"pattern": "7654321", "searchPattern": "END"},
            }
        )
        assert request.type is NumberType.LOCAL
        assert request.capabilities == [Capability.SMS, Capability.VOICE]
        assert request.number_pattern == NumberPatternIn(pattern="7654321", search_pattern=SearchPattern.END)
        assert request.voice_configuration == VoiceConfigurationIn(
            type=VoiceApplicationType.RTC, app_id="sunshine-rain-drop-very-beautifulday"
        )

    def test_spec_rent_any_example_with_contain_alias_and_campaign(self) -> None:
        request = RentAnyNumberRequest.model_validate(
            {
                "regionCode": "US",
                "type": "LOCAL",
                "numberPattern": {"pattern": "+1208", "searchPattern": "CONTAIN"},
                "capabilities": ["SMS"],
                "smsConfiguration": {"servicePlanId": "plan", "campaignId": "CAMP1"},
            }
        )
        assert request.number_pattern is not None
        assert request.number_pattern.search_pattern is SearchPattern.CONTAINS
        assert request.sms_configuration == SmsConfigurationIn(service_plan_id="plan", campaign_id="CAMP1")

    @pytest.mark.parametrize(
        ("body", "loc"),
        [
            ({"regionCode": "US", "type": "FIXED"}, ("type",)),
            ({"regionCode": "US", "type": "LOCAL", "capabilities": ["MMS"]}, ("capabilities", 0)),
            ({"regionCode": "US", "type": "LOCAL", "numberPattern": {"searchPattern": "X"}}, None),
        ],
    )
    def test_invalid_enums_are_rejected(self, body: dict[str, Any], loc: tuple[Any, ...] | None) -> None:
        with pytest.raises(ValidationError) as exc:
            RentAnyNumberRequest.model_validate(body)
        assert error_locs(exc) == [loc or ("numberPattern", "searchPattern")]

    def test_unknown_fields_are_ignored(self) -> None:
        request = RentNumberRequest.model_validate(
            {"smsConfiguration": {"servicePlanId": "p", "extra": 1}, "somethingNew": True}
        )
        assert request.sms_configuration == SmsConfigurationIn(service_plan_id="p")


class TestActiveNumberUpdate:
    def test_mock_patch_body(self) -> None:
        update = ActiveNumberUpdate.model_validate(
            {
                "displayName": "Updated description during E2E tests",
                "smsConfiguration": {"servicePlanId": "SingingMooseSociety"},
                "voiceConfiguration": {"type": "FAX", "serviceId": "01W4FFL35P4NC4K35FAXSERVICE"},
                "callbackUrl": "https://my-callback-server.com/numbers",
            }
        )
        assert update.voice_configuration is not None
        assert update.voice_configuration.type is VoiceApplicationType.FAX
        assert update.voice_configuration.id_value() == "01W4FFL35P4NC4K35FAXSERVICE"
        assert update.model_fields_set == {
            "display_name",
            "sms_configuration",
            "voice_configuration",
            "callback_url",
        }

    def test_only_what_was_sent_is_set(self) -> None:
        update = ActiveNumberUpdate.model_validate({"displayName": "x", "callbackUrl": None})
        assert update.model_fields_set == {"display_name", "callback_url"}

    @pytest.mark.parametrize("config", ["smsConfiguration", "voiceConfiguration"])
    def test_an_empty_configuration_object_is_a_field_violation(self, config: str) -> None:
        with pytest.raises(ValidationError) as exc:
            ActiveNumberUpdate.model_validate({config: {}})
        assert error_locs(exc) == [(config,)]
        assert exc.value.errors()[0]["type"] == "empty_configuration"

    def test_unlinking_with_empty_strings_and_explicit_null(self) -> None:
        update = ActiveNumberUpdate.model_validate(
            {
                "smsConfiguration": {"servicePlanId": "", "campaignId": ""},
                "voiceConfiguration": {"appId": None},
            }
        )
        assert update.sms_configuration == SmsConfigurationIn(service_plan_id="", campaign_id="")
        assert update.voice_configuration is not None
        assert update.voice_configuration.id_value() is None
        assert SmsConfigurationIn.model_validate({"servicePlanId": None}).service_plan_id is None

    def test_sms_configuration_needs_service_plan_id(self) -> None:
        with pytest.raises(ValidationError) as exc:
            ActiveNumberUpdate.model_validate({"smsConfiguration": {"campaignId": "CAMP1"}})
        assert error_locs(exc) == [("smsConfiguration", "servicePlanId")]


class TestVoiceConfigurationIn:
    @pytest.mark.parametrize(
        ("body", "kind", "value"),
        [
            ({"appId": "a"}, VoiceApplicationType.RTC, "a"),
            ({"type": None, "appId": "a"}, VoiceApplicationType.RTC, "a"),
            (
                {"type": "EST", "trunkId": "01W4FFL35P4NC4K35SIPTRUNK00"},
                VoiceApplicationType.EST,
                "01W4FFL35P4NC4K35SIPTRUNK00",
            ),
            ({"type": "FAX", "serviceId": "s", "appId": "", "trunkId": None}, VoiceApplicationType.FAX, "s"),
            ({"type": "RTC", "appId": "", "trunkId": "", "serviceId": ""}, VoiceApplicationType.RTC, ""),
        ],
    )
    def test_type_and_matching_id(self, body: dict[str, Any], kind: VoiceApplicationType, value: str) -> None:
        voice = VoiceConfigurationIn.model_validate(body)
        assert voice.type is kind
        assert voice.id_value() == value

    @pytest.mark.parametrize(
        ("body", "locs"),
        [
            ({"type": "EST"}, [("trunkId",)]),
            ({"type": "FAX", "appId": "a"}, [("serviceId",), ("appId",)]),
            ({"type": "EST", "trunkId": "t", "serviceId": "s"}, [("serviceId",)]),
            ({"trunkId": "t"}, [("appId",), ("trunkId",)]),
            ({"type": "SIP", "trunkId": "t"}, [("type",)]),
            ({"type": "RTC", "appId": 5}, [("appId",)]),
        ],
    )
    def test_mismatched_or_missing_ids_are_field_violations(
        self, body: dict[str, Any], locs: list[tuple[str, ...]]
    ) -> None:
        with pytest.raises(ValidationError) as exc:
            VoiceConfigurationIn.model_validate(body)
        assert error_locs(exc) == locs


# ------------------------------------------------------------------------------------------ number orders

SPEC_AU_ORDER: dict[str, Any] = {
    "projectId": "10d64985-0bfb-43d3-a2b9-bc5fa6a4752c",
    "idNumberOrder": "03kjzencnckxrn216rr1zzzzzz",
    "regionCode": "AU",
    "state": "CREATED",
    "numberType": "MOBILE",
    "orderNumbers": [
        {
            "phoneNumber": "+61411111112",
            "numberPrice": {
                "setupPrice": {"currencyCode": "USD", "amount": "1.00"},
                "monthlyPrice": {"currencyCode": "USD", "amount": "1.00"},
                "paymentIntervalMonths": 1,
            },
            "capabilities": ["SMS"],
        }
    ],
    "smsConfiguration": {"servicePlanId": "1dez6a8300774283a4256aa756a11111"},
    "expireTime": "2026-03-07T16:53:00.204187Z",
    "createTime": "2026-03-05T16:53:00.000000Z",
    "updateTime": "2026-03-05T16:53:00.000000Z",
}

SPEC_AU_REGISTRATION: dict[str, Any] = {
    "requestDetails": {
        "data": [
            [
                {
                    "senderId": "+61XXXXXXXXX",
                    "purposeOfTheTraffic": "One Time Password",
                    "intendedUseOfMobileNumbers": "Transactional",
                    "iConfirmThatMyBusinessHasAValidUseCaseForThisLn": True,
                }
            ],
            {
                "endBusinessName": "ExampleExample",
                "endBusinessAddress": "ExampleExample",
                "endBusinessAddress2": "ExampleExample",
                "city": "Victoria",
                "state": "VIC",
                "country": "AU",
                "postalCode": "3000",
            },
            {"firstName": "Example", "lastName": "Example", "phoneNumber": "+61XXXXXXXXX"},
        ]
    },
    "attachments": [
        {
            "attachmentId": "01jxn2251d0shhamtbykft2xzx",
            "fileName": "template.rtf",
            "mimeType": "application/rtf",
            "uploadStatus": "WAITING",
            "createTime": "2026-02-24T06:39:55.902553Z",
            "updateTime": "2026-02-24T06:39:55.902553Z",
        }
    ],
    "logs": [
        {
            "message": "Dear Customer, Please provide a local Australia contact number",
            "createTime": "2026-02-24T06:39:55.902553Z",
        }
    ],
}


class TestNumberRequirements:
    def test_lookup_request(self) -> None:
        request = LookupNumberRequirementsRequest.model_validate({"regionCode": "AU", "numberType": "MOBILE"})
        assert request.number_type is NumberType.MOBILE

    @pytest.mark.parametrize(
        ("body", "locs"),
        [
            ({}, [("regionCode",), ("numberType",)]),
            ({"regionCode": "AU", "numberType": "FIXED"}, [("numberType",)]),
        ],
    )
    def test_lookup_request_is_validated(self, body: dict[str, Any], locs: list[tuple[str, ...]]) -> None:
        with pytest.raises(ValidationError) as exc:
            LookupNumberRequirementsRequest.model_validate(body)
        assert error_locs(exc) == locs

    def test_spec_example_with_attachments_inside_fields_is_read(self) -> None:
        body = {
            "fields": {
                "schema": "/schema/policySchema-v1.json",
                "rules": [{"template": {}}, {"template": {}}],
                "attachments": [],
            }
        }
        requirements = NumberRequirements.model_validate(body)
        assert requirements.attachments == []
        assert "attachments" not in requirements.fields
        assert requirements.to_wire() == {**body, "attachments": []}

    def test_attachments_are_written_at_the_top_and_inside_fields(self) -> None:
        attachment = RequiredAttachment(
            id="d1c7ccbf-919d-462f-8587-dec95a1b11zz",
            description="Proof of address",
            mandatory=True,
            template=[AttachmentTemplate(name="template.rtf", url="https://example.test/template.rtf")],
            title="Address proof",
            allowed_mime_types=["application/pdf"],
            allowed_document_types=["Passport", "Driver's License"],
        )
        requirements = NumberRequirements(fields={"schema": "x"}, attachments=[attachment])
        wire = requirements.to_wire()
        assert list(wire) == ["fields", "attachments"]
        assert wire["fields"] == {"schema": "x", "attachments": wire["attachments"]}
        assert wire["attachments"] == [
            {
                "id": "d1c7ccbf-919d-462f-8587-dec95a1b11zz",
                "description": "Proof of address",
                "mandatory": True,
                "template": [{"name": "template.rtf", "url": "https://example.test/template.rtf"}],
                "title": "Address proof",
                "allowedMimeTypes": ["application/pdf"],
                "allowedDocumentTypes": ["Passport", "Driver's License"],
            }
        ]
        assert NumberRequirements.model_validate(wire) == requirements

    def test_quantity_orders_supported_is_written_only_when_known(self) -> None:
        assert "quantityOrdersSupported" not in NumberRequirements().to_wire()
        wire = NumberRequirements(quantity_orders_supported=True).to_wire()
        assert wire["quantityOrdersSupported"] is True


class TestCreateNumberOrderRequest:
    def test_spec_example_for_a_specific_number(self) -> None:
        request = CreateNumberOrderRequest.model_validate(
            {
                "regionCode": "AU",
                "numberType": "MOBILE",
                "smsConfiguration": {"servicePlanId": "1dez6a8300774283a4256aa756a11111"},
                "callbackUrl": "https://www.your-callback-server.com/callback",
                "numberOrderOption": {"phoneNumbers": ["+61411111112"]},
            }
        )
        assert request.number_order_option == NumberOrderOption(phone_numbers=["+61411111112"])
        assert request.quantity_order_option is None
        assert request.sms_configuration is not None
        assert request.sms_configuration.service_plan_id == "1dez6a8300774283a4256aa756a11111"

    def test_spec_example_by_quantity(self) -> None:
        request = CreateNumberOrderRequest.model_validate(
            {
                "regionCode": "US",
                "numberType": "LOCAL",
                "smsConfiguration": {"servicePlanId": "1dez6a8300774283a4256aa756a11111"},
                "callbackUrl": "https://www.your-callback-server.com/callback",
                "quantityOrderOption": {
                    "requestedQuantity": 3,
                    "sequential": False,
                    "numberPattern": {"pattern": "+1307", "searchPattern": "CONTAIN"},
                    "capabilities": ["SMS", "VOICE"],
                },
            }
        )
        option = request.quantity_order_option
        assert option is not None
        assert option.requested_quantity == 3
        assert option.sequential is False
        assert option.number_pattern == NumberPatternIn(
            pattern="+1307", search_pattern=SearchPattern.CONTAINS
        )

    @pytest.mark.parametrize(
        "options",
        [
            {},
            {
                "numberOrderOption": {"phoneNumbers": ["+61411111112"]},
                "quantityOrderOption": {"requestedQuantity": 1},
            },
        ],
        ids=["neither", "both"],
    )
    def test_the_one_of_rule_is_left_to_the_service(self, options: dict[str, Any]) -> None:
        request = CreateNumberOrderRequest.model_validate(
            {"regionCode": "AU", "numberType": "MOBILE", **options}
        )
        assert request.region_code == "AU"

    def test_voice_configuration_defaults_to_rtc(self) -> None:
        request = CreateNumberOrderRequest.model_validate(
            {"regionCode": "AU", "numberType": "MOBILE", "voiceConfiguration": {"appId": "app"}}
        )
        assert request.voice_configuration == OrderVoiceConfigurationIn(
            type=VoiceApplicationType.RTC, app_id="app"
        )

    @pytest.mark.parametrize(
        ("extra", "loc"),
        [
            ({"numberOrderOption": {"phoneNumbers": []}}, ("numberOrderOption", "phoneNumbers")),
            ({"numberOrderOption": {"phoneNumbers": ["+1", "+2"]}}, ("numberOrderOption", "phoneNumbers")),
            ({"numberOrderOption": {}}, ("numberOrderOption", "phoneNumbers")),
            ({"quantityOrderOption": {"requestedQuantity": 0}}, ("quantityOrderOption", "requestedQuantity")),
            (
                {"quantityOrderOption": {"requestedQuantity": 101}},
                ("quantityOrderOption", "requestedQuantity"),
            ),
            ({"quantityOrderOption": {}}, ("quantityOrderOption", "requestedQuantity")),
            (
                {"quantityOrderOption": {"requestedQuantity": "many"}},
                ("quantityOrderOption", "requestedQuantity"),
            ),
            (
                {"quantityOrderOption": {"requestedQuantity": 1, "capabilities": ["FAX"]}},
                ("quantityOrderOption", "capabilities", 0),
            ),
            ({"numberType": "FIXED"}, ("numberType",)),
            ({"smsConfiguration": {"servicePlanId": None}}, ("smsConfiguration", "servicePlanId")),
            ({"smsConfiguration": {}}, ("smsConfiguration",)),
            ({"voiceConfiguration": {"type": "EST", "appId": "a"}}, ("voiceConfiguration", "trunkId")),
        ],
    )
    def test_types_enums_and_ranges_are_enforced(self, extra: dict[str, Any], loc: tuple[Any, ...]) -> None:
        with pytest.raises(ValidationError) as exc:
            CreateNumberOrderRequest.model_validate({"regionCode": "AU", "numberType": "MOBILE", **extra})
        assert error_locs(exc)[0] == loc

    def test_unknown_fields_are_ignored(self) -> None:
        request = CreateNumberOrderRequest.model_validate(
            {
                "regionCode": "AU",
                "numberType": "MOBILE",
                "numberOrderOption": {"phoneNumbers": ["+6141"], "x": 1},
                "y": 2,
            }
        )
        assert request.number_order_option == NumberOrderOption(phone_numbers=["+6141"])


class TestNumberOrder:
    def test_spec_example_round_trips(self) -> None:
        order = NumberOrder.model_validate(SPEC_AU_ORDER)
        assert order.state is NumberOrderState.CREATED
        assert compact(order.to_wire()) == compact(SPEC_AU_ORDER)

    def test_whole_second_times_gain_microseconds(self) -> None:
        body = SPEC_AU_ORDER | {"createTime": "2026-03-05T16:53:00Z"}
        assert NumberOrder.model_validate(body).to_wire()["createTime"] == "2026-03-05T16:53:00.000000Z"

    def test_built_order_writes_null_expire_time_and_leaves_out_unset_options(self) -> None:
        created = datetime(2026, 3, 5, 16, 53, tzinfo=UTC)
        order = NumberOrder(
            project_id="p",
            id_number_order="01jgkbb8xywmz3hhahd76menqf",
            region_code="US",
            state=NumberOrderState.COMPLETED,
            number_type=NumberType.LOCAL,
            voice_configuration=OrderVoiceConfiguration(type=VoiceApplicationType.EST, trunk_id="trunk"),
            callback_url="https://example.test/cb",
            create_time=created,
            update_time=created,
        )
        assert order.to_wire() == {
            "projectId": "p",
            "idNumberOrder": "01jgkbb8xywmz3hhahd76menqf",
            "regionCode": "US",
            "state": "COMPLETED",
            "numberType": "LOCAL",
            "orderNumbers": [],
            "voiceConfiguration": {"type": "EST", "trunkId": "trunk"},
            "callbackUrl": "https://example.test/cb",
            "expireTime": None,
            "createTime": "2026-03-05T16:53:00.000000Z",
            "updateTime": "2026-03-05T16:53:00.000000Z",
        }

    def test_list_of_orders(self) -> None:
        body = {"numberOrders": [SPEC_AU_ORDER], "nextPageToken": "", "totalSize": 1}
        page = ListNumberOrdersResponse.model_validate(body)
        assert compact(page.to_wire()) == compact(body)

    def test_unknown_state_is_rejected(self) -> None:
        with pytest.raises(ValidationError) as exc:
            NumberOrder.model_validate(SPEC_AU_ORDER | {"state": "PENDING"})
        assert error_locs(exc) == [("state",)]


class TestRegistration:
    def test_spec_registration_round_trips(self) -> None:
        registration = Registration.model_validate(SPEC_AU_REGISTRATION)
        assert registration.attachments[0].upload_status is UploadStatus.WAITING
        wire: dict[str, Any] = registration.to_wire()
        assert wire == SPEC_AU_REGISTRATION
        assert list(wire["attachments"][0]) == [
            "attachmentId",
            "fileName",
            "mimeType",
            "createTime",
            "updateTime",
            "uploadStatus",
        ]

    def test_document_type_is_written_when_known(self) -> None:
        attachment = Attachment.model_validate(
            SPEC_AU_REGISTRATION["attachments"][0] | {"documentType": "Passport", "uploadStatus": "COMPLETED"}
        )
        assert attachment.to_wire()["documentType"] == "Passport"

    def test_put_body_uses_request_details(self) -> None:
        request = UpdateNumberOrderRegistrationRequest.model_validate(
            {"requestDetails": SPEC_AU_REGISTRATION["requestDetails"]}
        )
        assert request.effective_request_details() == SPEC_AU_REGISTRATION["requestDetails"]

    def test_legacy_top_level_data_is_wrapped(self) -> None:
        request = UpdateNumberOrderRegistrationRequest.model_validate({"data": {"firstName": "Example"}})
        assert request.effective_request_details() == {"data": {"firstName": "Example"}}

    def test_request_details_win_over_legacy_data(self) -> None:
        request = UpdateNumberOrderRegistrationRequest.model_validate(
            {"requestDetails": {"data": [1]}, "data": {"ignored": True}}
        )
        assert request.effective_request_details() == {"data": [1]}

    def test_empty_body_gives_empty_details(self) -> None:
        assert UpdateNumberOrderRegistrationRequest.model_validate({}).effective_request_details() == {}

    def test_request_details_must_be_an_object(self) -> None:
        with pytest.raises(ValidationError) as exc:
            UpdateNumberOrderRegistrationRequest.model_validate({"requestDetails": ["not", "an", "object"]})
        assert error_locs(exc) == [("requestDetails",)]

    def test_unknown_upload_status_is_rejected(self) -> None:
        with pytest.raises(ValidationError):
            Attachment.model_validate(SPEC_AU_REGISTRATION["attachments"][0] | {"uploadStatus": "DONE"})


# ------------------------------------------------------------------------ E911, callbacks and regions

FULL_ADDRESS = {
    "streetNumber": "3500",
    "streetInfo": "Lenox Rd NE",
    "location": "a location",
    "city": "Atlanta",
    "state": "GA",
    "postalCode": "30326",
    "postalCodePlusFour": "4228",
}
EMPTY_ADDRESS = dict.fromkeys(FULL_ADDRESS, "")


class TestEmergencyAddress:
    def test_request_with_every_field(self) -> None:
        request = EmergencyAddressRequest.model_validate(
            {"displayName": "a display", "address": FULL_ADDRESS}
        )
        assert request.address.postal_code_plus_four == "4228"

    def test_location_and_plus_four_are_optional(self) -> None:
        address = {k: v for k, v in FULL_ADDRESS.items() if k not in {"location", "postalCodePlusFour"}}
        request = EmergencyAddressRequest.model_validate({"displayName": "x", "address": address, "extra": 1})
        assert request.address.location is None

    @pytest.mark.parametrize("missing", ["streetNumber", "streetInfo", "city", "state", "postalCode"])
    def test_required_address_fields(self, missing: str) -> None:
        address = {k: v for k, v in FULL_ADDRESS.items() if k != missing}
        with pytest.raises(ValidationError) as exc:
            EmergencyAddressRequest.model_validate({"displayName": "x", "address": address})
        assert error_locs(exc) == [("address", missing)]

    def test_display_name_and_address_are_required(self) -> None:
        with pytest.raises(ValidationError) as exc:
            EmergencyAddressRequest.model_validate({})
        assert error_locs(exc) == [("displayName",), ("address",)]

    def test_address_response_keeps_key_order_and_empty_strings(self) -> None:
        assert compact(EmergencyAddress.model_validate(FULL_ADDRESS).to_wire()) == compact(FULL_ADDRESS)
        assert EmergencyAddress().to_wire() == EMPTY_ADDRESS

    def test_near_match_validation(self) -> None:
        body = {
            "phoneNumber": "+17608137700",
            "displayName": "Validate emergency address",
            "validatedAddress": FULL_ADDRESS
            | {"streetInfo": "Lenox Road NE", "location": "", "postalCodePlusFour": ""},
            "validationResult": "NEAR_MATCH",
            "validationMessage": "Corrected to valid address|Corrected address abbreviations",
            "correctedAddress": FULL_ADDRESS,
            "candidateAddresses": [],
        }
        response = ValidateAddressResponse.model_validate(body)
        assert response.validation_result is AddressValidationResultCode.NEAR_MATCH
        assert compact(response.to_wire()) == compact(body)

    def test_no_match_has_an_empty_corrected_address_and_candidates(self) -> None:
        response = ValidateAddressResponse(
            phone_number="+17608137700",
            display_name="Validate emergency address",
            validated_address=EmergencyAddress.model_validate(FULL_ADDRESS),
            validation_result=AddressValidationResultCode.NO_MATCH,
            validation_message="Invalid address - no correction found",
            candidate_addresses=[EmergencyAddress.model_validate(FULL_ADDRESS)],
        )
        wire: dict[str, Any] = response.to_wire()
        assert wire["correctedAddress"] == EMPTY_ADDRESS
        assert wire["candidateAddresses"] == [FULL_ADDRESS]

    def test_unknown_validation_result_is_rejected(self) -> None:
        with pytest.raises(ValidationError):
            ValidateAddressResponse.model_validate({"phoneNumber": "+1", "validationResult": "MAYBE"})


class TestCallbackConfiguration:
    def test_response_shape(self) -> None:
        body = {
            "projectId": "12c0ffee-dada-beef-cafe-baadc0de5678",
            "hmacSecret": "0default-pass-word-max-36characters",
        }
        assert compact(CallbackConfiguration.model_validate(body).to_wire()) == compact(body)

    @pytest.mark.parametrize("secret", ["a" * 32, "A-b-9" * 12 + "abcd", "0123456789abcdef-0123456789ABCDEF"])
    def test_valid_secrets(self, secret: str) -> None:
        assert CallbackConfigurationUpdate.model_validate({"hmacSecret": secret}).hmac_secret == secret

    @pytest.mark.parametrize(
        "secret",
        ["a" * 31, "a" * 65, "", "strongPa$$PhraseWith36CharactersMax", "a" * 32 + "\n", "a" * 31 + "_"],
    )
    def test_invalid_secrets_are_rejected(self, secret: str) -> None:
        with pytest.raises(ValidationError) as exc:
            CallbackConfigurationUpdate.model_validate({"hmacSecret": secret})
        assert error_locs(exc) == [("hmacSecret",)]

    def test_omitted_secret_is_left_to_the_service(self) -> None:
        update = CallbackConfigurationUpdate.model_validate({"somethingElse": 1})
        assert update.hmac_secret is None
        assert update.model_fields_set == set()


class TestAvailableRegions:
    def test_list_round_trips(self) -> None:
        body = {"availableRegions": [{"regionCode": "AU", "regionName": "Australia", "types": ["MOBILE"]}]}
        regions = ListAvailableRegionsResponse.model_validate(body)
        assert regions.available_regions[0].types == [NumberType.MOBILE]
        assert compact(regions.to_wire()) == compact(body)

    def test_region_built_from_values(self) -> None:
        region = AvailableRegion(
            region_code="US", region_name="United States", types=[NumberType.LOCAL, NumberType.TOLL_FREE]
        )
        assert region.to_wire() == {
            "regionCode": "US",
            "regionName": "United States",
            "types": ["LOCAL", "TOLL_FREE"],
        }

    def test_unknown_number_type_is_rejected(self) -> None:
        with pytest.raises(ValidationError) as exc:
            AvailableRegion.model_validate(
                {"regionCode": "AU", "regionName": "Australia", "types": ["NUMBER_TYPE_UNSPECIFIED"]}
            )
        assert error_locs(exc) == [("types", 0)]
