"""Conformance of the running Imported Numbers API to its seed spec, driven by the spec itself.

Schemathesis generates requests for every operation of the seed (positive examples, bounded so the
test stays well under a minute) and sends them through the real ASGI app at the base URL
`/imported`, authenticated as a real tenant with data in place. Checks: no 5xx, and every
response whose status the seed documents matches the seed's schema for it.

The seed is found beside the repository (`../shared/seeds/...`) or at $NUMBERDESK_IMPORTED_SEED_SPEC.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from numberdesk.api.app import create_app
from numberdesk.bootstrap import Container
from tests.conftest import Tenant
from tests.contract.seed import imported_seed_path
from tests.integration.imported_helpers import DIRECT_LOA, advance, url

SEED = imported_seed_path()
pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=f"seed spec not found at {SEED}")
EXAMPLES_PER_OPERATION = 12
PHONE = "+12025550134"
QUALIFIED = "+12025550181"


@pytest.fixture
def app(container: Container) -> Iterator[FastAPI]:
    yield create_app(container, run_workers=False)


def _seed_data(client: TestClient, tenant: Tenant, admin: dict[str, str]) -> str:
    body = {"phoneNumber": PHONE, "regionCode": "US", "smsConfiguration": {"servicePlanId": "plan1"}}
    assert client.post(url(tenant, "importedNumbers"), json=body, auth=tenant.auth).status_code == 200
    order = {
        "regionCode": "US",
        "numbers": ["+17724295286"],
        "servicePlanId": "plan1",
        "campaignId": "C1",
        "directLoaInfo": DIRECT_LOA,
    }
    r = client.post(url(tenant, "hostingOrders:textEnableNumbers"), json=order, auth=tenant.auth)
    assert r.status_code == 200
    add = {"phoneNumbers": [QUALIFIED]}
    assert (
        client.post(url(tenant, "qualifiedNumbers:addNumbers"), json=add, auth=tenant.auth).status_code == 200
    )
    advance(client, admin, 5)
    return str(r.json()["hostingOrderId"])


def test_every_operation_conforms_to_the_seed(
    app: FastAPI, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    with TestClient(app) as client:
        order_id = _seed_data(client, tenant, admin_headers)
    schema = schemathesis.openapi.from_path(str(SEED))
    token = base64.b64encode(f"{tenant.key_id}:{tenant.key_secret}".encode()).decode()
    auth_headers = {"Authorization": f"Basic {token}"}
    known = {"projectId": tenant.project_id}
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        real: dict[str, Any] = dict(known)
        if "{hostingOrderId}" in operation.path:
            real["hostingOrderId"] = order_id
        if "{phoneNumber}" in operation.path:
            real["phoneNumber"] = QUALIFIED if "qualified" in operation.path else PHONE
        strategies = [
            operation.as_strategy(path_parameters=known),
            operation.as_strategy(path_parameters=real),
        ]

        @given(case=st.one_of(strategies))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            response = case.call(base_url="http://testserver/imported", app=app, headers=auth_headers)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        run()
        checked += 1
    assert checked == 23
