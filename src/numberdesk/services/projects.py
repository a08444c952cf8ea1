"""Use cases: create projects, issue and revoke access keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from numberdesk.domain.errors import AlreadyExists, InvalidArgument, NotFound
from numberdesk.domain.projects import AccessKey, Project
from numberdesk.services.ports import Clock, UnitOfWorkFactory


def hash_secret(pepper: bytes, secret: str) -> str:
    """A keyed hash (HMAC-SHA256 with a server-side pepper): fast per request, useless without the pepper."""
    return hmac.new(pepper, secret.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    key_id: str
    project_id: str
    key_secret: str


def create_project(name: str, uows: UnitOfWorkFactory, clock: Clock) -> Project:
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidArgument("a project name is 1 to 200 characters")
    project = Project(id=str(uuid.uuid4()), name=name, created_at=clock.now())
    with uows() as uow:
        if uow.projects.find_by_name(name) is not None:
            raise AlreadyExists("Project", name)
        uow.projects.add(project)
        uow.commit()
    return project


def create_key(project_id: str, uows: UnitOfWorkFactory, clock: Clock, pepper: bytes) -> IssuedKey:
    secret = secrets.token_urlsafe(24)
    key = AccessKey(
        key_id=str(uuid.uuid4()),
        project_id=project_id,
        secret_hash=hash_secret(pepper, secret),
        created_at=clock.now(),
    )
    with uows() as uow:
        if uow.projects.get(project_id) is None:
            raise NotFound("Project", project_id, f"Could not find project with ID: {project_id}")
        uow.keys.add(key)
        uow.commit()
    return IssuedKey(key.key_id, project_id, secret)


def revoke_key(key_id: str, uows: UnitOfWorkFactory, clock: Clock) -> None:
    with uows() as uow:
        if uow.keys.get(key_id) is None:
            raise NotFound("AccessKey", key_id)
        uow.keys.revoke(key_id, clock.now())
        uow.commit()
