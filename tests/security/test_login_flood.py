"""A login flood against a real server: throttling is atomic (at most the threshold of
passwords is ever checked), per account and per client address, Argon2 never runs while
holding SQLite's write lock, and an exhausted connection pool is a 503, never a 500."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import delete

from pembina.kit.roles import Role
from pembina.auth.security import hash_secret, issue_token
from pembina.config import Settings
from pembina.users.models import User

REGION = "11.02"  # Kabupaten Aceh Tenggara: nothing else in the suite touches it
PASSWORD = "kata-sandi-yang-benar-1"
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serve(database_url: str, **settings: Any) -> Iterator[str]:
    """`pembina serve` in a process of its own on a free port (settings through PEMBINA_*)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT / "backend")}
    # the reminder worker is not what these tests are about: on SQLite its first round would
    # hold the database's one writer while the logins queue behind it
    env["PEMBINA_WORKER_EMBEDDED"] = "false"
    env.update({f"PEMBINA_{k.upper()}": str(v) for k, v in settings.items()})
    proc = subprocess.Popen(
        [sys.executable, "-m", "pembina.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a start, not a timed goal: generous on a loaded machine
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "server exited"
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextmanager
def people(committed, *roles: Role) -> Iterator[list[tuple[User, dict[str, str]]]]:
    made = []
    for role in roles:
        u = User(
            username=f"flood-{uuid.uuid4().hex[:8]}",
            full_name="Flood",
            role=role.value,
            region_code=REGION,
            password_hash=hash_secret(PASSWORD),
        )
        committed.add(u)
        committed.commit()
        made.append((u, {"Authorization": f"Bearer {issue_token(f'user:{u.id}')[0]}"}))
    try:
        yield made
    finally:
        committed.execute(delete(User).where(User.region_code == REGION, User.username.like("flood-%")))
        committed.commit()


def _flood(base: str, usernames: list[str]) -> Counter[int]:
    """All the attempts at once: one thread each, released together, over one shared client."""
    n = len(usernames)
    barrier = threading.Barrier(n)
    with httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(max_connections=n, max_keepalive_connections=n)) as c:

        def attempt(i: int) -> int:
            barrier.wait()
            r = c.post("/api/v1/auth/token", data={"grant_type": "password", "username": usernames[i], "password": "salah-salah-salah"})
            return r.status_code

        with ThreadPoolExecutor(n) as pool:
            return Counter(pool.map(attempt, range(n)))


def test_a_login_flood_checks_at_most_the_threshold_and_writes_go_on(database, committed):
    with people(committed, Role.viewer, Role.regency_coordinator) as [(victim, _), (_coord, coord_headers)]:
        with serve(database.url, login_rate_limit="10/minute", login_rate_limit_address="1000/minute") as base:
            write_took: list[float] = []
            write_status: list[int] = []

            def write() -> None:
                time.sleep(0.3)  # while the flood is being served
                with httpx.Client(base_url=base, headers=coord_headers, timeout=60) as c:
                    t0 = time.monotonic()
                    r = c.patch(f"/api/v1/users/{_coord.id}", json={"full_name": "Still writing"}, headers={"If-Match": "*"})
                    write_took.append(time.monotonic() - t0)
                    write_status.append(r.status_code)

            writer = threading.Thread(target=write)
            writer.start()
            codes = _flood(base, [victim.username] * 100)
            writer.join(60)
            assert not [c for c in codes if c >= 500], codes
            assert codes[401] <= 10 and codes[401] + codes[429] == 100, codes
            assert write_status == [200], write_status
            assert write_took[0] < 2.0, write_took
            # the rightful owner is locked out of this account only for the window, with a Retry-After
            with httpx.Client(base_url=base) as c:
                r = c.post("/api/v1/auth/token", data={"grant_type": "password", "username": victim.username, "password": PASSWORD})
                assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1


def test_one_address_is_limited_across_accounts_separately_from_each_account(database, committed):
    with people(committed, Role.viewer) as [(user, _)]:
        with serve(database.url, login_rate_limit="10/minute", login_rate_limit_address="30/minute") as base:
            codes = _flood(base, [f"nobody-{i}" for i in range(60)])
            assert not [c for c in codes if c >= 500], codes
            assert codes[401] <= 30 and codes[401] + codes[429] == 60, codes
            with httpx.Client(base_url=base) as c:  # this address is spent, whatever the account
                assert (
                    c.post(
                        "/api/v1/auth/token", data={"grant_type": "password", "username": user.username, "password": PASSWORD}
                    ).status_code
                    == 429
                )


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(database, committed):
    with people(committed, Role.viewer) as [(user, _)]:
        with serve(database.url, login_rate_limit="10/minute", login_rate_limit_address="5/minute", trusted_proxies="127.0.0.1") as base:
            with httpx.Client(base_url=base) as c:

                def login(xff: str, username: str, password: str) -> int:
                    return c.post(
                        "/api/v1/auth/token",
                        data={"grant_type": "password", "username": username, "password": password},
                        headers={"X-Forwarded-For": xff},
                    ).status_code

                assert [login("203.0.113.7", f"typo-{i}", "salah-salah-salah") for i in range(6)] == [401] * 5 + [429]
                assert login("203.0.113.8", user.username, PASSWORD) == 200  # a colleague behind the same proxy
        with serve(database.url, login_rate_limit="10/minute", login_rate_limit_address="5/minute") as base:
            with httpx.Client(base_url=base) as c:  # no trusted proxy: a forged header buys nothing
                codes = [
                    c.post(
                        "/api/v1/auth/token",
                        data={"grant_type": "password", "username": f"typo-{i}", "password": "x" * 12},
                        headers={"X-Forwarded-For": f"198.51.100.{i}"},
                    ).status_code
                    for i in range(6)
                ]
                assert codes == [401] * 5 + [429]


def test_an_exhausted_connection_pool_is_a_503_with_retry_after(database, committed):
    from fastapi.testclient import TestClient

    from pembina.main import create_app

    with people(committed, Role.viewer) as [(_user, headers)]:
        app = create_app(
            Settings(
                database_url=database.url,
                jwt_secret=os.environ["PEMBINA_JWT_SECRET"],
                db_pool_size=1,
                db_pool_max_overflow=0,
                db_pool_timeout=0.5,
            )
        )
        engine = app.state.sessionmaker.kw["bind"]
        try:
            with TestClient(app, raise_server_exceptions=False) as c:
                assert c.get("/api/v1/auth/me", headers=headers).status_code == 200
                with engine.connect():  # the pool's only connection is busy
                    r = c.get("/api/v1/auth/me", headers=headers)
                assert r.status_code == 503, r.text
                assert r.headers["content-type"] == "application/problem+json" and int(r.headers["Retry-After"]) >= 1
                assert c.get("/api/v1/auth/me", headers=headers).status_code == 200
        finally:
            engine.dispose()
