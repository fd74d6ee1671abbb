"""Several app processes against one PostgreSQL (the README's "Several instances" recipe): two
real `pembina serve` processes on two ports, their login throttle shared through a real Redis
server (Debian's `redis-server`, started here on a free port), their reminder workers embedded,
and a real SMTP server (aiosmtpd). What must hold across them:

- login throttling: 12 wrong passwords for one account, alternating between the instances,
  against a limit of 10 a minute: the 11th and 12th are refused (429) wherever they arrive, as
  the right password is then (with a single in-memory throttle per process, 20 would pass);
- idempotency: one Idempotency-Key sent to both at the same instant makes one record;
- notifications: both workers evaluate the rules every half second, and an overdue follow-up
  makes one notice and one e-mail, however many rounds each runs.

PostgreSQL only: several processes sharing one SQLite file is not a supported deployment."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina import migrate
from pembina.auth.security import hash_secret, issue_token
from pembina.kit import clock
from pembina.kit.roles import Role
from pembina.meetings.models import FollowUp, Meeting
from pembina.notifications.models import Notification
from pembina.regions.loader import load_regions
from pembina.users.models import User
from tests.conftest import IN_CI

BIN = Path(sys.executable).parent
PASSWORD = "sandi-yang-benar-2026"
LIMIT = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"{url}: the process ended with {proc.returncode}: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}"
            )
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def redis_url() -> Any:
    server = shutil.which("redis-server")
    if server is None:
        message = "redis-server is not installed (`make test` installs Debian's redis-server)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    port = _free_port()
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        _stop(proc)  # type: ignore[arg-type]


@pytest.fixture
def inbox() -> Any:
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield box, controller.port
    finally:
        controller.stop()


@pytest.fixture
def instances(empty_database: Any, redis_url: str, inbox: Any, tmp_path: Path) -> Any:
    if empty_database.backend != "postgresql":
        pytest.skip("several instances share one PostgreSQL database")
    with empty_database.engine.begin() as conn:
        migrate.upgrade(conn)
        load_regions(conn, progress=False)
    env = {
        **os.environ,
        "DATABASE_URL": empty_database.url,
        "PEMBINA_RATE_LIMIT_STORAGE": redis_url,
        "PEMBINA_LOGIN_RATE_LIMIT": f"{LIMIT}/minute",
        "PEMBINA_WORKER_EMBEDDED": "true",
        "PEMBINA_WORKER_INTERVAL_SECONDS": "0.5",
        "PEMBINA_SMTP_URL": f"smtp://127.0.0.1:{inbox[1]}?starttls=off",
        "PEMBINA_MAIL_FROM": "Pembina <pembina@pekalongan.example>",
        "PEMBINA_PUBLIC_URL": "https://pembina.example.go.id",
        "PEMBINA_FRONTEND_DIST": str(tmp_path / "no-dashboard"),
    }
    env.pop("CI", None)
    procs, urls = [], []
    try:
        for _ in range(2):
            port = _free_port()
            proc = subprocess.Popen(
                [str(BIN / "pembina"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            procs.append(proc)
            urls.append(f"http://127.0.0.1:{port}")
        for url, proc in zip(urls, procs, strict=True):
            _wait(url + "/healthz", proc)
        yield urls, empty_database.engine
    finally:
        for proc in procs:
            _stop(proc)


def _user(engine: Any, role: Role, region: str, email_address: str | None = None) -> User:
    with Session(engine, expire_on_commit=False) as s, s.begin():
        s.info["actor"] = "system:test"
        u = User(
            username=f"u-{uuid.uuid4().hex[:8]}",
            full_name="Koordinator Kota",
            role=role.value,
            region_code=region,
            password_hash=hash_secret(PASSWORD),
            email=email_address,
        )
        s.add(u)
    return u


def _together(calls: list[Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    out: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        out[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def test_throttle_idempotency_and_reminders_hold_across_two_instances(instances: Any, inbox: Any) -> None:
    (a, b), engine = instances

    # -- login throttling, shared through Redis ------------------------------------------
    victim = _user(engine, Role.viewer, "33.75")
    codes = []
    for i in range(LIMIT + 2):
        r = httpx.post(
            f"{(a, b)[i % 2]}/api/v1/auth/token", data={"grant_type": "password", "username": victim.username, "password": f"salah-{i}"}
        )
        codes.append(r.status_code)
    assert codes[:LIMIT] == [401] * LIMIT, codes
    assert codes[LIMIT:] == [429, 429], codes
    for url in (a, b):  # the account stays locked on both, even with the right password
        r = httpx.post(f"{url}/api/v1/auth/token", data={"grant_type": "password", "username": victim.username, "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1

    # -- idempotency, shared through the database ----------------------------------------
    coordinator = _user(engine, Role.regency_coordinator, "33.75", "kota@pekalongan.example")
    token = issue_token(f"user:{coordinator.id}")[0]
    key = f"both-{uuid.uuid4().hex}"
    username = f"kader-{uuid.uuid4().hex[:6]}"
    body = {"username": username, "full_name": "Kader Klego", "role": "viewer", "region_code": "33.75", "password": "sandi-sekali-2026"}

    def post(url: str) -> Any:
        return lambda: httpx.post(
            f"{url}/api/v1/users", json=body, headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key}, timeout=60
        )

    results = _together([post(a), post(b), post(a), post(b)])
    assert [r.status_code for r in results] == [201] * 4, [r.text for r in results]
    assert len({r.json()["id"] for r in results}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in results) == 3
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(User).where(User.username == username)) == 1

    # -- reminders: two workers, one notice and one e-mail --------------------------------
    box, _ = inbox
    today = clock.today()
    with Session(engine) as s, s.begin():
        s.info["actor"] = "system:test"
        meeting = Meeting(region_code="33.75", level=2, title="Rakor TP Posyandu", held_on=today - timedelta(days=30))
        s.add(meeting)
        s.flush()
        s.add(
            FollowUp(
                meeting_id=meeting.id, region_code="33.75", action="Kirim SK kelurahan", due_on=today - timedelta(days=2), status="open"
            )
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not box.messages:
        time.sleep(0.2)
    time.sleep(3)  # several more rounds on each instance
    with Session(engine) as s:
        notices = s.scalars(
            select(Notification).where(Notification.user_id == coordinator.id, Notification.rule == "follow_up_overdue")
        ).all()
    assert len(notices) == 1, [(n.rule, n.subject) for n in notices]
    to_city = [
        m
        for m in box.messages
        if m["To"] and "kota@pekalongan.example" in m["To"] and "Kirim SK kelurahan" in m.get_body(preferencelist=("plain",)).get_content()
    ]
    assert len(to_city) == 1, [m["Subject"] for m in box.messages]
