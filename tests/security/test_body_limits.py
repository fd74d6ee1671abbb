"""Request bodies have one size limit, enforced while they stream in and before authentication.

Before: a 1 GiB JSON body to POST /auth/session (no login) raised a worker's RSS by ~3 GB;
multipart uploads were spooled to disk whole before the route's own cap was checked.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from pembina.body_limit import UPLOAD_LIMITS
from pembina.config import get_settings
from pembina.users.models import User

ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024


# -- a real server process (its RSS is what the attack grows) ---------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.fixture
def server(database, tmp_path) -> Iterator[tuple[str, int]]:
    """`uvicorn pembina.main:app` in a process of its own, on the migrated test database."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "backend"),
        "DATABASE_URL": database.url,
        "PEMBINA_IMPORT_MAX_BYTES": str(1 * MiB),  # an upload route's cap, small enough to test
        "PEMBINA_FRONTEND_DIST": str(tmp_path),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "pembina.main:app", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
            time.sleep(0.1)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Body:
    """A large body sent in 1 MiB chunks; counts what the server let us send."""

    def __init__(self, size: int, prefix: bytes = b"", suffix: bytes = b""):
        self.size, self.prefix, self.suffix = size, prefix, suffix
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        yield self.prefix
        chunk = b"a" * MiB
        while self.sent < self.size:
            self.sent += len(chunk)
            yield chunk
        yield self.suffix


def _post(base: str, path: str, body: Body, headers: dict[str, str] | None = None) -> httpx.Response:
    with httpx.Client(base_url=base, timeout=60) as c:
        return c.post(path, content=body, headers=headers or {})


def _assert_413(r: httpx.Response, limit: int) -> None:
    assert r.status_code == 413, r.text[:300]
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "/problems/payload-too-large" and r.json()["max_bytes"] == limit


def test_a_64_mib_login_body_is_413_and_the_worker_does_not_grow(server):
    base, pid = server
    # warm up the code paths (a normal failed login) before measuring
    assert httpx.post(f"{base}/api/v1/auth/session", json={"username": "nobody", "password": "x" * 12}).status_code == 401
    before = _rss(pid)
    prefix = b'{"username": "nobody", "password": "'
    # chunked, no Content-Length
    chunked = Body(64 * MiB, prefix, b'"}')
    _assert_413(_post(base, "/api/v1/auth/session", chunked, {"content-type": "application/json"}), MiB)
    assert chunked.sent < 32 * MiB  # the server stopped reading long before the end
    # an honest (large) Content-Length: refused before the body is read
    honest = Body(64 * MiB, prefix, b'"}')
    length = len(prefix) + 64 * MiB + 2
    _assert_413(_post(base, "/api/v1/auth/session", honest, {"content-type": "application/json", "content-length": str(length)}), MiB)
    growth = _rss(pid) - before
    assert growth < 50 * MiB, f"RSS grew by {growth / MiB:.1f} MiB"
    # the server still serves
    assert httpx.get(f"{base}/healthz").status_code == 200


def test_an_upload_over_its_route_cap_is_stopped_while_streaming(server):
    """imports-run keeps its own cap (here 1 MiB by PEMBINA_IMPORT_MAX_BYTES): a 64 MiB
    multipart body is refused while it streams (not spooled whole, before authentication)."""
    base, _ = server
    boundary = "b0undary"
    prefix = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n'
        "Content-Type: text/csv\r\n\r\nregion_code,name\r\n"
    ).encode()
    body = Body(64 * MiB, prefix, f"\r\n--{boundary}--\r\n".encode())
    r = _post(base, "/api/v1/imports/posyandu", body, {"content-type": f"multipart/form-data; boundary={boundary}"})
    _assert_413(r, MiB)  # the file's cap; 64 KiB more are allowed for the framing
    assert body.sent < 32 * MiB


# -- the limit through the app (both databases) -----------------------------------------


def _user_json(username: str, pad: int = 0) -> dict:
    return {"username": username, "full_name": "Operator " + "x" * pad, "role": "village_operator", "region_code": "33.75.01.1004"}


def test_json_over_the_limit_is_413_even_with_an_idempotency_key(client, db, pekalongan):
    body = json.dumps(_user_json("op-big", pad=MiB))
    r = client.post(
        "/api/v1/users", content=body, headers={**pekalongan.headers, "content-type": "application/json", "Idempotency-Key": "big-1"}
    )
    assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["max_bytes"] == get_settings().body_max_bytes
    assert db.scalar(select(func.count()).select_from(User).where(User.username == "op-big")) == 0
    # the key was not consumed: the same key with a normal body runs
    assert (
        client.post("/api/v1/users", json=_user_json("op-big"), headers={**pekalongan.headers, "Idempotency-Key": "big-1"}).status_code
        == 201
    )


def test_the_limit_comes_before_authentication(client):
    r = client.post("/api/v1/users", content=b"{" + b" " * (2 * MiB) + b"}", headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_the_limit_is_configurable(client, pekalongan, monkeypatch):
    monkeypatch.setattr(get_settings(), "body_max_bytes", 2048)
    r = client.post("/api/v1/users", json=_user_json("op-pad", pad=3000), headers=pekalongan.headers)
    assert r.status_code == 413 and r.json()["max_bytes"] == 2048
    assert client.post("/api/v1/users", json=_user_json("op-small"), headers=pekalongan.headers).status_code == 201


def test_uploads_keep_their_larger_cap(client, pekalongan):
    """A 2 MiB CSV is over the JSON limit but well under the import cap: it is parsed (here:
    row errors, 422), not refused as too large."""
    rows = "\n".join(f"33.75.01.1004,Posyandu {i},{'x' * 200}" for i in range(10_000))
    content = ("region_code,name,address\n" + rows).encode()
    assert len(content) > 2 * MiB
    r = client.post("/api/v1/imports/posyandu", files={"file": ("p.csv", content, "text/csv")}, headers=pekalongan.headers)
    assert r.status_code != 413, r.text[:300]


def test_every_upload_operation_has_its_cap(app):
    multipart = {
        op["operationId"]
        for ops in app.openapi()["paths"].values()
        for op in ops.values()
        if "multipart/form-data" in op.get("requestBody", {}).get("content", {})
    }
    assert multipart == set(UPLOAD_LIMITS)
    for setting in UPLOAD_LIMITS.values():
        assert isinstance(getattr(get_settings(), setting), int)


def test_every_operation_with_a_body_documents_413(app):
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            if "requestBody" in op:
                assert "413" in op["responses"], (method, path)
