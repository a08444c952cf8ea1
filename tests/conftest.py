"""Test fixtures: a real database per test (SQLite file copy, or a PostgreSQL database per run).

When NUMBERDESK_TEST_DATABASE_URL is set, each test process creates its own database with a
random name on that server, migrates it once, truncates between tests, and drops it at the end.
"""

from __future__ import annotations

import base64
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from numberdesk.adapters.db.engine import make_engine
from numberdesk.adapters.db.migrate import upgrade
from numberdesk.api.app import create_app
from numberdesk.bootstrap import Container, build
from numberdesk.config import Settings
from numberdesk.services import projects

PG_URL = os.environ.get("NUMBERDESK_TEST_DATABASE_URL")
ADMIN_TOKEN = "test-admin-token-0123456789"
ENCRYPTION_KEYS = "t1:" + base64.b64encode(b"k" * 32).decode()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if PG_URL:
        server = make_url(PG_URL).set(drivername="postgresql+psycopg")
        name = f"nd_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = server.set(database=name).render_as_string(hide_password=False)
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        try:
            yield url
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "numberdesk.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()  # the last connection to close checkpoints the WAL into the file
        yield str(path)


def _truncate_all(url: str) -> None:
    engine = create_engine(make_url(url))
    with engine.begin() as conn:
        existing = {
            r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'"))
        }
        tables = [n for n in existing if n != "alembic_version"]
        if tables:
            conn.execute(
                text("TRUNCATE " + ", ".join(f'"{n}"' for n in tables) + " RESTART IDENTITY CASCADE")
            )
    engine.dispose()


def make_settings(home: Path, database_template: str, **overrides: object) -> Settings:
    if PG_URL:
        _truncate_all(database_template)
        database_url: str | None = database_template
    else:
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(database_template, home / "numberdesk.db")
        database_url = None
    values: dict[str, object] = {
        "home": home,
        "database_url": database_url,
        "sandbox": True,
        "admin_token": ADMIN_TOKEN,
        "secret_key": "test-secret-key-for-peppers-and-tokens",
        "encryption_keys": ENCRYPTION_KEYS,
        "run_workers": False,
        "rate_limit_per_second": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, database_template: str) -> Settings:
    return make_settings(tmp_path / "home", database_template)


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    c = build(settings)
    try:
        yield c
    finally:
        c.dispose()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container, run_workers=False), raise_server_exceptions=False) as c:
        yield c


@dataclass(frozen=True)
class Tenant:
    project_id: str
    key_id: str
    key_secret: str

    @property
    def auth(self) -> tuple[str, str]:
        return (self.key_id, self.key_secret)

    def url(self, path: str) -> str:
        return f"/v1/projects/{self.project_id}/{path.lstrip('/')}"


def new_tenant(container: Container, name: str | None = None) -> Tenant:
    project = projects.create_project(
        name or f"project-{uuid.uuid4().hex[:8]}", container.uows, container.clock
    )
    issued = projects.create_key(project.id, container.uows, container.clock, container.key_pepper)
    return Tenant(project.id, issued.key_id, issued.key_secret)


@pytest.fixture
def tenant(container: Container) -> Tenant:
    return new_tenant(container)


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}
