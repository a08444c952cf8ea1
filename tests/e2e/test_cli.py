"""The `numberdesk` command as a user runs it: real processes, a real socket for `serve`."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CLI = [sys.executable, "-m", "numberdesk"]


def run(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*CLI, *args], check=False, env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NUMBERDESK_")}
    return {**clean, "NUMBERDESK_HOME": str(tmp_path / "home"), "NUMBERDESK_SANDBOX": "1"}


@pytest.fixture
def migrated(env: dict[str, str]) -> dict[str, str]:
    assert "database at" in run(env, "db", "upgrade").stdout
    return env


def test_projects_and_keys(migrated: dict[str, str]) -> None:
    project = json.loads(run(migrated, "admin", "create-project", "--name", "Acme").stdout)
    key = json.loads(run(migrated, "admin", "create-key", "--project", project["projectId"]).stdout)
    assert set(key) == {"keyId", "keySecret"}
    duplicate = run(migrated, "admin", "create-project", "--name", "Acme", check=False)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    missing = run(migrated, "admin", "create-key", "--project", "nope", check=False)
    assert missing.returncode == 1
    revoked = json.loads(run(migrated, "admin", "revoke-key", "--key", key["keyId"]).stdout)
    assert revoked == {"keyId": key["keyId"], "revoked": True}


def test_inventory_generate_and_import(migrated: dict[str, str], tmp_path: Path) -> None:
    out = json.loads(
        run(migrated, "inventory", "generate", "--region", "au", "--type", "MOBILE", "--count", "25").stdout
    )
    assert out == {"regionCode": "AU", "type": "MOBILE", "added": 25}
    bad = tmp_path / "bad.csv"
    bad.write_text("phoneNumber,type\n+61298765432,LOCAL\nnot-a-number,LOCAL\n")
    result = run(migrated, "inventory", "import", str(bad), check=False)
    assert result.returncode == 1
    assert "line 3:" in result.stderr and "nothing imported" in result.stderr
    assert json.loads(result.stdout) == {"lines": 2, "imported": 0, "errors": 1}
    good = run(migrated, "inventory", "import", str(bad), "--skip-invalid")
    assert json.loads(good.stdout)["imported"] == 1


def test_serve_refuses_to_start_without_secrets_outside_sandbox(migrated: dict[str, str]) -> None:
    env = {**migrated, "NUMBERDESK_SANDBOX": "0"}
    result = run(env, "serve", "--port", "1", check=False)
    assert result.returncode == 2
    assert "NUMBERDESK_ADMIN_TOKEN" in result.stderr


def test_serve_refuses_an_unmigrated_database(env: dict[str, str]) -> None:
    result = run(env, "serve", "--port", "1", check=False)
    assert result.returncode == 2 and "numberdesk db upgrade" in result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(migrated: dict[str, str]) -> Iterator[tuple[str, str]]:
    port = free_port()
    demo = run(migrated, "demo", "--port", str(port))
    proc = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        env=migrated,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, demo.stdout
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_printed_curl_shows_numbers(served: tuple[str, str]) -> None:
    base, printed = served
    match = re.search(r"curl -s -u '([^:]+):([^']+)' '([^']+)'", printed)
    assert match, printed
    key_id, secret, url = match.groups()
    assert url.startswith(base)
    response = httpx.get(url, auth=(key_id, secret), timeout=10)
    assert response.status_code == 200
    numbers = response.json()["availableNumbers"]
    assert len(numbers) == 3 and all(n["phoneNumber"].startswith("+61") for n in numbers)
    regions = httpx.get(
        url.split("/availableNumbers")[0] + "/availableRegions", auth=(key_id, secret), timeout=10
    )
    assert len(regions.json()["availableRegions"]) >= 12


def test_demo_seed_is_idempotent(migrated: dict[str, str]) -> None:
    first = run(migrated, "demo").stdout
    second = run(migrated, "demo").stdout
    secret = re.compile(r"key secret\s+(\S+)")
    assert secret.search(first) and secret.search(first).group(1) == secret.search(second).group(1)  # type: ignore[union-attr]


def test_order_command_against_a_real_server(served: tuple[str, str], migrated: dict[str, str]) -> None:
    base, printed = served
    match = re.search(r"curl -s -u '([^:]+):([^']+)' '[^']+/v1/projects/([^/]+)/", printed)
    assert match, printed
    key_id, secret, project = match.groups()
    search = httpx.get(
        f"{base}/v1/projects/{project}/availableNumbers",
        params={"regionCode": "US", "type": "LOCAL"},
        auth=(key_id, secret),
        timeout=10,
    )
    number = search.json()["availableNumbers"][0]["phoneNumber"]
    result = run(
        migrated,
        "order",
        "--region",
        "US",
        "--type",
        "LOCAL",
        "--number",
        number,
        "--base-url",
        base,
        "--project",
        project,
        "--key-id",
        key_id,
        "--key-secret",
        secret,
    )
    assert "COMPLETED" in result.stdout, result.stdout
    active = httpx.get(
        f"{base}/v1/projects/{project}/activeNumbers/{number}", auth=(key_id, secret), timeout=10
    )
    assert active.status_code == 200
