"""The `numberdesk` command: serve, worker, db, admin, inventory, demo."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from numberdesk.bootstrap import Container, StartupError, build
from numberdesk.cli.listen import listen_command
from numberdesk.cli.order import order_command
from numberdesk.config import Settings
from numberdesk.domain.errors import DomainError
from numberdesk.domain.inventory import NumberType

app = typer.Typer(
    help="numberdesk: a self-hostable, Sinch-compatible Numbers platform.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_app = typer.Typer(help="Projects and access keys.", no_args_is_help=True)
inventory_app = typer.Typer(help="The number inventory.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")
app.add_typer(inventory_app, name="inventory")
app.command("listen")(listen_command)
app.command("order")(order_command)

err = Console(stderr=True)


def _container(check: bool = True) -> Container:
    try:
        return build(Settings(), check=check)
    except StartupError as exc:
        err.print(f"[bold red]numberdesk cannot start:[/] {exc}")
        raise typer.Exit(2) from exc


def _fail(exc: DomainError) -> typer.Exit:
    err.print(f"[red]error:[/] {exc.message}")
    for violation in getattr(exc, "violations", []):
        err.print(f"  {violation.field}: {violation.description}")
    return typer.Exit(1)


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration to the configured database."""
    from numberdesk.adapters.db import migrate
    from numberdesk.adapters.db.engine import make_engine

    settings = Settings()
    if settings.database_url is None:
        settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    try:
        migrate.upgrade(engine)
        heads = sorted(migrate.current_heads(engine))
    finally:
        engine.dispose()
    typer.echo(f"database at {', '.join(heads)}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8080,
    workers: Annotated[bool, typer.Option(help="run timers and dispatchers in this process")] = True,
) -> None:
    """Serve the API (and, by default, the background worker)."""
    import uvicorn

    from numberdesk.api.app import create_app

    _configure_logging()
    container = _container()
    mode = "sandbox" if container.settings.sandbox else "production"
    err.print(f"numberdesk serving on http://{host}:{port} ({mode}); Ctrl-C stops")
    uvicorn.run(create_app(container, run_workers=workers), host=host, port=port, log_level="warning")


@app.command()
def worker() -> None:
    """Run only the background worker (expiry, simulators, callback delivery), to scale out."""
    from numberdesk.workers.runner import BackgroundWorker

    _configure_logging()
    container = _container()
    runner = BackgroundWorker(
        container.works, container.clock, container.settings.worker_poll_seconds, container.nudge
    )
    with contextlib.suppress(KeyboardInterrupt):
        runner.run_forever()


@admin_app.command("create-project")
def create_project(name: Annotated[str, typer.Option(help="project name")]) -> None:
    """Create a project; prints {"projectId": ...}."""
    from numberdesk.services import projects

    container = _container()
    try:
        project = projects.create_project(name, container.uows, container.clock)
    except DomainError as exc:
        raise _fail(exc) from exc
    typer.echo(json.dumps({"projectId": project.id}))


@admin_app.command("create-key")
def create_key(project: Annotated[str, typer.Option(help="project id")]) -> None:
    """Create an access key; prints {"keyId", "keySecret"}. The secret is shown only this once."""
    from numberdesk.services import projects

    container = _container()
    try:
        issued = projects.create_key(project, container.uows, container.clock, container.key_pepper)
    except DomainError as exc:
        raise _fail(exc) from exc
    typer.echo(json.dumps({"keyId": issued.key_id, "keySecret": issued.key_secret}))


@admin_app.command("revoke-key")
def revoke_key(key: Annotated[str, typer.Option(help="key id")]) -> None:
    """Revoke an access key: Basic stops at once, issued tokens within 30 s."""
    from numberdesk.services import projects

    container = _container()
    try:
        projects.revoke_key(key, container.uows, container.clock)
    except DomainError as exc:
        raise _fail(exc) from exc
    typer.echo(json.dumps({"keyId": key, "revoked": True}))


@inventory_app.command("generate")
def inventory_generate(
    region: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 region code")],
    type_: Annotated[NumberType, typer.Option("--type", help="MOBILE, LOCAL or TOLL_FREE")],
    count: Annotated[int, typer.Option(min=1, max=2_000_000)] = 100,
    currency: Annotated[str, typer.Option(help="ISO 4217 currency of the prices")] = "USD",
    seed: Annotated[int | None, typer.Option(help="random seed, for repeatable inventories")] = None,
) -> None:
    """Stock numbers that the region's numbering plan accepts for the type."""
    import random

    from numberdesk.services import inventory

    container = _container()
    try:
        added = inventory.generate_numbers(
            region,
            type_,
            count,
            container.uows,
            random.Random(seed),
            inventory.StockOptions(currency_code=currency),
        )
    except DomainError as exc:
        raise _fail(exc) from exc
    typer.echo(json.dumps({"regionCode": region.upper(), "type": type_.value, "added": added}))


@inventory_app.command("import")
def inventory_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    skip_invalid: Annotated[bool, typer.Option(help="import the good lines even if some are bad")] = False,
) -> None:
    """Load numbers from CSV (columns: phoneNumber, regionCode, type, capabilities, prices)."""
    from numberdesk.services import inventory

    container = _container()
    report = inventory.import_csv(
        file.read_text(encoding="utf-8-sig"), container.uows, skip_invalid=skip_invalid
    )
    for line, problem in report.errors:
        err.print(f"line {line}: {problem}")
    typer.echo(json.dumps({"lines": report.total, "imported": report.imported, "errors": len(report.errors)}))
    if report.errors and not skip_invalid:
        err.print("[red]nothing imported[/]: fix the lines above, or pass --skip-invalid")
        raise typer.Exit(1)


@app.command()
def demo(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8080,
) -> None:
    """Seed (idempotently) the demo project, key and inventory, and print how to call the API."""
    from numberdesk.cli.demo import seed_demo

    container = _container()
    creds = seed_demo(container)
    base = f"http://{host}:{port}"
    out = Console()
    out.print("[bold green]numberdesk demo is ready[/]")
    out.print(f"  project id   {creds.project_id}")
    out.print(f"  key id       {creds.key_id}")
    out.print(f"  key secret   {creds.key_secret}")
    out.print(f"  admin token  {container.secrets.admin_token}")
    out.print(f"  base URL     {base}")
    out.print("\nTry:")
    out.print(
        f"  curl -s -u '{creds.key_id}:{creds.key_secret}' "
        f"'{base}/v1/projects/{creds.project_id}/availableNumbers?regionCode=AU&type=MOBILE&size=3'",
        soft_wrap=True,
    )


def main() -> None:
    try:
        app()
    except StartupError as exc:  # pragma: no cover - surfaced by _container already
        err.print(f"numberdesk cannot start: {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
