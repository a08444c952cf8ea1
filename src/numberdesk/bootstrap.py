"""The composition root: turns `Settings` into a wired `Container`. Nothing happens at import time.

Feature areas plug in here: job handlers (`container.job_handlers[kind] = handler`) and extra timed
work (`container.works.append(...)`).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from numberdesk.adapters.callback_sender import AsyncCallbackSender, LiteralUrlGuard, parse_networks
from numberdesk.adapters.crypto import (
    AesGcmCipher,
    CryptoConfigError,
    derive_key,
    new_keyring_entry,
    parse_keyring,
)
from numberdesk.adapters.db import migrate
from numberdesk.adapters.db.engine import is_sqlite, make_engine, sqlite_pragmas
from numberdesk.adapters.db.unit_of_work import SqlUnitOfWorkFactory
from numberdesk.adapters.kyc_catalog import load_catalog
from numberdesk.adapters.ssrf import AddressPolicy
from numberdesk.adapters.tokens import JwtTokenCodec
from numberdesk.config import Settings
from numberdesk.domain.delivery_policy import RetryPolicy
from numberdesk.domain.kyc import Catalog, CatalogError
from numberdesk.services.auth import Authenticator
from numberdesk.services.callbacks import CallbackUrlGuard
from numberdesk.services.clock import SandboxClock, SystemClock
from numberdesk.services.number_orders import OrderDeps
from numberdesk.services.ports import Clock, KycPolicies
from numberdesk.services.ports_imported import VoiceCaller
from numberdesk.services.timers import DueWork, JobHandler, JobRunner, Nudge

log = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The configuration cannot run; the message says what to fix."""


@dataclass(frozen=True)
class Secrets:
    admin_token: str
    secret_key: str
    encryption_keys: str


@dataclass
class Container:
    settings: Settings
    secrets: Secrets
    engine: Engine
    uows: SqlUnitOfWorkFactory
    clock: Clock
    authenticator: Authenticator
    cipher: AesGcmCipher
    catalog: Catalog = field(default_factory=lambda: Catalog(()))
    job_handlers: dict[str, JobHandler] = field(default_factory=dict)
    works: list[DueWork] = field(default_factory=list)
    # Set when a commit adds timed work, so this process's worker starts on it at once.
    nudge: Nudge = field(default_factory=Nudge)
    # Registration-time check of callback URLs: `container.callback_urls.check(url, "callbackUrl")`.
    callback_urls: CallbackUrlGuard = field(default_factory=lambda: LiteralUrlGuard(AddressPolicy()))
    voice_caller: VoiceCaller | None = None
    number_orders: OrderDeps | None = None  # set by _wire_number_orders

    @property
    def kyc_policies(self) -> KycPolicies:
        return self.catalog

    @property
    def key_pepper(self) -> bytes:
        return derive_key(self.secrets.secret_key, "numberdesk/access-key-hash")

    def dispose(self) -> None:
        for work in self.works:
            close = getattr(work, "close", None)
            if callable(close):
                close()
        self.engine.dispose()


def resolve_secrets(settings: Settings) -> Secrets:
    """Secrets come from the environment. Only in sandbox mode may missing ones be generated,
    and they are then kept in `$NUMBERDESK_HOME/secrets.json` (mode 0600) so restarts agree."""
    given = {
        "admin_token": settings.admin_token,
        "secret_key": settings.secret_key,
        "encryption_keys": settings.encryption_keys,
    }
    missing = [name for name, value in given.items() if not value]
    if missing and not settings.sandbox:
        names = ", ".join(f"NUMBERDESK_{m.upper()}" for m in missing)
        raise StartupError(f"{names} must be set outside sandbox mode (or set NUMBERDESK_SANDBOX=1)")
    if missing:
        stored = _load_or_create_local_secrets(settings.home)
        given = {k: v or stored[k] for k, v in given.items()}
    return Secrets(str(given["admin_token"]), str(given["secret_key"]), str(given["encryption_keys"]))


def _load_or_create_local_secrets(home: Path) -> dict[str, str]:
    path = home / "secrets.json"
    if path.exists():
        data: dict[str, str] = json.loads(path.read_text())
        return data
    home.mkdir(parents=True, exist_ok=True)
    data = {
        "admin_token": "ndadm_" + secrets.token_urlsafe(24),
        "secret_key": secrets.token_urlsafe(32),
        "encryption_keys": new_keyring_entry("k1"),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle)
    return data


def build(settings: Settings, *, check: bool = True) -> Container:
    secrets_ = resolve_secrets(settings)
    try:
        cipher = AesGcmCipher(parse_keyring(secrets_.encryption_keys))
    except CryptoConfigError as exc:
        raise StartupError(f"NUMBERDESK_ENCRYPTION_KEYS: {exc}") from exc
    if settings.database_url is None:
        settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    if check:
        check_database(engine)
    nudge = Nudge()
    uows = SqlUnitOfWorkFactory(engine, nudge.set)
    clock: Clock = SandboxClock(uows) if settings.sandbox else SystemClock()
    authenticator = Authenticator(
        uows,
        clock,
        pepper=derive_key(secrets_.secret_key, "numberdesk/access-key-hash"),
        tokens=JwtTokenCodec(derive_key(secrets_.secret_key, "numberdesk/token-signing")),
        token_lifetime_seconds=settings.token_lifetime_seconds,
        revocation_ttl=settings.revocation_check_seconds,
    )
    container = Container(
        settings, secrets_, engine, uows, clock, authenticator, cipher, catalog(settings.catalog_dir)
    )
    container.nudge = nudge
    container.works.append(JobRunner(uows, container.job_handlers))
    _wire_active_numbers(container)
    _wire_callbacks(container)
    _wire_imported(container)
    _wire_number_orders(container)
    return container


