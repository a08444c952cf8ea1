"""The demo seed for `make run`: one project, one key, an inventory over 16 regions. Idempotent.

The key secret is stored only hashed in the database; so that `make run` can print it again,
the demo's credentials are kept in `$NUMBERDESK_HOME/demo.json` (mode 0600, sandbox only).
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import asdict, dataclass

from numberdesk.bootstrap import Container
from numberdesk.domain.inventory import NumberType
from numberdesk.services import inventory, projects

DEMO_PROJECT = "Demo project"

MOBILE, LOCAL, TOLL_FREE = NumberType.MOBILE, NumberType.LOCAL, NumberType.TOLL_FREE
DEMO_STOCK: dict[str, tuple[str, tuple[NumberType, ...]]] = {
    "AU": ("AUD", (MOBILE, LOCAL, TOLL_FREE)),
    "BR": ("BRL", (MOBILE, LOCAL)),
    "CA": ("CAD", (LOCAL, TOLL_FREE)),
    "DE": ("EUR", (MOBILE, LOCAL)),
    "ES": ("EUR", (MOBILE, LOCAL)),
    "FR": ("EUR", (MOBILE, LOCAL)),
    "GB": ("GBP", (MOBILE, LOCAL, TOLL_FREE)),
    "IE": ("EUR", (MOBILE,)),
    "IT": ("EUR", (MOBILE,)),
    "JP": ("JPY", (LOCAL,)),
    "MX": ("MXN", (LOCAL,)),
    "NL": ("EUR", (MOBILE,)),
    "SE": ("SEK", (MOBILE,)),
    "SG": ("SGD", (MOBILE,)),
    "US": ("USD", (LOCAL, TOLL_FREE)),
    "ZA": ("ZAR", (MOBILE,)),
}


@dataclass(frozen=True)
class DemoCredentials:
    project_id: str
    key_id: str
    key_secret: str


def seed_demo(container: Container, per_product: int = 100) -> DemoCredentials:
    path = container.settings.home / "demo.json"
    state: dict[str, object] = json.loads(path.read_text()) if path.exists() else {}
    creds = _credentials(container, state)
    if not state.get("inventory_seeded"):
        rng = random.Random(20261123)
        for region, (currency, kinds) in DEMO_STOCK.items():
            for kind in kinds:
                inventory.generate_numbers(
                    region,
                    kind,
                    per_product,
                    container.uows,
                    rng,
                    inventory.StockOptions(currency_code=currency),
                )
    state.update(asdict(creds))
    state["inventory_seeded"] = True
    container.settings.home.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(state, handle)
    return creds


def _credentials(container: Container, state: dict[str, object]) -> DemoCredentials:
    with container.uows(readonly=True) as uow:
        project = uow.projects.find_by_name(DEMO_PROJECT)
        key = uow.keys.get(str(state.get("key_id"))) if state.get("key_id") else None
    if project is None:
        project = projects.create_project(DEMO_PROJECT, container.uows, container.clock)
    if key is not None and key.active and key.project_id == project.id and state.get("key_secret"):
        return DemoCredentials(project.id, key.key_id, str(state["key_secret"]))
    issued = projects.create_key(project.id, container.uows, container.clock, container.key_pepper)
    return DemoCredentials(project.id, issued.key_id, issued.key_secret)
