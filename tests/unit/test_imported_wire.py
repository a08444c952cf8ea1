"""The seed's examples parse into the wire models and come back out as the same JSON; bad
requests fail validation. The examples are copied from
seeds/imported-numbers-hosting-orders.openapi.yaml (components.examples and inline examples)."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from numberdesk.domain import hosting_orders as d_orders
from numberdesk.domain import hosting_orders_loa as d_loa
from numberdesk.domain import hosting_orders_numbers as d_numbers
from numberdesk.domain import imported_events as d_events
from numberdesk.domain import imported_number_links as d_links
from numberdesk.domain import imported_numbers as d_imported
from numberdesk.domain import qualified_numbers as d_qualified
from numberdesk.wire import hosting_orders as w_orders
from numberdesk.wire import imported_callbacks as w_callbacks
from numberdesk.wire import imported_numbers as w_imported
from numberdesk.wire import qualified_numbers as w_qualified
from numberdesk.wire.callbacks import callback_timestamp
from numberdesk.wire.hosting_orders import (
    HostingOrder,
    HostingOrderNumber,
    HostingOrderReport,
    ImportHostingOrder,
    ListHostingOrderNumbersParams,
    ListHostingOrdersParams,
)
from numberdesk.wire.hosting_orders_requests import (
    TEXT_ENABLE_TOLL_FREE_NUMBERS_REQUEST,
    CreateTextEnabledNumberRequest,
    ImportNumbersRequest,
    TextEnableNumbersRequest,
    TextEnableTollFreeNumbersDirectLoaInfoRequest,
    TextEnableTollFreeNumbersResellerLoaInfoRequest,
)
from numberdesk.wire.imported_callbacks import CallbackPayload
from numberdesk.wire.imported_errors import ErrorResponse, InternalError, InvalidArgument, NotFound
from numberdesk.wire.imported_numbers import (
    CreateImportedNumberRequest,
    ImportedNumber,
    ListImportedNumbersParams,
    ListImportedNumbersResponse,
    UpdateImportedNumberRequest,
)
from numberdesk.wire.qualified_numbers import (
    BatchCreateQualifiedNumbersRequest,
    ListQualifiedNumbersParams,
    QualifiedNumber,
    VerifyVoiceChallengeRequest,
)

ADDRESS_CHICAGO = {
    "buildingNumber": "2433",
    "street": "Vesta Drive",
    "city": "Chicago",
    "state": "IL",
    "postalCode": "60647",
    "country": "US",
}
ADDRESS_NYC = {
    "buildingNumber": "1234",
    "street": "Main St",
    "city": "NYC",
    "state": "NY",
    "postalCode": "01002",
    "country": "US",
}
JOHN_SMITH = {"firstName": "John", "lastName": "Smith", "email": "email@domain.com"}
JOHN_DOE = {"firstName": "John", "lastName": "Doe", "email": "john.doe@email.com"}

PROVISIONING_EXAMPLE = {
    "regionCode": "US",
    "smsConfiguration": {
        "servicePlanId": "YOUR_service_plan_id",
        "campaignId": "YOUR_campaign_id",
        "migrateToSinchTmo": True,
    },
    "phoneNumber": "+11234567890",
    "displayName": "MyPhoneNumber",
    "callbackUrl": "https://www.your-callback-server.com/callback",
}
UNLINK_NUMBER = {
    "displayName": "My Display Name",
    "smsConfiguration": {"servicePlanId": "", "campaignId": ""},
    "callbackUrl": "https://www.your-callback-server.com/callback",
}
LINK_NUMBER = {
    "displayName": "My Display Name",
    "smsConfiguration": {"servicePlanId": "YOUR_service_plan_id", "campaignId": "YOUR_campaign_id"},
    "callbackUrl": "https://www.your-callback-server.com/callback",
}
HOSTING_ORDER_INFO = {
    "businessName": "Sinch AB",
    "authorisedPerson": JOHN_SMITH,
    "address": ADDRESS_CHICAGO,
    "serviceProvider": "Sinch America Inc.",
    "currentVoiceCarrier": "Verizon",
    "nnid": "104029",
    "loaType": "DIRECT",
}
HOSTING_ORDER_COMMON = {
    "projectId": "d1923022-5199-4bb3-a513-c47n7a656bc5",
    "hostingOrderId": "01arz3nhyrtsv4rrffq69g5fav",
    "displayName": "Hosting order with campaignId, nnid and smsAppId",
    "regionCode": "US",
    "state": "SUBMITTED",
    "createdTime": "2023-01-12T14:34:40.968Z",
    "updatedTime": "2023-01-12T14:34:40.968Z",
    "scheduledOsrUpdateTime": "2023-01-13T14:34:40.968Z",
    "servicePlanId": "16e5c8d2odc842bda9a1b90e1673c174",
    "campaignId": "C3O84GA",
    "migrateToSinchTmo": True,
    "callbackUrl": "https://www.your-callback-server.com/callback",
    "hostingOrderInfo": HOSTING_ORDER_INFO,
}
GET_HOSTING_ORDER_EXAMPLE = {**HOSTING_ORDER_COMMON, "type": "IMPORT"}
HOSTING_ORDER_RESPONSE = {**HOSTING_ORDER_COMMON, "type": "TYPE_TEXT_ENABLE"}
HOSTING_ORDER_REPORT_RESPONSE = {"total": 1, "osrUpdated": 1, "smsProvisioned": 1, "addedToCampaign": 1}
TEXT_ENABLE_TOLL_FREE_NUMBERS = {
    "regionCode": "US",
    "numbers": ["+18335870229", "+18339460473"],
    "servicePlanId": "07d6c2621f364b68856fe4938b7bb78f",
    "callbackUrl": "https://www.your-callback-server.com/callback",
    "directLoaInfo": {
        "authorisedPerson": JOHN_SMITH,
        "address": ADDRESS_CHICAGO,
        "currentVoiceCarrier": "Verizon",
    },
    "scheduledZipwhipProvisioningTime": "2023-01-13T14:34:40.968Z",
    "migrateToSinchTmo": True,
}
INVALID_SERVICE_PLAN_ID = {
    "code": "400",
    "message": "Invalid service_plan_id {servicePlanId}",
    "status": "INVALID_ARGUMENT",
    "details": [
        {
            "type": "BadRequest",
            "fieldViolations": [
                {"field": "smsConfiguration.servicePlanId", "description": "Invalid servicePlanId"}
            ],
        }
    ],
}
BLANKET_LOA_TEXT_ENABLE = {
    "regionCode": "US",
    "numbers": ["+17724295286", "+17724295287"],
    "servicePlanId": "07d6c2621f364b68856fe4938b7bb78f",
    "campaignId": "C3O8OGA",
    "callbackUrl": "https://www.your-callback-server.com/callback",
    "blanketLoaInfo": {},
    "scheduledOsrUpdateTime": "2023-01-13T14:34:40.968Z",
    "migrateToSinchTmo": True,
}
TEXT_ENABLE_NUMBERS = {
    "regionCode": "US",
    "numbers": ["+17724295286", "+17724295287"],
    "servicePlanId": "07d6c2621f364b68856fe4938b7bb78f",
    "campaignId": "C3O8OGA",
    "callbackUrl": "https://www.your-callback-server.com/callback",
    "directLoaInfo": {
        "authorisedPerson": JOHN_SMITH,
        "address": ADDRESS_CHICAGO,
        "currentVoiceCarrier": "Verizon",
    },
    "scheduledOsrUpdateTime": "2023-01-13T14:34:40.968Z",
    "migrateToSinchTmo": True,
}
IMPORT_NUMBERS_HOSTING_ORDER_REQUEST = {
    "displayName": "Import numbers order",
    "regionCode": "US",
    "numbers": ["+17724295286", "+17724295287"],
    "servicePlanId": "07d6c2621f364b68856fe4938b7bb78f",
    "campaignId": "C3O8OGA",
    "callbackUrl": "https://www.your-callback-server.com/callback",
    "migrateToSinchTmo": True,
}
IMPORT_NUMBERS_HOSTING_ORDER_RESPONSE = {
    "projectId": "d1923022-5199-4bb3-a513-c47n7a656bc5",
    "hostingOrderId": "01arz3nhyrtsv4rrffq69g5fav",
    "displayName": "Hosting order with campaignId and smsAppId",
    "regionCode": "US",
    "state": "SUBMITTED",
    "type": "IMPORT",
    "createdTime": "2023-01-12T14:34:40.968Z",
    "updatedTime": "2023-01-12T14:34:40.968Z",
    "servicePlanId": "16e5c8d2odc842bda9a1b90e1673c174",
    "campaignId": "C3O84GA",
    "migrateToSinchTmo": True,
    "callbackUrl": "https://www.your-callback-server.com/callback",
    "numberImport": "{}",
}
DIRECT_LOA_EXAMPLE = {
    "regionCode": "US",
    "numbers": ["+12025550134"],
    "servicePlanId": "YOUR_service_plan_id",
    "campaignId": "YOUR_campaign_id",
    "directLoaInfo": {"authorisedPerson": JOHN_DOE, "address": ADDRESS_NYC, "currentVoiceCarrier": "Verizon"},
    "scheduledOsrUpdateTime": "2023-01-13T14:34:40.968Z",
    "migrateToSinchTmo": True,
}
RESELLER_LOA_EXAMPLE = {
    "regionCode": "US",
    "numbers": ["+12025550134"],
    "servicePlanId": "YOUR_service_plan_id",
    "campaignId": "YOUR_campaign_id",
    "resellerLoaInfo": {
        "businessName": "Acme, Inc.",
        "authorisedPerson": JOHN_DOE,
        "address": ADDRESS_NYC,
        "currentVoiceCarrier": "Verizon",
    },
    "scheduledOsrUpdateTime": "2023-01-13T14:34:40.968Z",
    "migrateToSinchTmo": True,
}

_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def same_instants(value: Any) -> Any:
    """JSON with timestamps turned into datetimes: `.968Z` and `.968000Z` are the same instant."""
    if isinstance(value, dict):
        return {key: same_instants(item) for key, item in value.items()}
    if isinstance(value, list):
        return [same_instants(item) for item in value]
    if isinstance(value, str) and _TIMESTAMP.fullmatch(value):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return value


def round_trip(model: type[BaseModel], example: dict[str, Any]) -> dict[str, Any]:
    parsed = model.model_validate(example)
    dumped: dict[str, Any] = parsed.model_dump(by_alias=True, mode="json", exclude_unset=True)
    return dumped


EXAMPLES = [
    pytest.param(CreateImportedNumberRequest, PROVISIONING_EXAMPLE, id="importNumber:ProvisioningExample"),
    pytest.param(UpdateImportedNumberRequest, UNLINK_NUMBER, id="updateImportedNumber:UnlinkNumber"),
    pytest.param(UpdateImportedNumberRequest, LINK_NUMBER, id="updateImportedNumber:LinkNumber"),
    pytest.param(HostingOrderReport, HOSTING_ORDER_REPORT_RESPONSE, id="hostingOrderReportResponse"),
    pytest.param(ErrorResponse, INVALID_SERVICE_PLAN_ID, id="invalidServicePlanId"),
    pytest.param(TextEnableNumbersRequest, BLANKET_LOA_TEXT_ENABLE, id="blanketLoaTextEnable"),
    pytest.param(TextEnableNumbersRequest, TEXT_ENABLE_NUMBERS, id="textEnableNumbers"),
    pytest.param(
        ImportNumbersRequest, IMPORT_NUMBERS_HOSTING_ORDER_REQUEST, id="importNumbersHostingOrderRequest"
    ),
    pytest.param(TextEnableNumbersRequest, DIRECT_LOA_EXAMPLE, id="qualified:directLOAExample"),
    pytest.param(TextEnableNumbersRequest, RESELLER_LOA_EXAMPLE, id="qualified:resellerLOAExample"),
]


class TestSeedExamples:
    @pytest.mark.parametrize(("model", "example"), EXAMPLES)
    def test_round_trip(self, model: type[BaseModel], example: dict[str, Any]) -> None:
        assert same_instants(round_trip(model, example)) == same_instants(example)

    @pytest.mark.parametrize("example", [GET_HOSTING_ORDER_EXAMPLE, HOSTING_ORDER_RESPONSE])
    def test_hosting_order_examples_come_back_under_the_schema_name(self, example: dict[str, Any]) -> None:
        # The seed's examples say hostingOrderInfo; its HostingOrder schema says textEnableInfo.
        expected = copy.deepcopy(example)
        expected["textEnableInfo"] = expected.pop("hostingOrderInfo")
        order = HostingOrder.model_validate(example)
        assert order.text_enable_info is not None
        assert order.text_enable_info.loa_type is w_orders.LoaType.DIRECT
        assert same_instants(
            order.model_dump(by_alias=True, mode="json", exclude_none=True)
        ) == same_instants(expected)
        assert "hostingOrderInfo" not in order.to_wire()

    def test_import_order_example_number_import_becomes_an_object(self) -> None:
        # The seed's example sends numberImport as the string '{}'; the schema says object.
        expected = {**IMPORT_NUMBERS_HOSTING_ORDER_RESPONSE, "numberImport": {}}
        assert same_instants(
            round_trip(ImportHostingOrder, IMPORT_NUMBERS_HOSTING_ORDER_RESPONSE)
        ) == same_instants(expected)

    def test_toll_free_example_picks_the_direct_variant(self) -> None:
        parsed = TEXT_ENABLE_TOLL_FREE_NUMBERS_REQUEST.validate_python(TEXT_ENABLE_TOLL_FREE_NUMBERS)
        assert isinstance(parsed, TextEnableTollFreeNumbersDirectLoaInfoRequest)
        assert parsed.scheduled_zipwhip_provisioning_time == datetime(
            2023, 1, 13, 14, 34, 40, 968000, tzinfo=UTC
        )
        dumped = parsed.model_dump(by_alias=True, mode="json", exclude_unset=True)
        # migrateToSinchTmo is not a property of either toll-free variant: ignored like any extra.
        expected = {k: v for k, v in TEXT_ENABLE_TOLL_FREE_NUMBERS.items() if k != "migrateToSinchTmo"}
        assert same_instants(dumped) == same_instants(expected)

    def test_seed_field_examples(self) -> None:
        assert VerifyVoiceChallengeRequest.model_validate({"code": "1234"}).code == "1234"
        batch = BatchCreateQualifiedNumbersRequest.model_validate({"phoneNumbers": ["+12345612345"]})
        assert batch.phone_numbers == ["+12345612345"]
        payload = {
            "eventId": "abcd1234efghijklmnop567890",
            "timestamp": "2023-06-06T07:45:27.785357",
            "projectId": "abcd12ef-ab12-ab12-bc34-abcdef123456",
            "resourceId": "+12345612345",
            "resourceType": "IMPORTED_NUMBER",
            "eventType": "LINK_TO_10DLC_CAMPAIGN",
            "status": "FAILED",
            "failureCode": "CAMPAIGN_NOT_AVAILABLE",
        }
        assert round_trip(CallbackPayload, payload) == payload


ADDRESS_INPUT = ADDRESS_NYC
DIRECT = {"authorisedPerson": JOHN_DOE, "address": ADDRESS_NYC, "currentVoiceCarrier": "Verizon"}


def text_enable(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(DIRECT_LOA_EXAMPLE)
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


class TestBadRequests:
    @pytest.mark.parametrize(
        ("changes", "where"),
        [
            ({"regionCode": "SE"}, "regionCode"),
            ({"regionCode": None}, "regionCode"),
            ({"servicePlanId": None}, "servicePlanId"),
            ({"numbers": []}, "numbers"),
            ({"numbers": ["12025550134"]}, "numbers.0"),
            ({"numbers": ["+1 202 555 0134"]}, "numbers.0"),
            ({"numbers": [f"+1202555{i:04d}" for i in range(501)]}, "numbers"),
            ({"scheduledOsrUpdateTime": "tomorrow"}, "scheduledOsrUpdateTime"),
            (
                {
                    "directLoaInfo": {
                        **DIRECT,
                        "address": {k: v for k, v in ADDRESS_NYC.items() if k != "city"},
                    }
                },
                "directLoaInfo.address.city",
            ),
            (
                {"directLoaInfo": {"address": ADDRESS_NYC, "currentVoiceCarrier": "V"}},
                "directLoaInfo.authorisedPerson",
            ),
        ],
    )
    def test_text_enable(self, changes: dict[str, Any], where: str) -> None:
        body = text_enable(**changes)
        with pytest.raises(ValidationError) as info:
            TextEnableNumbersRequest.model_validate(body)
        assert where in {".".join(str(part) for part in error["loc"]) for error in info.value.errors()}

    def test_500_numbers_are_fine(self) -> None:
        body = text_enable(numbers=[f"+1202555{i:04d}" for i in range(500)])
        assert len(TextEnableNumbersRequest.model_validate(body).numbers) == 500

    @pytest.mark.parametrize(
        "loas",
        [
            {},
            {"directLoaInfo": DIRECT, "blanketLoaInfo": {}},
            {"directLoaInfo": DIRECT, "resellerLoaInfo": {**DIRECT, "businessName": "Acme"}},
        ],
    )
    def test_text_enable_needs_exactly_one_loa(self, loas: dict[str, Any]) -> None:
        body = {k: v for k, v in DIRECT_LOA_EXAMPLE.items() if k != "directLoaInfo"} | loas
        with pytest.raises(ValidationError, match="exactly one of directLoaInfo"):
            TextEnableNumbersRequest.model_validate(body)

    def test_naive_timestamps_are_taken_as_utc(self) -> None:
        parsed = TextEnableNumbersRequest.model_validate(
            text_enable(scheduledOsrUpdateTime="2023-01-13T14:34:40")
        )
        assert parsed.scheduled_osr_update_time == datetime(2023, 1, 13, 14, 34, 40, tzinfo=UTC)
        offset = TextEnableNumbersRequest.model_validate(
            text_enable(scheduledOsrUpdateTime="2023-01-13T16:34:40+02:00")
        )
        assert offset.scheduled_osr_update_time == datetime(2023, 1, 13, 14, 34, 40, tzinfo=UTC)
        assert offset.scheduled_osr_update_time.tzinfo is UTC

    @pytest.mark.parametrize(
        "loas",
        [{}, {"directLoaInfo": DIRECT, "resellerLoaInfo": {**DIRECT, "businessName": "Acme"}}],
    )
    def test_toll_free_one_of(self, loas: dict[str, Any]) -> None:
        body = {k: v for k, v in TEXT_ENABLE_TOLL_FREE_NUMBERS.items() if k != "directLoaInfo"} | loas
        with pytest.raises(ValidationError, match="exactly one of directLoaInfo or resellerLoaInfo"):
            TEXT_ENABLE_TOLL_FREE_NUMBERS_REQUEST.validate_python(body)

    def test_toll_free_reseller_variant(self) -> None:
        body: dict[str, Any] = {
            k: v for k, v in TEXT_ENABLE_TOLL_FREE_NUMBERS.items() if k != "directLoaInfo"
        }
        body["resellerLoaInfo"] = {**DIRECT, "businessName": "Acme"}
        parsed = TEXT_ENABLE_TOLL_FREE_NUMBERS_REQUEST.validate_python(body)
        assert isinstance(parsed, TextEnableTollFreeNumbersResellerLoaInfoRequest)
        del body["resellerLoaInfo"]["businessName"]
        with pytest.raises(ValidationError):
            TEXT_ENABLE_TOLL_FREE_NUMBERS_REQUEST.validate_python(body)

    @pytest.mark.parametrize(
        "body",
        [
            {k: v for k, v in PROVISIONING_EXAMPLE.items() if k != "smsConfiguration"},
            {k: v for k, v in PROVISIONING_EXAMPLE.items() if k != "regionCode"},
            {**PROVISIONING_EXAMPLE, "phoneNumber": "+0123"},
            {**PROVISIONING_EXAMPLE, "regionCode": "UK"},
        ],
    )
    def test_import_number(self, body: dict[str, Any]) -> None:
        with pytest.raises(ValidationError):
            CreateImportedNumberRequest.model_validate(body)

    def test_import_number_without_phone_number_is_left_to_the_domain(self) -> None:
        body = {k: v for k, v in PROVISIONING_EXAMPLE.items() if k != "phoneNumber"}
        assert CreateImportedNumberRequest.model_validate(body).phone_number is None

    @pytest.mark.parametrize(
        "body",
        [
            {k: v for k, v in IMPORT_NUMBERS_HOSTING_ORDER_REQUEST.items() if k != "servicePlanId"},
            {**IMPORT_NUMBERS_HOSTING_ORDER_REQUEST, "numbers": []},
            {**IMPORT_NUMBERS_HOSTING_ORDER_REQUEST, "numbers": ["7724295286"]},
            {**IMPORT_NUMBERS_HOSTING_ORDER_REQUEST, "regionCode": "MX"},
        ],
    )
    def test_import_numbers(self, body: dict[str, Any]) -> None:
        with pytest.raises(ValidationError):
            ImportNumbersRequest.model_validate(body)

    def test_import_numbers_limit_is_not_a_wire_rule(self) -> None:
        body = {**IMPORT_NUMBERS_HOSTING_ORDER_REQUEST, "numbers": [f"+1772429528{i}" for i in range(8)]}
        assert len(ImportNumbersRequest.model_validate(body).numbers) == 8

    @pytest.mark.parametrize("body", [{}, {"phoneNumbers": []}, {"phoneNumbers": ["+1 234"]}])
    def test_batch_create(self, body: dict[str, Any]) -> None:
        with pytest.raises(ValidationError):
            BatchCreateQualifiedNumbersRequest.model_validate(body)

    def test_verify_needs_a_code(self) -> None:
        with pytest.raises(ValidationError):
            VerifyVoiceChallengeRequest.model_validate({})

    def test_create_text_enabled_number(self) -> None:
        body = {"projectId": "p", "phoneNumber": "+12025550134", "regionCode": "US"}
        assert CreateTextEnabledNumberRequest.model_validate(body).phone_number == "+12025550134"
        with pytest.raises(ValidationError):
            CreateTextEnabledNumberRequest.model_validate({"projectId": "p", "regionCode": "US"})

    def test_unknown_request_fields_are_ignored(self) -> None:
        parsed = VerifyVoiceChallengeRequest.model_validate({"code": "1", "extra": True})
        assert parsed.model_dump(by_alias=True) == {"code": "1"}


class TestQueryParams:
    def test_imported_numbers(self) -> None:
        params = ListImportedNumbersParams.model_validate(
            {
                "numberPattern.pattern": "+1206",
                "numberPattern.searchPattern": "CONTAIN",
                "servicePlanId": "p",
                "campaignId": "c",
                "pageSize": "20",
            }
        )
        assert params.number_pattern_search_pattern is w_imported.SearchPattern.CONTAIN
        assert params.page_size == 20
        for bad in [
            {"servicePlanId": "p"},
            {"servicePlanId": "p", "campaignId": "c", "numberPattern.searchPattern": "CONTAINS"},
            {"servicePlanId": "p", "campaignId": "c", "pageSize": -1},
        ]:
            with pytest.raises(ValidationError):
                ListImportedNumbersParams.model_validate(bad)

    def test_hosting_orders(self) -> None:
        params = ListHostingOrdersParams.model_validate(
            {
                "states": ["SUBMITTED", "IN_PROGRESS"],
                "type": "IMPORT",
                "servicePlanId": "p",
                "campaignId": "c",
            }
        )
        assert params.states == [w_orders.HostingOrderState.SUBMITTED, w_orders.HostingOrderState.IN_PROGRESS]
        for bad in [
            {"type": "IMPORT", "servicePlanId": "p", "campaignId": "c"},
            {"states": [], "type": "IMPORT", "servicePlanId": "p", "campaignId": "c"},
            {"states": ["SUBMITTED"], "type": "TEXT_ENABLE", "servicePlanId": "p", "campaignId": "c"},
        ]:
            with pytest.raises(ValidationError):
                ListHostingOrdersParams.model_validate(bad)

    def test_hosting_order_numbers_take_names_or_numbers(self) -> None:
        params = ListHostingOrderNumbersParams.model_validate(
            {"osrUpdateState": "DONE", "platformProvisioningState": "3", "campaignProvisioningState": 1}
        )
        state = w_orders.HostingOrderNumberState
        assert (
            params.osr_update_state,
            params.platform_provisioning_state,
            params.campaign_provisioning_state,
        ) == (state.DONE, state.FAILED, state.WAITING)
        for bad in [{"osrUpdateState": "NOPE"}, {"osrUpdateState": "7"}, {"osrUpdateState": 9}]:
            with pytest.raises(ValidationError):
                ListHostingOrderNumbersParams.model_validate(bad)

    def test_qualified_numbers(self) -> None:
        params = ListQualifiedNumbersParams.model_validate({"states": ["GLOBAL_PROCESS_STATE_VERIFIED"]})
        assert params.states == [w_qualified.GlobalProcessState.GLOBAL_PROCESS_STATE_VERIFIED]
        for bad in [{}, {"states": ["GLOBAL_PROCESS_STATE_UNSPECIFIED"]}, {"states": ["VERIFIED"]}]:
            with pytest.raises(ValidationError):
                ListQualifiedNumbersParams.model_validate(bad)


class TestResponses:
    def test_to_wire_uses_the_spec_names(self) -> None:
        number = HostingOrderNumber(
            project_id="p",
            hosting_order_id="h",
            phone_number="+12025550134",
            osr_update=w_orders.HostingOrderNumberOsrUpdate(
                nnid="104029", state=w_orders.HostingOrderNumberState.DONE
            ),
            platform_provisioning=w_orders.HostingOrderNumberPlatformProvisioning(
                service_plan_id="s", state=w_orders.HostingOrderNumberState.WAITING
            ),
        )
        assert number.to_wire() == {
            "projectId": "p",
            "hostingOrderId": "h",
            "phoneNumber": "+12025550134",
            "osrUpdate": {"nnid": "104029", "state": "DONE"},
            "campaignProvisioning": None,
            "platformProvisioning": {"servicePlanId": "s", "state": "WAITING"},
        }

    def test_imported_number_list(self) -> None:
        sms = w_imported.SmsConfiguration(
            service_plan_id="",
            campaign_id="",
            scheduled_provisioning=w_imported.ScheduledProvisioning(
                service_plan_id="s",
                status=w_imported.ProvisioningStatus.WAITING,
                last_updated_time=datetime(2026, 5, 19, 21, 38, 22, 937044, tzinfo=UTC),
                error_codes=[],
            ),
        )
        page = ListImportedNumbersResponse(
            imported_numbers=[ImportedNumber(phone_number="+12025550134", sms_configuration=sms)],
            next_page_token="",
            total_size=1,
        ).to_wire()
        assert set(page) == {"importedNumbers", "nextPageToken", "totalSize"}
        scheduled = page["importedNumbers"][0]["smsConfiguration"]["scheduledProvisioning"]  # type: ignore[index]
        assert scheduled["lastUpdatedTime"] == "2026-05-19T21:38:22.937044Z"

    def test_qualified_number(self) -> None:
        wire = QualifiedNumber(
            phone_number="+12025550134",
            global_process_state=w_qualified.GlobalProcessState.GLOBAL_PROCESS_STATE_HOSTING_DONE,
            hosted_number=w_qualified.QualifiedNumberHostedNumberDetails(
                status=w_qualified.HostingStatus.HOSTING_STATUS_HOSTED
            ),
        ).to_wire()
        assert wire["globalProcessState"] == "GLOBAL_PROCESS_STATE_HOSTING_DONE"
        assert wire["hostedNumber"] == {"status": "HOSTING_STATUS_HOSTED", "error": None}

    def test_responses_ignore_unknown_fields(self) -> None:
        # Clients reading a newer server must not break on a field they do not know.
        report = HostingOrderReport.model_validate({"total": 1, "pending": 2})
        assert "pending" not in report.to_wire()

    def test_error_envelopes(self) -> None:
        invalid = {
            "error": {
                "code": 400,
                "message": "bad",
                "status": "INVALID_ARGUMENT",
                "details": [
                    {"type": "BadRequest", "fieldViolations": [{"field": "numbers", "description": "x"}]}
                ],
            }
        }
        assert round_trip(InvalidArgument, invalid) == invalid
        missing = {
            "error": {
                "code": 404,
                "message": "",
                "status": "NOT_FOUND",
                "details": [{"type": "ResourceInfo"}],
            }
        }
        assert round_trip(NotFound, missing) == missing
        internal = {"error": {"code": 500, "message": "", "status": "UNKNOWN", "details": []}}
        assert round_trip(InternalError, internal) == internal
        with pytest.raises(ValidationError):
            NotFound.model_validate({"error": {"code": 400}})

    def test_callback_timestamp_has_no_zone(self) -> None:
        moment = datetime(2023, 6, 6, 7, 45, 27, 785357, tzinfo=UTC)
        assert callback_timestamp(moment) == "2023-06-06T07:45:27.785357"
        assert callback_timestamp(moment.replace(microsecond=0)) == "2023-06-06T07:45:27.000000"


def values(enum: type[StrEnum]) -> set[str]:
    return {member.value for member in enum}


class TestDomainAndWireAgree:
    """Routes map domain enums to wire enums by value; every domain value must exist on the wire."""

    @pytest.mark.parametrize(
        ("domain", "wire"),
        [
            (d_orders.HostingOrderState, w_orders.HostingOrderState),
            (d_orders.HostingOrderType, w_orders.HostingOrderType),
            (d_numbers.StepState, w_orders.HostingOrderNumberState),
            (d_qualified.GlobalProcessState, w_qualified.GlobalProcessState),
            (d_qualified.HostingStatus, w_qualified.HostingStatus),
            (d_qualified.OsrEligibilityStatus, w_qualified.OsrEligibilityStatus),
            (d_qualified.OwnershipVerificationStatus, w_qualified.OwnershipVerificationStatus),
            (d_imported.SearchPattern, w_imported.SearchPattern),
            (d_links.ProvisioningStatus, w_imported.ProvisioningStatus),
            (d_events.CallbackEventType, w_callbacks.CallbackEventType),
            (d_events.EventStatus, w_callbacks.CallbackStatus),
            (d_events.FailureCode, w_callbacks.CallbackFailureCode),
            (d_events.FailureCode, w_imported.SmsErrorCode),
        ],
    )
    def test_domain_values_exist_on_the_wire(self, domain: type[StrEnum], wire: type[StrEnum]) -> None:
        assert values(domain) <= values(wire)

    def test_wire_extras_are_only_unspecified_members(self) -> None:
        assert values(w_orders.HostingOrderState) - values(d_orders.HostingOrderState) == {
            "HOSTING_ORDER_STATE_UNSPECIFIED"
        }
        assert values(w_qualified.GlobalProcessState) - values(d_qualified.GlobalProcessState) == {
            "GLOBAL_PROCESS_STATE_UNSPECIFIED"
        }

    def test_callback_resource_types(self) -> None:
        callback_types = {d_events.ResourceType.IMPORTED_NUMBER, d_events.ResourceType.HOSTING_ORDER_NUMBER}
        assert {t.value for t in callback_types} == values(w_callbacks.CallbackResourceType)

    def test_loa_types(self) -> None:
        assert values(w_orders.LoaType) == values(d_loa.LoaType) - {"BLANKET"}

    def test_the_error_codes_the_domain_writes_are_wire_values(self) -> None:
        assert d_links.SMS_PROVISIONING_FAILED in values(w_imported.SmsErrorCode)
