"""Documents: sniffing, allowed types, size limit, unknown ids, file names, replacement, encryption at
rest; idempotent create/submit; sandbox auto-review."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container, build
from numberdesk.config import Settings
from tests.conftest import Tenant, make_settings, new_tenant
from tests.integration.number_order_helpers import (
    AU_INDIVIDUAL,
    AU_MOBILE,
    EXE,
    JPEG,
    PDF,
    advance,
    create,
    order_events,
    order_url,
    put_registration,
    ready_au_order,
    searchable,
    stock,
    submit,
    upload,
)


@pytest.fixture
def order_id(client: TestClient, tenant: Tenant, container: Container) -> str:
    stock(container, AU_MOBILE)
    r = create(client, tenant)
    assert r.status_code == 200, r.text
    value: str = r.json()["idNumberOrder"]
    return value


def violations(r: object) -> dict[str, str]:
    body = r.json()  # type: ignore[attr-defined]
    return {v["field"]: v["description"] for v in body["error"]["details"][0]["fieldViolations"]}


def test_a_pdf_declared_as_jpeg_is_refused(client: TestClient, tenant: Tenant, order_id: str) -> None:
    r = upload(
        client, tenant, order_id, "identity-document", PDF, filename="id.jpg", content_type="image/jpeg"
    )
    assert r.status_code == 400
    assert "declared as image/jpeg but the content is application/pdf" in violations(r)["file"]


def test_an_executable_named_pdf_is_refused(client: TestClient, tenant: Tenant, order_id: str) -> None:
    r = upload(client, tenant, order_id, "identity-document", EXE, filename="id.pdf")
    assert r.status_code == 400
    assert "executables" in violations(r)["file"]


def test_a_type_the_requirement_does_not_allow_is_refused(
    client: TestClient, tenant: Tenant, container: Container
) -> None:
    # AU MOBILE business: the representative's ID must be a PDF; a real JPEG is refused.
    stock(container, AU_MOBILE)
    order_id = create(client, tenant).json()["idNumberOrder"]
    r = upload(
        client, tenant, order_id, "representative-id", JPEG, filename="id.jpg", content_type="image/jpeg"
    )
    assert r.status_code == 400
    assert "allowed: application/pdf" in violations(r)["file"]
    ok = upload(
        client, tenant, order_id, "identity-document", JPEG, filename="id.jpg", content_type="image/jpeg"
    )
    assert ok.status_code == 200, ok.text


def test_document_type_must_be_allowed(client: TestClient, tenant: Tenant, order_id: str) -> None:
    r = upload(client, tenant, order_id, "identity-document", document_type="Library Card")
    assert r.status_code == 400 and "documentType" in violations(r)


def test_unknown_attachment_id_is_404(client: TestClient, tenant: Tenant, order_id: str) -> None:
    for attachment_id in ("not-a-requirement", "..%2F..%2Fetc", "a..b", "%2e%2e"):
        r = upload(client, tenant, order_id, attachment_id)
        assert r.status_code == 404, (attachment_id, r.text)
    assert "identity-document" in upload(client, tenant, order_id, "nope").json()["error"]["message"]


def test_oversize_is_413(tmp_path: Path, database_template: str) -> None:
    settings = make_settings(tmp_path / "home", database_template, max_upload_bytes=1024)
    container = build(settings)
    try:
        from numberdesk.api.app import create_app

        with TestClient(create_app(container, run_workers=False)) as client:
            tenant = new_tenant(container)
            stock(container, AU_MOBILE)
            order_id = create(client, tenant).json()["idNumberOrder"]
            big = PDF + b"\x00" * 2048  # over the limit, under the gate's multipart allowance
            r = upload(client, tenant, order_id, "identity-document", big)
            assert r.status_code == 413, r.text
            assert r.json()["error"]["status"] == "CONTENT_TOO_LARGE"
            huge = PDF + b"\x00" * (200 * 1024)  # over the gate's allowance: refused before parsing
            assert upload(client, tenant, order_id, "identity-document", huge).status_code == 413
            assert upload(client, tenant, order_id, "identity-document", PDF).status_code == 200
    finally:
        container.dispose()


def test_path_like_file_names_are_metadata_only(
    client: TestClient, tenant: Tenant, order_id: str, settings: Settings
) -> None:
    r = upload(client, tenant, order_id, "identity-document", filename="../../etc/passwd\x00.pdf")
    assert r.status_code == 200, r.text
    reg = client.get(order_url(tenant, order_id, "/registration"), auth=tenant.auth).json()
    name = reg["attachments"][0]["fileName"]
    assert "/" not in name and ".." not in name.split("_")[0] and "\x00" not in name
    files = [p for p in settings.blob_dir.rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].resolve().is_relative_to(settings.blob_dir.resolve())
    assert "passwd" not in str(files[0])


def test_reupload_replaces_and_everything_is_encrypted_at_rest(
    client: TestClient, tenant: Tenant, order_id: str, settings: Settings, container: Container
) -> None:
    assert upload(client, tenant, order_id, "identity-document", filename="a.pdf").status_code == 200
    assert (
        upload(
            client, tenant, order_id, "identity-document", JPEG, filename="b.jpg", content_type="image/jpeg"
        ).status_code
        == 200
    )
    assert put_registration(client, tenant, order_id, AU_INDIVIDUAL).status_code == 200
    reg = client.get(order_url(tenant, order_id, "/registration"), auth=tenant.auth).json()
    assert [(a["fileName"], a["mimeType"]) for a in reg["attachments"]] == [("b.jpg", "image/jpeg")]
    files = [p for p in settings.blob_dir.rglob("*") if p.is_file()]
    assert len(files) == 1  # the replaced blob is gone
    blob = files[0].read_bytes()
    assert JPEG not in blob and blob.startswith(b"nd1")
    with container.uows(readonly=True) as uow:
        stored = uow.number_orders.get_registration(order_id)
    assert stored is not None and stored.key_id == "t1"
    assert b"Jane" not in stored.ciphertext and b"Sydney" not in stored.ciphertext


def test_idempotent_create(client: TestClient, tenant: Tenant, container: Container) -> None:
    stock(container, AU_MOBILE)
    key = {"Idempotency-Key": "create-1"}
    quantity = {"requestedQuantity": 2}
    first = create(client, tenant, None, headers=key, quantityOrderOption=quantity)
    again = create(client, tenant, None, headers=key, quantityOrderOption=quantity)
    assert first.status_code == again.status_code == 200, again.text
    assert first.json() == again.json()
    listed = client.get(tenant.url("numberOrders"), auth=tenant.auth).json()
    assert listed["totalSize"] == 1
    available = [p for p in AU_MOBILE if searchable(client, tenant, p)]
    assert len(available) == len(AU_MOBILE) - 2  # the retry reserved nothing new
    other = create(client, tenant, None, headers=key, quantityOrderOption={"requestedQuantity": 1})
    assert other.status_code == 409
    assert "different request" in other.json()["error"]["message"]
    # A failed create does not burn its key.
    failed = create(client, tenant, "+61411111112", headers={"Idempotency-Key": "k2"}, region="AU")
    assert failed.status_code in (200, 404)


def test_idempotent_submit(client: TestClient, tenant: Tenant, container: Container) -> None:
    stock(container, AU_MOBILE)
    order_id = ready_au_order(client, tenant)
    key = {"Idempotency-Key": "submit-1"}
    first = submit(client, tenant, order_id, key)
    again = submit(client, tenant, order_id, key)
    assert first.status_code == again.status_code == 200, again.text
    assert again.json()["state"] == "IN_REVIEW"
    assert submit(client, tenant, order_id).status_code == 409  # without the key: not editable
    assert [e.status for e in order_events(container, tenant.project_id, order_id)] == ["IN_REVIEW"]
    other_order = ready_au_order(client, tenant, AU_MOBILE[1])
    assert submit(client, tenant, other_order, key).status_code == 409


def test_sandbox_auto_review_approves_valid_submissions(tmp_path: Path, database_template: str) -> None:
    settings = make_settings(tmp_path / "home", database_template, auto_review_seconds=30)
    container = build(settings)
    try:
        from numberdesk.api.app import create_app
        from tests.conftest import ADMIN_TOKEN

        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        with TestClient(create_app(container, run_workers=False)) as client:
            tenant = new_tenant(container)
            stock(container, AU_MOBILE)
            order_id = ready_au_order(client, tenant)
            assert submit(client, tenant, order_id).json()["state"] == "IN_REVIEW"
            advance(client, headers, 29)
            assert client.get(order_url(tenant, order_id), auth=tenant.auth).json()["state"] == "IN_REVIEW"
            advance(client, headers, 2)
            assert client.get(order_url(tenant, order_id), auth=tenant.auth).json()["state"] == "COMPLETED"
            assert (
                client.get(tenant.url(f"activeNumbers/{AU_MOBILE[0]}"), auth=tenant.auth).status_code == 200
            )
    finally:
        container.dispose()
