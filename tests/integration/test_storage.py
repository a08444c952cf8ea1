"""Storage settings and start-up checks on the real databases."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from numberdesk.adapters.db.engine import is_sqlite, make_engine, sqlite_pragmas
from numberdesk.bootstrap import Container, StartupError, build
from numberdesk.config import Settings
from numberdesk.domain.inventory import Capability, InventoryNumber, NumberState, NumberType, Price


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(container: Container) -> None:
    if not is_sqlite(container.engine):
        pytest.skip("SQLite only")
    pragmas = sqlite_pragmas(container.engine)
    assert pragmas == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1, "busy_timeout": 30000}


def test_concurrent_writers_queue_instead_of_failing(container: Container) -> None:
    numbers = [f"+6141234{i:04d}" for i in range(200)]
    with container.uows() as uow:
        uow.inventory.add_many(
            [
                InventoryNumber(
                    n,
                    "AU",
                    NumberType.MOBILE,
                    (Capability.SMS,),
                    Price("AUD", Decimal(1)),
                    Price("AUD", Decimal(1)),
                )
                for n in numbers
            ]
        )
        uow.commit()
    errors: list[BaseException] = []
    wins: list[str] = []
    lock = threading.Lock()

    def worker(chunk: list[str]) -> None:
        try:
            for n in chunk:
                with container.uows() as uow:
                    # read-then-write in one transaction: the pattern that deadlocks under deferred BEGIN
                    current = uow.inventory.get(n)
                    assert current is not None
                    if uow.inventory.move(n, NumberState.AVAILABLE, NumberState.RESERVED, "p"):
                        uow.commit()
                        with lock:
                            wins.append(n)
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(numbers,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(wins) == sorted(numbers)  # each number reserved exactly once


def test_start_up_refuses_an_unmigrated_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(home=tmp_path, sandbox=True)
    with pytest.raises(StartupError, match="db upgrade"):
        build(settings)


def test_start_up_refuses_missing_secrets_outside_sandbox(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StartupError, match="NUMBERDESK_ADMIN_TOKEN"):
        build(Settings(home=tmp_path, sandbox=False, secret_key="k" * 32, encryption_keys=None))


def test_start_up_refuses_a_bad_encryption_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StartupError, match="ENCRYPTION_KEYS"):
        build(
            Settings(
                home=tmp_path,
                sandbox=False,
                admin_token="a" * 20,
                secret_key="k" * 32,
                encryption_keys="k1:dG9vLXNob3J0",
            )
        )


def test_sandbox_generates_secrets_once_and_keeps_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from numberdesk.adapters.db.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'numberdesk.db'}")
    upgrade(engine)
    engine.dispose()
    first = build(Settings(home=tmp_path, sandbox=True))
    second = build(Settings(home=tmp_path, sandbox=True))
    try:
        assert first.secrets == second.secrets
        assert (tmp_path / "secrets.json").stat().st_mode & 0o077 == 0
    finally:
        first.dispose()
        second.dispose()
