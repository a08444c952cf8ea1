"""`numberdesk order`: the guide's six steps walked with a person, through the public API only."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient
from rich.console import Console

from numberdesk.bootstrap import Container
from numberdesk.cli.order import run_wizard
from numberdesk.client import NumbersClient
from numberdesk.domain.inventory import NumberType
from tests.conftest import Tenant
from tests.integration.number_order_helpers import AU_MOBILE, PDF, US_LOCAL, stock


class Script:
    """Answers prompts in order; `None` accepts the offered default (a person pressing Enter)."""

    def __init__(self, answers: list[str | None]) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, question: str, default: str | None) -> str:
        self.asked.append(question)
        answer = self.answers.pop(0) if self.answers else None
        if answer is None:
            assert default is not None, f"no answer scripted for {question!r}"
            return default
        return answer


@pytest.fixture
def api(client: TestClient, tenant: Tenant) -> Iterator[NumbersClient]:
    yield NumbersClient(
        "http://testserver", tenant.project_id, tenant.key_id, tenant.key_secret, http_client=client
    )


def console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=140), buffer


def test_a_kyc_order_from_search_to_review(api: NumbersClient, container: Container, tmp_path: Path) -> None:
    stock(container, AU_MOBILE)
    passport = tmp_path / "passport.pdf"
    passport.write_bytes(PDF)
    # Step 2: any digits, first result; Step 4: the catalog's example values (Enter each), but a
    # country that is not one, which the server refuses and the wizard asks again; Step 5: the passport.
    answers: list[str | None] = ["", "1"]
    script = Script(answers)
    script.answers += [None] * 7 + ["XX"] + [None] * 3 + ["AU", str(passport)]
    out, buffer = console()
    order = run_wizard(api, out, script, "AU", "MOBILE")
    text = buffer.getvalue()
    assert order.state == "IN_REVIEW", text
    assert "Please fix" in text and "address.country" in text
    assert script.asked.count("address.country") == 2
    assert any("File for" in q for q in script.asked)
    registration = api.get_registration(order.id_number_order)
    assert registration.request_details["address"]["country"] == "AU"
    assert [a.attachment_id for a in registration.attachments] == ["identity-document"]


def test_a_taken_number_sends_the_person_back_to_search(
    api: NumbersClient, container: Container, client: TestClient, tenant: Tenant
) -> None:
    stock(container, US_LOCAL, "US", NumberType.LOCAL)
    api.create_order(
        {"regionCode": "US", "numberType": "LOCAL", "numberOrderOption": {"phoneNumbers": [US_LOCAL[0]]}}
    )
    out, buffer = console()
    # US LOCAL has no KYC policy: no registration, and the order completes at submit.
    order = run_wizard(api, out, Script(["", "1"]), "US", "LOCAL", number=US_LOCAL[0])
    text = buffer.getvalue()
    assert "pick another number" in text
    assert order.state == "COMPLETED"
    assert order.order_numbers[0].phone_number != US_LOCAL[0]


def test_errors_end_the_wizard_with_the_servers_message(api: NumbersClient) -> None:
    out, buffer = console()
    with pytest.raises(typer.Exit):
        run_wizard(api, out, Script([]), "ZZ", "MOBILE")
    assert "INVALID_ARGUMENT" in buffer.getvalue()
