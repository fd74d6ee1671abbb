"""What the idempotency middleware and the request share while a keyed request runs.

The middleware sets `CURRENT` to a `Pending` claim; the route handler notes its rendered
response there (`note_response`, called by `pembina.kit.routing.TypedPathRoute`) and whether it
reveals a one-time secret (`reveals_secret`); the request's own session then writes the
idempotency record in the same transaction as the effect (`pembina.idempotency.middleware`).
A context variable reaches the worker threads the route and its commit run in (they run in
a copy of the request's context, which holds the same `Pending` object).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Pending:
    """A claimed Idempotency-Key whose request is running."""

    record_id: int
    #: The response reveals a one-time secret (an API client secret, a generated password):
    #: it is never stored, and a replay says so.
    secret: bool = False
    #: (status, headers, body) of the rendered response, noted before the request's commit;
    #: body None when the response is streamed (not known before it is sent).
    response: tuple[int, list[tuple[bytes, bytes]], bytes | None] | None = None
    #: The session whose transaction wrote the record (with the effect), until it commits.
    writer: Any = field(default=None, repr=False)
    #: The record was committed with the effect.
    recorded: bool = False


CURRENT: ContextVar[Pending | None] = ContextVar("pembina_idempotency", default=None)


def note_response(response: Any) -> None:
    pending = CURRENT.get()
    if pending is None:
        return
    body = getattr(response, "body", None)
    pending.response = (response.status_code, list(response.raw_headers), body if isinstance(body, bytes) else None)


def reveals_secret() -> None:
    """Called by a route whose response shows a one-time secret: never stored for a replay."""
    pending = CURRENT.get()
    if pending is not None:
        pending.secret = True
