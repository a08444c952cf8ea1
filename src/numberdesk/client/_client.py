"""A typed, synchronous client for the Numbers API's number-order flow (wire models only).

    client = NumbersClient("http://127.0.0.1:8080", project_id, key_id, key_secret)
    requirements = client.lookup_requirements("DE", "LOCAL")

Pass `http_client=` to reuse a connection pool, or an ASGI test client (it is an `httpx.Client`).
"""

from __future__ import annotations

from typing import Any

import httpx

from numberdesk.client._errors import NumbersApiError
from numberdesk.wire.available_numbers import AvailableNumber, ListAvailableNumbersResponse
from numberdesk.wire.number_orders import NumberOrder, NumberRequirements, Registration


class NumbersClient:
    def __init__(
        self,
        base_url: str,
        project_id: str,
        key_id: str,
        key_secret: str,
        *,
        http_client: httpx.Client | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._http = http_client or httpx.Client(base_url=base_url, timeout=timeout)
        self._prefix = f"/v1/projects/{project_id}"
        self._auth = httpx.BasicAuth(key_id, key_secret)
        self.project_id = project_id

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> NumbersClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, self._prefix + path, auth=self._auth, **kwargs)
        if response.status_code >= 400:
            raise NumbersApiError.from_response(response)
        if not response.content:
            return None
        return response.json()

    def lookup_requirements(self, region_code: str, number_type: str) -> NumberRequirements:
        body = {"regionCode": region_code, "numberType": number_type}
        return NumberRequirements.model_validate(
            self._call("POST", "/numberOrders:lookupNumberRequirements", json=body)
        )

    def search_available(
        self,
        region_code: str,
        number_type: str,
        *,
        pattern: str | None = None,
        search_pattern: str | None = None,
        capabilities: tuple[str, ...] = (),
        size: int | None = None,
    ) -> list[AvailableNumber]:
        params: list[tuple[str, str | int]] = [("regionCode", region_code), ("type", number_type)]
        if pattern:
            params += [
                ("numberPattern.pattern", pattern),
                ("numberPattern.searchPattern", search_pattern or "START"),
            ]
        params += [("capabilities", c) for c in capabilities]
        if size:
            params.append(("size", size))
        data = self._call("GET", "/availableNumbers", params=params)
        return ListAvailableNumbersResponse.model_validate(data).available_numbers

    def create_order(self, request: dict[str, Any], *, idempotency_key: str | None = None) -> NumberOrder:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        data = self._call("POST", "/numberOrders:createNumberOrder", json=request, headers=headers)
        return NumberOrder.model_validate(data)

    def get_order(self, order_id: str) -> NumberOrder:
        return NumberOrder.model_validate(self._call("GET", f"/numberOrders/{order_id}"))

    def put_registration(self, order_id: str, request_details: dict[str, Any]) -> Registration:
        data = self._call(
            "PUT", f"/numberOrders/{order_id}/registration", json={"requestDetails": request_details}
        )
        return Registration.model_validate(data)

    def get_registration(self, order_id: str) -> Registration:
        return Registration.model_validate(self._call("GET", f"/numberOrders/{order_id}/registration"))

    def upload_attachment(
        self,
        order_id: str,
        attachment_id: str,
        file_name: str,
        content: bytes,
        content_type: str = "application/octet-stream",
        document_type: str | None = None,
    ) -> None:
        data = {"documentType": document_type} if document_type else None
        files = {"file": (file_name, content, content_type)}
        self._call("POST", f"/numberOrders/{order_id}/attachments/{attachment_id}", files=files, data=data)

    def evaluate_order(self, order_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", f"/numberOrders/{order_id}:evaluate")
        return result

    def submit_order(self, order_id: str) -> NumberOrder:
        return NumberOrder.model_validate(self._call("POST", f"/numberOrders/{order_id}/submit"))
