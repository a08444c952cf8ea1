"""`numberdesk listen`: watch the project's events live, verify each, forward to a local handler."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from numberdesk.client.events import EventsClient, listen


def listen_command(
    forward_to: Annotated[
        str | None, typer.Option("--forward-to", help="POST each event (exact body + headers) here")
    ] = None,
    base_url: Annotated[str, typer.Option(envvar="NUMBERDESK_BASE_URL")] = "http://127.0.0.1:8080",
    project: Annotated[str, typer.Option(envvar="NUMBERDESK_PROJECT_ID", help="project id")] = "",
    key_id: Annotated[str, typer.Option(envvar="NUMBERDESK_KEY_ID")] = "",
    key_secret: Annotated[str, typer.Option(envvar="NUMBERDESK_KEY_SECRET")] = "",
    imported_secret: Annotated[
        str, typer.Option(envvar="NUMBERDESK_IMPORTED_HMAC_SECRET", help="to verify imported-numbers events")
    ] = "",
    from_start: Annotated[bool, typer.Option(help="replay the project's past events first")] = False,
    max_events: Annotated[int | None, typer.Option(help="stop after this many events")] = None,
) -> None:
    """Like `stripe listen`: see the project's events as they happen, verified, forwarded locally."""
    if not (project and key_id and key_secret):
        raise typer.BadParameter(
            "--project, --key-id and --key-secret (or NUMBERDESK_* variables) are required"
        )
    out = Console()
    client = EventsClient(project, key_id, key_secret, base_url=base_url)
    secrets = {"NUMBERS": client.get_callback_configuration().hmac_secret, "IMPORTED": imported_secret}
    after = None if from_start else client.latest_cursor()
    out.print(
        f"[green]listening[/] for project {project} events"
        + (f", forwarding to {forward_to}" if forward_to else "")
    )
    try:
        for seen in listen(client, secrets, forward_to=forward_to, after=after, max_events=max_events):
            e = seen.event
            forwarded = ""
            if seen.forward_status is not None:
                forwarded = f" → {seen.forward_status}"
            elif seen.forward_error:
                forwarded = f" → {seen.forward_error}"
            out.print(f"{e.event_id} {e.api} {e.resource_type} [{seen.verdict}]{forwarded}", soft_wrap=True)
            if e.body is not None:
                out.print(e.body, soft_wrap=True, markup=False, highlight=False)
    except KeyboardInterrupt:
        pass
