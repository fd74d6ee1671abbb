"""Idempotency-Key for POST and PATCH (draft-ietf-httpapi-idempotency-key-header).

A client that may retry (timeouts, flaky networks) sends `Idempotency-Key: <unique string>`.
The first request with a key runs and its response (below 500) is stored; a retry with the
same key and the same request gets the stored response again, with `Idempotent-Replayed:
true`, and changes nothing. A retry while the first is still running waits for it (up to
`WAIT_SECONDS`, then 409 with Retry-After); the same key with a different request is a 422.
Keys are per caller and kept for `TTL`; a replay first checks that the caller is still active.

* A pending row is claimed in its own short transaction before the request runs: the
  database's unique index decides which of two concurrent requests runs. A pending row is a
  claim, not a result: it never stands for an effect.
* The result is written **in the same transaction as the effect**: the route notes its
  rendered response (`pembina.kit.routing`) and the request's session, as it commits, turns the
  claim into the record (`_record_with_effect`, a `before_commit` hook). A crash or a failed
  commit leaves neither the effect nor the record (the claim is then released or, after a
  crash, taken over after `STALE_PENDING`): a retry runs exactly once.
* A response that reveals a one-time secret (`pembina.kit.idempotency_context.reveals_secret`)
  is never stored: the record says "done, secret withheld" and a replay is a 409
  `replay-unavailable` problem (rotate the secret / reset the password).
* The request body is read through the outer body limit (`pembina.body_limit`): this
  middleware never holds more than that limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import anyio
from sqlalchemy import delete, event, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pembina.auth.deps import principal_for_subject
from pembina.auth.security import InvalidToken, decode_token
from pembina.config import get_settings
from pembina.kit.db import database_gate, rowcount, utcnow
from pembina.kit.errors import BadRequest, Conflict, Problem, ReplayUnavailable, Unauthenticated, ValidationProblem
from pembina.kit.idempotency_context import CURRENT, Pending
from pembina.idempotency.models import IdempotencyRecord
from pembina.kit.route_index import allowed_methods

log = logging.getLogger("pembina")

METHODS = {"POST", "PATCH"}
#: Logins answer with a fresh credential (an access token, a session cookie) and change nothing a
#: retry could double: they are never keyed, so no token is ever kept for a replay.
UNKEYED_PATHS = frozenset({"/api/v1/auth/token", "/api/v1/auth/session"})
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
                token = part.strip()[len(name) :]
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
        if (
            scope["type"] != "http"
            or scope["method"] not in METHODS
            or not scope["path"].startswith("/api/")
            or scope["path"] in UNKEYED_PATHS
        ):
            await self.app(scope, receive, send)
            return
        key = next((v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"idempotency-key"), None)
        subject = _subject(scope) if key is not None and _routed(scope) else None
        if key is None or subject is None:  # no key, no such operation, or not authenticated
            await self.app(scope, receive, send)
            return
        try:
            if not (1 <= len(key) <= 255) or not key.isprintable():
                raise BadRequest(
                    "Idempotency-Key must be 1–255 printable characters.", "Idempotency-Key harus 1–255 karakter yang dapat dicetak."
                )
            body = await _read_body(receive)
            fingerprint = hashlib.sha256(
                b"\n".join([scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), body])
            ).hexdigest()
            async with self._slot(scope):
                claim = await anyio.to_thread.run_sync(self._claim, subject, key, fingerprint)
        except Problem as p:
            await _send_problem(send, scope, p)
            return
        if isinstance(claim, IdempotencyRecord):
            if claim.state != "done":  # a secret withheld, or a response not recorded
                await _send_problem(send, scope, ReplayUnavailable(_WITHHELD[claim.state]))
                return
            await _send_stored(send, claim)
            return

        pending = Pending(record_id=claim)
        captured: dict[str, Any] = {"status": 500, "headers": [], "body": bytearray()}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        token = CURRENT.set(pending)
        try:
            await self.app(scope, _replay_receive(body, receive), capture)
        finally:
            CURRENT.reset(token)
            with anyio.CancelScope(shield=True):
                async with self._slot(scope):
                    await anyio.to_thread.run_sync(self._finish, pending, captured)

    def _slot(self, scope: Scope) -> anyio.Semaphore | contextlib.nullcontext[None]:
        """One of the app's database slots (`kit.db.DatabaseGate`) for the claim or the
        settling: they use a connection of the same pool as the requests' sessions, outside
        the request's own (taken after the claim, given back before the settling)."""
        app = scope.get("app")
        if app is None:
            return contextlib.nullcontext()
        probe = self.session_factory()
        try:
            return database_gate(app, probe.get_bind()).slots
        finally:
            probe.close()

    # -- database (in worker threads) ---------------------------------------------------
    def _session(self) -> Session:
        session = self.session_factory()
        session.info[_INTERNAL] = True  # its commits never write a request's record
        return session

    def _writer(self) -> Session:
        """A session whose transaction takes SQLite's write lock up front (queues, never
        fails on a stale read snapshot); PostgreSQL ignores the option."""
        session = self._session()
        session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})
        return session

    def _lookup(self, subject: str, key: str) -> IdempotencyRecord | None:
        with self._session() as s:
            if principal_for_subject(s, subject) is None:  # deactivated or deleted since
                raise Unauthenticated("The account behind this token is no longer active.", "Akun pemilik token ini sudah tidak aktif.")
            rec = s.scalar(select(IdempotencyRecord).where(IdempotencyRecord.subject == subject, IdempotencyRecord.key == key))
            if rec is not None:
                s.expunge(rec)
            return rec

    def _claim(self, subject: str, key: str, fingerprint: str) -> IdempotencyRecord | int:
        """Claim the key (its record id: run the request) or return the finished record."""
        deadline = time.monotonic() + WAIT_SECONDS
        busy = Conflict(
            "A request with this Idempotency-Key is still being processed; retry later.",
            "Permintaan dengan Idempotency-Key ini masih diproses; coba lagi nanti.",
            headers={"Retry-After": "1"},
        )
        while True:
            try:
                existing = self._lookup(subject, key)
                if existing is None or (existing.state == "pending" and existing.created_at < utcnow() - STALE_PENDING):
                    with self._writer() as s:
                        try:
                            s.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - TTL))
                            if existing is not None:  # an abandoned claim (a crashed worker; no effect): take it over
                                s.execute(
                                    delete(IdempotencyRecord).where(
                                        IdempotencyRecord.id == existing.id, IdempotencyRecord.state == "pending"
                                    )
                                )
                            rec = IdempotencyRecord(subject=subject, key=key, fingerprint=fingerprint, state="pending")
                            s.add(rec)
                            s.commit()
                            return rec.id
                        except IntegrityError:
                            s.rollback()  # claimed concurrently: look again
                    continue
            except OperationalError:  # e.g. SQLite busy past its timeout: contention, not a failure
                if time.monotonic() > deadline:
                    raise busy from None
                time.sleep(0.05)
                continue
            if existing.fingerprint != fingerprint:
                raise ValidationProblem(
                    "This Idempotency-Key was already used for a different request.",
                    "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.",
                    loc=["header", "Idempotency-Key"],
                )
            if existing.state != "pending":
                return existing
            if time.monotonic() > deadline:
                raise busy
            time.sleep(0.05)

    def _finish(self, pending: Pending, captured: dict[str, Any]) -> None:
        """After the request: nothing to do if its transaction wrote the record. Otherwise no
        effect was committed: store the answer (an error, or a request that changed nothing),
        or release the claim after a server failure so that a retry runs."""
        if pending.recorded:
            return
        status = captured["status"]
        claim = (IdempotencyRecord.id == pending.record_id, IdempotencyRecord.state == "pending")
        try:
            with self._writer() as s:
                if status >= 500:
                    s.execute(delete(IdempotencyRecord).where(*claim))
                else:
                    s.execute(
                        update(IdempotencyRecord)
                        .where(*claim)
                        .values(**_result(pending.secret, status, captured["headers"], bytes(captured["body"])))
                    )
                s.commit()
        except SQLAlchemyError:  # the response is sent; a claim left behind is taken over later
            log.exception("idempotency: could not settle claim %s", pending.record_id)


