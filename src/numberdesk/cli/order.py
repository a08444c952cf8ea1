"""`numberdesk order`: the number-order guide's six steps, walked through with a person.

Step 1 looks up the region's KYC requirements, Step 2 searches (unless a number is given), Step 3
creates the order (a taken number sends you back to Step 2), Step 4 fills the registration from a
file or prompt by prompt (a 400 re-asks only the fields it names), Step 5 uploads the mandatory
documents, Step 6 submits. It speaks only the public API, through `numberdesk.client`.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from numberdesk.client import NumbersApiError, NumbersClient
from numberdesk.wire.available_numbers import AvailableNumber
from numberdesk.wire.number_orders import NumberOrder, NumberRequirements

Ask = Callable[[str, str | None], str]


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def _set_path(document: dict[str, Any], path: str, value: Any) -> None:
    parts = [p for p in path.replace("[", ".[").split(".") if p]
    node: Any = document
    for part, following in zip(parts, [*parts[1:], None], strict=True):
        key: Any = int(part[1:-1]) if part.startswith("[") else part
        if following is None:
            if isinstance(node, list):
                while len(node) <= key:
                    node.append(None)
            node[key] = value
            return
        child: Any = [] if following.startswith("[") else {}
        if isinstance(node, list):
            while len(node) <= key:
                node.append(None)
            if node[key] is None:
                node[key] = child
        else:
            node.setdefault(key, child)
        node = node[key]


def _coerce(text: str, like: Any) -> Any:
    if isinstance(like, bool):
        return text.strip().lower() in ("y", "yes", "true", "1")
    if isinstance(like, int) and text.strip().lstrip("-").isdigit():
        return int(text)
    return text


class OrderWizard:
    def __init__(self, client: NumbersClient, console: Console, ask: Ask) -> None:
        self.client = client
        self.out = console
        self.ask = ask

    # Step 1
    def requirements(self, region: str, number_type: str) -> NumberRequirements | None:
        self.out.rule("Step 1: requirements")
        try:
            found = self.client.lookup_requirements(region, number_type)
        except NumbersApiError as exc:
            if exc.status_code != 404:
                raise
            self.out.print(f"No KYC policy for {region} {number_type}: the order needs no registration.")
            return None
        table = Table("document", "mandatory", "allowed types")
        for attachment in found.attachments:
            table.add_row(
                f"{attachment.id}: {attachment.title}",
                "yes" if attachment.mandatory else "no",
                ", ".join(attachment.allowed_mime_types) or "any",
            )
        self.out.print(
            f"{region} {number_type} asks for registration data and {len(found.attachments)} document(s)."
        )
        if found.attachments:
            self.out.print(table)
        return found

    # Step 2
    def choose_number(self, region: str, number_type: str) -> str:
        self.out.rule("Step 2: choose a number")
        pattern = self.ask("Digits the number should contain (Enter for any)", "")
        numbers: list[AvailableNumber] = self.client.search_available(
            region,
            number_type,
            pattern=pattern or None,
            search_pattern="CONTAINS" if pattern else None,
            size=10,
        )
        if not numbers:
            self.out.print("[yellow]Nothing matches; try other digits.[/]")
            return self.choose_number(region, number_type)
        table = Table("#", "number", "capabilities", "setup", "monthly")
        for index, n in enumerate(numbers, start=1):
            table.add_row(
                str(index),
                n.phone_number,
                ", ".join(n.capability),
                f"{n.setup_price.amount} {n.setup_price.currency_code}",
                f"{n.monthly_price.amount} {n.monthly_price.currency_code}",
            )
        self.out.print(table)
        choice = self.ask("Which one (#)", "1")
        index = int(choice) if choice.isdigit() and 1 <= int(choice) <= len(numbers) else 1
        return numbers[index - 1].phone_number

    # Step 3
    def create(self, region: str, number_type: str, number: str | None, extra: dict[str, Any]) -> NumberOrder:
        self.out.rule("Step 3: create the order")
        while True:
            chosen = number or self.choose_number(region, number_type)
            body = {
                "regionCode": region,
                "numberType": number_type,
                "numberOrderOption": {"phoneNumbers": [chosen]},
                **extra,
            }
            try:
                order = self.client.create_order(body)
            except NumbersApiError as exc:
                if exc.status_code in (404, 409):
                    self.out.print(f"[yellow]{exc.message}[/]: pick another number.")
                    number = None
                    continue
                raise
            until = order.expire_time.isoformat() if order.expire_time else "further notice"
            self.out.print(f"Order [bold]{order.id_number_order}[/] reserves {chosen} until {until}.")
            return order

    # Step 4
    def register(self, order_id: str, requirements: NumberRequirements, given: dict[str, Any] | None) -> None:
        self.out.rule("Step 4: registration")
        fields = requirements.fields if isinstance(requirements.fields, dict) else {}
        document: dict[str, Any] = json.loads(json.dumps(given)) if given else {}
        if not document:
            example = fields.get("example") if isinstance(fields.get("example"), dict) else {}
            for path, sample in _leaves(example):
                _set_path(document, path, _coerce(self.ask(path, str(sample)), sample))
        while True:
            try:
                self.client.put_registration(order_id, document)
                self.out.print("[green]Registration accepted.[/]")
                return
            except NumbersApiError as exc:
                if exc.status_code != 400 or not exc.field_violations:
                    raise
                self.out.print("[yellow]Please fix:[/]")
                for path, problem in exc.field_violations:
                    short = path.removeprefix("requestDetails.")
                    self.out.print(f"  {short}: {problem}")
                    _set_path(document, short, self.ask(short, None))

    # Step 5: the dry run says which documents this end user still owes (they depend on the registration)
    def attach(self, order_id: str, requirements: NumberRequirements, files: dict[str, Path]) -> None:
        self.out.rule("Step 5: documents")
        report = self.client.evaluate_order(order_id)
        owed = {
            str(item.get("attachmentId"))
            for item in report.get("attachments", [])
            if item.get("mandatory") and not item.get("satisfied")
        }
        if not owed and not files:
            self.out.print("No documents needed.")
        for attachment in requirements.attachments:
            if attachment.id not in owed and attachment.id not in files:
                continue
            while True:
                path = files.pop(attachment.id, None) or Path(
                    self.ask(f"File for '{attachment.title}'", None)
                )
                document_type = (
                    attachment.allowed_document_types[0] if attachment.allowed_document_types else None
                )
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                try:
                    self.client.upload_attachment(
                        order_id, attachment.id, path.name, path.read_bytes(), content_type, document_type
                    )
                    self.out.print(f"[green]Uploaded[/] {path.name} as {attachment.id}.")
                    break
                except (NumbersApiError, OSError) as exc:
                    self.out.print(f"[yellow]{getattr(exc, 'message', exc)}[/]")

    # Step 6
    def submit(self, order_id: str) -> NumberOrder:
        self.out.rule("Step 6: submit")
        order = self.client.submit_order(order_id)
        self.out.print(f"Order {order.id_number_order} is [bold]{order.state}[/].")
        if order.state == "IN_REVIEW":
            self.out.print("Track it with GET numberOrders/{id}, or its NUMBER_ORDER_PROCESSING callbacks.")
        return order


def order_command(
    region: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 region, e.g. DE", prompt=True)],
    number_type: Annotated[str, typer.Option("--type", help="MOBILE, LOCAL or TOLL_FREE", prompt=True)],
    number: Annotated[str | None, typer.Option(help="a specific E.164 number (else search)")] = None,
    registration: Annotated[Path | None, typer.Option(help="requestDetails as a JSON file")] = None,
    attach: Annotated[list[str] | None, typer.Option(help="attachmentId=PATH, repeatable")] = None,
    service_plan_id: Annotated[str | None, typer.Option(help="SMS service plan to provision")] = None,
    callback_url: Annotated[str | None, typer.Option(help="where order events are POSTed")] = None,
    base_url: Annotated[str, typer.Option(envvar="NUMBERDESK_BASE_URL")] = "http://127.0.0.1:8080",
    project: Annotated[str, typer.Option(envvar="NUMBERDESK_PROJECT_ID", help="project id")] = "",
    key_id: Annotated[str, typer.Option(envvar="NUMBERDESK_KEY_ID")] = "",
    key_secret: Annotated[str, typer.Option(envvar="NUMBERDESK_KEY_SECRET")] = "",
) -> None:
    """Buy a number through a KYC number order, step by step (the guide's Steps 1 to 6)."""
    if not (project and key_id and key_secret):
        raise typer.BadParameter(
            "--project, --key-id and --key-secret (or NUMBERDESK_* variables) are required"
        )
    files = {}
    for item in attach or []:
        attachment_id, sep, path = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--attach takes attachmentId=PATH, got {item!r}")
        files[attachment_id] = Path(path)
    extra: dict[str, Any] = {}
    if service_plan_id:
        extra["smsConfiguration"] = {"servicePlanId": service_plan_id}
    if callback_url:
        extra["callbackUrl"] = callback_url
    given = json.loads(registration.read_text()) if registration else None
    with NumbersClient(base_url, project, key_id, key_secret) as client:
        run_wizard(
            client, Console(), _prompt, region.upper(), number_type.upper(), number, given, files, extra
        )


def _prompt(question: str, default: str | None) -> str:
    return str(typer.prompt(question, default=default) if default is not None else typer.prompt(question))


def run_wizard(
    client: NumbersClient,
    console: Console,
    ask: Ask,
    region: str,
    number_type: str,
    number: str | None = None,
    registration: dict[str, Any] | None = None,
    files: dict[str, Path] | None = None,
    extra: dict[str, Any] | None = None,
) -> NumberOrder:
    wizard = OrderWizard(client, console, ask)
    try:
        requirements = wizard.requirements(region, number_type)
        order = wizard.create(region, number_type, number, extra or {})
        if requirements is not None:
            wizard.register(order.id_number_order, requirements, registration)
            wizard.attach(order.id_number_order, requirements, dict(files or {}))
        return wizard.submit(order.id_number_order)
    except NumbersApiError as exc:
        console.print(f"[red]{exc}[/]")
        for path, problem in exc.field_violations:
            console.print(f"  {path}: {problem}")
        raise typer.Exit(1) from exc
