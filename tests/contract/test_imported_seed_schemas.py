"""The Imported Numbers wire models against the seed spec itself: every schema has a model with the
same properties, required fields and enum values, and every operation has its models.

Reads the seed found by `tests/contract/seed.py` (beside the repository, or the env override); skipped
when the file is not there. Deliberate differences are listed in DEVIATIONS with their reason.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, get_args

import pytest
import yaml
from pydantic import BaseModel

from numberdesk.wire import hosting_orders as orders
from numberdesk.wire import hosting_orders_requests as order_requests
from numberdesk.wire import imported_callbacks as callbacks
from numberdesk.wire import imported_errors as errors
from numberdesk.wire import imported_numbers as imported
from numberdesk.wire import qualified_numbers as qualified
from tests.contract.seed import imported_seed_path

SEED = imported_seed_path()
pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=f"seed spec not found at {SEED}")

# seed schema -> the models that carry it (request and/or response side)
SCHEMA_MODELS: dict[str, list[type[BaseModel]]] = {
    # `$ref: ImportedNumber` plus a required list.
    "CreateImportedNumberRequest": [imported.CreateImportedNumberRequest],
    "ImportedNumber": [imported.ImportedNumber, imported.UpdateImportedNumberRequest],
    "ListImportedNumbersResponse": [imported.ListImportedNumbersResponse],
    "ScheduledProvisioning": [imported.ScheduledProvisioning],
    "SmsConfiguration": [imported.SmsConfiguration, imported.SmsConfigurationInput],
    "CreateTextEnabledNumberRequest": [order_requests.CreateTextEnabledNumberRequest],
    "Address": [orders.Address, order_requests.AddressInput],
    "AuthorizedPerson": [orders.AuthorizedPerson, order_requests.AuthorizedPersonInput],
    "BlanketLoaInfo": [order_requests.BlanketLoaInfo],
    "DirectLoaInfo": [order_requests.DirectLoaInfo],
    "ResellerLoaInfo": [order_requests.ResellerLoaInfo],
    "ImportHostingOrder": [orders.ImportHostingOrder],
    "HostingOrder": [orders.HostingOrder],
    "HostingOrderNumber": [orders.HostingOrderNumber],
    "HostingOrderNumber_CampaignProvisioning": [orders.HostingOrderNumberCampaignProvisioning],
    "HostingOrderNumber_OsrUpdate": [orders.HostingOrderNumberOsrUpdate],
    "HostingOrderNumber_PlatformProvisioning": [orders.HostingOrderNumberPlatformProvisioning],
    "TextEnableTollFreeNumbersDirectLoaInfoRequest": [
        order_requests.TextEnableTollFreeNumbersDirectLoaInfoRequest
    ],
    "TextEnableTollFreeNumbersResellerLoaInfoRequest": [
        order_requests.TextEnableTollFreeNumbersResellerLoaInfoRequest
    ],
    "HostingOrderReport": [orders.HostingOrderReport],
    "ImportNumbersRequest": [order_requests.ImportNumbersRequest],
    "ListHostingOrderNumbersResponse": [orders.ListHostingOrderNumbersResponse],
    "ListHostingOrdersResponse": [orders.ListHostingOrdersResponse],
    "TextEnableInfo": [orders.TextEnableInfo],
    "TextEnableNumbersRequest": [order_requests.TextEnableNumbersRequest],
    "BatchCreateQualifiedNumbersRequest": [qualified.BatchCreateQualifiedNumbersRequest],
    "BatchCreateQualifiedNumbersResponse": [qualified.BatchCreateQualifiedNumbersResponse],
    "ListQualifiedNumber": [qualified.ListQualifiedNumber],
    "QualifiedNumber": [qualified.QualifiedNumber],
    "QualifiedNumber_HostedNumberDetails": [qualified.QualifiedNumberHostedNumberDetails],
    "QualifiedNumber_OsrEligibilityDetails": [qualified.QualifiedNumberOsrEligibilityDetails],
    "QualifiedNumber_OwnershipVerificationDetails": [qualified.QualifiedNumberOwnershipVerificationDetails],
    "TextEnableResponse": [qualified.TextEnableResponse],
    "VerifyVoiceChallengeRequest": [qualified.VerifyVoiceChallengeRequest],
    "CallbackConfiguration": [callbacks.CallbackConfiguration],
    "CallbackConfigurationUpdate": [callbacks.CallbackConfigurationUpdate],
    "CallbackPayload": [callbacks.CallbackPayload],
    "ErrorResponse": [errors.ErrorResponse],
    "InvalidArgument": [errors.InvalidArgument],
    "BadRequest": [errors.BadRequest],
    "FieldViolation": [errors.FieldViolation],
    "NotFound": [errors.NotFound],
    "InternalError": [errors.InternalError],
}
# The seed's oneOf has no class: it is a type alias over its two variants.
ONE_OF_ALIASES: dict[str, object] = {
    "TextEnableTollFreeNumbersRequest": order_requests.TextEnableTollFreeNumbersRequest,
}
# (schema, model) -> (properties we add, properties we leave out, required we relax)
DEVIATIONS: dict[tuple[str, type[BaseModel]], tuple[set[str], set[str], set[str]]] = {
    # The seed's own 400 example carries details.
    ("ErrorResponse", errors.ErrorResponse): ({"details"}, set(), set()),
    # scheduledProvisioning is read-only: clients do not send it.
    ("SmsConfiguration", imported.SmsConfigurationInput): (set(), {"scheduledProvisioning"}, set()),
    # projectId is required but not a property, and the seed's example leaves it out.
    (
        "TextEnableTollFreeNumbersDirectLoaInfoRequest",
        order_requests.TextEnableTollFreeNumbersDirectLoaInfoRequest,
    ): (
        {"projectId"},
        set(),
        {"projectId"},
    ),
    (
        "TextEnableTollFreeNumbersResellerLoaInfoRequest",
        order_requests.TextEnableTollFreeNumbersResellerLoaInfoRequest,
    ): (set(), set(), {"projectId"}),
}

# operationId -> (method, path, request model, response model)
OPERATIONS: dict[str, tuple[str, str, object, type[BaseModel] | None]] = {
    "ImportNumberService_ListImportedNumbers": (
        "get",
        "/v1/projects/{projectId}/importedNumbers",
        imported.ListImportedNumbersParams,
        imported.ListImportedNumbersResponse,
    ),
    "ImportNumberService_ImportNumber": (
        "post",
        "/v1/projects/{projectId}/importedNumbers",
        imported.CreateImportedNumberRequest,
        imported.ImportedNumber,
    ),
    "ImportNumberService_GetImportedNumber": (
        "get",
        "/v1/projects/{projectId}/importedNumbers/{phoneNumber}",
        None,
        imported.ImportedNumber,
    ),
    "ImportNumberService_DeleteImportedNumber": (
        "delete",
        "/v1/projects/{projectId}/importedNumbers/{phoneNumber}",
        None,
        None,
    ),
    "ImportNumberService_UpdateImportedNumber": (
        "patch",
        "/v1/projects/{projectId}/importedNumbers/{phoneNumber}",
        imported.UpdateImportedNumberRequest,
        imported.ImportedNumber,
    ),
    "HostingOrderService_ListHostingOrders": (
        "get",
        "/v1/projects/{projectId}/hostingOrders",
        orders.ListHostingOrdersParams,
        orders.ListHostingOrdersResponse,
    ),
    "HostingOrderService_GetHostingOrder": (
        "get",
        "/v1/projects/{projectId}/hostingOrders/{hostingOrderId}",
        None,
        orders.HostingOrder,
    ),
    "GetHostingOrderReport": (
        "get",
        "/v1/projects/{projectId}/hostingOrders/{hostingOrderId}/report",
        None,
        orders.HostingOrderReport,
    ),
    "HostingOrderService_ListHostingOrderNumbers": (
        "get",
        "/v1/projects/{projectId}/hostingOrders/{hostingOrderId}/numbers",
        orders.ListHostingOrderNumbersParams,
        orders.ListHostingOrderNumbersResponse,
    ),
    "HostingOrderService_GetHostingOrderNumber": (
        "get",
        "/v1/projects/{projectId}/hostingOrders/{hostingOrderId}/numbers/{phoneNumber}",
        None,
        orders.HostingOrderNumber,
    ),
    "HostingOrderService_ImportNumbers": (
        "post",
        "/v1/projects/{projectId}/hostingOrders:importNumbers",
        order_requests.ImportNumbersRequest,
        orders.ImportHostingOrder,
    ),
    "TextEnableNumbers": (
        "post",
        "/v1/projects/{projectId}/hostingOrders:textEnableNumbers",
        order_requests.TextEnableNumbersRequest,
        orders.HostingOrder,
    ),
    "TextEnableTollFreeNumbers": (
        "post",
        "/v1/projects/{projectId}/hostingOrders:textEnableTollFreeNumbers",
        order_requests.TextEnableTollFreeNumbersRequest,
        orders.HostingOrder,
    ),
    "GetCallbackConfiguration": (
        "get",
        "/v1/projects/{projectId}/callbackConfiguration",
        None,
        callbacks.CallbackConfiguration,
    ),
    "UpdateCallbackConfiguration": (
        "patch",
        "/v1/projects/{projectId}/callbackConfiguration",
        callbacks.CallbackConfigurationUpdate,
        callbacks.CallbackConfiguration,
    ),
    "QualifiedNumberService_ListQualifiedNumbers": (
        "get",
        "/v1/projects/{projectId}/qualifiedNumbers",
        qualified.ListQualifiedNumbersParams,
        qualified.ListQualifiedNumber,
    ),
    "QualifiedNumberService_GetQualifiedNumber": (
        "get",
        "/v1/projects/{projectId}/qualifiedNumbers/{phoneNumber}",
        None,
        qualified.QualifiedNumber,
    ),
    "QualifiedNumberService_DeleteQualifiedNumber": (
        "delete",
        "/v1/projects/{projectId}/qualifiedNumbers/{phoneNumber}",
        None,
        None,
    ),
    "QualifiedNumberService_BatchCreateQualifiedNumbers": (
        "post",
        "/v1/projects/{projectId}/qualifiedNumbers:addNumbers",
        qualified.BatchCreateQualifiedNumbersRequest,
        qualified.BatchCreateQualifiedNumbersResponse,
    ),
    "QualifiedNumberService_TextEnableNumbers": (
        "post",
        "/v1/projects/{projectId}/qualifiedNumbers:textEnableNumbers",
        order_requests.TextEnableNumbersRequest,
        qualified.TextEnableResponse,
    ),
    "QualifiedNumbersTextEnableTollFreeNumbers": (
        "post",
        "/v1/projects/{projectId}/qualifiedNumbers:textEnableTollFreeNumbers",
        order_requests.TextEnableTollFreeNumbersRequest,
        orders.HostingOrder,
    ),
    "QualifiedNumberService_VerifyVoiceChallenge": (
        "post",
        "/v1/projects/{projectId}/qualifiedNumbers/{phoneNumber}:verifyVoiceChallenge",
        qualified.VerifyVoiceChallengeRequest,
        qualified.QualifiedNumber,
    ),
    "QualifiedNumberService_SendVoiceChallenge": (
        "post",
        "/v1/projects/{projectId}/qualifiedNumbers/{phoneNumber}:sendVoiceChallenge",
        None,
        qualified.QualifiedNumber,
    ),
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    return loaded


def wire_names(model: type[BaseModel]) -> dict[str, str]:
    return {
        (info.serialization_alias or info.alias or name): name for name, info in model.model_fields.items()
    }


def required_names(model: type[BaseModel]) -> set[str]:
    return {
        info.serialization_alias or info.alias or name
        for name, info in model.model_fields.items()
        if info.is_required()
    }


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def schema_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def enum_of(model: type[BaseModel], field: str) -> set[str]:
    annotation = model.model_fields[wire_names(model)[field]].annotation
    for arg in (annotation, *get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, StrEnum):
            return {member.value for member in arg}
    raise AssertionError(f"{model.__name__}.{field} is not an enum")


def test_every_schema_is_covered(spec: dict[str, Any]) -> None:
    assert set(spec["components"]["schemas"]) == set(SCHEMA_MODELS) | set(ONE_OF_ALIASES)


@pytest.mark.parametrize(
    ("name", "model"), [(name, model) for name, models in SCHEMA_MODELS.items() for model in models]
)
def test_properties_and_required_fields(spec: dict[str, Any], name: str, model: type[BaseModel]) -> None:
    definition = schema(spec, name)
    if "$ref" in definition:
        definition = {
            **schema(spec, schema_name(definition["$ref"])),
            "required": definition.get("required", []),
        }
    properties = definition.get("properties", {})
    added, left_out, relaxed = DEVIATIONS.get((name, model), (set(), set(), set()))
    assert set(wire_names(model)) == (set(properties) | added) - left_out
    assert required_names(model) == set(definition.get("required", [])) - relaxed


def test_toll_free_one_of(spec: dict[str, Any]) -> None:
    variants = {
        schema_name(item["$ref"]) for item in schema(spec, "TextEnableTollFreeNumbersRequest")["oneOf"]
    }
    union = get_args(order_requests.TextEnableTollFreeNumbersRequest)[0]
    assert {get_args(member)[0].__name__ for member in get_args(union)} == variants


@pytest.mark.parametrize(
    ("name", "model", "field"),
    [
        ("ImportHostingOrder", orders.ImportHostingOrder, "state"),
        ("ImportHostingOrder", orders.ImportHostingOrder, "type"),
        ("HostingOrder", orders.HostingOrder, "state"),
        ("HostingOrder", orders.HostingOrder, "type"),
        ("HostingOrderNumber_OsrUpdate", orders.HostingOrderNumberOsrUpdate, "state"),
        ("HostingOrderNumber_CampaignProvisioning", orders.HostingOrderNumberCampaignProvisioning, "state"),
        ("HostingOrderNumber_PlatformProvisioning", orders.HostingOrderNumberPlatformProvisioning, "state"),
        ("QualifiedNumber", qualified.QualifiedNumber, "globalProcessState"),
        ("CallbackPayload", callbacks.CallbackPayload, "failureCode"),
    ],
)
def test_enums(spec: dict[str, Any], name: str, model: type[BaseModel], field: str) -> None:
    assert enum_of(model, field) == set(schema(spec, name)["properties"][field]["enum"])


@pytest.mark.parametrize(
    ("name", "model", "field", "transform"),
    [
        ("CallbackPayload", callbacks.CallbackPayload, "resourceType", str),
        ("CallbackPayload", callbacks.CallbackPayload, "eventType", str),
        ("TextEnableInfo", orders.TextEnableInfo, "loaType", str.upper),
    ],
)
def test_described_enums(
    spec: dict[str, Any], name: str, model: type[BaseModel], field: str, transform: Any
) -> None:
    described = schema(spec, name)["properties"][field]["x-enumDescriptions"]
    assert enum_of(model, field) == {transform(key) for key in described}


def test_hosted_number_status_names(spec: dict[str, Any]) -> None:
    described = schema(spec, "QualifiedNumber_HostedNumberDetails")["properties"]["status"][
        "x-enumDescriptions"
    ]
    assert enum_of(qualified.QualifiedNumberHostedNumberDetails, "status") == set(described.values())


def test_query_parameter_enums(spec: dict[str, Any]) -> None:
    parameters = spec["components"]["parameters"]
    assert enum_of(orders.ListHostingOrdersParams, "type") == set(parameters["type"]["schema"]["enum"])
    states = {s.value for s in orders.HostingOrderState}
    assert states == set(parameters["states"]["schema"]["enum"])
    global_states = {s.value for s in qualified.GlobalProcessState} - {"GLOBAL_PROCESS_STATE_UNSPECIFIED"}
    assert global_states == set(parameters["globalProcessStates"]["schema"]["enum"])
    search = parameters["numberPattern.searchPattern"]["schema"]["enum"]
    assert enum_of(imported.ListImportedNumbersParams, "numberPattern.searchPattern") == set(search)


def test_every_operation_has_its_models(spec: dict[str, Any]) -> None:
    seen = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            seen[operation["operationId"]] = (method, path)
    assert seen == {op: (method, path) for op, (method, path, _, _) in OPERATIONS.items()}


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_operation_schemas(spec: dict[str, Any], operation_id: str) -> None:
    method, path, request, response = OPERATIONS[operation_id]
    operation = spec["paths"][path][method]
    body = operation.get("requestBody")
    if body and "$ref" in body:
        body = spec["components"]["requestBodies"][schema_name(body["$ref"])]
    if body:
        request_schema = schema_name(body["content"]["application/json"]["schema"]["$ref"])
        if request_schema in ONE_OF_ALIASES:
            assert request is ONE_OF_ALIASES[request_schema]
        else:
            assert request in SCHEMA_MODELS[request_schema]
    ok = operation["responses"]["200"]
    if "$ref" in ok:
        ok = spec["components"]["responses"][schema_name(ok["$ref"])]
    content = ok.get("content") or {}
    if not content:
        assert response is None
        return
    response_schema = schema_name(content["application/json"]["schema"]["$ref"])
    assert response in SCHEMA_MODELS[response_schema]