_INTERNAL = "pembina.idempotency.internal"
_WITHHELD = {
    "secret": "The first request with this Idempotency-Key took effect and its response revealed a one-time secret, "
    "which is never stored. It is not run again: rotate the API client's secret or reset the password to get a new one.",
    "lost": "The first request with this Idempotency-Key took effect, but its response could not be recorded. "
    "It is not run again: read the resource to see its state.",
}


def _result(secret: bool, status: int, raw_headers: list[tuple[bytes, bytes]], body: bytes | None) -> dict[str, Any]:
    """The columns of a finished record. A success that revealed a secret keeps no response."""
    if secret and status < 300:
        return {"state": "secret", "response_status": status, "response_headers": None, "response_body": None}
    if body is None:
        return {"state": "lost", "response_status": status, "response_headers": None, "response_body": None}
    headers = {k.decode().lower(): v.decode() for k, v in raw_headers if k.decode().lower() in REPLAYED_HEADERS}
    return {"state": "done", "response_status": status, "response_headers": headers, "response_body": body}


@event.listens_for(Session, "before_commit")
def _record_with_effect(session: Session) -> None:
    """Turn the running request's claim into its record inside the transaction that commits
    the effect (the request's own session, after the route rendered its response)."""
    pending = CURRENT.get()
    if pending is None or pending.response is None or pending.recorded or session.info.get(_INTERNAL):
        return
    status, headers, body = pending.response
    done = session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == pending.record_id, IdempotencyRecord.state == "pending")
        .values(**_result(pending.secret, status, headers, body))
    )
    if rowcount(done) != 1:  # the claim was taken over (this request ran past STALE_PENDING)
        raise Conflict(
            "Another request with this Idempotency-Key took over; this one was not applied.",
            "Permintaan lain dengan Idempotency-Key ini mengambil alih; permintaan ini tidak diterapkan.",
            headers={"Retry-After": "1"},
        )
    pending.writer = session


@event.listens_for(Session, "after_commit")
def _recorded(session: Session) -> None:
    pending = CURRENT.get()
    if pending is not None and pending.writer is session:
        pending.recorded = True


@event.listens_for(Session, "after_rollback")
def _not_recorded(session: Session) -> None:
    pending = CURRENT.get()
    if pending is not None and pending.writer is session and not pending.recorded:
        pending.writer = None


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
