"""Engines per dialect.

SQLite: WAL, synchronous=NORMAL, foreign keys on, a busy timeout, and `BEGIN IMMEDIATE` for every
transaction that may write, so concurrent writers queue on the lock instead of failing later with
"database is locked" when a deferred reader tries to upgrade. Read-only units of work use a plain
`BEGIN` through the `readonly` execution option.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection

SQLITE_BUSY_TIMEOUT_MS = 30_000
READONLY = "numberdesk_readonly"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True)


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        pool_size=8,
        max_overflow=16,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Straight to the driver: no statement execution machinery for a fixed statement.
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute("BEGIN" if conn.get_execution_options().get(READONLY) else "BEGIN IMMEDIATE")

    return engine


def sqlite_pragmas(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        return {
            "journal_mode": conn.execute(text("PRAGMA journal_mode")).scalar(),
            "synchronous": conn.execute(text("PRAGMA synchronous")).scalar(),
            "foreign_keys": conn.execute(text("PRAGMA foreign_keys")).scalar(),
            "busy_timeout": conn.execute(text("PRAGMA busy_timeout")).scalar(),
        }