@functools.lru_cache(maxsize=8)
def catalog(extra_dir: Path | None) -> Catalog:
    """The KYC catalog: packaged regions plus the operator's directory. Loaded once per process
    (checking every schema costs about half a second); a broken file stops start-up by name."""
    try:
        return load_catalog(extra_dir)
    except CatalogError as exc:
        raise StartupError(f"KYC catalog: {exc}") from exc


def _wire_active_numbers(container: Container) -> None:
    from numberdesk.services import active_numbers, provisioning

    container.job_handlers.update(provisioning.job_handlers())
    container.job_handlers[active_numbers.EXPIRE_JOB] = active_numbers.expire


def callback_address_policy(settings: Settings) -> AddressPolicy:
    try:
        networks = parse_networks(settings.callback_allowed_networks)
    except ValueError as exc:
        raise StartupError(f"NUMBERDESK_CALLBACK_ALLOWED_NETWORKS: {exc}") from exc
    return AddressPolicy(
        allow_loopback=settings.sandbox or settings.callback_allow_loopback, allowed_networks=networks
    )


def _wire_callbacks(container: Container) -> None:
    from numberdesk.workers.callback_dispatcher import CallbackDispatcher

    settings = container.settings
    policy = callback_address_policy(settings)
    container.callback_urls = LiteralUrlGuard(policy)
    retry = RetryPolicy(
        initial=timedelta(seconds=settings.callback_retry_initial_seconds),
        max_delay=timedelta(seconds=settings.callback_retry_max_delay_seconds),
        window=timedelta(hours=settings.callback_retry_window_hours),
    )
    sender = AsyncCallbackSender(
        policy, settings.callback_timeout_seconds, concurrency=settings.callback_threads
    )
    lease = settings.callback_lease_seconds
    container.works.append(
        CallbackDispatcher(
            container.uows,
            container.cipher,
            sender,
            retry,
            timeout_seconds=settings.callback_timeout_seconds,
            threads=settings.callback_threads,
            batch=settings.callback_batch,
            lease=timedelta(seconds=lease) if lease else None,
        )
    )


def _wire_imported(container: Container) -> None:
    from numberdesk.adapters.voice_caller import SandboxVoiceCaller
    from numberdesk.services import hosting_orders, imported_numbers, qualified_numbers

    container.job_handlers.update(imported_numbers.job_handlers())
    container.job_handlers.update(hosting_orders.job_handlers())
    container.job_handlers[qualified_numbers.ELIGIBILITY_JOB] = qualified_numbers.eligibility_job
    container.voice_caller = SandboxVoiceCaller(container.uows, container.clock)


def _wire_number_orders(container: Container) -> None:
    from numberdesk.adapters.blob_store import FileBlobStore
    from numberdesk.services import number_order_reviews, number_orders
    from numberdesk.services.number_order_expiry import OrderExpirySweep

    settings = container.settings
    container.number_orders = deps = OrderDeps(
        container.uows,
        container.clock,
        container.catalog,
        container.cipher,
        FileBlobStore(settings.blob_dir),
        number_orders.OrderOptions(
            default_reservation_hours=settings.number_order_reservation_hours,
            complete_without_policy=settings.number_order_complete_without_policy,
            auto_review_seconds=settings.auto_review_seconds if settings.sandbox else None,
            max_upload_bytes=settings.max_upload_bytes,
        ),
    )
    container.works.append(OrderExpirySweep(container.uows))
    container.job_handlers[number_orders.EXPIRE_JOB] = number_orders.expire_job  # rows from before the sweep
    container.job_handlers[number_orders.AUTO_REVIEW_JOB] = number_order_reviews.auto_review_job(deps)


def check_database(engine: Engine) -> None:
    """Refuse to start on a database that is not migrated or (SQLite) not set up as we require."""
    if is_sqlite(engine):
        pragmas = sqlite_pragmas(engine)
        if str(pragmas["journal_mode"]).lower() != "wal" or pragmas["foreign_keys"] != 1:
            raise StartupError(f"SQLite is not in WAL mode with foreign keys on: {pragmas}")
    try:
        current = migrate.current_heads(engine)
    except Exception as exc:
        raise StartupError(f"cannot reach the database: {type(exc).__name__}: {exc}") from exc
    expected = migrate.expected_heads()
    if current != expected:
        raise StartupError(
            f"the database schema is at {sorted(current) or 'nothing'}, expected {sorted(expected)}: "
            "run `numberdesk db upgrade`"
        )
