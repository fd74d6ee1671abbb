"""Idempotency-Key for POST and PATCH (draft-ietf-httpapi-idempotency-key-header).

A client that may retry (timeouts, flaky networks) sends `Idempotency-Key: <unique string>`.
The first request with a key runs and its response (below 500) is stored; a retry with the
same key and the same request gets the stored response again, with `Idempotent-Replayed:
true`, and changes nothing. A retry while the first is still running waits for it (up to
`WAIT_SECONDS`, then 409); the same key with a different request is a 422. Keys are per
caller and kept for `TTL`.

A pending row is claimed in its own short transaction before the request runs: the
database's unique index decides which of two concurrent requests runs.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import anyio
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pembina.auth.security import InvalidToken, decode_token
from pembina.config import get_settings
from pembina.db import utcnow
from pembina.errors import BadRequest, Conflict, Problem, ValidationProblem
from pembina.idempotency.models import IdempotencyRecord
from pembina.route_index import allowed_methods

METHODS = {"POST", "PATCH"}
WAIT_SECONDS = 10.0
TTL = timedelta(hours=24)
#: A pending claim older than this is an abandoned request (a crashed worker): retry runs it.
STALE_PENDING = timedelta(minutes=5)
REPLAYED_HEADERS = ("content-type", "location", "etag")


def _subject(scope: Scope) -> str | None:
    headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
    token = None
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        token = auth[7:].strip()
    elif "cookie" in headers:
        name = get_settings().cookie_name + "="
        for part in headers["cookie"].split(";"):
            if part.strip().startswith(name):
                token = part.strip()[len(name):]
    if not token:
        return None
    try:
        return decode_token(token).subject
    except InvalidToken:
        return None


def _routed(scope: Scope) -> bool:
    """Only an existing operation is idempotent; let the app answer 404/405 for the rest."""
    app = scope.get("app")
    return app is None or scope["method"] in allowed_methods(app, scope["path"])


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, session_factory: Callable[[], Session]):
        self.app = app
        self.session_factory = session_factory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in METHODS or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        key = next((v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"idempotency-key"), None)
        subject = _subject(scope) if key is not None and _routed(scope) else None
        if key is None or subject is None:  # no key, no such operation, or not authenticated
            await self.app(scope, receive, send)
            return
        try:
            if not (1 <= len(key) <= 255) or not key.isprintable():
                raise BadRequest("Idempotency-Key must be 1–255 printable characters.")
            body = await _read_body(receive)
            fingerprint = hashlib.sha256(
                b"\n".join([scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), body])
            ).hexdigest()
            replay = await anyio.to_thread.run_sync(self._claim, subject, key, fingerprint)
        except Problem as p:
            await _send_problem(send, scope, p)
            return
        if replay is not None:
            await _send_stored(send, replay)
            return

        captured: dict[str, Any] = {"status": 500, "headers": [], "body": bytearray()}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, _replay_receive(body, receive), capture)
        finally:
            await anyio.to_thread.run_sync(self._finish, subject, key, captured)

    # -- database (in worker threads) ---------------------------------------------------
    def _writer(self) -> Session:
        """A session whose transaction takes SQLite's write lock up front (queues, never
        fails on a stale read snapshot); PostgreSQL ignores the option."""
        session = self.session_factory()
        session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})
        return session

    def _lookup(self, subject: str, key: str) -> IdempotencyRecord | None:
        with self.session_factory() as s:
            rec = s.scalar(select(IdempotencyRecord).where(IdempotencyRecord.subject == subject, IdempotencyRecord.key == key))
            if rec is not None:
                s.expunge(rec)
            return rec

    def _claim(self, subject: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
        """Claim the key (None: run the request) or return the finished record to replay."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            existing = self._lookup(subject, key)
            if existing is None or (existing.state == "pending" and existing.created_at < utcnow() - STALE_PENDING):
                with self._writer() as s:
                    try:
                        s.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - TTL))
                        if existing is not None:  # an abandoned claim (crashed worker): take it over
                            s.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == existing.id))
                        s.add(IdempotencyRecord(subject=subject, key=key, fingerprint=fingerprint, state="pending"))
                        s.commit()
                        return None
                    except IntegrityError:
                        s.rollback()  # claimed concurrently: look again
                continue
            if existing.fingerprint != fingerprint:
                raise ValidationProblem("This Idempotency-Key was already used for a different request.", loc=["header", "Idempotency-Key"])
            if existing.state == "done":
                return existing
            if time.monotonic() > deadline:
                raise Conflict("A request with this Idempotency-Key is still being processed; retry later.", headers={"Retry-After": "1"})
            time.sleep(0.05)

    def _finish(self, subject: str, key: str, captured: dict[str, Any]) -> None:
        with self._writer() as s:
            rec = s.scalar(select(IdempotencyRecord).where(IdempotencyRecord.subject == subject, IdempotencyRecord.key == key))
            if rec is None:
                return
            if captured["status"] >= 500:
                s.delete(rec)  # a server failure is not an answer: let the client retry
            else:
                headers = {k.decode().lower(): v.decode() for k, v in captured["headers"] if k.decode().lower() in REPLAYED_HEADERS}
                rec.state, rec.response_status, rec.response_headers, rec.response_body = "done", captured["status"], headers, bytes(captured["body"])
            s.commit()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay_receive(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def inner() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return inner


async def _send_stored(send: Send, rec: IdempotencyRecord) -> None:
    headers = [(k.encode(), v.encode()) for k, v in (rec.response_headers or {}).items()]
    body = rec.response_body or b""
    headers += [(b"idempotent-replayed", b"true"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": rec.response_status or 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_problem(send: Send, scope: Scope, p: Problem) -> None:
    body = json.dumps(p.body(scope["path"])).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in p.headers.items()]
    await send({"type": "http.response.start", "status": p.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
